"""Which passwords an account may have: long enough, not too long, and not a common one.

The common ones are the 19,640 of ``app/data/common-passwords.txt.gz`` (from
Django, see ``app/data/README.md``), read once and kept as a set.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from wtforms import Field, Form
from wtforms.validators import ValidationError

__all__ = ["MAX_PASSWORD", "MIN_PASSWORD", "check", "is_common"]

#: The fewest characters a new password may have (OWASP ASVS 2.1.1).
MIN_PASSWORD = 12
#: The most: longer ones would only make hashing slow for nothing (ASVS asks for 64 or more).
MAX_PASSWORD = 128

_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"


@cache
def _common() -> frozenset[str]:
    with gzip.open(_LIST, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


def is_common(password: str) -> bool:
    """Return whether ``password`` is on the list of common passwords, in any case.

    >>> is_common("QWERTY123456"), is_common("a long and unusual phrase")
    (True, False)
    """
    return password.lower() in _common()


def check(form: Form, field: Field) -> None:
    """Refuse a new password that is too short, too long or common (a WTForms validator)."""
    password = field.data or ""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"Use at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise ValidationError(f"Use at most {MAX_PASSWORD} characters.")
    if is_common(password):
        raise ValidationError(
            "This password is one of the most common ones, so it is easy to guess: "
            "choose another, for example a few unrelated words."
        )
