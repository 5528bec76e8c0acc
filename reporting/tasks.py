"""Background work of the reporting channel (django-q2)."""

import datetime

from reporting import services


def purge_staged_uploads() -> int:
    """Files kept for a form with errors, never claimed within a day."""
    return services.purge_staged_uploads(datetime.timedelta(days=1))
