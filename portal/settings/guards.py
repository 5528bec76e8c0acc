"""What production refuses to start with, as plain functions (no Django setup
needed), so that each refusal is tested without a server.

- Published secrets: every value that has ever been written into this
  repository (development and test settings, the Dockerfile's build step, the
  examples) is public, whatever it looks like. Refused by exact value and by
  the markers those values carry, so a copy with a changed suffix fails too.
- A Fernet key that is readable text: ``Fernet.generate_key()`` gives 32
  random bytes, which are all printable ASCII with a probability of about
  (95/256)^32 < 10^-13; a hand-made "key" (``dev-only-reporter-key...``) is.
- A per-process cache under several worker processes: rate limits multiply by
  the number of processes and a proof of work can be used once per process.
"""

from __future__ import annotations

import base64
import binascii
import shlex

# Exact values published in this repository (dev.py, test.py, the tests,
# the Dockerfile before portal/settings/build.py took over its build step).
PUBLISHED_VALUES = frozenset(
    {
        "django-insecure-dev-only-not-a-secret",
        "test-only-secret-key-not-for-deployment",
        "build-only-placeholder-build-only-placeholder-build-only",
        "dev-only-receipt-salt",
        "test-only-receipt-salt",
        "a-production-receipt-salt",
        "ZGV2LW9ubHktcmVwb3J0ZXIta2V5LW5vdC1zZWNyZXQ=",
        "dGVzdC1vbmx5LXJlcG9ydGVyLWtleS0zMi1ieXRlcyE=",
        "cHJvZHVjdGlvbi10ZXN0LWtleS0zMi1ieXRlcy1vayE=",
    }
)
# Words that only placeholders contain.
PLACEHOLDER_MARKERS = (
    "build-only",
    "placeholder",
    "dev-only",
    "test-only",
    "not-a-secret",
    "not-for-deployment",
    "django-insecure",
    "changeme",
    "change-me",
)


def is_published(value: str) -> bool:
    """A value from this repository or carrying a placeholder's words."""
    lowered = (value or "").strip().lower()
    return value.strip() in PUBLISHED_VALUES or any(
        marker in lowered for marker in PLACEHOLDER_MARKERS
    )


def is_readable_fernet_key(key: str) -> bool:
    """A Fernet key whose 32 bytes are printable text: typed, not generated."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, ValueError):
        return False
    return len(raw) == 32 and all(0x20 <= byte < 0x7F for byte in raw)


def published_reporting_secret(name: str, value: str) -> str | None:
    """Why ``value`` of the secret ``name`` is unfit for production, or None."""
    if is_published(value):
        return (
            f"{name} holds a value published in the portal's repository "
            "(development, test, build or example settings). Generate a new one."
        )
    if name == "REPORTER_IDENTITY_KEYS" and is_readable_fernet_key(value):
        return (
            "REPORTER_IDENTITY_KEYS holds a key that decodes to readable text, "
            "so it was typed, not generated: use Fernet.generate_key()."
        )
    try:
        decoded = base64.urlsafe_b64decode(value.encode("ascii")).decode("ascii")
    except (binascii.Error, ValueError, UnicodeError):
        return None
    if name == "REPORTER_IDENTITY_KEYS" and is_published(decoded):
        return f"{name} holds a key that spells a placeholder. Generate a new one."
    return None


def gunicorn_workers(environ) -> int | None:
    """Worker processes gunicorn is told to run through the environment
    (WEB_CONCURRENCY, gunicorn's own; GUNICORN_WORKERS, read by
    portal/gunicorn_conf.py, whose default is several; -w/--workers in
    GUNICORN_CMD_ARGS, which wins); None if unsaid. Raises ValueError for a
    value that is not a number."""
    workers = None
    for name in ("WEB_CONCURRENCY", "GUNICORN_WORKERS"):
        value = (environ.get(name) or "").strip()
        if value:
            workers = int(value)
    args = shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    for index, arg in enumerate(args):
        if arg in ("-w", "--workers") and index + 1 < len(args):
            workers = int(args[index + 1])
        elif arg.startswith("--workers="):
            workers = int(arg.split("=", 1)[1])
        elif arg.startswith("-w") and len(arg) > 2:
            workers = int(arg[2:])
    return workers


def cache_refusal(backend: str, single_process: bool, workers: int | None) -> str:
    """Why the cache configuration is unfit for production ('' if fit).

    Rate limits, single-use proofs of work and the page-cache purge must be
    seen by every process; a local-memory cache is per process. It is allowed
    only when the operator states that one process serves the site."""
    per_process = backend.endswith("LocMemCache") or backend.endswith("DummyCache")
    if not per_process:
        return ""
    if single_process and workers != 1:
        # The image's gunicorn runs several workers unless told otherwise, so
        # the promise of one process must be backed by the worker setting.
        said = "not set" if workers is None else f"{workers}"
        return (
            "PORTAL_SINGLE_PROCESS=true without a shared cache needs exactly one "
            f"gunicorn worker, but the worker count is {said}: set "
            "GUNICORN_WORKERS=1 (or WEB_CONCURRENCY=1), or set REDIS_URL for a "
            "cache shared by all workers."
        )
    if not single_process:
        return (
            "Production needs a cache shared by all worker processes: set "
            "REDIS_URL (redis://host:6379/0). Only a deployment that runs exactly "
            "one process may do without, and must say so with "
            "PORTAL_SINGLE_PROCESS=true (rate limits and single-use proofs of "
            "work are otherwise counted per process)."
        )
    return ""
