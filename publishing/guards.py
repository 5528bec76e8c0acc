"""Admin paths that publish without the page editor's form: the bulk
"publish" action of the page listing. A clarification notice whose latest
revision still identifies someone (Art. 22) is refused there with a message,
instead of failing in the model's clean() at publication."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from publishing.anonymize import leak_summary
from publishing.models import ClarificationNoticePage


def unanonymized_notices(pages) -> list[tuple[ClarificationNoticePage, str]]:
    """(notice, what still identifies someone) for each clarification notice
    among ``pages`` whose latest revision would leak if published."""
    ids = [page.pk for page in pages]
    found = []
    for notice in ClarificationNoticePage.objects.filter(pk__in=ids):
        latest = notice.get_latest_revision_as_object()
        leaks = latest.leaks()
        if leaks:
            spans = [leak for field_leaks in leaks.values() for leak in field_leaks]
            found.append((notice, leak_summary(spans)))
    return found


def refuse_bulk_publishing_of_unanonymized_notices(
    request, action_type, objects, action_class_instance
):
    """``before_bulk_action`` hook: stop a bulk publish that includes a
    notice still naming a party or showing an ID, phone, plate … number."""
    if action_type != "publish":
        return None
    offending = unanonymized_notices(objects)
    if not offending:
        return None
    for notice, spans in offending:
        messages.error(
            request,
            _("“%(title)s” is not anonymized yet, cannot be published: %(spans)s.")
            % {"title": notice.title, "spans": spans},
        )
    return redirect(request.GET.get("next") or "wagtailadmin_explore_root")
