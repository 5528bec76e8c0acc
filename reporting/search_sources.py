"""What the staff search shows from the reporting plugin (the search
plugin's ``register_staff_search_sources`` contract, registered by
``reporting/wagtail_hooks.py``)."""

from django.utils.translation import gettext

from reporting.models import Report


def reporting_staff_search_sources():
    """Reports in the staff search, through the inbox's permission queryset."""
    return [
        {
            "key": "report",
            "label": gettext("reports"),
            "model": Report,
            "queryset": lambda user: Report.objects.visible_to(user),
        }
    ]
