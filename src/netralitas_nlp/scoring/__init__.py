"""Batch scoring of complaint exports, in layers.

`reading` (rows, text/id columns, the cell check) -> `core` (the pure batch core, `score_batch`)
-> `journal` (resume) -> `writers` (CSV/Excel/JSONL, rejects) -> `service` (a whole file: the
CLI's and the triage importer's one path) -> `cli`. Settings: `settings.ScoreSettings` and `Policy`.
"""

from .core import OUTPUT_COLUMNS, score_batch
from .reading import ID_COLUMNS, MAX_CHARS, TEXT_COLUMNS, detect_column
from .service import Summary, score_file, score_rows
from .settings import Policy, ScoreSettings

__all__ = [
    "ID_COLUMNS",
    "MAX_CHARS",
    "OUTPUT_COLUMNS",
    "TEXT_COLUMNS",
    "Policy",
    "ScoreSettings",
    "Summary",
    "detect_column",
    "score_batch",
    "score_file",
    "score_rows",
]
