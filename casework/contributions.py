"""What the casework plugin gives the portal's own plumbing, registered in
wagtail_hooks.py under the names of ``portal.hooks``: the case files'
directory for backups and the group that reads the audit log."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from casework.roles import HEAD

#: The archive key of the case files' directory. Archives written before the
#: roots came from the plugins use it too: never rename it, or they no longer
#: restore.
BACKUP_KEY = "casework_private"


def backup_roots() -> dict[str, Path]:
    return {BACKUP_KEY: Path(settings.CASEWORK_PRIVATE_ROOT)}


def audit_viewer_groups() -> tuple[str, ...]:
    """The supervision head reads the audit log (who saw and did what to a
    case, a report or a reporter's identity)."""
    return (HEAD,)
