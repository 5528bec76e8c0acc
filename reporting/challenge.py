"""A proof-of-work challenge against automated submissions, needing no
outside service (in the manner of ALTCHA).

The server picks a secret number up to ``CHALLENGE_MAX_NUMBER`` and publishes
SHA-256(salt + number) with an HMAC signature; the browser tries numbers until
the hash matches (a fraction of a second for a person, a real cost for a bot
sending thousands) and sends the number back. The salt carries the expiry, the
signature makes the challenge unforgeable, and the cache makes each solution
usable once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

from django.conf import settings
from django.core.cache import cache

MAX_SOLUTION_LENGTH = 2048


class ChallengeFailed(ValueError):
    """The proof of work is missing, wrong, expired or already used."""


def _sign(challenge: str) -> str:
    key = f"reporting-challenge:{settings.SECRET_KEY}".encode()
    return hmac.new(key, challenge.encode("ascii"), hashlib.sha256).hexdigest()


def _hash(salt: str, number: int) -> str:
    return hashlib.sha256(f"{salt}{number}".encode("ascii")).hexdigest()


def issue(now: float | None = None) -> dict:
    """A fresh challenge for the form page (JSON-serializable)."""
    now = time.time() if now is None else now
    maximum = settings.REPORTING["CHALLENGE_MAX_NUMBER"]
    expires = int(now) + settings.REPORTING["CHALLENGE_TTL_SECONDS"]
    salt = f"{secrets.token_hex(12)}?expires={expires}&"
    challenge = _hash(salt, secrets.randbelow(maximum + 1))
    return {
        "algorithm": "SHA-256",
        "salt": salt,
        "challenge": challenge,
        "maxnumber": maximum,
        "signature": _sign(challenge),
    }


def solve(issued: dict) -> str:
    """What the browser does, for tests and scripted clients of our own."""
    for number in range(issued["maxnumber"] + 1):
        if _hash(issued["salt"], number) == issued["challenge"]:
            payload = {key: issued[key] for key in ("salt", "challenge", "signature")}
            payload["number"] = number
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise ChallengeFailed("no solution")


def verify(solution: str, now: float | None = None) -> None:
    """Accept a solution once; raise ChallengeFailed otherwise."""
    now = time.time() if now is None else now
    # A real solution is a few hundred characters; a longer one is refused
    # before json.loads, which recurses on deeply nested arrays.
    if len(solution) > MAX_SOLUTION_LENGTH:
        raise ChallengeFailed("malformed")
    try:
        payload = json.loads(base64.b64decode(solution.encode("ascii"), validate=True))
        salt = str(payload["salt"])
        challenge = str(payload["challenge"])
        signature = str(payload["signature"])
        number = payload["number"]
        # Only a JSON integer: int() of Infinity raises OverflowError, of
        # 1.5 or true it would silently accept a number never solved.
        if type(number) is not int:
            raise TypeError("number")
        expires = int(salt.rsplit("expires=", 1)[1].rstrip("&"))
    except (
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        UnicodeError,
        RecursionError,
    ) as error:
        raise ChallengeFailed("malformed") from error
    if not hmac.compare_digest(_sign(challenge), signature):
        raise ChallengeFailed("forged")
    if expires < now:
        raise ChallengeFailed("expired")
    if not 0 <= number <= settings.REPORTING["CHALLENGE_MAX_NUMBER"]:
        raise ChallengeFailed("out of range")
    if not hmac.compare_digest(_hash(salt, number), challenge):
        raise ChallengeFailed("wrong")
    # add() is atomic: of two requests replaying one solution, one wins.
    if not cache.add(
        f"reporting:challenge-used:{challenge}", 1, int(expires - now) + 1
    ):
        raise ChallengeFailed("used")
