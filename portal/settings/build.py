"""Settings for building the image: ``collectstatic`` and nothing else.

The Docker build has none of the deployment's secrets, and production.py
rightly refuses to start without them. Rather than handing it a placeholder
SECRET_KEY that could end up serving the site, the build uses this module: it
holds no secret worth having (a random key that lives as long as the build
command) and refuses to run any command but the build's own.
"""

import secrets
import sys

from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import *  # noqa: F403

BUILD_COMMANDS = {"collectstatic", "compilemessages"}

_command = sys.argv[1] if len(sys.argv) > 1 else ""
if _command not in BUILD_COMMANDS:
    raise ImproperlyConfigured(
        "portal.settings.build only runs the image build's manage.py "
        f"{' / '.join(sorted(BUILD_COMMANDS))}; serve the site with "
        "portal.settings.production."
    )

DEBUG = False
# Used for nothing the build writes; random so that it can never be a
# published value someone deploys by accident.
SECRET_KEY = secrets.token_urlsafe(64)
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
