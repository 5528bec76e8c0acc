"""Decision (Art. 17-18): extension of the investigation period, the
determination for each person and the service of the decision."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from audit import audited
from audit.models import Action as AuditAction
from casework import office_rules, roles
from casework.models import (
    Determination,
    Extension,
    Notification,
    SupervisionCase,
)
from casework.rules import periods
from casework.rules.articles import (
    Effect,
    Outcome,
    effect,
    is_error,
    is_exemption,
    validate_basis,
)
from casework.rules.provenance import Article, OfficeRule, Reading, sourced
from casework.rules.repeat import EarlierDetermination, finding_problems
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
from casework.services.time_limits import (
    approved_extension_days,
    decision_deadline,
    refresh_deadlines,
)
from portal import clock
from portal.history import records_actor


def _require_extendable(case, days: int, *, pending=None) -> None:
    """An extension is asked for and approved while the period runs, and the
    approved total stays within 30 days (Art. 17). ``pending`` is the request
    being decided, left out of the pending total."""
    due = decision_deadline(case)
    require(
        today() <= due.end,
        _(
            "The time limit expired on %(date)s; an expired time limit cannot be"
            " extended, and the case is still shown as overdue"
        )
        % {"date": clock.cn_date(due.end)},
        source=Reading("extension_within_period"),
    )
    approved = approved_extension_days(case)
    waiting = sum(
        e.days
        for e in case.extensions.filter(status=Extension.Status.PENDING)
        if pending is None or e.pk != pending.pk
    )
    require(
        approved + waiting + days <= periods.EXTENSION_MAX_DAYS,
        _(
            "Extensions may not exceed 30 days in total (%(approved)s days approved,"
            " %(waiting)s days pending, %(days)s days now)"
        )
        % {"approved": approved, "waiting": waiting, "days": days},
        source=Article(17),
    )


@records_actor
def request_extension(case, *, user, days: int, reason: str) -> Extension:
    """Ask for an extension of the decision period (Art. 17): while the
    period runs, at most 30 days in total; how many requests a case may make
    is the office rule ``extension_requests_max``."""
    require_officer(user)
    require_access(case, user)
    case = require_open(case)
    require(
        case.decided_on is None,
        _("The investigation period of a decided case cannot be extended."),
    )
    require(
        1 <= days <= periods.EXTENSION_MAX_DAYS,
        _("An extension may not exceed 30 days"),
        source=Article(17),
    )
    require(reason.strip(), _("Please give the reasons why the case is complex."))
    _require_extendable(case, days)
    # Art. 17 caps the length of the extension, not the number of requests:
    # how many the office entertains is its own rule.
    limit = office_rules.value("extension_requests_max")
    require(
        case.extensions.exclude(status=Extension.Status.REJECTED).count() < limit,
        _(
            "This case already has %(limit)s extension requests (pending or"
            " approved); no more are accepted"
        )
        % {"limit": limit},
        source=OfficeRule("extension_requests_max"),
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
    """The head decides (Art. 17: 经负责人批准); approval only while the
    period still runs (reading ``extension_within_period``)."""
    require_open(extension.case)
    if approve and extension.status == Extension.Status.PENDING:
        # Approving after expiry would revive a period that has run out.
        _require_extendable(extension.case, extension.days, pending=extension)
    with transaction.atomic():
        _decide(
            extension,
            case=extension.case,
            user=user,
            approve=approve,
            label=_("extension request"),
            own=extension.created_by_id == user.pk,
            own_message=_("You cannot approve an extension request you made yourself."),
            # Art. 17 names the head: "经负责人批准可以延长".
            head=Article(17),
        )
        refresh_deadlines(extension.case)
    return extension


# --- Determination (认定) -------------------------------------------------------


# The Art. 10 outcomes (and the exemption among them): what a finding under
# Art. 12(5) rules out. Art. 11 mitigation stays open (casework.rules.repeat).
TOLERANT_OUTCOMES = (Outcome.EXEMPT, Outcome.LIGHTER, Outcome.REDUCED)


def prior_determinations(case_officer, before=None) -> list[Determination]:
    """The person's earlier determinations in other cases, decided on or
    before ``before`` (today by default), oldest first: what the office looks
    at to find whether Art. 12(5) applies. Every error type is listed; a
    matching one is a hint, not the test."""
    return list(
        Determination.objects.filter(
            case_officer__officer=case_officer.officer,
            decided_on__lte=before or today(),
        )
        .exclude(case_officer__case=case_officer.case)
        .select_related("case_officer__case")
        .order_by("decided_on", "pk")
    )


def prior_exemptions(case_officer, before=None) -> list[Determination]:
    """The earlier ones that were 容错免责 (reading ``exemption_meaning``: an
    exemption only), the second limb of Art. 12(5)."""
    return [
        d for d in prior_determinations(case_officer, before) if is_exemption(d.outcome)
    ]


def _earlier(determinations) -> list[EarlierDetermination]:
    # Art. 12(5) second limb: "给予容错免责处理后" counts from the earlier
    # decision (the case's supervision decision), not from the day the
    # determination was drafted.
    return [
        EarlierDetermination(
            case_number=d.case_officer.case.number,
            outcome=d.outcome,
            error_type=d.case_officer.error_type,
            decided_on=d.case_officer.case.decided_on or d.decided_on,
            exempted=is_exemption(d.outcome),
        )
        for d in determinations
    ]


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
    repeat_finding: str = "",
    repeat_reasons: str = "",
    repeat_conduct_on=None,
    liability_referred_to: str = "",
) -> Determination:
    """Record the determination for one person (Art. 9-12, 18, Art. 2).

    The person's earlier determinations are found and kept with it; whether
    Art. 12(5) applies is the office's finding (``repeat_finding`` with
    ``repeat_reasons``, casework.rules.repeat): where it applies no Art. 10
    outcome or exemption can be chosen, Art. 11 mitigation can. Every outcome
    other than an exemption or duty fulfilled goes to the error-liability
    procedure (Art. 18; reading ``exemption_meaning`` for 从轻/减轻).
    """
    case = SupervisionCase.objects.get(pk=case_officer.case_id)
    require(
        roles.is_officer(user),
        _("Only staff of the supervision office can make a determination."),
    )
    require_access(case, user)
    require(
        case.stage == Stage.DETERMINED,
        _("The case must be at the determination stage to make a determination."),
    )
    basis = list(dict.fromkeys(basis))
    errors = validate_basis(outcome, basis)
    for label, answer in (
        (_("reform exploration vs. knowing violation"), distinction_reform),
        (_("exploratory trial vs. express prohibition"), distinction_exploration),
        (_("unintentional fault vs. seeking private gain"), distinction_intent),
    ):
        if not answer.strip():
            errors.append(
                sourced(
                    Article(2),
                    _(
                        "Please give reasons for the distinction between %(label)s"
                        " under the three distinctions"
                    )
                    % {"label": label},
                )
            )
    if not facts.strip():
        errors.append(_("Please enter the facts found."))
    earlier = prior_determinations(case_officer, before=decided_on or today())
    known = outcome in {member.value for member in Outcome}
    if known:
        errors += finding_problems(
            outcome=outcome,
            basis=basis,
            finding=repeat_finding,
            reasons=repeat_reasons,
            conduct_on=repeat_conduct_on,
            earlier=_earlier(earlier),
            finding_required=office_rules.enabled("repeat_finding_required"),
        )
    if known and is_error(outcome) and not liability_referred_to.strip():
        errors.append(
            sourced(
                Article(18)
                if effect(outcome) == Effect.LIABILITY
                else Reading("exemption_meaning"),
                _(
                    "Without exemption (including lighter or reduced liability),"
                    " fault liability is pursued under the enforcement fault"
                    " liability procedure; please enter the body it is referred to"
                ),
            )
        )
    if errors:
        refuse(*errors)
    decided_on = decided_on or today()
    _require_case_date(decided_on, case, _("date of determination"))
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
                "prior_exemptions": [
                    d.case_officer.case.number
                    for d in earlier
                    if is_exemption(d.outcome)
                ],
                "prior_determinations": [
                    {
                        "case": d.case_officer.case.number,
                        "outcome": d.outcome,
                        "error_type": d.case_officer.error_type,
                        "decided_on": d.decided_on.isoformat(),
                    }
                    for d in earlier
                ],
                "repeat_finding": repeat_finding,
                "repeat_reasons": repeat_reasons.strip(),
                "repeat_conduct_on": repeat_conduct_on,
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
    require(
        case.decided_on is not None,
        _("No decision has been made yet; nothing can be served."),
    )
    require(
        served_on >= case.decided_on,
        _("The date of service cannot be before the decision date."),
    )
    require(served_on <= today(), _("The date of service cannot be after today."))
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
