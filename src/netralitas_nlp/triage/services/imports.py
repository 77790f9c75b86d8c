"""Uploads for import: which files are accepted, and the one transaction that imports them.

The scoring of raw exports stays in `importer.import_file`; this module decides whether an upload
may reach it (type, size, content, model) and records the import.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...modeldir import ModelDir
from ..db import ImportBatch, User
from ..importer import ImportFailed, ImportResult, import_file
from . import Refused, audit

UPLOAD_TYPES = {".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json", ".xlsx"}
RECENT_BATCHES = 20


@dataclass
class Upload:
    """One uploaded file and the admin's choices for it (empty strings: not chosen)."""

    filename: str | None
    stream: BinaryIO
    model: str = ""
    source: str = ""
    text_column: str = ""
    id_column: str = ""
    mask_pii: bool = False

    @property
    def name(self) -> str:
        # Only the last path component: a client may send "../../x.csv".
        return Path(self.filename or "upload").name


def available_models(models_dir: Path) -> dict[str, Path]:
    """Model directories (modeldir.ModelDir.listing) under models_dir, by folder name."""
    return {folder.name: folder.path for folder in ModelDir.listing(models_dir)}


def recent_batches(db: Session) -> list[ImportBatch]:
    return list(db.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(RECENT_BATCHES)))


def import_upload(db: Session, upload: Upload, user: User, *, models: dict[str, Path], max_mb: float, ip: str = "") -> ImportResult:
    """Check, store in a private temp folder, import and commit; Refused with a status otherwise."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise Refused(f"Unsupported file type {suffix or '(none)'}: upload .csv, .tsv, .jsonl or .xlsx.", 415)
    if upload.model and upload.model not in models:
        raise Refused("Unknown model.")
    with tempfile.TemporaryDirectory(prefix="triage-import-") as tmp:
        path = Path(tmp) / f"upload{suffix}"  # never the client's file name on disk
        if save_upload(upload.stream, path, int(max_mb * 1024 * 1024)) is None:
            raise Refused(f"File larger than {max_mb:g} MB.", 413)
        if problem := content_problem(path, suffix):
            raise Refused(problem, 415)
        result = _import(db, upload, path, models, user)
        audit.record(db, user, "import", upload.name, ip=ip, **{k: v for k, v in result.counts().items() if k != "rejected"})
        try:
            db.commit()
        except IntegrityError as e:  # another import added some of the same source ids meanwhile
            db.rollback()
            raise Refused("Another import added some of these items at the same time: import the file again to skip them.", 409) from e
    return result


def _import(db: Session, upload: Upload, path: Path, models: dict[str, Path], user: User) -> ImportResult:
    try:
        return import_file(
            db,
            path,
            filename=upload.name,
            source=upload.source.strip() or Path(upload.name).stem,
            user_id=user.id,
            workdir=path.parent,
            model_dir=str(models[upload.model]) if upload.model else None,
            text_column=upload.text_column.strip() or None,
            id_column=upload.id_column.strip() or None,
            mask=upload.mask_pii,
        )
    except ImportFailed as e:
        db.rollback()
        raise Refused(f"Import failed: {e}") from e


def save_upload(stream: BinaryIO, path: Path, limit: int) -> int | None:
    """Copy the upload to `path` in blocks; None (and stop reading) once it passes `limit` bytes."""
    size = 0
    with open(path, "wb") as out:
        while block := stream.read(1 << 20):
            size += len(block)
            if size > limit:
                return None
            out.write(block)
    return size


def content_problem(path: Path, suffix: str) -> str | None:
    """The content must match the extension: a zip for .xlsx, text (no NUL bytes) otherwise."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if not head:
        return "The file is empty."
    if suffix == ".xlsx":
        return None if head.startswith(b"PK\x03\x04") else "Not an Excel workbook (.xlsx is a zip file)."
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text as Excel writes it
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\x7fELF", b"MZ")):
        return "Not a text file."
    return None
