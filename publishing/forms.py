"""Admin forms: the clarification notice form that redacts on request and
refuses to send a notice on towards publication while it still identifies
someone (Art. 22)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from publishing.anonymize import find_leaks, redact

# Buttons of the page editor that move a page towards the public: publish,
# submit to the moderation workflow, a workflow action (approve), and the
# scheduled-publishing form that is saved with them.
_PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")


def names_from_text(raw: str) -> list[str]:
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


def leak_summary(leaks) -> str:
    return "；".join(f"{leak.label}“{leak.text}”" for leak in leaks)


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
        names = names_from_text(cleaned.get("party_names", ""))
        if cleaned.get("redact_now"):
            for field in ("title", "body"):
                if cleaned.get(field):
                    cleaned[field] = redact(cleaned[field], names)
        if self._moves_towards_publication():
            for field in ("title", "body"):
                leaks = find_leaks(cleaned.get(field, ""), names)
                if leaks:
                    self.add_error(
                        field,
                        _(
                            "Not anonymized yet, so it cannot be published: %(spans)s. "
                            "Tick “Anonymize the text when saving” or edit the text."
                        )
                        % {"spans": leak_summary(leaks)},
                    )
        return cleaned
