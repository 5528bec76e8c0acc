"""What the reporter's status page shows (Art. 22), in one place for the
public page (reporting.views) and the staff's preview of it on the report's
admin page (reporting.admin_views), so neither view module imports the other.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext

from reporting import challenge, rules
from reporting.models import Report

__all__ = ["challenge_context", "status_context"]


def challenge_context() -> dict:
    """A fresh proof-of-work challenge for a public form (reporting.challenge)."""
    return {"challenge_json": json.dumps(challenge.issue())}


def status_context(report: Report, reply_form) -> dict:
    """What the reporter may see: status, dates, the feedback owed and the
    thread. Never investigators, officers, internal notes or other reports.
    ``reply_form`` is None where no reply can be sent (the staff's preview)."""
    case = report.case
    state = rules.public_status(
        closed=report.closed_at is not None,
        has_case=case is not None,
        case_stage=case.stage if case else None,
        triaged=report.triaged_at is not None,
    )
    dates = {
        rules.PublicStatus.RECEIVED: report.submitted_at,
        rules.PublicStatus.VERIFYING: report.triaged_at,
        rules.PublicStatus.DETERMINED: case.decided_on if case else None,
        rules.PublicStatus.CLOSED: report.closed_at,
    }
    released = report.feedback_released_at is not None
    return {
        "report": report,
        "state": state,
        "state_label": rules.PublicStatus.LABELS[state],
        "steps": rules.status_steps(state, dates),
        "released": released,
        "outcome_label": report.get_outcome_display() if released else "",
        "messages_thread": list(report.messages.all()),
        "own_files": [a for a in report.attachments.all() if a.message_id is None],
        "reply_form": reply_form,
        "page_title": gettext("Progress of the report"),
        **challenge_context(),
    }
