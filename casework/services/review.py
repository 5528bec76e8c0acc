"""Review (复核, Art. 19)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit import audited
from audit.models import Action as AuditAction
from casework import office_rules, roles
from casework.calendar import holiday_calendar
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
from portal.history import records_actor

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
    require(
        case.decided_on is not None,
        _("No decision has been made yet; a review cannot be requested."),
    )
    window = periods.review_request_deadline(
        decision_received_on, calendar=holiday_calendar()
    )
    require(
        requested_on <= window.end,
        _(
            "A review must be requested within 15 days of receiving the decision"
            " (until %(year)s-%(month)s-%(day)s)"
        )
        % {"year": window.end.year, "month": window.end.month, "day": window.end.day},
        source=Article(19),
    )
    require(grounds.strip(), _("Please enter the reasons for the review."))
    require(
        decision_received_on >= case.decided_on,
        _("The date the decision was received cannot be before the decision date."),
    )
    require(
        decision_received_on <= requested_on <= today(),
        _(
            "The review request date must be after the decision was received and no"
            " later than today."
        ),
    )
    require(
        not case.reviews.filter(result="").exists(),
        _("This case already has a pending review request."),
    )
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
        roles.is_reviewer(user) or roles.is_head(user),
        _("Only reviewers can decide a review."),
    )
    require_access(review.case, user)
    require_open(review.case)
    require(not review.result, _("This review has already been decided."))
    require(result in Review.Result.values, _("Please choose the review result."))
    require(reasons.strip(), _("Please enter the reasons for the review."))
    decided_on = decided_on or today()
    require(
        review.requested_on <= decided_on <= today(),
        _(
            "The review decision date must be after the request date and no later than"
            " today."
        ),
    )
    # Art. 19 says who may ask for a review, not who decides it: keeping the
    # investigators, determiners and the signer out is an office rule.
    case = review.case
    if office_rules.enabled("review_decider_independent"):
        require(
            independent_of(case, user),
            _(
                "Those who investigated, determined or signed the decision of this"
                " case do not decide its review"
            ),
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
                note=_("Review %(result)s: %(reasons)s")
                % {"result": review.get_result_display(), "reasons": reasons},
                system=True,
            )
    return review
