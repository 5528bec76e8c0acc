"""Decision (Art. 17-18): extension of the investigation period, the
determination for each person and the service of the decision."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
from casework.history import records_actor
from casework.models import (
    Determination,
    Extension,
    Notification,
    SupervisionCase,
)
from casework.rules import periods
from casework.rules.articles import Outcome, is_error, validate_basis
from casework.rules.stages import Stage
from casework.services.common import (
    _decide,
    _require_case_date,
    refuse,
    require,
    require_access,
    require_officer,
    require_open,
)
from casework.services.common import (
    _today as today,
)
from casework.services.time_limits import refresh_deadlines


@records_actor
def request_extension(case, *, user, days: int, reason: str) -> Extension:
    """Ask for the one extension Art. 17 allows (at most 30 days)."""
    require_officer(user)
    require_access(case, user)
    case = require_open(case)
    require(case.decided_on is None, "已作出决定的案件不能延长调查期限。")
    require(1 <= days <= periods.EXTENSION_MAX_DAYS, "延长期限为1至30日（第十七条）。")
    require(reason.strip(), "请说明情况复杂的理由。")
    require(
        not case.extensions.exclude(status=Extension.Status.REJECTED).exists(),
        "第十七条只允许延长一次，本案已申请或已批准延长。",
    )
    return Extension.objects.create(
        case=case, days=days, reason=reason, created_by=user
    )


@records_actor
@audited(
    AuditAction.CASE_EXTENSION,
    target=lambda extension, **kw: extension.case,
    detail=lambda result, kw: {"status": result.status},
)
def decide_extension(extension: Extension, *, user, approve: bool) -> Extension:
    """The head approves the one extension Art. 17 allows; not their own."""
    require_open(extension.case)
    with transaction.atomic():
        _decide(
            extension,
            case=extension.case,
            user=user,
            approve=approve,
            label="延期申请",
            own=extension.created_by_id == user.pk,
            own_message="不能批准本人提出的延期申请。",
        )
        refresh_deadlines(extension.case)
    return extension


# --- Determination (认定) -------------------------------------------------------


# Outcomes that tolerate the error (Art. 10): what Art. 12(5) refuses to a
# person who repeats a mistake already tolerated once.
TOLERANT_OUTCOMES = (Outcome.EXEMPT, Outcome.LIGHTER, Outcome.REDUCED)


def prior_exemptions(case_officer, before=None) -> list[Determination]:
    """Earlier exemptions of the same person for the same error type (Art. 12(5)),
    decided before ``before`` (today by default) in other cases."""
    return list(
        Determination.objects.filter(
            case_officer__officer=case_officer.officer,
            case_officer__error_type=case_officer.error_type,
            outcome=Outcome.EXEMPT,
            decided_on__lte=before or today(),
        )
        .exclude(case_officer__case=case_officer.case)
        .select_related("case_officer__case")
    )


@records_actor
@audited(
    AuditAction.CASE_DETERMINATION,
    target=lambda case_officer, **kw: case_officer.case,
    detail=lambda result, kw: {
        "case_officer": result.case_officer_id,
        "outcome": result.outcome,
        "basis": result.basis,
    },
)
def determine(
    case_officer,
    *,
    user,
    outcome: str,
    basis: Iterable[str],
    facts: str,
    distinction_reform: str,
    distinction_exploration: str,
    distinction_intent: str,
    decided_on=None,
    override_reason: str = "",
    liability_referred_to: str = "",
) -> Determination:
    """Record the determination for one person (Art. 9-12, 18, Art. 2).

    An exemption is refused when the person was exempted before for the same
    error type (Art. 12(5)) unless the head overrides with a reason. No
    tolerance hands the person to the error-liability procedure (Art. 18).
    """
    case = SupervisionCase.objects.get(pk=case_officer.case_id)
    require(roles.is_officer(user), "只有监督机构工作人员可以作出认定。")
    require_access(case, user)
    require(case.stage == Stage.DETERMINED, "案件须处于“认定”阶段才能作出认定。")
    basis = list(dict.fromkeys(basis))
    errors = validate_basis(outcome, basis)
    for label, answer in (
        ("改革探索与明知故犯", distinction_reform),
        ("探索性试验与明令禁止", distinction_exploration),
        ("无意过失与谋取私利", distinction_intent),
    ):
        if not answer.strip():
            errors.append(f"请就“三个区分开来”中{label}的区分说明理由（第二条）。")
    if not facts.strip():
        errors.append("请填写认定的事实。")
    earlier = prior_exemptions(case_officer, before=decided_on or today())
    tolerant = outcome in TOLERANT_OUTCOMES
    if tolerant and earlier:
        numbers = "、".join(d.case_officer.case.number for d in earlier)
        if not override_reason.strip():
            errors.append(
                f"该人员曾因同类问题予以容错免责（{numbers}），依第十二条第（五）项不予容错；"
                "如确需免责，须由负责人填写理由后决定。"
            )
        elif not roles.is_head(user):
            errors.append("超越第十二条第（五）项的免责决定只能由负责人作出。")
    if is_error(outcome) and not liability_referred_to.strip():
        errors.append(
            "未予免责的（不予容错、从轻或减轻），应移送行政执法过错责任追究程序，"
            "请填写移送对象（第十八条）。"
        )
    if errors:
        refuse(*errors)
    decided_on = decided_on or today()
    _require_case_date(decided_on, case, "认定日期")
    with transaction.atomic():
        determination, _created = Determination.objects.update_or_create(
            case_officer=case_officer,
            defaults={
                "outcome": outcome,
                "basis": basis,
                "facts": facts,
                "distinction_reform": distinction_reform,
                "distinction_exploration": distinction_exploration,
                "distinction_intent": distinction_intent,
                "counts_as_error": is_error(outcome),
                "prior_exemptions": [d.case_officer.case.number for d in earlier],
                "override_reason": override_reason if (tolerant and earlier) else "",
                "override_by": (
                    user if (tolerant and earlier and override_reason) else None
                ),
                "liability_referred_on": decided_on if is_error(outcome) else None,
                "liability_referred_to": (
                    liability_referred_to if is_error(outcome) else ""
                ),
                "decided_on": decided_on,
                "round": case.decision_round,
                "created_by": user,
            },
        )
    return determination


# --- Notification (反馈) --------------------------------------------------------


@records_actor
def record_notification(
    case, *, user, recipient: str, is_party: bool, method: str, served_on
) -> Notification:
    """Serve the decision on a unit or party (Art. 17: within 7 days)."""
    require_officer(user)
    require_access(case, user)
    case = require_open(case)
    require(case.decided_on is not None, "尚未作出决定，不能送达。")
    require(served_on >= case.decided_on, "送达日期不能早于决定日期。")
    require(served_on <= today(), "送达日期不能晚于今天。")
    with transaction.atomic():
        notification = Notification.objects.create(
            case=case,
            recipient=recipient,
            is_party=is_party,
            method=method,
            served_on=served_on,
            round=case.decision_round,
            created_by=user,
        )
        if case.notified_on is None or served_on > case.notified_on:
            case.notified_on = served_on
            case.save(update_fields=["notified_on"])
    return notification
