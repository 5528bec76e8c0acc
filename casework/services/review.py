"""Review (复核, Art. 19)."""

from __future__ import annotations

from django.db import transaction

from audit import audited
from audit.models import Action as AuditAction
from casework import office_rules, roles
from casework.calendar import holiday_calendar
from casework.history import records_actor
from casework.models import (
    Determination,
    Review,
)
from casework.rules import periods
from casework.rules.provenance import Article, OfficeRule
from casework.rules.stages import Stage
from casework.services.common import (
    _today as today,
)
from casework.services.common import (
    require,
    require_access,
    require_officer,
    require_open,
)
from casework.services.transition import transition

# --- Review (复核, Art. 19) -----------------------------------------------------


def independent_of(case, user) -> bool:
    """Whether ``user`` took no part in investigating, determining or
    signing ``case`` (office rule ``review_decider_independent``)."""
    return not (
        case.assignments.filter(investigator=user).exists()
        or Determination.objects.filter(
            case_officer__case=case, created_by=user
        ).exists()
        or case.stage_changes.filter(to_stage=Stage.NOTIFIED, created_by=user).exists()
    )


def may_decide_review(case, user) -> bool:
    """Whether ``user`` may decide a review of ``case``: a reviewer or the
    head, independent of the case while the office rule says so. The case
    page offers the action only to them; decide_review() refuses the rest."""
    if not (roles.is_reviewer(user) or roles.is_head(user)):
        return False
    if office_rules.enabled("review_decider_independent"):
        return independent_of(case, user)
    return True


@records_actor
def request_review(
    case, *, user, applicant: str, decision_received_on, requested_on, grounds: str
) -> Review:
    require_officer(user)
    require_access(case, user)
    case = require_open(case)
    require(case.decided_on is not None, "尚未作出决定，不能申请复核。")
    window = periods.review_request_deadline(
        decision_received_on, calendar=holiday_calendar()
    )
    require(
        requested_on <= window.end,
        "复核申请应当在收到认定决定之日起15日内提出"
        f"（截止{window.end.year}年{window.end.month}月{window.end.day}日）",
        source=Article(19),
    )
    require(grounds.strip(), "请填写复核理由。")
    require(
        decision_received_on >= case.decided_on,
        "收到认定决定的日期不能早于决定日期。",
    )
    require(
        decision_received_on <= requested_on <= today(),
        "复核申请日期应在收到认定决定之后、且不晚于今天。",
    )
    require(not case.reviews.filter(result="").exists(), "本案已有待决的复核申请。")
    return Review.objects.create(
        case=case,
        applicant=applicant,
        decision_received_on=decision_received_on,
        requested_on=requested_on,
        grounds=grounds,
        decision_due=periods.review_decision_deadline(
            requested_on, calendar=holiday_calendar()
        ).end,
        created_by=user,
    )


@records_actor
@audited(
    AuditAction.CASE_REVIEW,
    target=lambda review, **kw: review.case,
    detail=lambda result, kw: {"result": result.result},
)
def decide_review(
    review: Review, *, user, result: str, reasons: str, decided_on=None
) -> Review:
    """Decide a review; a changed or revoked result reopens the determination."""
    require(
        roles.is_reviewer(user) or roles.is_head(user), "只有复核人员可以作出复核决定。"
    )
    require_access(review.case, user)
    require_open(review.case)
    require(not review.result, "该复核已作出决定。")
    require(result in Review.Result.values, "请选择复核结果。")
    require(reasons.strip(), "请填写复核理由。")
    decided_on = decided_on or today()
    require(
        review.requested_on <= decided_on <= today(),
        "复核决定日期应在申请日期之后、且不晚于今天。",
    )
    # Art. 19 says who may ask for a review, not who decides it: keeping the
    # investigators, determiners and the signer out is an office rule.
    case = review.case
    if office_rules.enabled("review_decider_independent"):
        require(
            independent_of(case, user),
            "参与本案调查、认定或签发决定的人员不作出复核决定",
            source=OfficeRule("review_decider_independent"),
        )
    case = review.case
    with transaction.atomic():
        review.result = result
        review.reasons = reasons
        review.decided_on = decided_on
        review.decided_by = user
        review.save()
        if result != Review.Result.UPHELD and case.stage in (
            Stage.NOTIFIED,
            Stage.CORRECTING,
        ):
            transition(
                case,
                Stage.DETERMINED,
                user=user,
                note=f"复核{review.get_result_display()}：{reasons}",
                system=True,
            )
    return review
