"""What the reporting plugin gives the portal's own plumbing and pages,
registered in wagtail_hooks.py under the names of ``portal.hooks``: the
attachments' directory for backups, the status page's link in the site map,
and what 联系我们 and 网站声明 say about the channel."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

#: The archive key of the attachments' directory. Archives written before
#: the roots came from the plugins use it too: never rename it, or they no
#: longer restore.
BACKUP_KEY = "reporting_private"


def backup_roots() -> dict[str, Path]:
    return {BACKUP_KEY: Path(settings.REPORTING_PRIVATE_ROOT)}


def footer_links(request) -> list[dict]:
    """查询举报办理进度, after the channel's own main-menu link (order 90)."""
    return [
        {
            "label": gettext("Check the progress of a report"),
            "url": reverse("reporting:status"),
            "order": 200,
        }
    ]


def site_facts(request) -> dict:
    """Where to report, and the time limits the statement states (Art. 22:
    the reporter is told what is kept and for how long)."""
    windows = settings.REPORTING
    return {
        "report_url": reverse("reporting:report"),
        "status_session_seconds": windows["STATUS_SESSION_SECONDS"],
        "rate_window_seconds": max(
            windows["LOOKUP_WINDOW_SECONDS"],
            windows["SUBMISSION_WINDOW_SECONDS"],
            windows["STAGING_WINDOW_SECONDS"],
        ),
    }
