"""The triage app's settings: one dataclass, its defaults, and how the environment fills it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Settings:
    database_url: str = "sqlite:///triage.db"
    models_dir: Path = Path("models")
    max_upload_mb: float = 50.0
    secure_cookies: bool = False  # set behind HTTPS: the cookie is then never sent in clear

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @classmethod
    def from_env(cls) -> Settings:
        """TRIAGE_DATABASE_URL, TRIAGE_MODELS_DIR, TRIAGE_MAX_UPLOAD_MB, TRIAGE_SECURE_COOKIES=1."""
        return cls(
            database_url=os.environ.get("TRIAGE_DATABASE_URL", "sqlite:///triage.db"),
            models_dir=Path(os.environ.get("TRIAGE_MODELS_DIR", "models")),
            max_upload_mb=float(os.environ.get("TRIAGE_MAX_UPLOAD_MB", "50")),
            secure_cookies=os.environ.get("TRIAGE_SECURE_COOKIES", "") == "1",
        )
