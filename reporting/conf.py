"""The reporting channel's settings, Art. 22 (merged by
portal/settings/plugin_settings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from portal.settings.env import env_int, env_list, env_str


def plugin_settings(portal: Mapping[str, Any]) -> dict[str, Any]:
    # Reporter identity (name, contact) is encrypted at rest with these Fernet keys:
    # the first encrypts, all decrypt, so a key is rotated by putting a new one first.
    # Development and tests set fixed, public keys; production refuses to start
    # without real ones.
    REPORTER_IDENTITY_KEYS = env_list(
        "REPORTER_IDENTITY_KEYS",
        [],
        doc="Fernet keys for reporter identity, newest first",
    )
    # Receipt codes are stored only as an Argon2id digest with this site-wide salt,
    # so a code is found by recomputing its digest once. Changing the salt makes
    # every issued receipt useless: set it once per deployment.
    RECEIPT_SALT = env_str("RECEIPT_SALT", "", doc="site-wide salt of receipt digests")
    # OWASP's Argon2id baseline (19 MiB, 2 passes): measured 67 ms per digest on the
    # 2-core CI machine under load; 64 MiB and 3 passes took 408 ms, too much for a
    # public form with 10^15 possible codes behind a secret salt.
    RECEIPT_ARGON2 = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
    REPORTING = {
        # A client's failed receipt lookups before it is refused for a while
        # (clients: an IPv4 address or an IPv6 /64), and the failures the whole
        # site tolerates per window before every lookup waits its turn (see
        # LOOKUP_QUEUE_SECONDS): slowed, never refused, so guessers spread over
        # many addresses cannot lock a reporter out. Malformed codes count for
        # nothing.
        "LOOKUP_FAILURES_PER_CLIENT": 5,
        "LOOKUP_FAILURES_GLOBAL": 200,
        "LOOKUP_WINDOW_SECONDS": 15 * 60,
        "SUBMISSIONS_PER_CLIENT": 5,
        "SUBMISSIONS_GLOBAL": 300,
        "SUBMISSION_WINDOW_SECONDS": 60 * 60,
        # Proof of work (reporting/challenge.py, ALTCHA with scrypt, no outside
        # service): the browser tries up to CHALLENGE_MAX_NUMBER counters (half
        # on average), each one scrypt with N = CHALLENGE_COST and
        # r = CHALLENGE_BLOCK_SIZE, i.e. 128 * N * r bytes of memory (1 MiB).
        # Measured on a busy 2-core machine: Chromium about 5 ms per attempt
        # (1.2 s on average, under 3 s at worst), native scrypt 3-11 ms.
        "CHALLENGE_MAX_NUMBER": 400,
        "CHALLENGE_COST": 1024,
        "CHALLENGE_BLOCK_SIZE": 8,
        "CHALLENGE_TTL_SECONDS": 30 * 60,
        "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
        "ATTACHMENT_MAX_FILES": 5,
        "ATTACHMENT_MAX_PIXELS": 40_000_000,
        # Office rules on files kept for a form that failed on something else
        # (reporting/staging.py): per client per hour, and across all clients
        # until the daily purge (a share of the disk, not all of it).
        "STAGING_BYTES_PER_CLIENT": 30 * 1024 * 1024,
        "STAGING_WINDOW_SECONDS": 60 * 60,
        "STAGING_BYTES_TOTAL": env_int(
            "REPORTING_STAGING_TOTAL_MB", 2048, doc="MB of staged report files in total"
        )
        * 1024
        * 1024,
        # Beyond LOOKUP_FAILURES_GLOBAL a lookup is not refused: it is asked to
        # come back after this many seconds with a ticket, which is then honoured
        # for LOOKUP_TICKET_SECONDS (portal.ratelimit.WaitTicket).
        "LOOKUP_QUEUE_SECONDS": 10,
        "LOOKUP_TICKET_SECONDS": 10 * 60,
        # The status page stays open this long after a receipt was entered.
        "STATUS_SESSION_SECONDS": 20 * 60,
    }
    REPORTING_PRIVATE_ROOT = Path(
        env_str(
            "REPORTING_PRIVATE_ROOT",
            str(portal["VAR_DIR"] / "reports"),
            doc="report attachments",
        )
    )
    return {
        "REPORTER_IDENTITY_KEYS": REPORTER_IDENTITY_KEYS,
        "RECEIPT_SALT": RECEIPT_SALT,
        "RECEIPT_ARGON2": RECEIPT_ARGON2,
        "REPORTING": REPORTING,
        "REPORTING_PRIVATE_ROOT": REPORTING_PRIVATE_ROOT,
    }
