"""Per-source quirks: text cleaning, de-duplication keys, and the text and label functions of the tables."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import ftfy

Row = dict
Labels = dict[str, int]  # {label id: 0/1} over a source's covered ids; None from a label function = unmapped row
MIN_CLAIM_CHARS = 20  # shorter "claims" in fact-check pages are placeholders such as "." or "Cek video."


# ---------------------------------------------------------------- cleaning


# Text ftfy could change: anything beyond printable ASCII, tab and newline (mojibake, CR, controls), or an HTML entity.
_NEEDS_FTFY = re.compile(r"[^\t\n\x20-\x7e]|&")


def clean_text(text: str) -> str:
    """Repair mojibake, turn literal backslash-n (Ibrohim, Netifier) into newlines, strip."""
    text = str(text or "")
    if _NEEDS_FTFY.search(text):  # ftfy is the slow step; skip it for plain printable ASCII
        text = ftfy.fix_text(text)  # defaults, as in normalize(): also uncurls quotes and turns CRLF into LF
    return text.replace("\\n", "\n").strip()


def dedupe_key(text: str) -> str:
    return " ".join(text.lower().split())


# ---------------------------------------------------------------- label and text functions


def _col(name: str) -> Callable[[Row], str]:
    return lambda row: str(row.get(name) or "")


def _binary(column: str, label: str, positive: frozenset[str]) -> Callable[[Row], Labels | None]:
    return lambda row: {label: int(str(row.get(column, "")).strip().lower() in positive)}


def _mapped(column: str, label: str, mapping: dict[str, int]) -> Callable[[Row], Labels | None]:
    """Map a categorical column through `mapping`; values outside it make the row unmapped."""

    def fn(row: Row) -> Labels | None:
        value = mapping.get(str(row.get(column, "")).strip().lower())
        return None if value is None else {label: value}

    return fn


def _netifier_label(row: Row) -> Labels | None:
    # SARA hate, radicalism (provocation) and defamation are hoax_hate; pornography alone is not.
    hits = (str(row.get(c, "0")).strip() == "1" for c in ("sara", "radikalisme", "pencemaran_nama_baik"))
    return {"hoax_hate": int(any(hits))}


# Fact-check pages wrap the circulating claim in the checker's prose. Convention 5 says a debunk
# that quotes a hoax gets no label, so only the claim part is used; the markers below start the
# checker's own text (section rules "=====" or "= = =", PENJELASAN, REFERENSI, "faktanya", "selengkapnya di" ...).
_CLAIM_END = re.compile(
    r"(?:=\s*){3,}|\b(?:penjelasan|referensi|sumber|kategori)\s*\]?\s*:|(?-i:\[?\b(?:PENJELASAN|REFERENSI)\b)"
    r"|selengkapnya (?:di|terdapat)|narasi lengkap di|berdasarkan 7 jenis mis|setelah (?:di)?telusuri"
    r"|setelah dilakukan penelusuran|hasil penelusuran|\bfaktanya\b|periksa fakta|cek fakta",
    re.IGNORECASE,
)
# In 2019 pages the claim follows a "NARASI" header; "bagian NARASI" is a cross-reference, not a header.
_NARASI = re.compile(r"(?<!bagian )\bnarasi\b\s*:?\s*", re.IGNORECASE)


def claim_part(text: str) -> str:
    """The text before the first fact-checker marker; "" when too short to be a claim."""
    m = _CLAIM_END.search(text)
    claim = (text[: m.start()] if m else text).strip(" =\n\t")
    return claim if len(claim) >= MIN_CLAIM_CHARS else ""


def _tbh2019_claim(row: Row) -> str:
    m = _NARASI.search(row.get("text") or "")
    return claim_part(row["text"][m.end() :]) if m else ""


def _tbh2024_claim(row: Row) -> str:
    return claim_part(row.get("HOAX_TEXT") or "")


def _paragraphs(cell: str) -> str:
    """Jannati bodies are JSON lists of paragraphs; fall back to the raw cell if not."""
    try:
        parts = json.loads(cell)
    except (json.JSONDecodeError, TypeError):
        return cell or ""
    return "\n".join(str(p) for p in parts) if isinstance(parts, list) else str(parts)


def _article(title_col: str, body_col: str) -> Callable[[Row], str]:
    return lambda row: f"{(row.get(title_col) or '').strip()}\n\n{_paragraphs(row.get(body_col) or '')}"


def _title_key(title_col: str) -> Callable[[Row], str]:
    # The two Jannati files share 208 articles by lower-cased title (bodies may differ in whitespace).
    return lambda row: dedupe_key(row.get(title_col) or "")


# Stance typos in the 2018 file: "againts" = against; "no" (2 rows) has no documented meaning, so unmapped.
_STANCE = {"for": 1, "against": 0, "againts": 0}
_HS = frozenset({"1"})
