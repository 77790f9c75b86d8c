"""Text normalisation for Indonesian social-media text.

Placeholders for URLs, mentions, e-mail addresses and long numbers keep their presence as a
signal without letting one account name or link become a feature. Repeated letters are capped
("bangeeet" -> "bangeet") because elongation varies per writer, not per meaning.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import ftfy

URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
MENTION_RE = re.compile(r"(?<![\w@])@\w{2,}")
REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}")
SPACE_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"\b\w+\b")


@lru_cache(maxsize=1)
def slang_table() -> dict[str, str]:
    """The project's own slang table (`resources/slang.tsv`), lower-case keys."""
    text = resources.files("netralitas_nlp").joinpath("resources/slang.tsv").read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {k.strip().lower(): v.strip() for k, v in pairs}


def normalize(text: str, slang: bool = False, lowercase: bool = False) -> str:
    """Clean one text; `slang=True` also maps informal words through the slang table."""
    text = ftfy.fix_text(text)  # mojibake from cp1252 round trips (â€œ -> ")
    text = URL_RE.sub(" URL ", text)
    text = EMAIL_RE.sub(" EMAIL ", text)
    text = MENTION_RE.sub(" @USER ", text)
    text = REPEAT_RE.sub(r"\1\1", text)
    text = SPACE_RE.sub(" ", text).strip()
    if lowercase:
        text = text.lower()
    if slang:
        table = slang_table()
        text = WORD_RE.sub(lambda m: table.get(m.group(0).lower(), m.group(0)), text)
    return text
