"""The proof of work that guards the public forms against automated
submissions (issue #14), built on the maintained ALTCHA library (PyPI
``altcha``, PoW v2) and its browser widget, with no outside service.

The algorithm is scrypt, which is memory-hard: each attempt needs its own
block of memory (``CHALLENGE_BLOCK_SIZE`` x 128 x ``CHALLENGE_COST`` bytes,
1 MiB by default), so GPUs and ASICs gain little over the reporter's phone.
The challenge is deterministic: the server draws a counter up to
``CHALLENGE_MAX_NUMBER``, derives its key once and publishes the key's first
half; the browser tries counters from zero until its key starts with that
prefix. The solve time is therefore bounded (``CHALLENGE_MAX_NUMBER``
attempts at most, half that on average) and both knobs are settings:
``CHALLENGE_MAX_NUMBER`` (attempts) and ``CHALLENGE_COST`` (work and memory
per attempt).

Verification costs one HMAC, not a key derivation: the derived key is signed
at issue with a second key, so the server never repeats the browser's work.
The challenge's parameters (algorithm, costs, expiry) are signed, and a
solved challenge is accepted once: its signature is marked used in the shared
cache with ``add``, which is atomic.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import time

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

# Memory-hard and solved in the browser by the widget's scrypt worker; the
# page registers no worker for any other algorithm.
ALGORITHM = "SCRYPT"
KEY_LENGTH = 32
# A real solution is about 900 characters; a longer one is refused before
# json.loads, which recurses on deeply nested arrays.
MAX_SOLUTION_LENGTH = 2048

_HEX_64 = re.compile(r"[0-9a-f]{64}")
_HEX_32 = re.compile(r"[0-9a-f]{32}")
_PARAMETER_KEYS = frozenset(
    {
        "algorithm",
        "cost",
        "keyLength",
        "keyPrefix",
        "nonce",
        "salt",
        "keySignature",
        "memoryCost",
        "parallelism",
        "expiresAt",
    }
)
_INTEGER_PARAMETERS = ("cost", "keyLength", "memoryCost", "parallelism", "expiresAt")
# JavaScript's largest exact integer: the widget could not have sent more.
_MAX_INTEGER = 2**53


class ChallengeFailed(ValueError):
    """The proof of work is missing, malformed, forged, wrong, expired or
    already used."""


def _secrets() -> tuple[str, str]:
    """The two HMAC keys, derived from SECRET_KEY (which production refuses
    to start without), one per purpose so neither signature can stand in for
    the other."""
    challenge_key = salted_hmac(
        "reporting.challenge.signature", "altcha", algorithm="sha256"
    ).hexdigest()
    derived_key_key = salted_hmac(
        "reporting.challenge.derived-key", "altcha", algorithm="sha256"
    ).hexdigest()
    return challenge_key, derived_key_key


def issue(now: float | None = None) -> dict:
    """A fresh challenge for the form page (JSON-serializable)."""
    now = time.time() if now is None else now
    options = settings.REPORTING
    challenge_key, derived_key_key = _secrets()
    issued = altcha.create_challenge(
        ALGORITHM,
        options["CHALLENGE_COST"],
        counter=secrets.randbelow(options["CHALLENGE_MAX_NUMBER"] + 1),
        key_length=KEY_LENGTH,
        memory_cost=options["CHALLENGE_BLOCK_SIZE"],
        parallelism=1,
        expires_at=int(now) + options["CHALLENGE_TTL_SECONDS"],
        hmac_secret=challenge_key,
        hmac_key_secret=derived_key_key,
    )
    return issued.to_dict()


def solve(issued: dict) -> str:
    """What the browser's widget does, for tests and the load test: the
    payload it puts in the form's ``proof`` field."""
    challenge = altcha.Challenge.from_dict(issued)
    # Bounded however the challenge was made: a counter is found within
    # CHALLENGE_MAX_NUMBER attempts, well inside this.
    solution = altcha.solve_challenge(challenge, timeout=300)
    if solution is None:
        raise ChallengeFailed("no solution")
    return altcha.Payload(challenge, solution).to_base64()


def _parse(solution: str) -> altcha.Payload:
    """The payload, checked key by key and type by type before the library
    sees it: hostile input must fail here, as a refusal, never deeper down as
    an AttributeError or an OverflowError."""
    if not isinstance(solution, str) or len(solution) > MAX_SOLUTION_LENGTH:
        raise ChallengeFailed("malformed")
    try:
        data = json.loads(base64.b64decode(solution.encode("ascii"), validate=True))
    except (ValueError, UnicodeError, RecursionError, binascii.Error) as error:
        raise ChallengeFailed("malformed") from error
    if not isinstance(data, dict) or set(data) != {"challenge", "solution"}:
        raise ChallengeFailed("malformed")
    challenge, answer = data["challenge"], data["solution"]
    if not isinstance(challenge, dict) or set(challenge) != {
        "parameters",
        "signature",
    }:
        raise ChallengeFailed("malformed")
    parameters, signature = challenge["parameters"], challenge["signature"]
    if (
        not isinstance(parameters, dict)
        or set(parameters) != _PARAMETER_KEYS
        or not isinstance(signature, str)
        or not _HEX_64.fullmatch(signature)
    ):
        raise ChallengeFailed("malformed")
    # JSON integers only: a float, bool, Infinity or NaN is never what was
    # issued, and int() of some of them raises or silently rounds.
    if any(
        type(parameters[key]) is not int or not 0 <= parameters[key] <= _MAX_INTEGER
        for key in _INTEGER_PARAMETERS
    ):
        raise ChallengeFailed("malformed")
    if not (
        parameters["algorithm"] == ALGORITHM
        and parameters["keyLength"] == KEY_LENGTH
        and isinstance(parameters["keyPrefix"], str)
        and _HEX_32.fullmatch(parameters["keyPrefix"])
        and isinstance(parameters["nonce"], str)
        and _HEX_32.fullmatch(parameters["nonce"])
        and isinstance(parameters["salt"], str)
        and _HEX_32.fullmatch(parameters["salt"])
        and isinstance(parameters["keySignature"], str)
        and _HEX_64.fullmatch(parameters["keySignature"])
    ):
        raise ChallengeFailed("malformed")
    # The widget adds the solve time in milliseconds; it proves nothing and
    # is not kept.
    if not isinstance(answer, dict) or not set(answer) <= {
        "counter",
        "derivedKey",
        "time",
    }:
        raise ChallengeFailed("malformed")
    counter, derived_key = answer.get("counter"), answer.get("derivedKey")
    if type(counter) is not int or not isinstance(derived_key, str):
        raise ChallengeFailed("malformed")
    if not 0 <= counter <= settings.REPORTING["CHALLENGE_MAX_NUMBER"]:
        raise ChallengeFailed("out of range")
    if not _HEX_64.fullmatch(derived_key):
        raise ChallengeFailed("malformed")
    return altcha.Payload(
        altcha.Challenge(altcha.ChallengeParameters.from_dict(parameters), signature),
        altcha.Solution(counter, derived_key),
    )


def verify(solution: str, now: float | None = None) -> None:
    """Accept a solution once; raise ChallengeFailed otherwise.

    Cheap whatever the input (parsing, two HMACs and one cache write), so
    the forms check it before anything costly."""
    now = time.time() if now is None else now
    payload = _parse(solution)
    expires = payload.challenge.parameters.expires_at
    # Checked here as well as by the library, against the caller's clock.
    if expires < now:
        raise ChallengeFailed("expired")
    challenge_key, derived_key_key = _secrets()
    result = altcha.verify_solution(
        payload, challenge_key, hmac_key_secret=derived_key_key
    )
    if result.expired:
        raise ChallengeFailed("expired")
    if result.invalid_signature:
        raise ChallengeFailed("forged")
    if not result.verified:
        raise ChallengeFailed("wrong")
    # add() is atomic: of two requests replaying one solution, one wins.
    if not cache.add(
        f"reporting:challenge-used:{payload.challenge.signature}",
        1,
        int(expires - now) + 1,
    ):
        raise ChallengeFailed("used")
