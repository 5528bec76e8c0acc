"""Pure rules of the reporting channel (Art. 22): no ORM, no request."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casework.rules.stages import Stage

# Art. 22: reports "经查不属实、查无实据或者经认定予以容错免责" are answered:
# real-name ones with the result, anonymous ones by explaining "在一定范围内".
ART22_OUTCOMES = ("untrue", "unfounded", "exempted")
# Only an officer who was maliciously slandered or falsely accused is publicly
# cleared, which presupposes the report was untrue or without any basis.
CLARIFIABLE_OUTCOMES = ("untrue", "unfounded")

DECIDED_STAGES = (Stage.DETERMINED, Stage.NOTIFIED, Stage.CORRECTING, Stage.ARCHIVED)


class PublicStatus:
    RECEIVED = "received"
    VERIFYING = "verifying"
    DETERMINED = "determined"
    CLOSED = "closed"

    LABELS = {
        RECEIVED: "已收到",
        VERIFYING: "核实中",
        DETERMINED: "已认定",
        CLOSED: "已办结",
    }
    ORDER = (RECEIVED, VERIFYING, DETERMINED, CLOSED)


@dataclass(frozen=True)
class StatusStep:
    key: str
    label: str
    on: datetime.date | None
    reached: bool
    current: bool


def public_status(
    *, closed: bool, has_case: bool, case_stage: str | None, triaged: bool
) -> str:
    """What the reporter is told about where the report stands."""
    if closed:
        return PublicStatus.CLOSED
    if has_case and case_stage in DECIDED_STAGES:
        return PublicStatus.DETERMINED
    if has_case or triaged:
        return PublicStatus.VERIFYING
    return PublicStatus.RECEIVED


def status_steps(status: str, dates: dict[str, datetime.date | None]) -> list:
    """The four steps for the progress bar, with the dates reached."""
    reached_index = PublicStatus.ORDER.index(status)
    return [
        StatusStep(
            key=key,
            label=PublicStatus.LABELS[key],
            on=dates.get(key) if index <= reached_index else None,
            reached=index <= reached_index,
            current=index == reached_index,
        )
        for index, key in enumerate(PublicStatus.ORDER)
    ]


def outcome_problems(
    *,
    real_name: bool,
    outcome: str,
    feedback: str,
    explained_where: str,
    explained_to: str,
    explained_on: datetime.date | None,
    clarification_warranted: bool,
    clarification_reason: str,
    today: datetime.date,
) -> dict[str, str]:
    """Field → message for an Art. 22 outcome that cannot be recorded."""
    problems = {}
    if not outcome:
        problems["outcome"] = "请选择核查结果。"
    if real_name and not feedback.strip():
        problems["feedback"] = (
            "实名举报应当按规定向举报人反馈结果（第二十二条），请填写反馈内容。"
        )
    if not real_name and outcome in ART22_OUTCOMES:
        if not feedback.strip():
            problems["feedback"] = "匿名举报请填写在查询页面向举报人展示的情况说明。"
        if not explained_where.strip():
            problems["explained_where"] = (
                "匿名举报应当在一定范围内说明情况（第二十二条），请填写说明的范围或场合。"
            )
        if not explained_to.strip():
            problems["explained_to"] = "请填写向哪些单位或人员说明了情况。"
        if explained_on is None:
            problems["explained_on"] = "请填写说明情况的日期。"
    if explained_on is not None and explained_on > today:
        problems["explained_on"] = "说明情况的日期不能晚于今天。"
    if clarification_warranted:
        if outcome not in CLARIFIABLE_OUTCOMES:
            problems["clarification_warranted"] = (
                "只有经查举报不实或查无实据、执法人员受到恶意中伤或诬告陷害的，"
                "才发布澄清正名公告（第二十二条）。"
            )
        elif not clarification_reason.strip():
            problems["clarification_reason"] = (
                "请说明需要澄清正名的理由（如恶意中伤、诬告陷害的情形）。"
            )
    return problems
