"""Settings of the django-q2 cluster the worker-kill test starts: the test
settings, with a real (not synchronous) cluster whose timeout and retry are
seconds instead of minutes, and mail written to files that can be counted."""

import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import DATABASES, Q_CLUSTER

Q_CLUSTER = {
    **Q_CLUSTER,
    "sync": False,
    "workers": 2,
    "timeout": int(os.environ["FAULTS_Q_TIMEOUT"]),
    "retry": int(os.environ["FAULTS_Q_RETRY"]),
    "poll": 0.2,
    "orm": "default",
}
Q_CLUSTER.pop("redis", None)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several cluster processes share one SQLite file: wait for its lock.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["FAULTS_MAIL_DIR"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"jieba": {"level": "WARNING"}},
}
