"""Receipt codes (回执码): the reporter's only way back to a report (Art. 22).

A code is 16 digits: 15 from ``secrets`` and a Luhn check digit, so a typo is
caught before any lookup. Only an Argon2id digest of the code is stored. The
digest uses one site-wide salt (``RECEIPT_SALT``), which makes it
deterministic: a lookup computes it once and finds the report by an indexed
equality, and a wrong code costs exactly what a missing one costs. Without the
salt a leaked table is useless; with it, each of the 10^15 guesses still costs
a full Argon2 computation.
"""

from __future__ import annotations

import secrets
import unicodedata

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings

CODE_DIGITS = 16
DIGEST_PREFIX = "argon2id"


class MalformedCode(ValueError):
    """The input cannot be a receipt code (wrong length or check digit)."""


def luhn_check_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def new_code() -> str:
    body = f"{secrets.randbelow(10 ** (CODE_DIGITS - 1)):0{CODE_DIGITS - 1}d}"
    return body + luhn_check_digit(body)


def format_code(code: str) -> str:
    """``1234 5678 9012 3456``: four groups, easy to write down or read aloud."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize(raw: str) -> str:
    """Digits only, from whatever a person types: spaces, dashes, full-width
    digits (１２３４) all work. Raises MalformedCode for anything else."""
    text = unicodedata.normalize("NFKC", raw or "")
    digits = "".join(char for char in text if char not in " -\t\r\n")
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        raise MalformedCode(digits)
    if luhn_check_digit(digits[:-1]) != digits[-1]:
        raise MalformedCode(digits)
    return digits


def digest(code: str) -> str:
    """The only form of a receipt code that is ever stored."""
    params = settings.RECEIPT_ARGON2
    raw = hash_secret_raw(
        secret=code.encode("ascii"),
        salt=_salt(),
        time_cost=params["time_cost"],
        memory_cost=params["memory_cost"],
        parallelism=params["parallelism"],
        hash_len=32,
        type=Type.ID,
    )
    return f"{DIGEST_PREFIX}${raw.hex()}"


def _salt() -> bytes:
    salt = settings.RECEIPT_SALT.encode("utf-8")
    # Argon2 wants at least 8 bytes of salt; a short configured value is
    # stretched deterministically rather than refused in development.
    return salt if len(salt) >= 16 else (salt * 16)[:16]
