"""Batch-score complaint exports: `python -m netralitas_nlp.score --model DIR INPUT -o OUTPUT`.

Every input row comes back, in order, with its original columns plus `p_<label>` (calibrated),
`labels` (saved thresholds), `priority`, `evidence` and `status` (`ok` or why it was not scored).
Rows that cannot be scored are also listed in a rejects file. Work streams in chunks: rows are
appended to `OUTPUT.partial.jsonl` with a progress record after each chunk, so `--resume` continues
a crashed run without losing or repeating a row, and the final file appears by an atomic rename.

This module is the documented entry point only; the code lives in the `scoring` package.
"""

from __future__ import annotations

import sys

from .scoring.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
