"""The actions staff take on a case, in one registry: which form collects the
input, which service performs it, who may take it and in which stages. The
case page lists the actions open to the user; one view handles them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import forms, office_rules, roles, services
from casework.models import CorrectionExtension, SupervisionCase
from casework.rules.articles import Outcome, get_item
from casework.rules.stages import Stage, next_stages

S = Stage
OPEN_STAGES = (S.FILED, S.VERIFYING, S.DETERMINED, S.NOTIFIED, S.CORRECTING)
AFTER_DECISION = (S.DETERMINED, S.NOTIFIED, S.CORRECTING)


@dataclass(frozen=True)
class CaseAction:
    name: str
    label: str
    form_class: type[forms.CaseBoundForm]
    perform: Callable[[dict, SupervisionCase, object], object]
    who: Callable[[object], bool]
    stages: tuple[Stage, ...] = OPEN_STAGES
    group: str = gettext_lazy("Handling")
    # What the action works on must exist (a pending request, a running
    # appraisal...); None when the case itself is enough.
    pending: Callable[[SupervisionCase], object] | None = None
    # A check on this user and case that the service makes as well (review
    # independence, who may serve the decision): the case page offers the
    # action only where the service will not refuse the person.
    allowed: Callable[[object, SupervisionCase], bool] | None = None
    # Irreversible: the effect is stated on a confirmation page first.
    confirm: bool = False
    # What was done, for the message after it is done.
    done: Callable[[dict, SupervisionCase], str] | None = None

    def open_to(self, user, case: SupervisionCase) -> bool:
        """The one predicate for the case page's link and the action view."""
        return (
            case.stage in self.stages
            and self.who(user)
            and (self.allowed is None or self.allowed(user, case))
        )

    def has_work(self, case: SupervisionCase) -> bool:
        return self.pending is None or self.pending(case).exists()

    def done_message(self, data: dict, case: SupervisionCase) -> str:
        if self.done is not None:
            return self.done(data, case)
        return _("%(action)s: done and recorded in the case history.") % {
            "action": self.label
        }


def _person(user) -> str:
    return user.get_full_name() or user.username


def _day(value) -> str:
    return _("%(year)s-%(month)s-%(day)s") % {
        "year": value.year,
        "month": value.month,
        "day": value.day,
    }


def _choice(data: dict, field: str, form_class) -> str:
    """The label of the choice ``data[field]`` of ``form_class``."""
    choices = dict(form_class.base_fields[field].choices)
    return str(choices.get(data[field], data[field]))


def _activity(data, case, user):
    activity = services.record_activity(
        case,
        user=user,
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        summary=data["summary"],
        appraisal_body=data.get("appraisal_body") or "",
        appraisal_started_on=data.get("appraisal_started_on"),
        appraisal_ended_on=data.get("appraisal_ended_on"),
    )
    if data.get("attachment"):
        services.add_attachment(
            case,
            user=user,
            title=data["attachment"].name[:200],
            file=data["attachment"],
            activity=activity,
        )
    return activity


def _generate(data, case, user):
    from casework.documents import generate_document

    return generate_document(case, data["kind"], user=user)


def _officer_or_liaison(user) -> bool:
    return roles.is_officer(user) or roles.is_liaison(user)


def _reviewer(user) -> bool:
    return roles.is_reviewer(user) or roles.is_head(user)


def _head_by_rule(key: str) -> Callable[[object], bool]:
    """Who approves where the measure names no one: the head while office
    rule ``key`` says so, any supervision officer otherwise."""

    def who(user) -> bool:
        if office_rules.enabled(key):
            return roles.is_head(user)
        return roles.is_officer(user)

    return who


def _not_only_own(pending, own_field: str):
    """An approval is open while a pending request is not the user's own
    (office rule ``no_self_approval``, which the approving service applies
    with the same field)."""

    def allowed(user, case) -> bool:
        if not office_rules.enabled("no_self_approval"):
            return True
        return pending(case).exclude(**{own_field: user.pk}).exists()

    return allowed


ACTIONS: dict[str, CaseAction] = {
    action.name: action
    for action in [
        CaseAction(
            "assign",
            gettext_lazy("Assign investigator"),
            forms.AssignForm,
            lambda d, c, u: services.assign_investigator(
                c, d["investigator"], user=u, is_lead=d["is_lead"]
            ),
            roles.is_officer,
            group=gettext_lazy("Investigation"),
            done=lambda d, c: (
                (
                    _("%(person)s assigned as investigator of this case (lead).")
                    if d["is_lead"]
                    else _("%(person)s assigned as investigator of this case.")
                )
                % {"person": _person(d["investigator"])}
            ),
        ),
        CaseAction(
            "add_officer",
            gettext_lazy("Add officer concerned"),
            forms.AddOfficerForm,
            lambda d, c, u: services.add_officer(
                c, d["officer"], error_type=d["error_type"], user=u
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group=gettext_lazy("Investigation"),
            done=lambda d, c: (
                _("%(name)s added as an officer concerned.")
                % {"name": d["officer"].name}
            ),
        ),
        CaseAction(
            "recusal",
            gettext_lazy("Request or decide recusal"),
            forms.RecusalRequestForm,
            lambda d, c, u: services.request_recusal(
                c, d["person"], user=u, kind=d["kind"], reason=d["reason"]
            ),
            roles.is_officer,
            group=gettext_lazy("Investigation"),
        ),
        CaseAction(
            "recusal_decide",
            gettext_lazy("Decide on recusal"),
            forms.RecusalDecisionForm,
            lambda d, c, u: services.decide_recusal(
                d["target"], user=u, approve=d["approve"]
            ),
            _head_by_rule("recusal_decided_by_head"),
            group=gettext_lazy("Approval"),
            pending=lambda c: c.recusals.filter(status="pending"),
            confirm=True,
            done=lambda d, c: (
                _(
                    "Recusal approved (Art. 16); the recused person loses access "
                    "to this case at once (office rule: the head decides on an "
                    "investigator's recusal)."
                )
                if d["approve"]
                else _("Recusal refused.")
            ),
            allowed=_not_only_own(
                lambda c: c.recusals.filter(status="pending"), "person_id"
            ),
        ),
        CaseAction(
            "joint",
            gettext_lazy(
                "Ask the discipline inspection organ for a joint investigation"
            ),
            forms.JointInvestigationForm,
            lambda d, c, u: services.set_joint_investigation(
                c, user=u, counterpart=d["counterpart"], since=d["since"]
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group=gettext_lazy("Investigation"),
        ),
        CaseAction(
            "activity",
            gettext_lazy("Record investigation activity"),
            forms.ActivityForm,
            _activity,
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group=gettext_lazy("Investigation"),
            done=lambda d, c: (
                _("Investigation activity recorded: %(kind)s, %(date)s.")
                % {
                    "kind": _choice(d, "kind", forms.ActivityForm),
                    "date": _day(d["occurred_on"]),
                }
            ),
        ),
        CaseAction(
            "finish_appraisal",
            gettext_lazy("Appraisal finished"),
            forms.FinishAppraisalForm,
            lambda d, c, u: services.finish_appraisal(
                d["activity"], user=u, ended_on=d["ended_on"]
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group=gettext_lazy("Investigation"),
            pending=lambda c: c.activities.filter(
                kind="appraisal", appraisal_ended_on__isnull=True
            ),
        ),
        CaseAction(
            "attachment",
            gettext_lazy("Upload material"),
            forms.AttachmentForm,
            lambda d, c, u: services.add_attachment(
                c,
                user=u,
                title=d["title"],
                file=d["file"],
                visible_to_agency=d["visible_to_agency"],
            ),
            _officer_or_liaison,
            group=gettext_lazy("Materials"),
            done=lambda d, c: (
                (
                    _("Material “%(title)s” uploaded; the agency liaison can see it.")
                    if d["visible_to_agency"]
                    else _("Material “%(title)s” uploaded.")
                )
                % {"title": d["title"]}
            ),
        ),
        CaseAction(
            "statement",
            gettext_lazy("Record statement and defence"),
            forms.StatementForm,
            lambda d, c, u: services.record_statement(
                d["case_officer"],
                user=u,
                heard_on=d["heard_on"],
                content=d["content"],
                waived=d["waived"],
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group=gettext_lazy("Investigation"),
            pending=lambda c: c.case_officers.filter(statement__isnull=True),
            done=lambda d, c: (
                _("Statement and defence of %(name)s recorded.")
                % {"name": d["case_officer"].officer.name}
            ),
        ),
        CaseAction(
            "transfer",
            gettext_lazy("Transfer to the agency for its own investigation"),
            forms.TransferForm,
            lambda d, c, u: services.transfer_to_agency(
                c, user=u, reason=d["reason"], received_on=d["received_on"]
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group=gettext_lazy("Investigation"),
            confirm=True,
            done=lambda d, c: _(
                "Transferred to the agency for its own investigation; the "
                "agency is to complete handling within 30 days of receiving "
                "the transfer and file it within 7 days (Art. 15)."
            ),
        ),
        CaseAction(
            "transfer_result",
            gettext_lazy("File the result of the transfer"),
            forms.TransferResultForm,
            lambda d, c, u: services.record_transfer_result(
                d["transfer"],
                user=u,
                handled_on=d["handled_on"],
                result=d["result"],
                result_filed_on=d["result_filed_on"],
            ),
            _officer_or_liaison,
            stages=(S.FILED, S.VERIFYING),
            group=gettext_lazy("Investigation"),
            pending=lambda c: c.transfers.filter(result_filed_on__isnull=True),
        ),
        CaseAction(
            "hearing",
            gettext_lazy("Approve holding a hearing"),
            forms.HearingForm,
            lambda d, c, u: services.schedule_hearing(c, user=u, **d),
            _head_by_rule("hearing_approved_by_head"),
            stages=(S.VERIFYING,),
            group=gettext_lazy("Approval"),
            pending=lambda c: SupervisionCase.objects.filter(
                pk=c.pk, is_major_complex=True
            ),
        ),
        CaseAction(
            "hearing_record",
            gettext_lazy("Record hearing"),
            forms.HearingRecordForm,
            lambda d, c, u: services.record_hearing(
                d["hearing"], user=u, held_on=d["held_on"], minutes=d["minutes"]
            ),
            roles.is_officer,
            stages=(S.VERIFYING,),
            group=gettext_lazy("Investigation"),
            pending=lambda c: c.hearings.filter(held_on__isnull=True),
        ),
        CaseAction(
            "extension",
            gettext_lazy("Request extension of the handling period"),
            forms.ExtensionForm,
            lambda d, c, u: services.request_extension(
                c, user=u, days=d["days"], reason=d["reason"]
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING, S.DETERMINED),
            group=gettext_lazy("Deadline"),
            done=lambda d, c: (
                _(
                    "Extension of the handling period by %(days)s days requested; "
                    "awaiting the head's approval (Art. 17)."
                )
                % {"days": d["days"]}
            ),
        ),
        CaseAction(
            "extension_decide",
            gettext_lazy("Decide on extension"),
            forms.ExtensionDecisionForm,
            lambda d, c, u: services.decide_extension(
                d["target"], user=u, approve=d["approve"]
            ),
            roles.is_head,
            stages=(S.FILED, S.VERIFYING, S.DETERMINED),
            group=gettext_lazy("Approval"),
            pending=lambda c: c.extensions.filter(status="pending"),
            confirm=True,
            done=lambda d, c: (
                _(
                    "Extension of the handling period approved (Art. 17); the "
                    "deadlines table shows the extended due date."
                )
                if d["approve"]
                else _("Extension of the handling period refused.")
            ),
            allowed=_not_only_own(
                lambda c: c.extensions.filter(status="pending"), "created_by_id"
            ),
        ),
        CaseAction(
            "determine",
            gettext_lazy("Make determination"),
            forms.DeterminationForm,
            lambda d, c, u: services.determine(d.pop("case_officer"), user=u, **d),
            roles.is_officer,
            stages=(S.DETERMINED,),
            group=gettext_lazy("Determination"),
            confirm=True,
            done=lambda d, c: (
                _("Determination made on %(name)s: %(outcome)s.")
                % {
                    "name": d["case_officer"].officer.name,
                    "outcome": Outcome(d["outcome"]).label,
                }
            ),
        ),
        CaseAction(
            "act_finding",
            gettext_lazy("Find whether the enforcement act was unlawful or improper"),
            forms.ActFindingForm,
            lambda d, c, u: services.record_act_finding(
                c,
                user=u,
                finding=d["finding"],
                reasons=d["reasons"],
                found_on=d["found_on"],
            ),
            roles.is_officer,
            stages=(S.VERIFYING, *AFTER_DECISION),
            group=gettext_lazy("Determination"),
            done=lambda d, c: (
                _("The supervised enforcement act was found: %(finding)s.")
                % {"finding": _choice(d, "finding", forms.ActFindingForm)}
            ),
        ),
        CaseAction(
            "document",
            gettext_lazy("Generate document"),
            forms.DocumentForm,
            _generate,
            roles.is_officer,
            stages=AFTER_DECISION,
            group=gettext_lazy("Determination"),
            confirm=True,
            done=lambda d, c: (
                _(
                    "《%(kind)s》 generated and numbered; listed under "
                    "“Documents and service”."
                )
                % {"kind": _choice(d, "kind", forms.DocumentForm)}
            ),
        ),
        CaseAction(
            "notify",
            gettext_lazy("Record service"),
            forms.NotificationForm,
            lambda d, c, u: services.record_notification(c, user=u, **d),
            roles.is_officer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group=gettext_lazy("Feedback"),
            done=lambda d, c: (
                _(
                    "Service of the decision on %(recipient)s on %(date)s recorded; "
                    "their period to apply for review is 15 days from receipt, "
                    "listed in the deadlines table (Art. 19)."
                )
                % {"date": _day(d["served_on"]), "recipient": d["recipient"]}
            ),
        ),
        CaseAction(
            "review_request",
            gettext_lazy("Register review application"),
            forms.ReviewRequestForm,
            lambda d, c, u: services.request_review(c, user=u, **d),
            roles.is_officer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group=gettext_lazy("Review"),
            done=lambda d, c: (
                _(
                    "Review application of %(applicant)s registered; the review "
                    "decision is due within 30 days (Art. 19)."
                )
                % {"applicant": d["applicant"]}
            ),
        ),
        CaseAction(
            "review_decide",
            gettext_lazy("Make review decision"),
            forms.ReviewDecisionForm,
            lambda d, c, u: services.decide_review(d.pop("review"), user=u, **d),
            _reviewer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group=gettext_lazy("Review"),
            pending=lambda c: c.reviews.filter(result=""),
            allowed=lambda u, c: services.may_decide_review(c, u),
            confirm=True,
            done=lambda d, c: (
                _("Review decision made: %(result)s.")
                % {"result": _choice(d, "result", forms.ReviewDecisionForm)}
            ),
        ),
        CaseAction(
            "correction",
            gettext_lazy("Require correction"),
            forms.CorrectionForm,
            lambda d, c, u: services.order_correction(c, user=u, **d),
            roles.is_officer,
            stages=AFTER_DECISION,
            group=gettext_lazy("Correction"),
            confirm=True,
            done=lambda d, c: (
                _(
                    "Correction required; the rectification period runs to "
                    "%(date)s (Art. 20)."
                )
                % {"date": _day(d["deadline"])}
            ),
        ),
        CaseAction(
            "correction_progress",
            gettext_lazy("Report rectification progress"),
            forms.CorrectionProgressForm,
            lambda d, c, u: services.report_correction_progress(
                d.pop("correction"), user=u, **d
            ),
            _officer_or_liaison,
            stages=(S.NOTIFIED, S.CORRECTING),
            group=gettext_lazy("Correction"),
            pending=lambda c: c.corrections.exclude(status="verified"),
            done=lambda d, c: _("Rectification progress reported."),
        ),
        CaseAction(
            "correction_extension",
            gettext_lazy("Request extension of the rectification period"),
            forms.CorrectionExtensionForm,
            lambda d, c, u: services.request_correction_extension(
                d.pop("correction"), user=u, **d
            ),
            _officer_or_liaison,
            stages=(S.NOTIFIED, S.CORRECTING),
            group=gettext_lazy("Correction"),
            pending=lambda c: c.corrections.exclude(status="verified"),
        ),
        CaseAction(
            "correction_extension_decide",
            gettext_lazy("Decide on extension of the rectification period"),
            forms.CorrectionExtensionDecisionForm,
            lambda d, c, u: services.decide_correction_extension(
                d["target"], user=u, approve=d["approve"]
            ),
            _head_by_rule("correction_extension_by_head"),
            stages=(S.NOTIFIED, S.CORRECTING),
            group=gettext_lazy("Approval"),
            pending=lambda c: CorrectionExtension.objects.filter(
                correction__case=c, status="pending"
            ),
            confirm=True,
            done=lambda d, c: (
                _(
                    "Extension of the rectification period approved; the "
                    "deadlines table is updated."
                )
                if d["approve"]
                else _("Extension of the rectification period refused.")
            ),
            allowed=_not_only_own(
                lambda c: CorrectionExtension.objects.filter(
                    correction__case=c, status="pending"
                ),
                "created_by_id",
            ),
        ),
        CaseAction(
            "correction_verify",
            gettext_lazy("Verify rectification complete"),
            forms.CorrectionVerifyForm,
            lambda d, c, u: services.verify_correction(
                d["correction"], user=u, verified_on=d["verified_on"]
            ),
            roles.is_officer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group=gettext_lazy("Correction"),
            pending=lambda c: c.corrections.filter(status="reported"),
            confirm=True,
            done=lambda d, c: (
                _("Rectification verified as complete (%(date)s).")
                % {"date": _day(d["verified_on"])}
            ),
        ),
        CaseAction(
            "transition",
            gettext_lazy("Move the case to another stage"),
            forms.TransitionForm,
            lambda d, c, u: services.transition(c, d["target"], user=u, note=d["note"]),
            roles.is_officer,
            group=gettext_lazy("Stage"),
            allowed=lambda u, c: bool(stage_moves(u, c)),
            confirm=True,
            done=lambda d, c: stage_move(c.stage, d["target"]).done,
        ),
    ]
}


def actions_for(user, case: SupervisionCase) -> list[CaseAction]:
    """The actions the case page offers this user now."""
    return [
        action
        for action in ACTIONS.values()
        if action.open_to(user, case) and action.has_work(case)
    ]


# --- Stage moves: what each does, said before it is done -----------------------------


@dataclass(frozen=True)
class StageMove:
    """A move of the case to ``target`` from its current stage (Art. 14)."""

    target: Stage
    backward: bool
    label: str
    effects: tuple[str, ...]
    done: str


_ORDER = list(Stage)


def stage_move(current: str, target: str) -> StageMove:
    current, target = Stage(current), Stage(target)
    backward = _ORDER.index(target) < _ORDER.index(current)
    here, there = current.label, target.label
    if backward and target == S.DETERMINED:
        days = office_rules.value("reopened_decision_days")
        return StageMove(
            target,
            True,
            _("Back to “%(stage)s” for a new determination") % {"stage": there},
            (
                _(
                    "The review decision changed or revoked the original "
                    "decision: the case goes back to “Determination” and a new "
                    "round of determination begins (office rule: a supervision "
                    "decision once made is changed only by review)."
                ),
                _(
                    "This round's decision date and service records are no longer the "
                    "current decision; the period for the new determination is "
                    "%(days)s days from today (office rule: period for a new "
                    "determination after review changed the result)."
                )
                % {"days": days},
                _("This is a step back, not progress in handling."),
            ),
            _(
                "The case went back from “%(from)s” to “%(to)s”; a new round of "
                "determination begins."
            )
            % {"from": here, "to": there},
        )
    if backward:
        return StageMove(
            target,
            True,
            _("Back to “%(stage)s” for further investigation") % {"stage": there},
            (
                _(
                    "The case goes back from “%(from)s” to “%(to)s”: investigation "
                    "activities and statements can be recorded again, then the case "
                    "moves to “Determination” again."
                )
                % {"from": here, "to": there},
                _(
                    "The period to close the investigation runs on as usual "
                    "(Art. 17). This is a step back, not progress in handling."
                ),
            ),
            _(
                "The case went back from “%(from)s” to “%(to)s” for further "
                "investigation."
            )
            % {"from": here, "to": there},
        )
    effects = {
        S.VERIFYING: (
            _(
                "The case moves to “Verification”: the investigators "
                "investigate; there must be at least two investigators (Art. "
                "16)."
            ),
            _("After the move the case cannot go back to “Filed”."),
        ),
        S.DETERMINED: (
            _(
                "Investigation closed; the case moves to “Determination”: a "
                "determination is made on each officer concerned (Arts. 9 to "
                "12)."
            ),
            _(
                "After the move no investigation activity, statement or "
                "officer concerned can be added and the case cannot be "
                "transferred to the agency; further investigation requires "
                "going back to “Verification”."
            ),
        ),
        S.NOTIFIED: (
            _(
                "Issue the administrative enforcement supervision decision "
                "(Art. 17); the case moves to “Feedback”: the decision date "
                "is recorded as today."
            ),
            _(
                "Once made, the decision is to be notified to the units and "
                "parties concerned within 7 days (Art. 17); each party may "
                "apply for review within 15 days of receiving the decision "
                "(Art. 19)."
            ),
            _(
                "Once made, the decision is changed only by review (office "
                "rule: a supervision decision once made is changed only by "
                "review)."
            ),
        ),
        S.CORRECTING: (
            _(
                "The case moves to “Correction”: the party to correct "
                "corrects the problems and improves its work within the time "
                "set by the correction requirement (Art. 20); the agency "
                "liaison reports rectification progress."
            ),
        ),
        S.ARCHIVED: (
            _(
                "The case is archived: the file becomes read-only; "
                "afterwards nothing can be recorded, no material uploaded "
                "and no document generated."
            ),
            _("Archiving cannot be undone."),
        ),
    }[target]
    label = {
        S.NOTIFIED: _("Issue the decision and move to “Feedback”"),
        S.ARCHIVED: _("Archive"),
    }.get(target) or _("Move to “%(stage)s”") % {"stage": there}
    done = {
        S.NOTIFIED: _(
            "The case moved from “%(from)s” to “%(to)s”: the decision is made and "
            "is to be notified to the units and parties concerned within 7 days "
            "(Art. 17)."
        )
        % {"from": here, "to": there},
        S.ARCHIVED: _("The case is archived; the file is read-only."),
    }.get(target) or _("The case moved from “%(from)s” to “%(to)s”.") % {
        "from": here,
        "to": there,
    }
    return StageMove(target, False, label, effects, done)


def stage_moves(user, case: SupervisionCase) -> list[StageMove]:
    """The moves open to ``user`` from the case's stage, forward first."""
    return [
        stage_move(case.stage, target)
        for target in next_stages(case.stage)
        if services.may_move(user, target)
    ]


# --- What a confirmed action will do -------------------------------------------


def effects(action: CaseAction, data: dict, case: SupervisionCase) -> list[str]:
    """What ``action`` with ``data`` will do, for its confirmation page."""
    if action.name == "transition":
        return list(stage_move(case.stage, data["target"]).effects)
    said = {
        "determine": lambda: [
            _("Determination on %(name)s: %(outcome)s.")
            % {
                "name": data["case_officer"].officer.name,
                "outcome": Outcome(data["outcome"]).label,
            },
            _("Basis: %(items)s.")
            % {"items": "；".join(str(get_item(code).label) for code in data["basis"])},
            _(
                "The determination goes into the file and the case history; "
                "the 《Administrative Enforcement Supervision Decision》 is "
                "drawn up from it when the decision is issued."
            ),
        ],
        "review_decide": lambda: [
            _("Review result: %(result)s.")
            % {"result": _choice(data, "result", forms.ReviewDecisionForm)},
            _(
                "If the review changes or revokes the original decision, the "
                "case goes back to “Determination” for a new determination "
                "(office rule: a supervision decision once made is changed "
                "only by review)."
            ),
            _("A review decision cannot be changed once made."),
        ],
        "document": lambda: [
            _("Generate 《%(kind)s》; a document number is used up once generated.")
            % {"kind": _choice(data, "kind", forms.DocumentForm)},
        ],
        "correction": lambda: [
            _(
                "Require correction of the party to correct; the rectification "
                "period runs to %(date)s (Art. 20)."
            )
            % {"date": _day(data["deadline"])},
            _(
                "The agency liaison will see the correction item and report "
                "rectification progress."
            ),
        ],
        "correction_verify": lambda: [
            _(
                "The correction item is marked as rectified and no longer "
                "listed among items awaiting rectification."
            ),
        ],
        "transfer": lambda: [
            _(
                "The case is transferred to the agency for its own "
                "investigation: the agency is to complete handling within 30 "
                "days of receiving the transfer and file the result within 7 "
                "days (Art. 15)."
            ),
            _(
                "The office's handling period is suspended during the "
                "transfer (the office's reading: the transfer suspends the "
                "office's handling period, see Arts. 15 and 17, subject to "
                "the district justice bureau's interpretation)."
            ),
        ],
    }
    if action.name in said:
        return said[action.name]()
    if "approve" in data:
        verdict = _("Approved") if data["approve"] else _("Not approved")
        return [
            _("Decision on %(target)s: %(verdict)s.")
            % {"target": data["target"], "verdict": verdict},
            _("A decision cannot be changed once made."),
        ]
    return [_("%(action)s; recorded in the case history.") % {"action": action.label}]


# --- The next step of the procedure ---------------------------------------------------


def next_step(case: SupervisionCase, facts, offered: list[CaseAction], moves):
    """The action (name, target stage or None) that takes the procedure
    forward now: the work the stage still lacks, else the forward move the
    guards allow; None when neither is open to the user. ``facts`` are the
    case's CaseFacts (None for the agency's view)."""
    names = {action.name for action in offered}
    if facts is None:
        for name in ("transfer_result", "correction_progress"):
            if name in names:
                return name, None
        return None
    stage = case.stage
    wanted = []
    if stage == S.FILED and facts.active_investigator_count < 2:
        wanted.append("assign")
    if stage == S.VERIFYING and facts.officers_with_statement < facts.officers_total:
        wanted.append("statement")
    if stage == S.DETERMINED and facts.officers_determined < facts.officers_total:
        wanted.append("determine")
    if stage in (S.NOTIFIED, S.CORRECTING) and facts.review_pending:
        wanted.append("review_decide")
    if stage == S.NOTIFIED and not facts.notifications_done:
        wanted.append("notify")
    if stage in (S.NOTIFIED, S.CORRECTING) and facts.act_finding_missing:
        wanted.append("act_finding")
    if stage == S.CORRECTING and facts.corrections_open:
        wanted.append("correction_verify")
    for name in wanted:
        if name in names:
            return name, None
    for move, reasons in moves:
        if not move.backward and not reasons:
            return "transition", move.target.value
    return None
