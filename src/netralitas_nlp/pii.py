"""Masking of personal data in complaint text: NIK, Indonesian phone numbers, e-mail addresses.

Complaints often carry the reporter's own NIK and phone number. Masking happens before text is
written anywhere (output files, evidence, the triage database), so scored exports can be shared.
"""

from __future__ import annotations

import re

# NIK: 16 digits, grouped any way with spaces, dots or dashes ("3201 1234 5678 0001", "32.01.12.345678.0001").
# Not followed by more digits, so an 18-digit NIP ("1979 0312 2005 0110 03") is left alone.
NIK_RE = re.compile(r"(?<!\d)(?<!\d[ .-])\d(?:[ .-]?\d){15}(?![ .-]?\d)")
# Phone candidates: digits with single separators, brackets and a leading + ("(021) 555-1234",
# "+62 (812) 3456 7890", "0 8 1 2 ..."); `_phone` keeps those that are Indonesian numbers.
PHONE_RE = re.compile(r"(?<![\w+(])(?:\+|\(\+?)?\d(?:\)?[ .-]?\(?\d){7,15}(?!\w)")
_AT = r"(?:\s?@\s?|\s?[\[({]\s?(?:at|@)\s?[\])}]\s?|\s+at\s+)"
_DOT = r"(?:\.|\s?[\[({]\s?(?:dot|titik|\.)\s?[\])}]\s?|\s+(?:dot|titik)\s+)"
# E-mail, also written to dodge scrapers: "budi[at]gmail.com", "budi (at) gmail dot com".
EMAIL_RE = re.compile(rf"\b[\w.+-]+{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)+\b", re.IGNORECASE)


def _phone(m: re.Match) -> str:
    """[TELEPON] for a mobile (08.., 9-14 digits) or a landline (0 + area code, 9-12 digits); else unchanged."""
    s = m.group(0)
    digits = re.sub(r"\D", "", s)
    if digits.startswith("62") and (s.startswith(("+", "(+")) or digits[2:3] in "8"):
        digits = "0" + digits[2:].removeprefix("0")
    if digits.startswith("08") and 9 <= len(digits) <= 14:
        return "[TELEPON]"
    if re.match(r"0[1-79]", digits) and 9 <= len(digits) <= 12 and not re.fullmatch(r"[\d.]+", s):
        return "[TELEPON]"  # a landline is grouped ("021 5551234"); a bare 0-led number may be anything
    return s


def mask_pii(text: str) -> str:
    """Replace NIKs, phone numbers and e-mail addresses with placeholders."""
    text = EMAIL_RE.sub("[EMAIL]", text)
    text = NIK_RE.sub("[NIK]", text)
    return PHONE_RE.sub(_phone, text)
