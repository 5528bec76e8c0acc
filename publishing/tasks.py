"""Tasks run by the django-q2 cluster (schedules: migration 0003)."""

from django.core.management import call_command


def refresh_statistics() -> int:
    """Recompute the transparency statistics snapshot; returns its id."""
    from publishing.statistics import refresh

    return refresh().pk


def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones
    (Wagtail's scheduled publishing)."""
    call_command("publish_scheduled", verbosity=0)
