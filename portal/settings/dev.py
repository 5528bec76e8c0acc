"""Local development: DEBUG on unless the environment says otherwise."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import VAR_DIR
from portal.settings.env import env_bool

DEBUG = env_bool("DEBUG", True, doc="debug mode (never in production)")
VAR_DIR.mkdir(parents=True, exist_ok=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
