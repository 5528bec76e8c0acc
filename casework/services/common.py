"""Shared pieces of the casework services: the error, the public guards other
plugins call (``refuse``, ``require``, ``require_officer``, ``require_head``,
``require_open``, ``require_access``) and private helpers of the stage modules.
"""

from __future__ import annotations

import datetime
import sys

from django.core.exceptions import ValidationError
from django.utils import timezone

from casework import roles
from casework.models import SupervisionCase

CASE_NUMBER_FORMAT = "历城执监〔{year}〕第{sequence}号"


class CaseworkError(ValidationError):
    """A refused casework operation; ``messages`` are shown to the user."""


def refuse(*messages: str):
    """Refuse an operation with Chinese messages (public guard API)."""
    raise CaseworkError(list(messages))


def require(condition: bool, message: str) -> None:
    """Refuse with ``message`` unless ``condition`` holds (public guard API)."""
    if not condition:
        refuse(message)


def require_officer(user) -> None:
    require(roles.is_officer(user), "只有监督机构工作人员可以办理此事项。")


def require_head(user) -> None:
    require(roles.is_head(user), "此事项须经监督机构负责人批准。")


def require_open(case: SupervisionCase) -> SupervisionCase:
    """Refuse writes to an archived case; return the case as the database has
    it now, since the caller's object may predate a transition."""
    fresh = SupervisionCase.objects.get(pk=case.pk)
    require(not fresh.is_archived, "案件已归档，案卷只读，不能再修改。")
    return fresh


def require_access(case: SupervisionCase, user) -> None:
    # The recusal rule binds the service layer too, not only the lists.
    require(
        SupervisionCase.objects.visible_to(user).filter(pk=case.pk).exists(),
        "您无权办理此案件（可能已回避）。",
    )


def _require_case_date(day, case: SupervisionCase, label: str) -> None:
    """A date recorded on a case lies between its filing and today."""
    require(day is not None, f"请填写{label}。")
    require(day >= case.filed_on, f"{label}不能早于立案日期。")
    require(day <= _today(), f"{label}不能晚于今天。")


def _decide(request, *, case, user, approve: bool, label, own, own_message) -> None:
    """Approve or reject a pending request (ApprovalRequest): only the head,
    only once, never their own (Art. 16, 17, 20)."""
    require_head(user)
    require_access(case, user)
    require(request.status == request.Status.PENDING, f"该{label}已处理。")
    require(not own, own_message)
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
