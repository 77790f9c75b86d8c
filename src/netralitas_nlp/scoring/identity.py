"""What a resumed run must share with the interrupted one: the input, the model and the output-changing options.

A resume that only compared the input's size accepted a re-ordered export of the same size (ids
doubled and missing), another model, or `--mask-pii` added half-way (phone numbers left unmasked).
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from ..data import fingerprint
from ..modeldir import ModelDir

# Libraries whose version changes what a saved model computes (pickles, tokenizers, ONNX kernels).
CHECKED_LIBRARIES = ("torch", "transformers", "scikit-learn", "onnxruntime")
SMALL_FILE = 1 << 20  # model files up to this size are hashed whole; larger ones (weights) by size and mtime


def input_identity(path: Path) -> dict:
    """Path, size, mtime and content hash of the input (hashed once per run: ~1 s per GB)."""
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": fingerprint(path)}


def model_fingerprint(model: str | Path) -> str:
    """A hash of the model folder: names, sizes and mtimes of every file, contents of the small ones."""
    root = Path(model).resolve()
    h = hashlib.sha256(str(root).encode())
    if not root.exists():
        return h.hexdigest()
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    for p in files:
        st = p.stat()
        h.update(f"{p.relative_to(root) if root.is_dir() else p.name}|{st.st_size}|{st.st_mtime_ns}".encode())
        if st.st_size <= SMALL_FILE:
            h.update(p.read_bytes())
    return h.hexdigest()


def differences(saved: dict, now: dict) -> list[str]:
    """Human-readable differences between the identity an interrupted run saved and this run's."""
    out = []
    for key in sorted(set(saved) | set(now)):
        a, b = saved.get(key), now.get(key)
        if a != b:
            if isinstance(a, dict) or isinstance(b, dict):
                out.extend(f"{key} {sub}" for sub in differences(a or {}, b or {}))
            else:
                out.append(f"{key}: {_short(a)} then, {_short(b)} now")
    return out


def _short(v) -> str:
    s = repr(v)
    return s[:16] + "..." if isinstance(v, str) and len(v) == 64 else s


def version_warning(model: str | Path) -> str | None:
    """One line naming the libraries installed at other versions than the model was trained with, else None.

    A warning, not an error: a newer patch release usually loads fine, but scores may drift slightly.
    """
    try:
        saved = json.loads(ModelDir(model).versions.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no versions.json (an older or hand-made folder): nothing to compare
    diffs = []
    for name in CHECKED_LIBRARIES:
        if name in saved and _release(saved[name]) != _release(_installed(name)):
            diffs.append(f"{name} {saved[name]} (installed: {_installed(name) or 'none'})")
    if not diffs:
        return None
    return f"the model was trained with {', '.join(diffs)}; scores may differ slightly"


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _release(version: str | None) -> str | None:
    # "2.3.0+cpu" and "2.3.0" are the same release; the local tag names only the build.
    return None if version is None else str(version).split("+")[0]
