"""Masking of personal data in complaint text: NIK, Indonesian phone numbers, e-mail addresses.

Complaints often carry the reporter's own NIK and phone number. Masking happens before text is
written anywhere (output files, evidence, the triage database), so scored exports can be shared.
"""

from __future__ import annotations

import re

# NIK: 16 digits, sometimes grouped with spaces, dots or dashes (e.g. "3201 1234 5678 0001").
NIK_RE = re.compile(r"(?<!\d)\d{6}[ .-]?\d{6}[ .-]?\d{4}(?!\d)|(?<!\d)(?:\d{4}[ .-]){3}\d{4}(?!\d)")
# Mobile numbers: 08.., +62 8.., 62 8.., (0)8..; 9-13 digits after the prefix, with optional separators.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+62|62|\(0\)|0)[ .-]?8\d(?:[ .-]?\d){6,11}(?!\d)")
EMAIL_RE = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b")

MASKS = (("[EMAIL]", EMAIL_RE), ("[NIK]", NIK_RE), ("[TELEPON]", PHONE_RE))


def mask_pii(text: str) -> str:
    """Replace NIKs, phone numbers and e-mail addresses with placeholders."""
    for placeholder, pattern in MASKS:
        text = pattern.sub(placeholder, text)
    return text
