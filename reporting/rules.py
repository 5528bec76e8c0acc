"""Pure rules of the reporting channel (Art. 22): no ORM, no request."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy

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
        RECEIVED: gettext_lazy("received"),
        VERIFYING: gettext_lazy("being verified (reporter)"),
        DETERMINED: gettext_lazy("determined"),
        CLOSED: gettext_lazy("closed"),
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
        problems["outcome"] = gettext("Please choose the outcome of the verification.")
    if real_name and not feedback.strip():
        problems["feedback"] = sourced(
            Article(22),
            gettext(
                "The result of a report under the reporter's name must be fed back as "
                "required: please write the feedback"
            ),
        )
    if not real_name and outcome in ART22_OUTCOMES:
        if not feedback.strip():
            problems["feedback"] = gettext(
                "For an anonymous report, please write the explanation shown to the "
                "reporter on the lookup page."
            )
        if not explained_where.strip():
            problems["explained_where"] = sourced(
                Article(22),
                gettext(
                    "An anonymous report must be explained within a certain scope: "
                    "please give the scope or occasion of the explanation"
                ),
            )
        if not explained_to.strip():
            problems["explained_to"] = gettext(
                "Please say to which units or persons the matter was explained."
            )
        if explained_on is None:
            problems["explained_on"] = gettext(
                "Please give the date of the explanation."
            )
    if explained_on is not None and explained_on > today:
        problems["explained_on"] = gettext(
            "The date of the explanation cannot be later than today."
        )
    # Art. 22 clears an officer found, after investigation, to have been
    # maliciously slandered, falsely accused or maliciously hyped and defamed,
    # whatever the report's outcome: the finding is the condition.
    if clarification_warranted and not clarification_reason.strip():
        problems["clarification_reason"] = sourced(
            Article(22),
            gettext(
                "Please describe how the investigation found the officers maliciously "
                "slandered, falsely accused, or maliciously hyped and defamed"
            ),
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
        problems.append(
            gettext(
                "File a case or join an existing one first; a report with no case "
                "filed is closed with the reason for not filing one."
            )
        )
    elif not case_decided:
        problems.append(
            sourced(
                Reading("report_result_is_decision"),
                gettext(
                    "The case has no supervision decision yet, so there is no result "
                    "of the verification to feed back to the reporter"
                ),
            )
        )
    if outcome == EXEMPTED and case_decided and not exemptions_determined:
        problems.append(
            sourced(
                Reading("exemption_meaning"),
                gettext(
                    "The case has no determination of exemption: the feedback cannot "
                    "say “经认定予以容错免责”"
                ),
            )
        )
    return problems
