"""`python -m netralitas_nlp.score --model DIR INPUT -o OUTPUT`: arguments in, `service.score_file`, summary out."""

from __future__ import annotations

import argparse
import sys
from dataclasses import MISSING, fields
from pathlib import Path

from ..data import DataError
from .identity import version_warning
from .service import score_file
from .settings import ENGINES, EVIDENCE_MODES, Policy, ScoreSettings

# Defaults come from the settings dataclasses, so the CLI and the importer cannot drift apart.
DEFAULTS = {f.name: f.default for f in fields(ScoreSettings) + fields(Policy) if f.default is not MISSING}


class _HelpFormatter(argparse.HelpFormatter):
    """Shows `(default: X)` after each option that has a real default (not None, not a flag's False)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        flag = action.default is None or isinstance(action.default, bool) or action.default == argparse.SUPPRESS
        shown = not flag and "%(default)" not in text
        return f"{text} (default: %(default)s)" if shown and action.option_strings else text


def build_parser() -> argparse.ArgumentParser:
    """The CLI's parser: every option with a one-line help, its default shown."""
    d = DEFAULTS
    ap = argparse.ArgumentParser(
        prog="python -m netralitas_nlp.score",
        description="Score a CSV/TSV, Excel or JSONL export: every input row comes back with its scores.",
        formatter_class=lambda prog: _HelpFormatter(prog, max_help_position=28, width=140),
    )
    ap.add_argument("--model", required=True, help="trained model folder (from `python -m netralitas_nlp.train`)")
    ap.add_argument("input", type=Path, help="the export to score: .csv/.tsv/.txt, .xlsx/.xlsm or .jsonl")
    ap.add_argument("-o", "--output", type=Path, required=True, help="output file; its extension picks the format")
    ap.add_argument("--text-column", help="column holding the text (default: found from common names: text, isi, uraian, ...)")
    ap.add_argument("--id-column", help="column holding the row id, copied to the rejects file (default: id, no, nomor, ...)")
    ap.add_argument("--sheet", help="Excel sheet name (default: the first)")
    ap.add_argument("--batch-size", type=int, default=d["batch_size"], help="texts per model call")
    ap.add_argument("--threads", type=int, default=d["threads"], help="CPU threads; 0 = all cores")
    ap.add_argument("--mask-pii", action="store_true", help="mask NIK, phone numbers and e-mails in text and evidence")
    ap.add_argument("--resume", action="store_true", help="continue an interrupted run on the same input, model and options")
    ap.add_argument("--engine", choices=ENGINES, default=d["engine"], help="runtime for transformer models (auto: the best one available)")
    ap.add_argument("--chunk-size", type=int, default=d["chunk_size"], help="rows per chunk (bounds memory and resume granularity)")
    ap.add_argument("--max-chars", type=int, default=d["max_chars"], help="longer texts are rejected, not scored")
    ap.add_argument("--rejects", type=Path, help="rejects file (default: OUTPUT stem + .rejects.csv)")
    ap.add_argument(
        "--evidence",
        choices=EVIDENCE_MODES,
        default=d["evidence"],
        help="auto: model attribution for sparse models, lexicon matches for transformers (fast)",
    )
    ap.add_argument(
        "--allow-formulas",
        dest="formula_safe",
        action="store_false",
        help="keep cells starting with = + - @ as they are (default: CSV gets a ' prefix, Excel stores text)",
    )
    ap.add_argument("--delimiter", type=_delimiter, help="CSV delimiter: , ; | or tab (default: read from the header line)")
    ap.add_argument("--encoding", help="input encoding, e.g. utf-8, cp1252, utf-16 (default: detected)")
    ap.add_argument("--header-row", type=int, default=d["header_row"], help="line/row holding the column names (Excel title rows)")
    ap.add_argument("--strict", action="store_true", help="stop at the first malformed record (default: reject it and go on)")
    return ap


def parse_args(argv: list[str] | None) -> ScoreSettings:
    ap = build_parser()
    a = ap.parse_args(argv)
    policy = Policy(mask_pii=a.mask_pii, evidence=a.evidence)
    run = {k: v for k, v in vars(a).items() if k not in ("mask_pii", "evidence")}
    try:
        return ScoreSettings(**run, policy=policy)
    except ValueError as e:  # --chunk-size 0 and the like: a usage error, before any work
        ap.error(str(e))


def _delimiter(value: str) -> str:
    value = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(value.lower(), value)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(f"one character (or tab), got {value!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; 0 on success, 2 with a one-line error (never a traceback) for bad input or paths."""
    settings = parse_args(argv)
    warning = version_warning(settings.model)
    if warning:  # before the run, so a long run is not spent on a model that may score differently
        print(f"warning: {warning}", file=sys.stderr)
    try:
        summary = score_file(settings)
    except (DataError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # read-only folder, disk full, a folder where a file should be: name the path
        print(f"error: {e.filename or settings.output}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(summary.line(), file=sys.stderr)
    print(f"wrote {settings.output}; rejects in {settings.rejects_path}", file=sys.stderr)
    return 0
