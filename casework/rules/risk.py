"""Risk points (易错风险点, Art. 21): recurring error types, found without the ORM.

Art. 21 asks the office to follow up how errors recur: "the same kind of
problem appearing frequently, or error-prone situations concentrated in the
same field". An *observation* is one case in which an error of a given type
was found (a determination other than duty fulfilled, Art. 9); a *recurrence*
is an error type seen in at least ``threshold`` different cases of the same
enforcement field, or of the same enforcement agency, within a rolling window
of ``window_days`` days ending today. The office sets both numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "AGENCY",
    "FIELD",
    "MIN_THRESHOLD",
    "ErrorObservation",
    "Recurrence",
    "detect_recurrences",
    "window_start",
]

FIELD = "field"
AGENCY = "agency"

MIN_THRESHOLD = 2
"""One case is not a recurrence: a threshold below two would flag every error."""


@dataclass(frozen=True, slots=True)
class ErrorObservation:
    """One case in which an error of ``error_type`` was found on ``found_on``."""

    case_id: int
    agency_id: int
    field_id: int
    error_type: str
    found_on: date


@dataclass(frozen=True, slots=True)
class Recurrence:
    """An error type recurring in one field or one agency (Art. 21)."""

    scope: str
    target_id: int
    error_type: str
    case_ids: tuple[int, ...]
    first_found_on: date
    last_found_on: date

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.scope, self.target_id, self.error_type)


def window_start(today: date, window_days: int) -> date:
    """The first day of the rolling window of ``window_days`` days ending today."""
    if window_days < 1:
        raise ValueError(f"window_days must be >= 1, got {window_days}")
    return today - timedelta(days=window_days - 1)


def detect_recurrences(
    observations: Iterable[ErrorObservation],
    *,
    today: date,
    window_days: int,
    threshold: int,
) -> list[Recurrence]:
    """Error types found in ``threshold`` or more distinct cases of one field
    or one agency within the window (Art. 21), field scope first, then agency;
    each in a stable order (target, error type)."""
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"threshold must be >= {MIN_THRESHOLD}, got {threshold}")
    first_day = window_start(today, window_days)
    groups: dict[tuple[str, int, str], dict[int, date]] = defaultdict(dict)
    for obs in observations:
        if not first_day <= obs.found_on <= today:
            continue
        for scope, target in ((FIELD, obs.field_id), (AGENCY, obs.agency_id)):
            cases = groups[(scope, target, obs.error_type)]
            # A case counts once, on the day its error was first found.
            if obs.case_id not in cases or obs.found_on < cases[obs.case_id]:
                cases[obs.case_id] = obs.found_on
    found = []
    for (scope, target, error_type), cases in groups.items():
        if len(cases) < threshold:
            continue
        found.append(
            Recurrence(
                scope=scope,
                target_id=target,
                error_type=error_type,
                case_ids=tuple(sorted(cases)),
                first_found_on=min(cases.values()),
                last_found_on=max(cases.values()),
            )
        )
    order = {FIELD: 0, AGENCY: 1}
    found.sort(key=lambda r: (order[r.scope], r.target_id, r.error_type))
    return found
