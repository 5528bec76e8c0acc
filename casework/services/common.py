"""Shared pieces of the casework services: the error, the public guards other
plugins call (``refuse``, ``require``, ``require_officer``, ``require_head``,
``require_open``, ``require_access``) and private helpers of the stage modules.
"""

from __future__ import annotations

import datetime
import sys

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import office_rules, roles
from casework.models import SupervisionCase
from casework.rules.provenance import Article, OfficeRule, Source, sourced

CASE_NUMBER_FORMAT = "历城执监〔{year}〕第{sequence}号"


class CaseworkError(ValidationError):
    """A refused casework operation; ``messages`` are shown to the user."""


def refuse(*messages: str, source: Source | None = None):
    """Refuse an operation with Chinese messages (public guard API).

    A refusal that rests on a rule names it: ``source`` is the article
    (``Article(16)``), office rule (``OfficeRule(key)``) or reading
    (``Reading(key)``) it rests on, and is appended to each message. Messages
    never cite an article in their own text (tests/casework/test_provenance
    walks every call); a refusal without a source is a data check, not a rule.
    """
    if source is not None:
        messages = tuple(sourced(source, message) for message in messages)
    raise CaseworkError(list(messages))


def require(condition: bool, message: str, source: Source | None = None) -> None:
    """Refuse with ``message`` unless ``condition`` holds (public guard API)."""
    if not condition:
        refuse(message, source=source)


def require_officer(user) -> None:
    require(
        roles.is_officer(user),
        _("Only staff of the supervision office may handle this matter."),
    )


def require_head(user, rule: str | None = None) -> None:
    """Only the head; ``rule`` names the office rule that says so where the
    measure names no one (Art. 17 names the head for an extension only)."""
    if rule is not None and not office_rules.enabled(rule):
        require_officer(user)
        return
    require(
        roles.is_head(user),
        _("This matter needs the approval of the head of the supervision office."),
        source=OfficeRule(rule) if rule else None,
    )


def require_open(case: SupervisionCase) -> SupervisionCase:
    """Refuse writes to an archived case; return the case as the database has
    it now, since the caller's object may predate a transition."""
    fresh = SupervisionCase.objects.get(pk=case.pk)
    require(
        not fresh.is_archived,
        _("The case is archived; its file is read-only and can no longer be changed."),
    )
    return fresh


def require_access(case: SupervisionCase, user) -> None:
    # The recusal rule binds the service layer too, not only the lists.
    require(
        SupervisionCase.objects.visible_to(user).filter(pk=case.pk).exists(),
        _("You may not handle this case (you may have recused yourself)."),
    )


def _require_case_date(day, case: SupervisionCase, label: str) -> None:
    """A date recorded on a case lies between its filing and today."""
    require(day is not None, _("Please enter the %(label)s.") % {"label": label})
    require(
        day >= case.filed_on,
        _("The %(label)s cannot be before the filing date.") % {"label": label},
    )
    require(
        day <= _today(), _("The %(label)s cannot be after today.") % {"label": label}
    )


def _decide(
    request, *, case, user, approve: bool, label, own, own_message, head
) -> None:
    """Approve or reject a pending request (ApprovalRequest): only once, never
    one's own (office rule ``no_self_approval``). ``head`` is the Article
    naming the head (Art. 17 for an extension) or the office rule that gives
    the decision to the head where the measure names no one."""
    if isinstance(head, Article):
        require(
            roles.is_head(user),
            _("This matter needs the approval of the head of the supervision office."),
            source=head,
        )
    else:
        require_head(user, rule=head)
    require_access(case, user)
    require(
        request.status == request.Status.PENDING,
        _("This %(label)s has already been decided.") % {"label": label},
    )
    if office_rules.enabled("no_self_approval"):
        require(not own, own_message, source=OfficeRule("no_self_approval"))
    request.status = request.Status.APPROVED if approve else request.Status.REJECTED
    request.decided_by = user
    request.decided_at = timezone.now()
    request.save()


def _lock(case: SupervisionCase) -> SupervisionCase:
    """Re-read the case under a row lock so concurrent actions serialise."""
    return SupervisionCase.objects.select_for_update().get(pk=case.pk)


def today() -> datetime.date:
    """Today in Beijing time (TIME_ZONE): the services' one clock."""
    return timezone.localdate()


def _today() -> datetime.date:
    # The stage modules read the clock through the package attribute
    # ``casework.services.today`` so that replacing it once (the tests' clock)
    # reaches every stage module, as it did when the services were one module.
    return sys.modules["casework.services"].today()
