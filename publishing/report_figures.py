"""The publishing plugin's figures in the periodic report (the casework
plugin's ``register_periodic_report_figures`` contract, registered by
``publishing/wagtail_hooks.py``)."""

from django.utils.translation import gettext

from publishing.models import ClarificationNoticePage


def clarification_notices_published(start, end):
    """Clarification notices (Art. 22) first published within [start, end],
    for the periodic report to the district government (Art. 19)."""
    count = ClarificationNoticePage.objects.filter(
        first_published_at__date__gte=start, first_published_at__date__lte=end
    ).count()
    return [(gettext("Clarification notices published"), count)]
