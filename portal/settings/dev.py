"""Local development: DEBUG on unless the environment says otherwise."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import VAR_DIR
from portal.settings.env import env_bool

DEBUG = env_bool("DEBUG", True, doc="debug mode (never in production)")
VAR_DIR.mkdir(parents=True, exist_ok=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Public, development-only secrets: production.py refuses to run without its own.
# (The reporting channel's, from its conf.py; unused without it.)
REPORTER_IDENTITY_KEYS = globals().get("REPORTER_IDENTITY_KEYS") or [
    "ZGV2LW9ubHktcmVwb3J0ZXIta2V5LW5vdC1zZWNyZXQ="
]
RECEIPT_SALT = globals().get("RECEIPT_SALT") or "dev-only-receipt-salt"
