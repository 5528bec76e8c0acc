"""The environment a benchmark run uses: a bench-only PostgreSQL database, Redis
DB 14, production settings with their secrets generated once per machine and
kept in var/bench-secrets.json (never committed), and no per-client limits
that would throttle a load generator on 127.0.0.1."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
SECRETS_FILE = ROOT / "var" / "bench-secrets.json"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def bench_secrets() -> dict[str, str]:
    """Random values for the bench's production secrets, made on first use."""
    if SECRETS_FILE.exists():
        return json.loads(SECRETS_FILE.read_text())
    values = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "REPORTER_IDENTITY_KEYS": Fernet.generate_key().decode(),
        "RECEIPT_SALT": secrets.token_urlsafe(24),
    }
    SECRETS_FILE.parent.mkdir(parents=True, exist_ok=True)
    SECRETS_FILE.touch(mode=0o600)
    SECRETS_FILE.write_text(json.dumps(values))
    return values


def apply_bench_environment(database_url: str | None = None) -> None:
    """Set what the bench needs unless the caller's environment says otherwise."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # wrk is one client hammering the site: the search limit is per client.
    os.environ.setdefault("SEARCH_RATE_LIMIT", "100000000")
    for name, value in bench_secrets().items():
        os.environ.setdefault(name, value)
