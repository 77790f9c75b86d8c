"""Batch-score complaint exports: `python -m netralitas_nlp.score --model DIR INPUT -o OUTPUT`.

Every input row comes back, in order, with its original columns plus `p_<label>` (calibrated),
`labels` (saved thresholds), `priority`, `evidence` and `status` (`ok` or why it was not scored).
Rows that cannot be scored are also listed in a rejects file. Work streams in chunks: rows are
appended to `OUTPUT.partial.jsonl` with a progress record after each chunk, so `--resume` continues
a crashed run without losing or repeating a row, and the final file appears by an atomic rename.

`priority` = 100 x (1 - prod over labels of (1 - p_label)): the probability, in percent, that the
text breaks at least one pledge point, treating labels as independent. Sort the triage queue by it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from .data import DataError, file_delimiter, iter_rows
from .labels import LABELS
from .pii import mask_pii

TEXT_COLUMNS = (
    "text",
    "teks",
    "isi",
    "isi_laporan",
    "isi_aduan",
    "uraian",
    "uraian_laporan",
    "konten",
    "content",
    "caption",
    "tweet",
    "full_text",
    "komentar",
    "comment",
    "pesan",
    "message",
    "laporan",
    "aduan",
    "deskripsi",
    "description",
    "body",
)
ID_COLUMNS = ("id", "no", "nomor", "tracking_id", "no_tracking", "kode", "id_laporan", "nomor_laporan")
OUTPUT_COLUMNS = tuple(f"p_{lab}" for lab in LABELS) + ("labels", "priority", "evidence", "status")
MAX_CHARS = 100_000  # longer cells are rejected: no post or complaint is this long, an attachment dump is


@dataclass
class Options:
    model: str
    input: Path
    output: Path
    text_column: str | None = None
    id_column: str | None = None
    sheet: str | None = None
    batch_size: int = 64
    threads: int = 0
    mask_pii: bool = False
    resume: bool = False
    engine: str = "auto"
    chunk_size: int = 2000
    max_chars: int = MAX_CHARS
    rejects: Path | None = None
    evidence: str = "auto"

    @property
    def partial(self) -> Path:
        return self.output.with_name(self.output.name + ".partial.jsonl")

    @property
    def progress(self) -> Path:
        return self.output.with_name(self.output.name + ".progress.json")

    @property
    def rejects_path(self) -> Path:
        return self.rejects or self.output.with_name(self.output.stem + ".rejects.csv")


@dataclass
class Summary:
    rows: int = 0
    ok: int = 0
    rejected: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self) -> str:
        per = ", ".join(f"{lab}={self.labels[lab]}" for lab in LABELS)
        rej = sum(self.rejected.values())
        rate = self.ok / self.seconds if self.seconds else 0.0
        return (
            f"{self.rows} rows: {self.ok} scored, {rej} rejected {dict(self.rejected)}; flagged {per}; "
            f"{self.seconds:.1f}s, {rate:.1f} scored rows/s"
        )


# ---------------------------------------------------------------- columns and row checks


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def detect_column(columns: list[str], wanted: str | None, candidates: tuple[str, ...], what: str, path: Path) -> str | None:
    if wanted is not None:
        if wanted not in columns:
            raise DataError(path, f"no {what} column {wanted!r}; columns are {columns}")
        return wanted
    by_norm = {_norm(c): c for c in columns}
    for cand in candidates:
        if cand in by_norm:
            return by_norm[cand]
    if what == "text":
        raise DataError(path, f"no text column found (tried {', '.join(candidates)}); columns are {columns}; pass --text-column")
    return None


def check_text(value, max_chars: int) -> tuple[str | None, str]:
    """(text, 'ok') or (None, reason) for one cell."""
    if value is None:
        return None, "empty text"
    if not isinstance(value, str):
        return None, f"not text ({type(value).__name__})"
    if not value:
        return None, "empty text"
    if not value.strip():
        return None, "whitespace-only text"
    if len(value) > max_chars:
        return None, f"text longer than {max_chars} characters ({len(value)})"
    return value, "ok"


def priority(probs: np.ndarray) -> np.ndarray:
    """100 x P(at least one label), labels treated as independent; rows of (n, k) probabilities."""
    return 100.0 * (1.0 - np.prod(1.0 - probs, axis=1))


def format_evidence(ev: dict[str, list[str]]) -> str:
    return " | ".join(f"{lab}: {', '.join(words)}" for lab, words in ev.items() if words)


# ---------------------------------------------------------------- engine


def load_engine(model_dir: str, engine: str, threads: int, batch_size: int):
    """The predictor that scores: ONNX int8 when exported (or asked for), else the saved model."""
    from .models import load_model

    predictor = load_model(model_dir)
    from .onnx_engine import INT8_FILE, ONNX_DIR, OnnxModel

    onnx_path = Path(model_dir) / ONNX_DIR / INT8_FILE
    use_onnx = engine == "onnx" or (engine == "auto" and onnx_path.exists() and predictor.kind == "transformer")
    if use_onnx:
        predictor.model = OnnxModel.load(Path(model_dir), threads=threads, batch_size=batch_size, fallback=predictor.model)
    elif hasattr(predictor.model, "batch_size"):
        predictor.model.batch_size = batch_size
        predictor.model.threads = threads
    return predictor


# ---------------------------------------------------------------- the run


def chunks(rows: Iterator[tuple[int, dict]], size: int) -> Iterator[list[tuple[int, dict]]]:
    chunk: list[tuple[int, dict]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_chunk(predictor, chunk: list[tuple[int, dict]], text_col: str, opts: Options) -> list[dict]:
    """Score one chunk; every input row yields exactly one output record, in order."""
    records, texts, ok_idx = [], [], []
    for i, (n, raw) in enumerate(chunk):
        text, status = check_text(raw.get(text_col), opts.max_chars)
        out = dict(raw)
        if opts.mask_pii and isinstance(out.get(text_col), str):
            out[text_col] = mask_pii(out[text_col])  # masked once: what is written is what is scored
        out.update({f"p_{lab}": "" for lab in LABELS}, labels="", priority="", evidence="", status=status)
        records.append({"row": n, "fields": out})
        if text is not None:
            texts.append(out[text_col])
            ok_idx.append(i)
    if texts:
        probs = predictor.predict_proba(texts)
        decisions = predictor.decide(probs)
        labels = [[LABELS[j] for j in np.flatnonzero(row)] for row in decisions]
        evidence = explain(predictor, texts, labels, opts.evidence)
        prio = priority(probs)
        for k, i in enumerate(ok_idx):
            ev = evidence[k]
            if opts.mask_pii:
                ev = {lab: [mask_pii(w) for w in words] for lab, words in ev.items()}
            f = records[i]["fields"]
            f.update({f"p_{lab}": round(float(probs[k, j]), 4) for j, lab in enumerate(LABELS)})
            f.update(labels=";".join(labels[k]), priority=round(float(prio[k]), 2), evidence=format_evidence(ev))
    return records


def explain(predictor, texts: list[str], labels: list[list[str]], how: str) -> list[dict[str, list[str]]]:
    """Evidence per predicted label.

    `model`: the model's own attribution (rule matches, tf-idf x weight, or gradient x input for
    transformers). `rules`: the phrases of the hand-written lexicon (`resources/lexicon.yaml`) that
    match, for the predicted labels only. `auto` = `model` for the sparse models, whose attribution
    is nearly free, and `rules` for transformers, whose gradient attribution costs about ten times the
    scoring itself (measured: ~5 rows/s instead of ~90 on 2 cores); ask for `model` when you can wait.
    """
    if how == "none":
        return [{} for _ in texts]
    if how == "model" or (how == "auto" and predictor.kind != "transformer"):
        return predictor.evidence(texts, labels)
    return _lexicon_rules().evidence(texts, labels)


@lru_cache(maxsize=1)
def _lexicon_rules():
    # Built once per process, not per chunk: parsing and compiling the lexicon is not free.
    from .rules import RulesModel, default_lexicon_text

    return RulesModel(default_lexicon_text())


def load_progress(opts: Options) -> dict:
    if not (opts.resume and opts.progress.exists() and opts.partial.exists()):
        return {"rows_done": 0, "bytes": 0, "summary": None}
    progress = json.loads(opts.progress.read_text(encoding="utf-8"))
    if progress.get("input_size") != opts.input.stat().st_size:
        raise DataError(opts.input, "the input changed since the interrupted run; start again without --resume")
    return progress


def run(opts: Options) -> Summary:
    t0 = time.time()
    rows = iter_rows(opts.input, opts.sheet)
    first = next(rows, None)
    if first is None:
        raise DataError(opts.input, "no data rows (header only?)")
    columns = list(first[1])
    text_col = detect_column(columns, opts.text_column, TEXT_COLUMNS, "text", opts.input)
    id_col = detect_column(columns, opts.id_column, ID_COLUMNS, "id", opts.input)
    predictor = load_engine(opts.model, opts.engine, opts.threads, opts.batch_size)
    progress = load_progress(opts)
    summary = Summary()
    if progress["summary"]:
        s = progress["summary"]
        summary = Summary(s["rows"], s["ok"], Counter(s["rejected"]), Counter(s["labels"]))
    with open(opts.partial, "a+b") as part:
        part.truncate(progress["bytes"])  # drop a chunk half-written before a crash
        part.seek(0, os.SEEK_END)
        bar = tqdm(desc="score", unit="row", initial=progress["rows_done"], mininterval=1 if sys.stderr.isatty() else 30)
        stream = _skip(_chain(first, rows), progress["rows_done"])
        for chunk in chunks(stream, opts.chunk_size):
            records = score_chunk(predictor, chunk, text_col, opts)
            for r in records:
                part.write((json.dumps(r, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
                _count(summary, r["fields"])
            part.flush()
            os.fsync(part.fileno())
            progress = {
                "rows_done": progress["rows_done"] + len(chunk),
                "bytes": part.tell(),
                "input_size": opts.input.stat().st_size,
                "text_column": text_col,
                "summary": {"rows": summary.rows, "ok": summary.ok, "rejected": dict(summary.rejected), "labels": dict(summary.labels)},
            }
            _atomic_write(opts.progress, json.dumps(progress))
            bar.update(len(chunk))
        bar.close()
    finish(opts, columns, text_col, id_col)
    summary.seconds = time.time() - t0
    return summary


def _chain(first, rest):
    yield first
    yield from rest


def _skip(rows, n: int):
    for k, item in enumerate(rows):
        if k >= n:
            yield item


def _count(summary: Summary, fields: dict) -> None:
    summary.rows += 1
    if fields["status"] == "ok":
        summary.ok += 1
        summary.labels.update(x for x in fields["labels"].split(";") if x)
    else:
        summary.rejected[fields["status"].split(" (")[0]] += 1


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- output formats


def output_header(columns: list[str], partial: Path) -> list[str]:
    """Input columns (first row's order, then any later JSONL keys), then the added columns."""
    header = [c for c in columns if c not in OUTPUT_COLUMNS]
    seen = set(header)
    with open(partial, encoding="utf-8") as f:
        for line in f:
            for k in json.loads(line)["fields"]:
                if k not in seen and k not in OUTPUT_COLUMNS:
                    seen.add(k)
                    header.append(k)
    return header + list(OUTPUT_COLUMNS)


def _records(partial: Path) -> Iterator[dict]:
    with open(partial, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def finish(opts: Options, columns: list[str], text_col: str, id_col: str | None) -> None:
    """Convert the partial JSONL to the output format, write rejects, rename into place."""
    fmt = opts.output.suffix.lower()
    tmp = opts.output.with_name(opts.output.name + ".tmp")
    with open(opts.rejects_path, "w", encoding="utf-8-sig", newline="") as rf:
        rejects = csv.writer(rf)
        rejects.writerow(["row", "id", "reason"])

        def records() -> Iterator[dict]:
            # Rejects are collected during the one pass that writes the output.
            for r in _records(opts.partial):
                if r["fields"]["status"] != "ok":
                    rejects.writerow([r["row"], _cell(r["fields"].get(id_col, "")) if id_col else "", r["fields"]["status"]])
                yield r

        if fmt in (".jsonl", ".ndjson", ".json"):
            with open(tmp, "w", encoding="utf-8") as f:
                for r in records():
                    f.write(json.dumps(r["fields"], ensure_ascii=False, default=str) + "\n")
        elif fmt in (".xlsx", ".xlsm"):
            write_xlsx(tmp, output_header(columns, opts.partial), records())
        else:
            header = output_header(columns, opts.partial)
            delimiter = "\t" if fmt == ".tsv" else _input_delimiter(opts)
            # utf-8-sig: Excel, which most operators open CSVs with, needs the BOM to read UTF-8.
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f, delimiter=delimiter)
                w.writerow(header)
                for r in records():
                    w.writerow([_cell(r["fields"].get(c, "")) for c in header])
    os.replace(tmp, opts.output)
    opts.partial.unlink()
    opts.progress.unlink()


def _cell(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _input_delimiter(opts: Options) -> str:
    if opts.input.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return ","
    return file_delimiter(opts.input)


def write_xlsx(path: Path, header: list[str], records: Iterator[dict]) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("scored")
    sheet.append(header)
    for r in records:
        # Excel cannot store control characters; strip them rather than fail the whole export.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c := r["fields"].get(col, ""), str) else c for col in header])
    book.save(path)


# ---------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None) -> Options:
    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.score", description="Score a CSV/TSV, Excel or JSONL export.")
    ap.add_argument("--model", required=True, help="model directory")
    ap.add_argument("input", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True, help="output file; its extension picks the format")
    ap.add_argument("--text-column")
    ap.add_argument("--id-column")
    ap.add_argument("--sheet", help="Excel sheet name (default: the first)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0 = all cores)")
    ap.add_argument("--mask-pii", action="store_true", help="mask NIK, phone numbers and e-mails in text and evidence")
    ap.add_argument("--resume", action="store_true", help="continue an interrupted run on the same input and output")
    ap.add_argument("--engine", choices=["auto", "onnx", "torch"], default="auto")
    ap.add_argument("--chunk-size", type=int, default=2000, help="rows per chunk (bounds memory and resume granularity)")
    ap.add_argument("--max-chars", type=int, default=MAX_CHARS)
    ap.add_argument("--rejects", type=Path, help="rejects file (default: OUTPUT stem + .rejects.csv)")
    ap.add_argument(
        "--evidence",
        choices=["auto", "model", "rules", "none"],
        default="auto",
        help="auto: model attribution for sparse models, lexicon matches for transformers (fast)",
    )
    a = ap.parse_args(argv)
    return Options(
        a.model,
        a.input,
        a.output,
        a.text_column,
        a.id_column,
        a.sheet,
        a.batch_size,
        a.threads,
        a.mask_pii,
        a.resume,
        a.engine,
        a.chunk_size,
        a.max_chars,
        a.rejects,
        a.evidence,
    )


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    try:
        summary = run(opts)
    except (DataError, FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(summary.line(), file=sys.stderr)
    print(f"wrote {opts.output}; rejects in {opts.rejects_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
