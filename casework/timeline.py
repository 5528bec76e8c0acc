"""A case's timeline: stage changes, approvals, documents and every change to
its records, merged from django-simple-history in a fixed number of queries
(one per model, whatever the size of the case)."""

from __future__ import annotations

from dataclasses import dataclass, field

from casework import models as m

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
IGNORED_FIELDS = {"created_at", "created_by"}
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass
class Event:
    at: object
    who: str
    action: str
    what: str
    summary: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def _display(record, field_name: str) -> str:
    model_field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, model_field.attname, None)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if value in (None, ""):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)[:120]


def build_timeline(case, *, agency_view: bool = False) -> list[Event]:
    events: list[Event] = []
    for model, lookup in CASE_LOOKUPS.items():
        if agency_view and model not in AGENCY_MODELS:
            continue
        if agency_view and model is m.Attachment:
            continue
        records = list(
            model.history.filter(**{lookup: case.pk})
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous = {}
        verbose = str(model._meta.verbose_name)
        for record in records:
            before = previous.get(record.id)
            changes = []
            if before is not None and record.history_type == "~":
                delta = record.diff_against(before)
                for change in delta.changes:
                    if change.field in IGNORED_FIELDS:
                        continue
                    label = str(model._meta.get_field(change.field).verbose_name)
                    changes.append(
                        (
                            label,
                            _display(before, change.field),
                            _display(record, change.field),
                        )
                    )
                if not changes:
                    previous[record.id] = record
                    continue
            previous[record.id] = record
            events.append(
                Event(
                    at=record.history_date,
                    who=_who(record),
                    action=ACTIONS.get(record.history_type, record.history_type),
                    what=verbose,
                    summary=_summary(model, record),
                    changes=changes,
                )
            )
    # Stage changes carry the reason given for them (the "why").
    for change in m.StageChange.objects.filter(case=case).select_related("created_by"):
        labels = dict(m.StageChange._meta.get_field("to_stage").flatchoices)
        who = change.created_by
        events.append(
            Event(
                at=change.created_at,
                who=(who.get_full_name() or who.get_username()) if who else "系统",
                action="推进",
                what="案件阶段",
                summary=f"{labels[change.from_stage]} → {labels[change.to_stage]}"
                + (f"（{change.note}）" if change.note and not agency_view else ""),
            )
        )
    # Deadline warnings (Art. 15, 17, 19, 20) issued by the daily check; the
    # agency sees those about the periods it must meet.
    warnings = m.DeadlineWarning.objects.filter(case=case)
    if agency_view:
        warnings = warnings.filter(agency_facing=True)
    for warning in warnings:
        events.append(
            Event(
                at=warning.created_at,
                who="系统",
                action="预警",
                what=warning.get_level_display(),
                summary=warning.message,
            )
        )
    events.sort(key=lambda event: event.at, reverse=True)
    return events


def _summary(model, record) -> str:
    if model is m.SupervisionCase:
        return f"阶段：{_display(record, 'stage')}"
    for name in (
        "title",
        "recipient",
        "number",
        "outcome",
        "summary",
        "reasons",
        "content",
        "kind",
        "status",
    ):
        try:
            record.instance_type._meta.get_field(name)
        except Exception:  # noqa: S112 - the model lacks this field
            continue
        return _display(record, name)[:60]
    return ""
