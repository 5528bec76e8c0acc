"""Fast, quiet settings for the test suite.

The database comes from DATABASE_URL like everywhere else: CI runs the suite
once on PostgreSQL and once on the SQLite default.
"""

import tempfile
from pathlib import Path

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATABASES, Q_CLUSTER, REDIS_URL

# The plugins' settings (their conf.py) are here only when the plugin is.
_plugin_settings = globals()

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-deployment"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Tests own their cache: a real Redis only where a test asks for it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-tests",
    }
}
TEST_REDIS_URL = REDIS_URL or "redis://127.0.0.1:6379/15"
# The page cache would hide what a test changes without publishing; the tests
# of portal/pagecache.py switch it on for themselves.
PAGE_CACHE_SECONDS = 0
# load_demo without the Shandong/Jinan policy library (a few seconds per demo
# load); tests/publishing/test_publishing_measure_library.py loads it.
PUBLISHING_DEMO_LIBRARY = False

# Tasks run synchronously, in the calling process.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}

_test_root = Path(tempfile.mkdtemp(prefix="portal-tests-"))
MEDIA_ROOT = _test_root / "media"
CASEWORK_PRIVATE_ROOT = _test_root / "private"
REPORTING_PRIVATE_ROOT = _test_root / "reports"
REPORTER_IDENTITY_KEYS = ["dGVzdC1vbmx5LXJlcG9ydGVyLWtleS0zMi1ieXRlcyE="]
RECEIPT_SALT = "test-only-receipt-salt"
# Argon2's smallest cost and an easy proof of work: the tests are about the
# mechanism, not its price.
RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
if "REPORTING" in _plugin_settings:
    REPORTING = {
        **_plugin_settings["REPORTING"],
        "CHALLENGE_MAX_NUMBER": 50,
        "CHALLENGE_COST": 16,
        "CHALLENGE_BLOCK_SIZE": 1,
    }
STATIC_ROOT = _test_root / "static"
STATIC_ROOT.mkdir(parents=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # An in-memory test database is created per run regardless of NAME.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "WARNING"},
}

# Tests file cases on today's date; the office rule that refuses a filing
# outside every measure in force (Art. 24: this one ends 2027-02-28) would
# fail them on the day the measure expires. The Art. 24 tests switch it on.
if "CASEWORK_OFFICE_RULES" in _plugin_settings:
    CASEWORK_OFFICE_RULES = {
        **_plugin_settings["CASEWORK_OFFICE_RULES"],
        "filing_within_validity": False,
    }
