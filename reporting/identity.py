"""Reporter identity (name, contact) encrypted at rest (Art. 22 protects the
reporter). Keys come from ``REPORTER_IDENTITY_KEYS``: the first encrypts, all
decrypt, so keys rotate without re-encrypting first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Identity:
    name: str
    contact: str


class IdentityUnreadable(Exception):
    """The ciphertext does not open with any configured key."""


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("REPORTER_IDENTITY_KEYS is empty.")
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.REPORTER_IDENTITY_KEYS))


def encrypt(identity: Identity) -> str:
    payload = json.dumps(
        {"name": identity.name, "contact": identity.contact}, ensure_ascii=False
    )
    return cipher().encrypt(payload.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> Identity:
    try:
        payload = json.loads(cipher().decrypt(token.encode("ascii")))
    except (InvalidToken, ValueError) as error:
        raise IdentityUnreadable from error
    return Identity(name=payload["name"], contact=payload["contact"])


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (``manage.py rotate_reporter_keys``)."""
    return cipher().rotate(token.encode("ascii")).decode("ascii")
