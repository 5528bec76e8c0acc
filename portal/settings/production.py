"""Production: refuses to start when misconfigured, never falls back silently."""

import ipaddress

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATABASES, INSECURE_SECRET_KEY, SECRET_KEY
from portal.settings.env import env_bool, env_int, env_str
from portal.settings.guards import (
    cache_refusal,
    gunicorn_workers,
    published_reporting_secret,
)

DEBUG = env_bool("DEBUG", False, doc="debug mode (never in production)")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not SECRET_KEY or SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters "
        "in production (python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

# Reporter identity and receipts (Art. 22): no invented secrets, ever. The
# reporting channel sets them (its conf.py); without it there are none.
_reporting_secrets = "REPORTER_IDENTITY_KEYS" in globals()
if _reporting_secrets:
    if not REPORTER_IDENTITY_KEYS:  # noqa: F405
        raise ImproperlyConfigured(
            "REPORTER_IDENTITY_KEYS must hold at least one Fernet key in production "
            "(python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )
    for _key in REPORTER_IDENTITY_KEYS:  # noqa: F405
        try:
            Fernet(_key.encode("ascii"))
        except ValueError as _error:
            raise ImproperlyConfigured(
                "REPORTER_IDENTITY_KEYS holds a value that is not a Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from _error
    if len(RECEIPT_SALT or "") < 16:  # noqa: F405
        raise ImproperlyConfigured(
            "RECEIPT_SALT must be set to a random value of at least 16 characters in "
            "production, once: changing it invalidates every receipt code issued."
        )
# A value written anywhere in this repository (dev and test settings, the
# Dockerfile's build step, the tests) is public: refused like a missing one.
_secrets = [("SECRET_KEY", [SECRET_KEY])]
if _reporting_secrets:
    _secrets += [
        ("RECEIPT_SALT", [RECEIPT_SALT]),  # noqa: F405
        ("REPORTER_IDENTITY_KEYS", REPORTER_IDENTITY_KEYS),  # noqa: F405
    ]
for _name, _values in _secrets:
    for _value in _values:
        _why = published_reporting_secret(_name, _value)
        if _why:
            raise ImproperlyConfigured(_why)

# One cache for every process: rate limits and single-use proofs of work live
# in it (portal/settings/guards.py says why a per-process cache is refused).
PORTAL_SINGLE_PROCESS = env_bool(
    "PORTAL_SINGLE_PROCESS",
    False,
    doc="exactly one web process serves the site (allows running without Redis)",
)
try:
    _workers = gunicorn_workers(
        {
            "WEB_CONCURRENCY": env_str(
                "WEB_CONCURRENCY", "", doc="gunicorn worker processes"
            ),
            "GUNICORN_WORKERS": env_str(
                "GUNICORN_WORKERS", "", doc="gunicorn workers (portal.gunicorn_conf)"
            ),
            "GUNICORN_CMD_ARGS": env_str(
                "GUNICORN_CMD_ARGS", "", doc="extra gunicorn arguments"
            ),
        }
    )
except ValueError:
    raise ImproperlyConfigured(
        "WEB_CONCURRENCY, or -w/--workers in GUNICORN_CMD_ARGS, is not a number."
    ) from None
_why = cache_refusal(CACHES["default"]["BACKEND"], PORTAL_SINGLE_PROCESS, _workers)  # noqa: F405
if _why:
    raise ImproperlyConfigured(_why)

# Persistent connections: measured on PostgreSQL under gunicorn, a Wagtail
# page went from 126 to 339 requests/s with them.
DATABASES["default"]["CONN_MAX_AGE"] = env_int(
    "DATABASE_CONN_MAX_AGE", 600, doc="seconds to keep DB connections"
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# TLS is terminated by the reverse proxy in front of gunicorn (docker/nginx).
# Its X-Forwarded-Proto is believed only when the peer is that proxy:
# portal.proxy.ForwardedHeadersMiddleware drops the header from anyone else.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if TRUSTED_PROXY_COUNT and not TRUSTED_PROXY_ADDRESSES:  # noqa: F405
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is set but TRUSTED_PROXY_ADDRESSES is empty: list "
        "the reverse proxy's address (docker/compose.yaml: PROXY_ADDRESS), or "
        "nobody's X-Forwarded-For can be told from a forged one."
    )
for _entry in TRUSTED_PROXY_ADDRESSES:  # noqa: F405
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXY_ADDRESSES holds {_entry!r}, which is not an address "
            "or network (a wildcard would trust every client)."
        ) from _error
if HEALTHZ_TOKEN and len(HEALTHZ_TOKEN) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "HEALTHZ_TOKEN must be at least 32 random characters when set."
    )
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True, doc="redirect to https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, doc="HSTS max-age")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading commits the whole registrable domain (a shared gov.cn parent) to
# HTTPS in browsers; that is the parent domain's decision, not this site's.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False, doc="HSTS preload")
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
# Idle timeout: STAFF_IDLE_TIMEOUT in base.py, in every environment.

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost", doc="SMTP host")
EMAIL_PORT = env_int("EMAIL_PORT", 25, doc="SMTP port")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False, doc="SMTP STARTTLS")
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "noreply@localhost", doc="sender address"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
