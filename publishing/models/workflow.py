"""The legal review step of the 政务公开发布审核 workflow, aware of
anonymization (Art. 22).

A clarification notice may be edited while it waits for the legal reviewer.
When the saved draft names someone again, Wagtail's approval would publish
that latest revision and fail in the notice's ``clean()`` with an error page.
This task refuses the approval first, and sends the reviewer to a page that
says, in Chinese, what still identifies someone.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


def unanonymized(page) -> str:
    """What the latest revision of ``page`` would publish that identifies
    someone, as one readable line; "" for other pages and clean notices."""
    from publishing.guards import unanonymized_notices

    found = unanonymized_notices([page])
    return found[0][1] if found else ""


class AnonymizationApprovalTask(AbstractGroupApprovalTask):
    """Group approval (法制审核) that will not publish a clarification notice
    whose latest revision still names a party or shows an ID-card, phone,
    plate … number."""

    class Meta:
        verbose_name = _("Legal review with anonymization check")
        verbose_name_plural = _("Legal reviews with anonymization check")

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            page = task_state.workflow_state.content_object
            if unanonymized(page):
                # The task stays in progress; the view the dashboard then
                # follows explains why (on_action has no request for a
                # message of its own).
                return reverse("publishing:approval_refused", args=(page.pk,))
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve; a clarification notice that "
            "still identifies someone cannot be approved."
        )
