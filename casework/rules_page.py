"""本机构工作规则与理解: the office rules, the readings and the measure's
validity in one read-only page for the head (and superusers).

Office rules are data (settings ``CASEWORK_OFFICE_RULES``, described in
``casework.rules.provenance``); readings give way to the district justice
bureau's interpretation (Art. 23). Near or past the measure's expiry (Art. 24)
the page lists the cases still open that were filed under it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from casework import office_rules, roles, validity
from casework.models import MeasureValidity
from casework.rules.provenance import INTERPRETATION_NOTE, READINGS


def may_see(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or roles.is_head(user)


def _value_label(row) -> str:
    value = row.value
    if row.spec.kind == "switch":
        return _("On") if value else _("Off")
    if row.spec.kind == "number":
        return str(value)
    return (
        str(value) if not isinstance(value, bool) else (_("Yes") if value else _("No"))
    )


def office_rules_view(request):
    if not may_see(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = [
        {
            "key": row.spec.key,
            "title": row.spec.title,
            "value": _value_label(row),
            "default": _value_label(office_rules.RuleRow(row.spec, row.spec.default)),
            "changed": row.changed,
            "reason": row.spec.reason,
            "leaves_room": row.spec.leaves_room.label,
            "kind": {
                "switch": _("Switch"),
                "number": _("Number"),
                "fixed": _("Working method"),
            }[row.spec.kind],
        }
        for row in office_rules.rows()
    ]
    readings = [
        {
            "key": spec.key,
            "title": spec.title,
            "articles": "、".join(article.label for article in spec.articles),
            "text": spec.text,
        }
        for spec in READINGS.values()
    ]
    notice = validity.expiry_notice(today)
    expiring = []
    if notice is not None:
        expiring = list(validity.open_cases_at_expiry(notice.measure, request.user))
    return TemplateResponse(
        request,
        "casework/admin/office_rules.html",
        {
            "rules": rows,
            "readings": readings,
            "interpretation_note": INTERPRETATION_NOTE,
            "measures": MeasureValidity.objects.all(),
            "notice": notice,
            "expiring_cases": expiring,
            "today": today,
        },
    )


class ValidityBanner(Component):
    """From ``validity_warning_days`` before the measure expires (office
    rule), the admin home says so first; the head sees the open cases."""

    name = "casework_validity"
    order = 5

    def __init__(self, notice, open_count: int | None):
        self.notice = notice
        self.open_count = open_count

    def render_html(self, parent_context=None):
        extra = ""
        if self.open_count is not None:
            extra = _(
                "%(count)s cases filed under the measure are still not archived."
            ) % {"count": self.open_count}
        heading = _("Measure validity reminder")
        return format_html(
            '<section class="panel casework-warning" role="alert" '
            'aria-label="{}"><p><strong>{}</strong>{} {}</p></section>',
            heading,
            heading,
            _("(office rule): %(notice)s") % {"notice": self.notice.text},
            extra,
        )


def validity_banner(user):
    """The banner for ``user``'s admin home, or None."""
    notice = validity.expiry_notice(timezone.localdate())
    if notice is None:
        return None
    open_count = (
        validity.open_cases_at_expiry(notice.measure, user).count()
        if may_see(user)
        else None
    )
    return ValidityBanner(notice, open_count)
