"""Adapters for the third-party Indonesian datasets in ``../shared/data`` (see docs/public-data.md).

The data are never copied into the project: every loader reads the original files by path at run
time (``NETRALITAS_SHARED_DATA`` or ``../shared/data`` relative to the working directory). Each
source's original labels are mapped to our label ids; ids a source does not speak about are listed
outside ``covers`` and must be treated as unknown (masked) by training code, not as negatives.

Evaluation-only data (Aulia 2019, Desrul 2019, the Netifier test split) and the rows reserved in an
``EVAL_ROWS.txt`` are flagged so training code can refuse them; reserved rows are dropped by default.

The package is table-driven: a ``Table`` names a file, how to read it (one reader per format quirk)
and how to turn a raw row into text and labels. ``SOURCES`` holds the sources whose labels map to
our ids; ``UNLABELLED`` holds text-only sources for masked-LM pretraining.

The package is split by concern: ``catalogue`` (Source, SOURCES, TABLES, UNLABELLED, paths),
``quirks`` (cleaning and per-source text/label functions), ``readers`` (one per file format),
``examples`` (a table's rows as Examples), ``leakage`` (evaluation-only sets, EVAL_ROWS.txt, the
training guard), ``loading`` (load_source..., load_unlabelled...) and ``cli``. Import from here:
``from netralitas_nlp import public; public.load_source(...)``.
"""

from __future__ import annotations

from .catalogue import (
    _IBROHIM_COLS,
    DEFAULT_ROOT,
    ENV_VAR,
    SOURCES,
    TABLES,
    UNLABELLED,
    USES,
    Source,
    Table,
    UTable,
    _root,
    available,
    default_root,
    source_dir,
)
from .cli import PROJECT_DATA, main
from .leakage import EVAL_ROWS_FILE, _eval_keys, is_eval_only, refuse_eval_only, reserved_rows
from .loading import load_source, load_source_with_stats, load_stats, load_unlabelled, load_unlabelled_with_stats
from .quirks import MIN_CLAIM_CHARS, Labels, Row, claim_part, clean_text, dedupe_key
from .readers import _read_table, _unlabelled_rows

__all__ = [
    "DEFAULT_ROOT",
    "ENV_VAR",
    "EVAL_ROWS_FILE",
    "MIN_CLAIM_CHARS",
    "PROJECT_DATA",
    "SOURCES",
    "TABLES",
    "UNLABELLED",
    "USES",
    "Labels",
    "Row",
    "Source",
    "Table",
    "UTable",
    "_IBROHIM_COLS",
    "_eval_keys",
    "_read_table",
    "_root",
    "_unlabelled_rows",
    "available",
    "claim_part",
    "clean_text",
    "dedupe_key",
    "default_root",
    "is_eval_only",
    "load_source",
    "load_source_with_stats",
    "load_stats",
    "load_unlabelled",
    "load_unlabelled_with_stats",
    "main",
    "refuse_eval_only",
    "reserved_rows",
    "source_dir",
]
