"""Import a scored file (the output of `score`) or a raw export, scored here by the scoring service.

Nothing is silently dropped: every row is new, a duplicate of a source id already present, imported
but flagged as unscored (its `status` is not `ok`), or rejected with a reason; the counts are shown
to the person who imported. All original columns are kept as metadata.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data import DataError, fingerprint, iter_rows, parse_labels
from ..labels import LABELS
from ..pii import mask_pii
from ..scoring import ID_COLUMNS, MAX_CHARS, OUTPUT_COLUMNS, TEXT_COLUMNS, Policy, ScoreSettings, detect_column, score_rows
from .db import ImportBatch, Item, pack_labels, utcnow

UNIT_COLUMNS = ("unit", "unit_kerja", "satker", "instansi", "opd", "skpd", "dinas")
REGION_COLUMNS = ("region", "wilayah", "kabupaten", "kab_kota", "kota", "provinsi", "daerah")
DATE_COLUMNS = ("tanggal", "date", "created_at", "tgl", "tanggal_laporan", "waktu", "timestamp")
SOURCE_COLUMNS = ("sumber", "source", "platform", "kanal", "channel")
FLAG_COLUMNS = ("anonim", "rahasia", "anonymous", "confidential", "is_anonymous", "is_confidential", "anon")
TRUE = {"1", "true", "ya", "y", "yes", "t", "benar"}
FALSE = {"0", "false", "tidak", "no", "n", "f", "salah", ""}
MAX_LISTED_REJECTS = 200


class ImportFailed(ValueError):
    """The file as a whole cannot be imported (not a row problem)."""


@dataclass
class ImportResult:
    batch_id: int = 0
    rows: int = 0
    new: int = 0
    duplicates: int = 0
    unscored: Counter = field(default_factory=Counter)  # imported but flagged, by reason
    rejected: list[dict] = field(default_factory=list)  # {row, id, reason}, first MAX_LISTED_REJECTS
    rejected_total: int = 0
    text_column: str = ""
    id_column: str | None = None
    scored_here: bool = False

    def counts(self) -> dict:
        return {
            "rows": self.rows,
            "new": self.new,
            "duplicates": self.duplicates,
            "unscored": dict(self.unscored),
            "rejected_total": self.rejected_total,
            "rejected": self.rejected,
            "text_column": self.text_column,
            "id_column": self.id_column,
            "scored_here": self.scored_here,
        }


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def find_column(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    by_norm = {_norm(c): c for c in columns}
    return next((by_norm[c] for c in candidates if c in by_norm), None)


def is_scored(columns: list[str]) -> bool:
    return set(OUTPUT_COLUMNS) <= set(columns)


def first_columns(path: Path) -> list[str]:
    first = next(iter_rows(path), None)
    if first is None:
        raise ImportFailed("the file has no data rows")
    return list(first[1])


def score_raw(path: Path, model_dir: str, text_column: str | None, id_column: str | None, mask: bool) -> Iterator[tuple[int, dict]]:
    """Score a raw export with the same code path as `python -m netralitas_nlp.score`, in memory.

    Rows are numbered 1, 2, ... as the lines of the scored JSONL file this used to write and re-read.
    """
    settings = ScoreSettings(
        model=model_dir, input=path, output=path, text_column=text_column, id_column=id_column, policy=Policy(mask_pii=mask)
    )
    return enumerate((fields for _, fields in score_rows(settings)), start=1)


def parse_date(value) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if m := re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        y, mo, d = m.groups()
    elif m := re.match(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):  # Indonesian exports: day first
        d, mo, y = m.groups()
    else:
        return None
    try:
        return datetime(int(y), int(mo), int(d)).strftime("%Y-%m-%d")
    except ValueError:
        return None


def parse_flag(value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return str(value)


def _json_safe(value):
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _float(value) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _cell(value) -> str | None:
    text = "" if value is None else str(value).strip()
    return text[:200] or None


class _Rejected(Exception):
    pass


def build_item(raw: dict, cols: dict, source: str, mask: bool, path: Path, row: int) -> Item:
    """One Item from one row of a scored file; raises _Rejected with a reason."""
    value = raw.get(cols["text"])
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if len(text) > MAX_CHARS:
        raise _Rejected(f"text longer than {MAX_CHARS} characters ({len(text)})")
    status = str(raw.get("status") or "").strip() or "ok"
    ok = status == "ok"
    try:
        probs = {lab: _float(raw.get(f"p_{lab}")) if ok else None for lab in LABELS}
        prio = _float(raw.get("priority")) if ok else None
    except (TypeError, ValueError) as e:
        raise _Rejected(f"a probability or the priority is not a number ({e})") from e
    if ok and any(p is None or not 0.0 <= p <= 1.0 for p in probs.values()):
        raise _Rejected("status is ok but a p_<label> value is missing or outside 0..1")
    try:
        labels = parse_labels(raw.get("labels") or None, path, row) if ok else []
    except DataError as e:
        raise _Rejected(e.reason) from e
    evidence = str(raw.get("evidence") or "")
    if mask:
        text, evidence = mask_pii(text), mask_pii(evidence)
    meta = {k: _json_safe(v) for k, v in raw.items() if k not in OUTPUT_COLUMNS and k != cols["text"]}
    return Item(
        source_id="",  # set by the caller, which knows the duplicates
        text=text,
        **{f"p_{lab}": p for lab, p in probs.items()},
        model_labels=pack_labels(labels),
        priority=prio,
        evidence=evidence,
        score_status=status[:200],
        status="new",
        source=(_cell(raw.get(cols["source"])) if cols["source"] else None) or source,
        unit=_cell(raw.get(cols["unit"])) if cols["unit"] else None,
        region=_cell(raw.get(cols["region"])) if cols["region"] else None,
        date=parse_date(raw.get(cols["date"])) if cols["date"] else None,
        flags={c: parse_flag(raw.get(c)) for c in cols["flags"]},
        meta=meta,
        version=1,
        created_at=utcnow(),
        updated_at=utcnow(),
    )


def source_id_of(raw: dict, id_col: str | None, text: str) -> str:
    value = raw.get(id_col) if id_col else None
    sid = "" if value is None else str(value).strip()
    # No id in the source: the text itself is the identity, so re-importing the file adds nothing.
    return sid[:200] if sid else "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def import_scored(
    db: Session,
    path: Path,
    *,
    filename: str,
    source: str,
    user_id: int | None,
    model: str = "",
    text_column: str | None = None,
    id_column: str | None = None,
    mask: bool = False,
    rows: Iterator[tuple[int, dict]] | None = None,
) -> ImportResult:
    """Import a scored file into the items table (one transaction, committed by the caller).

    `rows`: the file's rows already scored in memory (a raw export); by default `path`'s own rows.
    """
    try:
        rows = iter_rows(path) if rows is None else rows
        first = next(rows, None)
        if first is None:
            raise ImportFailed("the file has no data rows")
        columns = list(first[1])
        if not is_scored(columns):
            raise ImportFailed(f"not a scored file: missing {sorted(set(OUTPUT_COLUMNS) - set(columns))}; choose a model to score it")
        text_col = detect_column(columns, text_column, TEXT_COLUMNS, "text", path)
        id_col = detect_column(columns, id_column, ID_COLUMNS, "id", path)
    except DataError as e:
        raise ImportFailed(str(e)) from e
    cols = {
        "text": text_col,
        "unit": find_column(columns, UNIT_COLUMNS),
        "region": find_column(columns, REGION_COLUMNS),
        "date": find_column(columns, DATE_COLUMNS),
        "source": find_column(columns, SOURCE_COLUMNS),
        "flags": [c for c in columns if _norm(c) in FLAG_COLUMNS],
    }
    result = ImportResult(text_column=text_col, id_column=id_col, scored_here=bool(model))
    batch = ImportBatch(
        filename=filename[:255], source=source[:200], model=model[:255], sha256=fingerprint(path), user_id=user_id, counts={}
    )
    db.add(batch)
    db.flush()
    seen: set[str] = set()
    try:
        for row, raw in chain([first], rows):
            result.rows += 1
            text = raw.get(text_col)
            sid = source_id_of(raw, id_col, text if isinstance(text, str) else str(text))
            try:
                item = build_item(raw, cols, source, mask, path, row)
            except _Rejected as e:
                result.rejected_total += 1
                if len(result.rejected) < MAX_LISTED_REJECTS:
                    result.rejected.append({"row": row, "id": sid, "reason": str(e)})
                continue
            key = (item.source, sid)
            if key in seen or db.scalar(select(Item.id).where(Item.source == item.source, Item.source_id == sid)) is not None:
                result.duplicates += 1
                continue
            seen.add(key)
            item.source_id, item.import_id = sid, batch.id
            if item.score_status != "ok":
                result.unscored[item.score_status] += 1
            db.add(item)
            result.new += 1
    except DataError as e:
        raise ImportFailed(str(e)) from e
    batch.counts = result.counts()
    result.batch_id = batch.id
    return result


def import_file(
    db: Session,
    path: Path,
    *,
    filename: str,
    source: str,
    user_id: int | None,
    workdir: Path,
    model_dir: str | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    mask: bool = False,
) -> ImportResult:
    """A scored file is imported as it is; a raw one is first scored with `model_dir`.

    `workdir` is no longer used (scoring no longer writes a temporary file); kept for the callers.
    """
    try:
        scored = is_scored(first_columns(path))
    except DataError as e:
        raise ImportFailed(str(e)) from e
    if scored:
        return import_scored(
            db, path, filename=filename, source=source, user_id=user_id, text_column=text_column, id_column=id_column, mask=mask
        )
    if not model_dir:
        raise ImportFailed("this is a raw export (no p_<label>, labels, priority, evidence, status columns): choose a model to score it")
    try:
        rows = score_raw(path, model_dir, text_column, id_column, mask)
    except DataError as e:
        raise ImportFailed(str(e)) from e
    # The scored rows keep the input's column names, so the same column choices apply.
    name = Path(model_dir).name
    return import_scored(
        db, path, filename=filename, source=source, user_id=user_id, model=name, text_column=text_column, id_column=id_column, rows=rows
    )
