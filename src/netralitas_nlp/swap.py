"""Candidate-swap neutrality check: decisions must not depend on which candidate a text names.

Each text is rewritten under every non-identity permutation of the three candidate numbers
(1, 2, 3): pair numbers ("01", "paslon 2", "nomor urut 3", "no 1", "salam dua jari"), hashtags
ending in a pair number, the names of the 2024 presidential pairs, and the main parties of each
2024 coalition, which move with their pair's number. A text's decision for a label "flips" when
any permutation changes it. Party and campaign colours are not swapped: no colour belongs to one
pair unambiguously (PDI-P and Gerindra are both red, and regional coalitions differ from the
national ones), so a swapped colour would often name the wrong side.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import re

import numpy as np

from .data import Example
from .labels import LABELS

WORDS = {"1": "satu", "2": "dua", "3": "tiga"}
NUMBERS = {v: k for k, v in WORDS.items()}
CUE = (
    r"(?:paslon|pasangan calon|pasangan|nomor urut|nomer urut|no\.? ?urut|nomor|nomer|nmr|no\.?"
    r"|capres|cawapres|cagub|cabup|cawalkot|calon|kandidat)"
)
# The 2024 presidential pairs by ballot number; their names move with the number.
PAIRS_2024 = {"1": ("Anies", "Muhaimin"), "2": ("Prabowo", "Gibran"), "3": ("Ganjar", "Mahfud")}
NAME_OF = {name.lower(): (num, k) for num, pair in PAIRS_2024.items() for k, name in enumerate(pair)}
NAMES = "|".join(n for pair in PAIRS_2024.values() for n in pair)
NAME_RE = re.compile(rf"(?i)({NAMES})")
# Three parties of each 2024 presidential coalition, in a fixed order so party k of one pair
# becomes party k of the other (and the swap is invertible). Acronyms match in capitals only:
# "pan" and "pks" are also ordinary words or typos in lower case.
PARTIES_2024 = {"1": ("NasDem", "PKB", "PKS"), "2": ("Gerindra", "Golkar", "PAN"), "3": ("PDIP", "PPP", "Perindo")}
PARTY_OF = {name.lower(): (num, k) for num, parties in PARTIES_2024.items() for k, name in enumerate(parties)}
PARTY_RE = r"(?i:nasdem|gerindra|golkar|perindo)|(?-i:PKB|PKS|PAN|PPP|PDIP)"
# One pass over the text, so a replaced number is never replaced again.
REF_RE = re.compile(
    rf"(?i)(?P<cue>\b{CUE}\s*)(?P<zero>0?)(?P<num>[1-3])\b"  # "paslon 2", "nomor urut 03", "no.1"
    r"|(?<![\w.,/:-])0(?P<solo>[1-3])(?![\w.,/:-])"  # "01", "02", "03"
    r"|(?P<tag>#[A-Za-z_]+?)(?P<tagnum>[1-3])\b"  # "#Hendra3", "#paslon2"
    rf"|(?P<wcue>\b(?:{CUE}|salam|pose|simbol)\s+)(?P<word>satu|dua|tiga)\b"  # "salam dua"
    r"|\b(?P<jword>satu|dua|tiga)(?P<jari>\s+jari)\b"  # "tiga jari"
    rf"|\b(?P<name>{NAMES})(?=\b|\d)"  # pair names
    rf"|\b(?P<party>{PARTY_RE})\b"  # coalition parties
)


def permutations() -> list[dict[str, str]]:
    """The five non-identity permutations of the candidate numbers, as {old: new}."""
    base = ("1", "2", "3")
    return [dict(zip(base, p)) for p in itertools.permutations(base) if p != base]


def swap_candidates(text: str, perm: dict[str, str]) -> str:
    """Rewrite every candidate reference in `text` under `perm`, in a single pass."""

    def repl(m: re.Match) -> str:
        g = m.groupdict()
        if g["num"]:
            return g["cue"] + g["zero"] + perm[g["num"]]
        if g["solo"]:
            return "0" + perm[g["solo"]]
        if g["tagnum"]:
            return NAME_RE.sub(lambda n: _name(n.group(1), perm), g["tag"]) + perm[g["tagnum"]]
        if g["word"]:
            return g["wcue"] + _same_case(g["word"], WORDS[perm[NUMBERS[g["word"].lower()]]])
        if g["jword"]:
            return _same_case(g["jword"], WORDS[perm[NUMBERS[g["jword"].lower()]]]) + g["jari"]
        if g["party"]:
            num, k = PARTY_OF[g["party"].lower()]
            return _party_case(g["party"], PARTIES_2024[perm[num]][k])
        return _name(g["name"], perm)

    return REF_RE.sub(repl, text)


def _name(name: str, perm: dict[str, str]) -> str:
    num, k = NAME_OF[name.lower()]
    return _same_case(name, PAIRS_2024[perm[num]][k])


def _party_case(src: str, new: str) -> str:
    """Acronyms stay capitals; a lower-cased name ("gerindra") gets a lower-cased replacement."""
    return new if new.isupper() else (new.lower() if src.islower() else new)


def _same_case(src: str, word: str) -> str:
    if src.isupper() and len(src) > 1:
        return word.upper()
    return word.capitalize() if src[:1].isupper() else word.lower()


def augment(examples: list[Example], rng: random.Random) -> list[Example]:
    """One candidate-swapped copy of every example that names a candidate, labels unchanged.

    Labels never depend on which candidate is named, so the copy is a free, exact training pair
    that teaches the model to ignore the candidate's identity.
    """
    perms = permutations()
    out = []
    for ex in examples:
        swapped = swap_candidates(ex.text, rng.choice(perms))
        if swapped != ex.text:
            out.append(dataclasses.replace(ex, text=swapped, meta={**ex.meta, "augmented": "candidate_swap"}))
    return out


def swap_some(texts: list[str], rng: random.Random, share: float = 0.5) -> list[str]:
    """`texts` with a random permutation applied to about `share` of them (a per-epoch augmentation)."""
    perms = permutations()
    return [swap_candidates(t, rng.choice(perms)) if rng.random() < share else t for t in texts]


def swap_check(predictor, texts: list[str], top: int = 10) -> dict:
    """Flip rate per label over all permutations, and the largest probability shifts."""
    base = predictor.predict_proba(texts)
    base_dec = predictor.decide(base)
    flipped = np.zeros_like(base_dec, dtype=bool)
    max_shift = np.zeros(base.shape, dtype=float)
    touched = np.zeros(len(texts), dtype=bool)
    for perm in permutations():
        swapped = [swap_candidates(t, perm) for t in texts]
        changed = np.array([s != t for s, t in zip(swapped, texts)])
        touched |= changed
        probs = base.copy()
        if changed.any():
            idx = np.flatnonzero(changed)
            probs[idx] = predictor.predict_proba([swapped[i] for i in idx])
        flipped |= predictor.decide(probs) != base_dec
        max_shift = np.maximum(max_shift, np.abs(probs - base))
    worst = np.argsort(-max_shift.max(1))[:top]
    return {
        "n": len(texts),
        "with_candidate_reference": int(touched.sum()),
        "flip_rate": float(flipped.any(1).mean()),
        "flip_rate_per_label": {lab: float(flipped[:, j].mean()) for j, lab in enumerate(LABELS)},
        "largest_shifts": [
            {"text": texts[i], "label": LABELS[int(max_shift[i].argmax())], "shift": round(float(max_shift[i].max()), 4)}
            for i in worst
            if max_shift[i].max() > 0
        ],
    }
