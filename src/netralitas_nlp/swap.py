"""Candidate references: rotate them (the neutrality check) or blind them (the neutrality method).

One regular expression finds every way a post names a candidate: ballot numbers ("01", "paslon 2",
"nomor urut 3", "no.1", "salam dua jari"), names with and without numbers and their short forms
("Anies", "Cak Imin", "Prabowo-Gibran", "prabowogibran"), hashtags that carry a name or a number
("#AMIN", "#02Melanjutkan", "#GanjarMahfudRebound", "#Hendra3"), pair acronyms and the main parties
of each coalition. Two rewrites share it, so what the check moves is exactly what the method hides:

- `swap_candidates(text, perm)` moves every reference to another ballot number (form k of a person
  becomes form k of the other pair's person in the same role). `swap_check` counts the texts whose
  decisions change under any of the five permutations.
- `blind(text)` replaces every reference with a neutral placeholder ("Calon", "0X", "Partai",
  "Paslon"), so a model that reads blinded text *cannot* tell which candidate a post names: rotating
  the names or numbers leaves the blinded text, and therefore every decision, unchanged (Garg et al.
  2019, "blindness"). Every model kind blinds in training and in scoring (models.Predictor).

The candidates are the 2024 presidential pairs unless a user supplies a list for a Pilkada
(`Candidates.from_yaml`, config `candidates: FILE`). Party and campaign colours are not swapped: no
colour belongs to one pair unambiguously.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import yaml

from .data import Example
from .labels import LABELS

WORDS = {"1": "satu", "2": "dua", "3": "tiga"}
NUMBERS = {v: k for k, v in WORDS.items()}
CUE = (
    r"(?:paslon|pasangan calon|pasangan|nomor urut|nomer urut|no\.? ?urut|nomor|nomer|nmr|no\.?"
    r"|capres|cawapres|cagub|cabup|cawalkot|calon|kandidat|relawan)"
)
# Placeholders of `blind`: neutral words the model reads in place of the candidate.
PERSON, NUMBER, PARTY, PAIR = "Calon", "X", "Partai", "Paslon"


@dataclass(frozen=True)
class Candidates:
    """Who can be named. `pairs`: ballot number -> one tuple of name forms per person (head, deputy),
    full name first, then the short name, then nicknames; form k of one pair's person swaps with
    form k of another's (or its short name). `parties`: number -> coalition parties in a fixed order
    (acronyms match in capitals only: "pan" and "pks" are words). `tags`: number -> pair acronyms,
    matched in capitals or as a hashtag ("AMIN", "#amin"; "amin" in lower case is a prayer)."""

    pairs: dict[str, tuple[tuple[str, ...], ...]]
    parties: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Candidates:
        def norm(m: dict, depth: int) -> dict:
            if depth == 2:
                return {str(k): tuple(tuple([v] if isinstance(v, str) else v) for v in vs) for k, vs in (m or {}).items()}
            return {str(k): tuple([vs] if isinstance(vs, str) else vs) for k, vs in (m or {}).items()}

        pairs = norm(d.get("pairs", {}), 2)
        if not pairs or set(pairs) - set(WORDS):
            raise ValueError(f"candidates: `pairs` must map ballot numbers 1-3 to name lists, got {sorted(pairs)}")
        return cls(pairs, norm(d.get("parties", {}), 1), norm(d.get("tags", {}), 1))

    @classmethod
    def from_yaml(cls, path: str | Path) -> Candidates:
        """A user's list, for example a Pilkada: `pairs: {1: [[Hendra, Hendra Gunawan], [Sutrisno]], 2: ...}`."""
        try:
            return cls.from_dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
        except (OSError, yaml.YAMLError, AttributeError, TypeError) as e:
            raise ValueError(f"{path}: not a readable candidate list ({e})") from e

    def to_dict(self) -> dict:
        return {"pairs": {k: [list(p) for p in v] for k, v in self.pairs.items()}, "parties": self.parties, "tags": self.tags}

    def merged(self, other: Candidates | None) -> Candidates:
        """This list plus another's pairs for the same numbers (national pairs plus a Pilkada's)."""
        if other is None:
            return self

        def join(a: dict, b: dict) -> dict:
            return {k: tuple(a.get(k, ())) + tuple(b.get(k, ())) for k in sorted(set(a) | set(b))}

        return Candidates(join(self.pairs, other.pairs), join(self.parties, other.parties), join(self.tags, other.tags))

    # -------------------------------------------------------------- lookups built once per list

    @cached_property
    def person_of(self) -> dict[str, tuple[str, int, int]]:
        """compact form (lower case, no spaces) -> (number, person index, form index)."""
        return {
            _compact(f): (num, k, i) for num, people in self.pairs.items() for k, forms in enumerate(people) for i, f in enumerate(forms)
        }

    @cached_property
    def names(self) -> str:
        """One alternation of every name form."""
        return _alternation(f for people in self.pairs.values() for forms in people for f in forms)

    @cached_property
    def party_of(self) -> dict[str, tuple[str, int]]:
        return {p.lower(): (num, k) for num, parties in self.parties.items() for k, p in enumerate(parties)}

    @cached_property
    def tag_of(self) -> dict[str, tuple[str, int]]:
        return {t.lower(): (num, k) for num, tags in self.tags.items() for k, t in enumerate(tags)}

    @cached_property
    def regex(self) -> re.Pattern:
        names = self.names
        name = rf"(?<![^\W\d_])(?:{names})(?:(?![^\W\d_])|(?=(?-i:[A-Z])))"
        lower = [p for p in self.party_of if not _is_acronym(self.party_by_lower(p))]
        upper = [self.party_by_lower(p) for p in self.party_of if _is_acronym(self.party_by_lower(p))]
        party = "|".join(filter(None, [f"(?i:{_alternation(lower)})" if lower else "", f"(?-i:{'|'.join(upper)})" if upper else ""]))
        tags = "|".join(re.escape(t) for t in sorted({t for ts in self.tags.values() for t in ts}, key=len, reverse=True))
        return re.compile(
            rf"(?i)(?P<hashtag>#\w+)"
            rf"|(?P<cue>\b{CUE}\s*)(?P<zero>0?)(?P<num>[1-3])\b"  # "paslon 2", "nomor urut 03", "no.1"
            r"|(?<![\w.,/:-])0(?P<solo>[1-3])(?![\w.,/:-])"  # "01", "02", "03"
            rf"|(?P<wcue>\b(?:{CUE}|salam|pose|simbol)\s+)(?P<word>satu|dua|tiga)\b"  # "salam dua"
            r"|\b(?P<jword>satu|dua|tiga)(?P<jari>\s+jari)\b"  # "tiga jari"
            rf"|(?P<names>{name}(?:[-\s&/+_]*(?:{names})(?:(?![^\W\d_])|(?=(?-i:[A-Z]))))*)"  # "Prabowo-Gibran", "ganjar mahfud"
            + (rf"|\b(?P<tag>(?-i:{tags}))\b" if tags else "")
            + (rf"|\b(?P<party>{party})\b" if party else "")
        )

    @cached_property
    def inner(self) -> re.Pattern:
        """Inside a hashtag words run together ("#ganjarmahfudrebound"): names match anywhere."""
        tags = "|".join(re.escape(t) for t in sorted(self.tag_of, key=len, reverse=True))
        return re.compile(
            rf"(?i)(?P<name>{self.names})"
            r"|(?<!\d)0(?P<num>[1-3])(?!\d)"
            r"|(?<=[^\W\d_])(?P<tail>[1-3])$" + (rf"|^#(?P<tag>{tags})(?=$|\d|(?-i:[A-Z])|_)" if tags else "")
        )

    def party_by_lower(self, lower: str) -> str:
        num, k = self.party_of[lower]
        return self.parties[num][k]


def _compact(s: str) -> str:
    return re.sub(r"[\s_-]", "", s.lower())


def _is_acronym(s: str) -> bool:
    return s.isupper() and len(s) <= 5


def _alternation(forms) -> str:
    """Longest first, so "Anies Baswedan" wins over "Anies"; spaces also match run-together forms."""
    return "|".join(re.escape(f).replace(r"\ ", r"[\s_-]?") for f in sorted(set(forms), key=len, reverse=True))


# No form may start with a title ("Pak Ganjar"): "pak ganjar pranowo" would then match the titled
# form and leave "pranowo" behind, and a title that only one pair's list carries breaks the
# symmetry blinding relies on. Titles stay in the text, as "pak Calon", for every pair alike.
PRESIDENTIAL_2024 = Candidates(
    pairs={
        "1": (("Anies Baswedan", "Anies", "Anis"), ("Muhaimin Iskandar", "Muhaimin", "Cak Imin", "Gus Imin", "Imin")),
        "2": (("Prabowo Subianto", "Prabowo", "Bowo", "Wowo"), ("Gibran Rakabuming", "Gibran")),
        "3": (("Ganjar Pranowo", "Ganjar"), ("Mahfud MD", "Mahfud", "Mahfudz")),
    },
    parties={"1": ("NasDem", "PKB", "PKS"), "2": ("Gerindra", "Golkar", "PAN"), "3": ("PDIP", "PPP", "Perindo")},
    tags={"1": ("AMIN",), "2": ("PRAGIB",), "3": ("GAMA",)},
)
# Names kept for callers that read the pairs directly (tests, docs).
PAIRS_2024 = {num: tuple(forms[1] for forms in people) for num, people in PRESIDENTIAL_2024.pairs.items()}


def permutations() -> list[dict[str, str]]:
    """The five non-identity permutations of the candidate numbers, as {old: new}."""
    base = ("1", "2", "3")
    return [dict(zip(base, p)) for p in itertools.permutations(base) if p != base]


# ---------------------------------------------------------------- the two rewrites


class _Swap:
    def __init__(self, cands: Candidates, perm: dict[str, str]):
        self.c, self.perm = cands, perm

    def number(self, num: str) -> str:
        return self.perm.get(num, num)

    def word(self, src: str) -> str:
        return _same_case(src, WORDS[self.number(NUMBERS[src.lower()])])

    def person(self, src: str) -> str:
        num, k, i = self.c.person_of[_compact(src)]
        if self.number(num) == num:
            return src  # a pair the permutation keeps: leave the text exactly as written
        people = self.c.pairs.get(self.number(num), ())
        if k >= len(people):
            return src
        forms = people[k]
        # Full names (0) and short names (1) line up across pairs; a nickname becomes the short name.
        return _same_case(src, forms[i] if i < 2 and i < len(forms) else forms[min(1, len(forms) - 1)])

    def party(self, src: str) -> str:
        num, k = self.c.party_of[src.lower()]
        if self.number(num) == num:
            return src
        parties = self.c.parties.get(self.number(num), ())
        new = parties[k] if k < len(parties) else src
        return new if _is_acronym(new) else (new.lower() if src.islower() else new)

    def tag(self, src: str) -> str:
        num, k = self.c.tag_of[src.lower()]
        if self.number(num) == num:
            return src
        tags = self.c.tags.get(self.number(num), ())
        return _same_case(src, tags[k]) if k < len(tags) else src


class _Blind:
    def number(self, num: str) -> str:
        return NUMBER

    def word(self, src: str) -> str:
        return NUMBER.lower()

    def person(self, src: str) -> str:
        return _same_case(src, PERSON)

    def party(self, src: str) -> str:
        return PARTY  # one case: a swap can turn "gerindra" into "PDIP", blinding must not tell them apart

    def tag(self, src: str) -> str:
        return PAIR  # one case: a swap can turn "#Amin" into "#PRAGIB"


def _rewrite(text: str, cands: Candidates, how) -> str:
    """One pass over `text`, so a replaced reference is never replaced again."""

    def inner(m: re.Match) -> str:
        g = m.groupdict()
        if g["name"]:
            return re.sub(r"\s+", "", how.person(g["name"]))  # a hashtag has no spaces: "#PrabowoSubianto"
        if g["num"]:
            return "0" + how.number(g["num"])
        if g["tail"]:
            return how.number(g["tail"])
        return "#" + how.tag(g["tag"])

    def repl(m: re.Match) -> str:
        g = m.groupdict()
        if g["hashtag"]:
            return cands.inner.sub(inner, g["hashtag"])
        if g["num"]:
            return g["cue"] + g["zero"] + how.number(g["num"])
        if g["solo"]:
            return "0" + how.number(g["solo"])
        if g["word"]:
            return g["wcue"] + how.word(g["word"])
        if g["jword"]:
            return how.word(g["jword"]) + g["jari"]
        if g["names"]:
            return re.sub(f"(?i){cands.names}", lambda n: how.person(n.group(0)), g["names"])
        if g.get("tag"):
            return how.tag(g["tag"])
        return how.party(g["party"])

    return cands.regex.sub(repl, text)


# Any other "01"/"02"/"03" standing alone (dates and times included): blinding them too costs the
# model nothing and keeps decisions fixed under rotations that do not spare dates.
_LOOSE_NUMBER = re.compile(r"(?<!\d)0[1-3](?!\d)")


def swap_candidates(text: str, perm: dict[str, str], cands: Candidates = PRESIDENTIAL_2024) -> str:
    """Rewrite every candidate reference in `text` under `perm`, in a single pass."""
    return _rewrite(text, cands, _Swap(cands, perm))


def blind(text: str, cands: Candidates = PRESIDENTIAL_2024) -> str:
    """`text` with every candidate reference replaced by a neutral placeholder (idempotent)."""
    return _LOOSE_NUMBER.sub("0" + NUMBER, _rewrite(text, cands, _Blind()))


def blind_all(texts: list[str], cands: Candidates | None) -> list[str]:
    """What a model reads: `texts` blinded with `cands`, or as written when `cands` is None (blinding off)."""
    return list(texts) if cands is None else [blind(t, cands) for t in texts]


def _same_case(src: str, word: str) -> str:
    if src.isupper() and len(src) > 1:
        return word.upper()
    if src.islower():
        return word.lower()
    return word[:1].upper() + word[1:] if src[:1].isupper() else word


# ---------------------------------------------------------------- augmentation (without blinding)


def augment(examples: list[Example], rng: random.Random, cands: Candidates = PRESIDENTIAL_2024) -> list[Example]:
    """One candidate-swapped copy of every example that names a candidate, labels unchanged.

    Labels never depend on which candidate is named, so the copy is a free, exact training pair.
    With blinding on (the default) the texts name no candidate and this adds nothing.
    """
    perms = permutations()
    out = []
    for ex in examples:
        swapped = swap_candidates(ex.text, rng.choice(perms), cands)
        if swapped != ex.text:
            out.append(dataclasses.replace(ex, text=swapped, meta={**ex.meta, "augmented": "candidate_swap"}))
    return out


def swap_some(texts: list[str], rng: random.Random, share: float = 0.5, cands: Candidates = PRESIDENTIAL_2024) -> list[str]:
    """`texts` with a random permutation applied to about `share` of them (a per-epoch augmentation)."""
    perms = permutations()
    return [swap_candidates(t, rng.choice(perms), cands) if rng.random() < share else t for t in texts]


# ---------------------------------------------------------------- the check


class _Record(_Swap):
    """The identity rewrite, noting which ballot numbers a text refers to."""

    def __init__(self, cands: Candidates):
        super().__init__(cands, {})
        self.seen: set[str] = set()

    def number(self, num: str) -> str:
        self.seen.add(num)
        return num


def mentions(text: str, cands: Candidates = PRESIDENTIAL_2024) -> set[str]:
    """The ballot numbers `text` refers to, by any reference form."""
    rec = _Record(cands)
    _rewrite(text, cands, rec)
    return rec.seen


def swap_check(predictor, texts: list[str], top: int = 10, cands: Candidates = PRESIDENTIAL_2024, base: np.ndarray | None = None) -> dict:
    """Flip rate per label over all permutations, mean probability shift per label and direction,
    and the largest shifts. A direction "1->2" averages, over texts naming pair 1, the change in each
    label's probability when pair 1 is renamed pair 2 (a systematic shift toward one name shows as a
    positive mean for every direction into it). `base`: the texts' probabilities, when already known."""
    base = predictor.predict_proba(texts) if base is None else base
    base_dec = predictor.decide(base)
    flipped = np.zeros_like(base_dec, dtype=bool)
    max_shift = np.zeros(base.shape, dtype=float)
    touched = np.zeros(len(texts), dtype=bool)
    named = [mentions(t, cands) for t in texts]
    directions: dict[str, list[np.ndarray]] = {}
    # What the model reads: a blinding predictor reads the same input for a text and its rotation,
    # and a model scores the same input the same way, so only inputs that differ are re-scored.
    read = getattr(predictor, "inputs", lambda ts: ts)
    base_inputs = read(texts)
    for perm in permutations():
        swapped = [swap_candidates(t, perm, cands) for t in texts]
        changed = np.array([s != t for s, t in zip(swapped, texts)], dtype=bool)
        touched |= changed
        probs = base.copy()
        idx = [i for i in np.flatnonzero(changed) if read([swapped[i]])[0] != base_inputs[i]]
        if idx:
            probs[idx] = predictor.predict_proba([swapped[i] for i in idx])
        flipped |= predictor.decide(probs) != base_dec
        max_shift = np.maximum(max_shift, np.abs(probs - base))
        for i in np.flatnonzero(changed):
            if len(named[i]) == 1:  # one pair named: the direction is unambiguous
                (num,) = named[i]
                directions.setdefault(f"{num}->{perm[num]}", []).append(probs[i] - base[i])
    worst = np.argsort(-max_shift.max(1))[:top]
    n_touched = int(touched.sum())
    return {
        "n": len(texts),
        "with_candidate_reference": n_touched,
        "flip_rate": float(flipped.any(1).mean()) if len(texts) else 0.0,
        "flips": int(flipped.any(1).sum()),
        "flip_rate_among_naming": float(flipped.any(1).sum() / n_touched) if n_touched else 0.0,
        "flip_rate_per_label": {lab: float(flipped[:, j].mean()) if len(texts) else 0.0 for j, lab in enumerate(LABELS)},
        "mean_shift": {
            d: {"n": len(v), **{lab: round(float(np.mean([x[j] for x in v])), 4) for j, lab in enumerate(LABELS)}}
            for d, v in sorted(directions.items())
        },
        "largest_shifts": [
            {"text": texts[i], "label": LABELS[int(max_shift[i].argmax())], "shift": round(float(max_shift[i].max()), 4)}
            for i in worst
            if max_shift[i].max() > 0
        ],
    }
