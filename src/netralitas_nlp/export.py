"""Export a transformer model directory for fast CPU inference:
`python -m netralitas_nlp.export --model DIR --onnx [--int8]` writes DIR/onnx/model(.int8).onnx,
which `score` then uses automatically (`--engine onnx|torch` overrides).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .models import META_FILE


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.export", description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, type=Path)
    ap.add_argument("--onnx", action="store_true", required=True, help="export to ONNX (the only format for now)")
    ap.add_argument("--int8", action="store_true", help="also write the dynamically int8-quantised model")
    args = ap.parse_args(argv)
    if not (args.model / META_FILE).exists() or not (args.model / "config.json").exists():
        print(f"error: {args.model} is not a transformer model directory", file=sys.stderr)
        return 2
    from .onnx_engine import export_onnx

    path = export_onnx(args.model, int8=args.int8)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
