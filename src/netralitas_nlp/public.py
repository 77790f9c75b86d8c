"""Adapters for the third-party Indonesian datasets in ``../shared/data`` (see docs/public-data.md).

The data are never copied into the project: every loader reads the original files by path at run
time (``NETRALITAS_SHARED_DATA`` or ``../shared/data`` relative to the working directory). Each
source's original labels are mapped to our label ids; ids a source does not speak about are listed
outside ``covers`` and must be treated as unknown (masked) by training code, not as negatives.

Evaluation-only data (Aulia 2019, Desrul 2019, the Netifier test split) and the rows reserved in an
``EVAL_ROWS.txt`` are flagged so training code can refuse them; reserved rows are dropped by default.

The module is table-driven: a ``Table`` names a file, how to read it (one reader per format quirk)
and how to turn a raw row into text and labels. ``SOURCES`` holds the sources whose labels map to
our ids; ``UNLABELLED`` holds text-only sources for masked-LM pretraining.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ftfy

from .data import DataError, Example, write_jsonl
from .labels import LABELS

ENV_VAR = "NETRALITAS_SHARED_DATA"


def default_root() -> Path:
    """$NETRALITAS_SHARED_DATA, else ../shared/data from the working folder, read at call time."""
    return Path(os.environ.get(ENV_VAR, "../shared/data")).resolve()


DEFAULT_ROOT: Path = default_root()  # the value at import, for messages and test markers
USES = ("train", "eval", "personal")
EVAL_ROWS_FILE = "EVAL_ROWS.txt"
PROJECT_DATA = Path(__file__).resolve().parents[2] / "data"
MIN_CLAIM_CHARS = 20  # shorter "claims" in fact-check pages are placeholders such as "." or "Cek video."
csv.field_size_limit(1 << 28)  # news articles and blog posts exceed csv's 128 KiB default

Row = dict
Labels = dict[str, int]  # {label id: 0/1} over a source's covered ids; None from a label function = unmapped row


@dataclass(frozen=True)
class Source:
    """One labelled third-party source. `use`: "train" | "eval" (evaluation-only) | "personal" (never released)."""

    slug: str
    title: str
    origin: str
    license: str
    citation: str
    covers: tuple[str, ...]
    use: str
    meaning: str
    register: str
    files: tuple[str, ...]
    splits: tuple[str, ...] = ("all",)
    eval_splits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One data file of a source and how to read it."""

    file: str
    text: Callable[[Row], str]
    label: Callable[[Row], Labels | None]
    reader: str = "csv"  # csv | xlsx
    encoding: str = "utf-8"
    sep: str = ","
    split: str = "all"
    orig: tuple[str, ...] = ()  # original columns kept as meta "orig_<name>"
    const: dict = field(default_factory=dict)  # fixed meta for every row of the file
    row_id: str | None = None  # column holding the original id; default: 0-based data-row index
    key: Callable[[Row], str] | None = None  # de-duplication key; default: the cleaned text


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

# ---------------------------------------------------------------- the tables

_IBROHIM_COLS = (
    "HS",
    "Abusive",
    "HS_Individual",
    "HS_Group",
    "HS_Religion",
    "HS_Race",
    "HS_Physical",
    "HS_Gender",
    "HS_Other",
    "HS_Weak",
    "HS_Moderate",
    "HS_Strong",
)

TABLES: dict[str, tuple[Table, ...]] = {
    "ibrohim2019-multilabel-hatespeech": (
        Table("re_dataset.csv", _col("Tweet"), _binary("HS", "hoax_hate", _HS), encoding="latin-1", orig=_IBROHIM_COLS),
    ),
    "netifier-toxicity": tuple(
        Table(
            f"{split}.csv",
            _col("original_text"),
            _netifier_label,
            split=split,
            orig=("source", "pornografi", "sara", "radikalisme", "pencemaran_nama_baik"),
        )
        for split in ("train", "test")
    ),
    "aulia2019-facebook-hatespeech": (Table("dataset.csv", _col("text"), _binary("label", "hoax_hate", _HS), orig=("label",)),),
    "desrul2019-news-comments-abusive": (
        Table(
            "news_comments_abusive.xlsx",
            _col("Kalimat"),
            _binary("label", "hoax_hate", frozenset({"3"})),  # 3 = abusive AND offensive; 2 = profanity only
            reader="xlsx",
            orig=("label",),
        ),
    ),
    "pratiwi2017-hoax-news": (
        Table(
            "pratiwi_600_news_hoax_valid.csv",
            _col("berita"),
            _mapped("tagging", "hoax_hate", {"hoax": 1, "valid": 0}),
            encoding="cp1252",
            sep=";",
            orig=("tagging",),
        ),
    ),
    "turnbackhoax2019-scrape": (
        Table(
            "turnbackhoax_2018_2019.csv",
            _tbh2019_claim,
            _mapped("verdict_from_url", "hoax_hate", {"salah": 1, "false": 1, "benar": 0}),
            orig=("verdict_from_url", "url"),
        ),
    ),
    "turnbackhoax2024-categorized": tuple(
        Table(
            file,
            _tbh2024_claim,
            lambda row: {"hoax_hate": 1},  # every row is a claim turnbackhoax.id debunked
            orig=("TITLE", "SENTIMENT_LABEL", mentioned),
            const={"orig_llm_category": category},  # each results file holds exactly one LLM_CATEGORY
            row_id="ID",
        )
        for file, category, mentioned in (
            ("sentiment_results.csv", "politics", "CANDIDATES_MENTIONED"),
            ("scam_sentiment_results.csv", "scam", "ENTITIES_MENTIONED"),
            ("others_sentiment_results.csv", "others", "ENTITIES_MENTIONED"),
        )
    ),
    "jannati2018-political-stance": (
        # The 2018 re-annotation comes first so its "stance final" wins over the 2016 label for shared titles.
        Table(
            "dataset_stance_2_label_2018_building_by_rini.csv",
            _article("Judul Artikel", "Isi Artikel"),
            _mapped("stance final", "partisanship", _STANCE),
            encoding="utf-8-sig",
            sep=";",
            orig=("Tokoh", "Event", "stance final"),
            key=_title_key("Judul Artikel"),
        ),
        Table(
            "dataset_stance_3_label_2016_building_by_cakra.csv",
            _article("title", "content"),
            _mapped("stance", "partisanship", _STANCE),  # "unknown" -> unmapped, dropped
            orig=("topic", "stance", "source"),
            key=_title_key("title"),
        ),
    ),
    "rizalespe-pilkada-dki-2017-sentiment": (
        Table(
            "dataset_tweet_sentiment_pilkada_DKI_2017.csv",
            _col("Text Tweet"),
            _mapped("Sentiment", "partisanship", {"positive": 1, "negative": 0}),
            encoding="utf-8-sig",
            orig=("Sentiment", "Pasangan Calon"),
            row_id="Id",
        ),
    ),
}


def _files(slug: str) -> tuple[str, ...]:
    return tuple(t.file for t in TABLES[slug])


SOURCES: dict[str, Source] = {
    s.slug: s
    for s in (
        Source(
            slug="ibrohim2019-multilabel-hatespeech",
            title="Ibrohim & Budi 2019, multi-label hate speech tweets",
            origin="https://github.com/okkyibrohim/id-multi-label-hate-speech-and-abusive-language-detection "
            "(commit be98de98e974b65838d2b5145ee2c89e9bf53a6b)",
            license="CC BY-NC-SA 4.0",
            citation="M. O. Ibrohim and I. Budi. 2019. Multi-label Hate Speech and Abusive Language Detection in "
            "Indonesian Twitter. ALW3, pp. 46-57. doi:10.18653/v1/W19-3506",
            covers=("hoax_hate",),
            use="train",
            meaning="HS=1 (hate speech against an individual, group, religion, race, ...) maps to hoax_hate=1, HS=0 to "
            "hoax_hate=0; abusive language without HS (profanity) is hoax_hate=0. No hoax label; other ids not covered.",
            register="tweet",
            files=_files("ibrohim2019-multilabel-hatespeech"),
        ),
        Source(
            slug="netifier-toxicity",
            title="Netifier 2018, multi-label toxicity of Twitter/Instagram/Kaskus posts",
            origin="https://github.com/ahmadizzan/netifier (commit 725b7ebc74fe5d6bc7de9f2edb55a4251bc944a5)",
            license="none stated in the repository (SEACrowd lists CC BY-NC-SA 4.0); treat as non-commercial research",
            citation="A. Izzan, C. Wibisono and I. F. Putra. 2018. Netifier (GitHub repository ahmadizzan/netifier); no paper.",
            covers=("hoax_hate",),
            use="train",
            meaning="hoax_hate=1 when any of sara (SARA hate), radikalisme (provocation) or pencemaran_nama_baik "
            "(defamation/slander, close to fitnah) is 1; pornografi alone is hoax_hate=0. The test split is evaluation-only.",
            register="social_post",
            files=_files("netifier-toxicity"),
            splits=("train", "test"),
            eval_splits=("test",),
        ),
        Source(
            slug="aulia2019-facebook-hatespeech",
            title="Aulia & Budi 2019, hate speech in long political Facebook posts",
            origin="https://github.com/nofaulia/hate-speech-detection (commit 4adbede067d36ea0e220985ff18faba73250e996)",
            license="none stated in the repository",
            citation="N. Aulia and I. Budi. 2019. Hate Speech Detection on Indonesian Long Text Documents Using Machine "
            "Learning Approach. ICCAI 2019, pp. 164-169. doi:10.1145/3330482.3330491",
            covers=("hoax_hate",),
            use="eval",
            meaning="HS=1 in Aulia 2019 means hate speech in a political Facebook post (Pilpres 2019); mapped to hoax_hate=1, "
            "HS=0 to hoax_hate=0. Many posts are openly partisan, but partisanship is not labelled (not covered).",
            register="facebook_post",
            files=_files("aulia2019-facebook-hatespeech"),
        ),
        Source(
            slug="desrul2019-news-comments-abusive",
            title="Kiasati Desrul & Romadhony 2019, abusive online-news comments",
            origin="https://github.com/dhamirdesrul/Indonesian-Online-News-Comments (commit 8507c86194ddfc807b7905ae09948342c15ef031)",
            license="none stated in the repository (SEACrowd lists CC BY-SA 4.0)",
            citation="D. R. Kiasati Desrul and A. Romadhony. 2019. Abusive Language Detection on Indonesian Online News "
            "Comments. ISRITI 2019, pp. 320-325. doi:10.1109/ISRITI48646.2019.9034620",
            covers=("hoax_hate",),
            use="eval",
            meaning="Proxy: label 3 (abusive and offensive, i.e. an insult aimed at someone) maps to hoax_hate=1; 1 (not "
            "abusive) and 2 (profanity, not offensive) map to 0. Offensive is not the same as hate speech, so read its "
            "recall as 'catches targeted insults' and its false positives with care.",
            register="news_comment",
            files=_files("desrul2019-news-comments-abusive"),
        ),
        Source(
            slug="pratiwi2017-hoax-news",
            title="Pratiwi, Asmara & Rahutomo 2017, hoax vs valid news articles",
            origin="https://github.com/svmihar/indo-hoax-dataset (commit 308ff68e4e51e536c2221fe51eb271e5ac1c443a); "
            "original Mendeley Data record p3hfgr5j3m",
            license="none in the mirror (SEACrowd lists the Mendeley record as CC BY 4.0)",
            citation="I. Y. R. Pratiwi, R. A. Asmara and F. Rahutomo. 2017. Study of hoax news detection using naive Bayes "
            "classifier in Indonesian language. ICTS 2017, pp. 73-78. doi:10.1109/ICTS.2017.8265649",
            covers=("hoax_hate",),
            use="train",
            meaning="Hoax maps to hoax_hate=1, Valid to hoax_hate=0, on whole news articles (many topics, long). Only the "
            "600-article file is read: 249 of the 250-article version's texts are in it.",
            register="news",
            files=_files("pratiwi2017-hoax-news"),
        ),
        Source(
            slug="turnbackhoax2019-scrape",
            title="TurnBackHoax (Mafindo) fact-checks 2018-2019, claim narratives",
            origin="https://github.com/svmihar/indo-hoax-dataset (commit f0330a45155a543ae27c7a2e1ca152d75843936c, eya.csv; "
            "cleaned copy in the shared folder)",
            license="none stated; texts are turnbackhoax.id fact-check write-ups",
            citation="Masyarakat Antifitnah Indonesia (Mafindo), turnbackhoax.id; scrape by svmihar/indo-hoax-dataset. No paper.",
            covers=("hoax_hate",),
            use="train",
            meaning="Only the quoted claim (the NARASI section, cut before the checker's own text) is used, because a debunk "
            "quoting a hoax gets no label. Verdict salah maps to hoax_hate=1, benar (claim confirmed) to 0; other verdicts "
            "and pages without a NARASI section are dropped.",
            register="fact_check_claim",
            files=_files("turnbackhoax2019-scrape"),
        ),
        Source(
            slug="turnbackhoax2024-categorized",
            title="TurnBackHoax 2024 debunked claims, LLM-categorised (politics/scam/others)",
            origin="https://github.com/alharkan7/turnbackhoax-analysis (commit d365e9a6bfdcff9cde7db35222c54ef71b957889)",
            license="none stated; claims and fact-checks come from turnbackhoax.id (Mafindo)",
            citation="alharkan7, turnbackhoax-analysis (GitHub), 'Indonesian Hoax Analysis 2024'; data from turnbackhoax.id. No paper.",
            covers=("hoax_hate",),
            use="train",
            meaning="Every row is a claim turnbackhoax.id debunked in 2024: the claim text (cut before any 'PENJELASAN'/'= = ='/"
            "'faktanya' debunk prose) maps to hoax_hate=1. Positives only: negatives must come from other sources. "
            "orig_llm_category (Gemini, not human) allows keeping only politics.",
            register="fact_check_claim",
            files=_files("turnbackhoax2024-categorized"),
        ),
        Source(
            slug="jannati2018-political-stance",
            title="Jannati et al. 2018, stance towards political figures in blog posts",
            origin="https://github.com/reneje/id_stance_dataset_article-Stance-Classification-Towards-Political-Figures-on-Blog-Writing "
            "(commit 2818ae563539a1acf0451ec602ba3cb5515d0b67)",
            license="CC BY-NC-SA 4.0",
            citation="R. Jannati, R. Mahendra, C. W. Wardhana and M. Adriani. 2018. Stance Classification Towards Political "
            "Figures on Blog Writing. IALP 2018, pp. 96-101. doi:10.1109/IALP.2018.8629144",
            covers=("partisanship",),
            use="train",
            meaning="Proxy: stance 'for' a named candidate maps to partisanship=1 (open support, as if the author were an ASN); "
            "'against' maps to 0, since smearing is not partisanship unless it backs another (convention 3), though some "
            "'against' posts implicitly back a rival. 'unknown'/'no' rows are dropped; shared titles keep the 2018 label.",
            register="blog",
            files=_files("jannati2018-political-stance"),
        ),
        Source(
            slug="rizalespe-pilkada-dki-2017-sentiment",
            title="Lestari et al. 2017, Pilkada DKI 2017 tweet sentiment per candidate pair",
            origin="https://github.com/rizalespe/Dataset-Sentimen-Analisis-Bahasa-Indonesia "
            "(commit 9d792604b1297bece6dbdf4d3c5101560d34a892)",
            license="personal use only ('tersedia untuk penggunaan pribadi'); keep out of anything released",
            citation="A. R. T. Lestari, R. S. Perdana and M. A. Fauzi. 2017. Analisis Sentimen Tentang Opini Pilkada DKI 2017 "
            "Pada Dokumen Twitter Berbahasa Indonesia Menggunakan Naive Bayes dan Pembobotan Emoji. JPTIIK 1(12), 1718-1724.",
            covers=("partisanship",),
            use="personal",
            meaning="Weak proxy: a positive tweet about a candidate pair maps to partisanship=1 (praise or support, as if the "
            "poster were an ASN); a negative tweet maps to 0 (smearing is not partisanship, convention 3). Positive tweets "
            "include neutral-positive news, so precision is limited. Upstream removed stopwords.",
            register="tweet",
            files=_files("rizalespe-pilkada-dki-2017-sentiment"),
        ),
    )
}


# ---------------------------------------------------------------- unlabelled text (masked-LM pretraining)


@dataclass(frozen=True)
class UTable:
    file: str
    reader: str  # csv | indolem_json
    text: str = "text"
    sep: str = ","
    encoding: str = "utf-8"


UNLABELLED: dict[str, tuple[UTable, ...]] = {
    "pemilu2024-capres-tweets": (UTable("pemilu2024_capres_tweets.csv", "csv"),),
    "satriadata2024-bdc-pilpres-tweets": (
        UTable("dataset_penyisihan_bdc_2024.csv", "csv", sep=";"),
        UTable("dataset_unlabeled_penyisihan_bdc_2024.csv", "csv", text="Text", sep=";"),
    ),
    "indolem-tweets-unlabeled": tuple(
        UTable(f, "indolem_json")
        for f in (
            "tweet_ordering_train0.json",
            "tweet_ordering_dev0.json",
            "tweet_ordering_test0.json",
            "next_tweet_prediction_dev.json",
            "next_tweet_prediction_test.json",
        )
    ),
}


# ---------------------------------------------------------------- paths and flags


def _root(root: Path | str | None) -> Path:
    if root is not None:
        return Path(root)
    return default_root()


def source_dir(slug: str, root: Path | None = None) -> Path:
    if slug not in SOURCES and slug not in UNLABELLED:
        raise KeyError(f"unknown source {slug!r} (known: {', '.join([*SOURCES, *UNLABELLED])})")
    return _root(root) / slug


def available(slug: str, root: Path | None = None) -> bool:
    folder = source_dir(slug, root)
    files = SOURCES[slug].files if slug in SOURCES else tuple(t.file for t in UNLABELLED[slug])
    return folder.is_dir() and all((folder / f).is_file() for f in files)


def is_eval_only(slug: str, split: str = "all") -> bool:
    """True if `split` of `slug` holds any evaluation-only rows ("all" is eval-only if any split is)."""
    src = SOURCES[slug]
    if src.use == "eval":
        return True
    return bool(src.eval_splits) and (split == "all" or split in src.eval_splits)


def _missing(path: Path, reason: str = "file not found") -> DataError:
    return DataError(path, f"{reason}; point {ENV_VAR} at the folder holding the shared datasets (default ../shared/data)")


# ---------------------------------------------------------------- readers (one per format quirk)


def _read_csv(path: Path, encoding: str, sep: str) -> Iterator[tuple[int, Row]]:
    """(0-based data-row index as csv.DictReader counts it, row); the index matches EVAL_ROWS.txt."""
    try:
        with open(path, encoding=encoding, newline="") as f:
            yield from enumerate(csv.DictReader(f, delimiter=sep))
    except FileNotFoundError as e:
        raise _missing(path) from e
    except (UnicodeDecodeError, csv.Error) as e:
        raise _missing(path, f"unreadable as {encoding} CSV with sep {sep!r} ({e})") from e


def _read_xlsx(path: Path) -> Iterator[tuple[int, Row]]:
    import openpyxl  # imported here: only the Excel sources pay for it

    if not path.is_file():
        raise _missing(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken zip/xml
        raise _missing(path, f"not a readable .xlsx workbook ({type(e).__name__})") from e
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, ())]
        for i, values in enumerate(rows):
            yield i, {h: ("" if v is None else str(v)) for h, v in zip(header, values)}
    finally:
        book.close()


def _read_table(folder: Path, table: Table) -> Iterator[tuple[int, Row]]:
    path = folder / table.file
    return _read_xlsx(path) if table.reader == "xlsx" else _read_csv(path, table.encoding, table.sep)


def _read_indolem(path: Path) -> Iterator[tuple[tuple, str]]:
    """(JSON key path, tweet) for every tweet of an IndoLEM thread file, as EVAL_ROWS.txt addresses them."""
    try:
        threads = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise _missing(path) from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _missing(path, f"unreadable JSON ({e})") from e
    for i, thread in enumerate(threads):
        for j, tweet in enumerate(thread.get("tweets", [])):
            yield (i, "tweets", j), tweet
        for k, (_, tweet) in enumerate(thread.get("next_tweet", [])):
            yield (i, "next_tweet", k, 1), tweet


# ---------------------------------------------------------------- reserved (EVAL_ROWS.txt) rows


def reserved_rows(folder: Path) -> set[tuple[str, int | tuple]]:
    """{(file, locator)} from EVAL_ROWS.txt: a 0-based CSV data-row index, or a JSON key path as a tuple."""
    path = folder / EVAL_ROWS_FILE
    if not path.is_file():
        return set()
    out: set[tuple[str, int | tuple]] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            file, locator = line.split("\t", 1)
            value = json.loads(locator)
        except (ValueError, json.JSONDecodeError) as e:
            raise DataError(path, f"expected 'file<TAB>row index or JSON key path' ({e})", n) from e
        out.add((file, tuple(value) if isinstance(value, list) else int(value)))
    return out


# ---------------------------------------------------------------- labelled loading


def _new_stats() -> dict:
    keys = ("n_raw", "n_empty", "n_unmapped", "n_reserved_dropped", "n_eval_overlap", "n_duplicate", "n_conflicting", "n_out")
    return dict.fromkeys(keys, 0)


def _raw_examples(slug: str, folder: Path, table: Table, stats: dict) -> Iterator[tuple[str, Example]]:
    """(dedupe key, Example) for each usable row of one table, before reserved/duplicate filtering."""
    src = SOURCES[slug]
    for i, row in _read_table(folder, table):
        stats["n_raw"] += 1
        text = clean_text(table.text(row))
        if not text:
            stats["n_empty"] += 1
            continue
        mapped = table.label(row)
        if mapped is None:
            stats["n_unmapped"] += 1
            continue
        source_row = (row.get(table.row_id) or i) if table.row_id else i
        meta = {
            "id": f"{slug}/{Path(table.file).stem}/{source_row}" if len(TABLES[slug]) > 1 else f"{slug}/{source_row}",
            "source": slug,
            "covered": list(src.covers),
            "source_row": source_row,
            "split": table.split,
            "file": table.file,
            "row_index": i,
            **table.const,
            **{f"orig_{c}": row.get(c, "") for c in table.orig},
        }
        labels = [lab for lab in LABELS if mapped.get(lab) == 1]
        key = table.key(row) if table.key else dedupe_key(text)
        yield key, Example(text=text, labels=labels, meta=meta)


@lru_cache(maxsize=4)
def _eval_keys(root: Path) -> frozenset[str]:
    """Dedupe keys of every evaluation-only text under `root` (eval sources and eval splits).

    The same text inside a training source would leak: Netifier's test split shares texts with its
    train split and with Ibrohim 2019. Sources whose files are absent cannot leak and are skipped.
    """
    keys: set[str] = set()
    for slug, src in SOURCES.items():
        if not available(slug, root):
            continue
        for table in TABLES[slug]:
            if src.use == "eval" or table.split in src.eval_splits:
                keys.update(dedupe_key(ex.text) for _, ex in _raw_examples(slug, root / slug, table, _new_stats()))
    return frozenset(keys)


def load_source_with_stats(
    slug: str, root: Path | None = None, split: str = "all", drop_reserved: bool = True
) -> tuple[list[Example], dict]:
    """Load one source as Examples with our label ids, plus counts of what was dropped and why."""
    src = SOURCES.get(slug)
    if src is None:
        raise KeyError(f"unknown labelled source {slug!r} (known: {', '.join(SOURCES)})")
    if split != "all" and split not in src.splits:
        raise ValueError(f"{slug} has splits {src.splits}, not {split!r}")
    folder = source_dir(slug, root)
    reserved = reserved_rows(folder) if drop_reserved else set()
    tables = [t for t in TABLES[slug] if split == "all" or t.split == split]
    held_out = _eval_keys(_root(root).resolve()) if src.use != "eval" else frozenset()
    stats, rows = _new_stats(), []
    for table in tables:
        rows.extend(_raw_examples(slug, folder, table, stats))
    # A reserved row's text is reserved wherever else it occurs in the source.
    reserved_keys = {k for k, ex in rows if (ex.meta["file"], ex.meta["row_index"]) in reserved}
    seen: dict[str, Example] = {}  # both the table's key and the text key point at the kept example
    out = []
    for key, ex in rows:
        text_key = dedupe_key(ex.text)
        first = seen.get(key) or seen.get(text_key)
        if key in reserved_keys:
            stats["n_reserved_dropped"] += 1
        elif ex.meta["split"] not in src.eval_splits and text_key in held_out:
            stats["n_eval_overlap"] += 1
        elif first is not None:
            stats["n_duplicate"] += 1
            stats["n_conflicting"] += first.labels != ex.labels
        else:
            seen[key] = seen[text_key] = ex
            out.append(ex)
    stats["n_out"] = len(out)
    stats["positives"] = {lab: sum(lab in ex.labels for ex in out) for lab in src.covers}
    return out, stats


def load_source(slug: str, root: Path | None = None, split: str = "all", drop_reserved: bool = True) -> list[Example]:
    return load_source_with_stats(slug, root, split, drop_reserved)[0]


def load_stats(slug: str, root: Path | None = None, split: str = "all", drop_reserved: bool = True) -> dict:
    return load_source_with_stats(slug, root, split, drop_reserved)[1]


# ---------------------------------------------------------------- unlabelled loading


def _unlabelled_rows(folder: Path, table: UTable) -> Iterator[tuple[int | tuple, str]]:
    if table.reader == "indolem_json":
        yield from _read_indolem(folder / table.file)
        return
    for i, row in _read_csv(folder / table.file, table.encoding, table.sep):
        yield i, row.get(table.text) or ""


def load_unlabelled_with_stats(slug: str, root: Path | None = None, drop_reserved: bool = True) -> tuple[list[str], dict]:
    """Cleaned, de-duplicated texts of a text-only source (for masked-LM pretraining), reserved rows dropped."""
    if slug not in UNLABELLED:
        raise KeyError(f"unknown unlabelled source {slug!r} (known: {', '.join(UNLABELLED)})")
    folder = source_dir(slug, root)
    reserved = reserved_rows(folder) if drop_reserved else set()
    stats = _new_stats()
    rows = []
    for table in UNLABELLED[slug]:
        for loc, raw in _unlabelled_rows(folder, table):
            stats["n_raw"] += 1
            text = clean_text(raw)
            if not text:
                stats["n_empty"] += 1
                continue
            rows.append((dedupe_key(text), text, (table.file, loc) in reserved))
    reserved_keys = {k for k, _, is_reserved in rows if is_reserved}
    seen: set[str] = set()
    out = []
    for key, text, _ in rows:
        if key in reserved_keys:
            stats["n_reserved_dropped"] += 1
        elif key in seen:
            stats["n_duplicate"] += 1
        else:
            seen.add(key)
            out.append(text)
    stats["n_out"] = len(out)
    return out, stats


def load_unlabelled(slug: str, root: Path | None = None, drop_reserved: bool = True) -> list[str]:
    return load_unlabelled_with_stats(slug, root, drop_reserved)[0]


# ---------------------------------------------------------------- command line


def _list(root: Path | None) -> int:
    print(f"root: {_root(root)}")
    print(f"{'slug':38} {'use':10} {'covers':14} {'rows':>7}  status")
    for slug, src in SOURCES.items():
        ok = available(slug, root)
        rows = str(load_stats(slug, root)["n_out"]) if ok else "-"
        print(f"{slug:38} {src.use:10} {','.join(src.covers):14} {rows:>7}  {'available' if ok else 'missing'}")
    for slug in UNLABELLED:
        ok = available(slug, root)
        rows = str(load_unlabelled_with_stats(slug, root)[1]["n_out"]) if ok else "-"
        print(f"{slug:38} {'unlabelled':10} {'-':14} {rows:>7}  {'available' if ok else 'missing'}")
    return 0


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _export(slug: str, out: Path, split: str, root: Path | None) -> int:
    if _inside(out, PROJECT_DATA) or _inside(out, Path.cwd() / "data"):
        print(f"refusing to write {out}: it is inside the project's data/ folder, and shared data must never be committed", file=sys.stderr)
        return 2
    examples, stats = load_source_with_stats(slug, root, split)
    if is_eval_only(slug, split):
        print(f"warning: {slug} split {split!r} holds evaluation-only rows: never train or tune on this file", file=sys.stderr)
    write_jsonl(examples, out)
    print(f"wrote {len(examples)} examples to {out} ({json.dumps(stats)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netralitas_nlp.public", description="Third-party dataset adapters.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_list = sub.add_parser("list", help="list the sources and whether their files are present")
    p_list.add_argument("--root", type=Path, default=None)
    p_exp = sub.add_parser("export", help="write one source as JSONL for inspection (outside the project's data/)")
    p_exp.add_argument("slug", choices=sorted(SOURCES))
    p_exp.add_argument("-o", "--output", type=Path, required=True)
    p_exp.add_argument("--split", default="all")
    p_exp.add_argument("--root", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        if args.cmd == "list":
            return _list(args.root)
        return _export(args.slug, args.output, args.split, args.root)
    except (DataError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
