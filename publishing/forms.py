"""Admin forms: the clarification notice form that redacts on request and
refuses to send a notice on towards publication while it still identifies
someone (Art. 22)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from publishing.anonymize import (
    NOTICE_FIELDS,
    leak_summary,
    names_from_text,
    notice_leaks,
    redact,
)

# Buttons of the page editor that move a page towards the public: publish,
# submit to the moderation workflow, a workflow action (approve), and the
# scheduled-publishing form that is saved with them.
_PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")

__all__ = ["ClarificationNoticeForm", "leak_summary", "names_from_text"]


class ClarificationNoticeForm(WagtailAdminPageForm):
    redact_now = forms.BooleanField(
        label=_("Anonymize the text when saving"),
        required=False,
        help_text=_(
            "Shortens the parties' names to surname + 某 and masks ID-card, "
            "telephone, credit-code, plate and e-mail numbers."
        ),
    )

    def _moves_towards_publication(self) -> bool:
        data = self.data or {}
        if data.get("workflow-action-name") == "reject":
            return False
        return any(data.get(action) for action in _PUBLISHING_ACTIONS)

    def clean(self):
        cleaned = super().clean()
        party_names = cleaned.get("party_names", "")
        names = names_from_text(party_names)
        if cleaned.get("redact_now"):
            for field in NOTICE_FIELDS:
                if cleaned.get(field):
                    cleaned[field] = redact(cleaned[field], names)
        # What the gate examines, as submitted (after any redaction): the
        # anonymization panel shows the same (publishing.panels), even when
        # the form is refused and the page keeps its saved text.
        self.examined = (
            {field: cleaned.get(field) or "" for field in NOTICE_FIELDS},
            party_names,
        )
        if self._moves_towards_publication():
            for field, leaks in notice_leaks(*self.examined).items():
                self.add_error(
                    field,
                    _(
                        "Not anonymized yet, so it cannot be published: %(spans)s. "
                        "Tick “Anonymize the text when saving” or edit the text."
                    )
                    % {"spans": leak_summary(leaks)},
                )
        return cleaned
