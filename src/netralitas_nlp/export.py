"""Export a transformer model directory for fast CPU inference:
`python -m netralitas_nlp.export --model DIR --onnx [--int8]` writes DIR/onnx/model(.int8).onnx,
which `score` then uses automatically (`--engine onnx|torch` overrides). Only exportable kinds
(`kinds.ModelKind.exportable`) can be exported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .modeldir import ModelDir
from .models import KINDS, model_class


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.export", description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, type=Path)
    ap.add_argument("--onnx", action="store_true", required=True, help="export to ONNX (the only format for now)")
    ap.add_argument("--int8", action="store_true", help="also write the dynamically int8-quantised model")
    args = ap.parse_args(argv)
    if not exportable(ModelDir(args.model)):
        print(f"error: {args.model} is not a transformer model directory", file=sys.stderr)
        return 2
    from .onnx_engine import export_onnx

    path = export_onnx(args.model, int8=args.int8)
    print(path)
    return 0


def exportable(folder: ModelDir) -> bool:
    """A model folder of an exportable kind, with the weights the exporter reads."""
    if not folder.is_model() or not folder.hf_config.exists():
        return False
    kind = folder.kind()
    return kind in KINDS and model_class(kind).exportable


if __name__ == "__main__":
    sys.exit(main())
