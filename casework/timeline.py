"""A case's timeline: stage changes, approvals, documents and every change to
its records, merged from django-simple-history in a fixed number of queries
(one per model, whatever the size of the case, plus one for the people and
one for the persons concerned it names).

Each entry is one sentence in the office's words — 「登记被调查人：张三（适用
法律错误）」, 「批准延长调查期限申请」, 「举行听证：2026年11月23日」 — written
here from the record's kind and what changed, never from a model's technical
name; dates in the site's style (portal.clock)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import models as m
from casework.documents import run_in_label
from casework.models.base import ApprovalStatus
from casework.rules.stages import Stage
from portal import clock

_STAGE_ORDER = [stage.value for stage in Stage]

# model -> the lookup from the model to its case
CASE_LOOKUPS = {
    m.SupervisionCase: "id",
    m.CaseOfficer: "case_id",
    m.Assignment: "case_id",
    m.Recusal: "case_id",
    m.Activity: "case_id",
    m.Attachment: "case_id",
    m.Transfer: "case_id",
    m.Hearing: "case_id",
    m.Extension: "case_id",
    m.Notification: "case_id",
    m.CaseDocument: "case_id",
    m.Review: "case_id",
    m.Correction: "case_id",
    m.Statement: "case_officer__case_id",
    m.Determination: "case_officer__case_id",
    m.CorrectionProgress: "correction__case_id",
    m.CorrectionExtension: "correction__case_id",
}
# What a liaison may see of the timeline (the parts meant for the agency).
AGENCY_MODELS = {
    m.Transfer,
    m.Notification,
    m.Correction,
    m.CorrectionProgress,
    m.CorrectionExtension,
}
# What each kind of record is called on the timeline.
NOUNS = {
    m.SupervisionCase: gettext_lazy("case details"),
    m.CaseOfficer: gettext_lazy("officer concerned"),
    m.Assignment: gettext_lazy("investigator assignment"),
    m.Recusal: gettext_lazy("recusal"),
    m.Activity: gettext_lazy("investigation activity"),
    m.Attachment: gettext_lazy("attachment"),
    m.Transfer: gettext_lazy("transfer to the agency"),
    m.Hearing: gettext_lazy("hearing"),
    m.Extension: gettext_lazy("request to extend the investigation period"),
    m.Notification: gettext_lazy("service record"),
    m.CaseDocument: gettext_lazy("supervision document"),
    m.Review: gettext_lazy("review application"),
    m.Correction: gettext_lazy("correction requirement"),
    m.Statement: gettext_lazy("statement and defense"),
    m.Determination: gettext_lazy("determination"),
    m.CorrectionProgress: gettext_lazy("correction progress report"),
    m.CorrectionExtension: gettext_lazy("request to extend the rectification period"),
}
# Bookkeeping the entry itself says (who, when, the stage through the stage
# changes below) or the deadline engine computes.
IGNORED_FIELDS = {
    "created_at",
    "created_by",
    "stage",
    "decision_due",
    "next_due",
    "notification_due",
    "handling_due",
    "filing_due",
    "decision_round",
    "round",
    "year",
    "sequence",
}
APPROVAL_FIELDS = {"status", "decided_by", "decided_at"}
ACTIONS = {
    "+": gettext_lazy("Added"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}
EMPTY = gettext_lazy("(not filled in)")
SUMMARY_LENGTH = 60
CHANGE_LENGTH = 120


@dataclass
class Event:
    at: object
    who: str
    action: str
    what: str
    summary: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    headline: str = ""

    @property
    def text(self) -> str:
        """The entry as one sentence: 「登记被调查人：张三」; a summary with
        a colon of its own follows a run-in 「。」 instead of a second colon."""
        headline = self.headline or f"{self.action}{self.what}"
        if not self.summary:
            return headline
        return run_in_label(f"{headline}：", self.summary) + self.summary


def _clip(text: str, length: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


class _Names:
    """The people a case's records point to, read once for the timeline."""

    def __init__(self, case, user_ids: set[int]):
        users = get_user_model().objects.filter(pk__in=user_ids) if user_ids else ()
        self.users = {user.pk: _person(user) for user in users}
        self.officers = dict(
            m.CaseOfficer.objects.filter(case=case).values_list("pk", "officer__name")
        )

    def user(self, pk) -> str:
        return self.users.get(pk, EMPTY) if pk else EMPTY

    def concerned(self, case_officer_id) -> str:
        return self.officers.get(case_officer_id, _("officer concerned"))


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _who(record) -> str:
    user = record.history_user
    return _("System") if user is None else _person(user)


def _display(record, field_name: str, names: _Names) -> str:
    model_field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, model_field.attname, None)
    if value in (None, ""):
        return EMPTY
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return clock.cn_datetime(value)
    if isinstance(value, datetime.date):
        return clock.cn_date(value)
    if model_field.is_relation:
        if model_field.related_model is get_user_model():
            return names.user(value)
        if model_field.related_model is m.Officer:
            return str(getattr(record, model_field.name))
        return EMPTY if value is None else str(getattr(record, model_field.name))
    return _clip(value, CHANGE_LENGTH)


def _label(model, field_name: str) -> str:
    return str(model._meta.get_field(field_name).verbose_name)


def _user_ids(records_by_model) -> set[int]:
    ids = set()
    for model, records in records_by_model.items():
        user_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is get_user_model()
        ]
        for record in records:
            ids.update(getattr(record, name) for name in user_fields)
    ids.discard(None)
    return ids


def build_timeline(case, *, agency_view: bool = False) -> list[Event]:
    records_by_model = {}
    for model, lookup in CASE_LOOKUPS.items():
        if agency_view and model not in AGENCY_MODELS:
            continue
        records_by_model[model] = list(
            model.history.filter(**{lookup: case.pk})
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
    names = _Names(case, _user_ids(records_by_model))
    events: list[Event] = []
    for model, records in records_by_model.items():
        previous = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            changed = []
            if before is not None and record.history_type == "~":
                changed = [
                    change.field
                    for change in record.diff_against(before).changes
                    if change.field not in IGNORED_FIELDS
                ]
                if not changed:
                    continue
            events.append(_event(model, record, before, changed, names))
    # Stage changes carry the reason given for them (the "why").
    labels = dict(m.StageChange._meta.get_field("to_stage").flatchoices)
    for change in m.StageChange.objects.filter(case=case).select_related("created_by"):
        note = change.note.strip().rstrip("。")
        # A move to an earlier stage of Art. 14 is a step back, never progress.
        back = _STAGE_ORDER.index(change.to_stage) < _STAGE_ORDER.index(
            change.from_stage
        )
        events.append(
            Event(
                at=change.created_at,
                who=_person(change.created_by) if change.created_by else _("System"),
                action=_("Moved back") if back else _("Moved forward"),
                what=_("case stage"),
                headline=_("Case stage moved back")
                if back
                else _("Case stage moved forward"),
                summary=f"{labels[change.from_stage]} → {labels[change.to_stage]}"
                + (f"（{note}）" if note and not agency_view else ""),
            )
        )
    # Deadline warnings (Art. 15, 17, 19, 20) issued by the daily check; the
    # agency sees those about the periods it must meet.
    warnings = m.DeadlineWarning.objects.filter(case=case)
    if agency_view:
        warnings = warnings.filter(agency_facing=True)
    for warning in warnings:
        level = warning.get_level_display()
        events.append(
            Event(
                at=warning.created_at,
                who=_("System"),
                action=_("warning"),
                what=level,
                headline=_("Issued %(level)s") % {"level": level},
                summary=warning.message,
            )
        )
    events.sort(key=lambda event: event.at, reverse=True)
    return events


def _event(model, record, before, changed: list[str], names: _Names) -> Event:
    headline, summary, shown = _describe(model, record, before, changed, names)
    changes = []
    for name in shown:
        old = _display(before, name, names) if before is not None else EMPTY
        changes.append((_label(model, name), old, _display(record, name, names)))
    return Event(
        at=record.history_date,
        who=_who(record),
        action=ACTIONS.get(record.history_type, record.history_type),
        what=NOUNS[model],
        summary=_clip(summary, SUMMARY_LENGTH) if summary else "",
        changes=changes,
        headline=headline,
    )


def _describe(model, record, before, changed, names):
    """``(headline, summary, fields listed as changes)`` of one record."""
    noun = NOUNS[model]
    kind = record.history_type
    if kind == "-":
        return (
            _("%(noun)s deleted") % {"noun": noun},
            _summary(model, record, names),
            [],
        )
    if kind == "+":
        return _created(model, record, names)
    changed = list(changed)
    decided = {
        ApprovalStatus.APPROVED: gettext_lazy("%(noun)s approved"),
        ApprovalStatus.REJECTED: gettext_lazy("%(noun)s not approved"),
    }.get(getattr(record, "status", None))
    if (
        decided
        and APPROVAL_FIELDS & set(changed)
        and record.status != getattr(before, "status", None)
    ):
        rest = [f for f in changed if f not in APPROVAL_FIELDS]
        return decided % {"noun": noun}, _summary(model, record, names), rest
    if model is m.Review and "result" in changed and record.result:
        rest = [f for f in changed if f not in {"result", "decided_on", "decided_by"}]
        return _("Review decision made"), _display(record, "result", names), rest
    if model is m.Hearing and "held_on" in changed and record.held_on:
        rest = [f for f in changed if f != "held_on"]
        return _("Hearing held"), clock.cn_date(record.held_on), rest
    if model is m.Assignment and "active" in changed and not record.active:
        rest = [f for f in changed if f != "active"]
        return (
            _("Investigator assignment ended"),
            names.user(record.investigator_id),
            rest,
        )
    if model is m.Correction and "verified_on" in changed and record.verified_on:
        rest = [f for f in changed if f not in {"verified_on", "verified_by"}]
        return (
            _("Rectification verified as complete"),
            _clip(record.items, SUMMARY_LENGTH),
            rest,
        )
    if model is m.SupervisionCase and "act_finding" in changed and record.act_finding:
        rest = [
            f
            for f in changed
            if f not in {"act_finding", "act_found_on", "act_finding_reasons"}
        ]
        return (
            _("Finding on the supervised enforcement act"),
            _display(record, "act_finding", names),
            rest,
        )
    return _("%(noun)s changed") % {"noun": noun}, "", changed


def _created(model, record, names):
    """``(headline, summary, [])`` of a record when it was made."""
    if model is m.SupervisionCase:
        return _("Case filed"), record.title, []
    if model is m.CaseOfficer:
        return (
            _("Officer concerned registered"),
            f"{names.concerned(record.id)}（{_display(record, 'error_type', names)}）",
            [],
        )
    if model is m.Assignment:
        investigator = names.user(record.investigator_id)
        if record.is_lead:
            investigator = _("%(name)s (lead)") % {"name": investigator}
        return _("Investigator assigned"), str(investigator), []
    if model is m.Recusal:
        return _display(record, "kind", names), names.user(record.person_id), []
    if model is m.Activity:
        kind = _display(record, "kind", names)
        return _("Recorded %(kind)s") % {"kind": kind}, record.summary, []
    if model is m.Attachment:
        return _("Attachment uploaded"), record.title, []
    if model is m.Transfer:
        return _("transfer to the agency"), record.reason, []
    if model is m.Hearing:
        return (
            _("Hearing scheduled"),
            _("%(date)s, host %(host)s")
            % {"date": clock.cn_date(record.scheduled_on), "host": record.host_name},
            [],
        )
    if model is m.Extension:
        return (
            _("Extension of the investigation period requested"),
            _("%(days)s days, %(reason)s")
            % {"days": record.days, "reason": record.reason},
            [],
        )
    if model is m.Notification:
        return (
            _("Supervision decision served"),
            _("%(recipient)s (%(method)s, served on %(date)s)")
            % {
                "recipient": record.recipient,
                "method": _display(record, "method", names),
                "date": clock.cn_date(record.served_on),
            },
            [],
        )
    if model is m.CaseDocument:
        kind = _display(record, "kind", names)
        return _("Issued %(kind)s") % {"kind": kind}, record.number, []
    if model is m.Review:
        return _("Review application accepted"), record.applicant, []
    if model is m.Correction:
        return _("Correction ordered"), record.items, []
    if model is m.Statement:
        person = names.concerned(record.case_officer_id)
        if record.waived:
            return (
                _("Recorded that %(person)s waived the statement in writing")
                % {"person": person},
                "",
                [],
            )
        return (
            _("Heard the statement and defence of %(person)s") % {"person": person},
            record.content,
            [],
        )
    if model is m.Determination:
        person = names.concerned(record.case_officer_id)
        return (
            _("Determination made on %(person)s") % {"person": person},
            _display(record, "outcome", names),
            [],
        )
    if model is m.CorrectionProgress:
        headline = (
            _("Rectification reported complete")
            if record.completed
            else _("Rectification progress reported")
        )
        return headline, record.content, []
    if model is m.CorrectionExtension:
        return (
            _("Extension of the rectification period requested"),
            _("to %(date)s, %(reason)s")
            % {
                "date": clock.cn_date(record.requested_deadline),
                "reason": record.reason,
            },
            [],
        )
    return _("%(noun)s added") % {"noun": NOUNS[model]}, "", []


def _summary(model, record, names) -> str:
    """What a deleted or decided record was about, in a few words."""
    return _created(model, record, names)[1]
