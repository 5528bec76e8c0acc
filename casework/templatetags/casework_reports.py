"""Template helpers of the periodic reports (casework.reports)."""

from django import template
from django.utils.translation import gettext as _

from casework import reports

register = template.Library()


@register.filter
def report_period(report) -> str:
    """The report's period as its .docx states it (casework.reports.period_text)."""
    return reports.period_text(report)


@register.filter
def report_name(report) -> str:
    """「2026年第四季度报告」: the period's label and 报告, once (the label
    already says 月/季度/年度)."""
    return _("%(period)s report") % {"period": report.period_label}
