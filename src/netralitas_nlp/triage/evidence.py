"""Evidence highlighting: split a text into segments, marking the words `score` gave as evidence.

The template prints every segment through Jinja2's autoescape and wraps marked ones in <mark>;
no user text is ever marked safe, so a post full of HTML stays inert text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..labels import LABELS


@dataclass
class Segment:
    text: str
    labels: tuple[str, ...] = ()  # empty: plain text


def parse_evidence(evidence: str) -> dict[str, list[str]]:
    """Invert score.format_evidence: 'lab: w1, w2 | lab2: w3' -> {lab: [w1, w2], lab2: [w3]}."""
    out: dict[str, list[str]] = {}
    for part in (evidence or "").split(" | "):
        label, sep, words = part.partition(": ")
        label = label.strip()
        if sep and label in LABELS:
            out[label] = [w.strip() for w in words.split(", ") if w.strip()]
    return out


def _pattern(phrase: str) -> re.Pattern:
    # Words of a phrase may be separated by any run of spaces or punctuation in the original text
    # (evidence terms come from normalised text); whole words only, so "pns" does not mark "pnsx".
    words = [re.escape(w) for w in re.split(r"\W+", phrase) if w]
    return re.compile(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)", re.IGNORECASE)


def segments(text: str, evidence: dict[str, list[str]]) -> list[Segment]:
    """Cover `text` with segments in order; overlapping matches of several labels are merged."""
    marks: list[set[str]] = [set() for _ in text]
    for label, phrases in evidence.items():
        for phrase in phrases:
            if not re.search(r"\w", phrase):
                continue
            for m in _pattern(phrase).finditer(text):
                for i in range(m.start(), m.end()):
                    marks[i].add(label)
    out: list[Segment] = []
    for i, ch in enumerate(text):
        key = tuple(lab for lab in LABELS if lab in marks[i])
        if out and out[-1].labels == key:
            out[-1].text += ch
        else:
            out.append(Segment(ch, key))
    return out
