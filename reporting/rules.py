"""Pure rules of the reporting channel (Art. 22): no ORM, no request."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casework.rules.provenance import Article, Reading, sourced
from casework.rules.stages import Stage

# Art. 22: reports "经查不属实、查无实据或者经认定予以容错免责" are answered:
# real-name ones with the result, anonymous ones by explaining "在一定范围内".
ART22_OUTCOMES = ("untrue", "unfounded", "exempted")
# The outcome that says 容错免责 (reading exemption_meaning: an exemption).
EXEMPTED = "exempted"

# A case is decided (Art. 17 "作出决定") once it moved to 反馈; a case back
# in 认定 after a changed review is not decided again yet.
DECIDED_STAGES = (Stage.NOTIFIED, Stage.CORRECTING, Stage.ARCHIVED)


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
        problems["feedback"] = sourced(
            Article(22), "实名举报应当按规定向举报人反馈结果，请填写反馈内容"
        )
    if not real_name and outcome in ART22_OUTCOMES:
        if not feedback.strip():
            problems["feedback"] = "匿名举报请填写在查询页面向举报人展示的情况说明。"
        if not explained_where.strip():
            problems["explained_where"] = sourced(
                Article(22), "匿名举报应当在一定范围内说明情况，请填写说明的范围或场合"
            )
        if not explained_to.strip():
            problems["explained_to"] = "请填写向哪些单位或人员说明了情况。"
        if explained_on is None:
            problems["explained_on"] = "请填写说明情况的日期。"
    if explained_on is not None and explained_on > today:
        problems["explained_on"] = "说明情况的日期不能晚于今天。"
    # Art. 22 clears an officer found, after investigation, to have been
    # maliciously slandered, falsely accused or maliciously hyped and defamed,
    # whatever the report's outcome: the finding is the condition.
    if clarification_warranted and not clarification_reason.strip():
        problems["clarification_reason"] = sourced(
            Article(22),
            "请写明经查执法人员受到恶意中伤、诬告陷害或者被恶意炒作和诽谤的情形",
        )
    return problems


def release_problems(
    *,
    outcome: str,
    has_case: bool,
    case_decided: bool,
    exemptions_determined: int,
) -> list[str]:
    """Why a report's outcome cannot be released to the reporter now.

    The result of Art. 22 is the decision of Art. 17 (reading
    ``report_result_is_decision``): nothing is released before the case is
    decided. "经认定予以容错免责" needs an exemption determined in the case
    (reading ``exemption_meaning``: 从轻/减轻 are not 容错免责)."""
    problems = []
    if not has_case:
        problems.append("请先立案或并入已有案件；不予立案的举报以不予立案的理由办结。")
    elif not case_decided:
        problems.append(
            sourced(
                Reading("report_result_is_decision"),
                "案件尚未作出监督决定，核查结果尚不存在，不能向举报人反馈",
            )
        )
    if outcome == EXEMPTED and case_decided and not exemptions_determined:
        problems.append(
            sourced(
                Reading("exemption_meaning"),
                "本案没有予以免责的认定，不能以“经认定予以容错免责”反馈",
            )
        )
    return problems
