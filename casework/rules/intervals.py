"""Interval arithmetic for periods that pause (pure: no ORM, no settings).

A pause is a span of days ``(first, until)``: the days from ``first`` up to
``until`` are not counted, ``(until - first).days`` of them, so a one-day
appraisal commissioned on the 3rd and reported on the 4th pauses one day.

Two rules of the engine live here:

- overlapping or touching pauses (two appraisals at once, an appraisal during
  a transfer) count once (Art. 16: the *time* of technical investigation is not
  counted, not each investigation's time);
- a pause counts only while the period is running: one that begins after the
  period has expired is still recorded by the caller, but does not move the
  end back (本机构理解 ``appraisal_pauses_running_period``: the time "不计入办理时间"
  is time inside the period, and what has expired does not revive).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

__all__ = ["Span", "merge", "pause_while_running"]

Span = tuple[date, date]


def merge(spans: Iterable[Span]) -> list[Span]:
    """The spans sorted and merged where they overlap or touch; empty or
    reversed spans (until <= first) are dropped."""
    merged: list[list[date]] = []
    for first, until in sorted(s for s in spans if s[1] > s[0]):
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], until)
        else:
            merged.append([first, until])
    return [(first, until) for first, until in merged]


def pause_while_running(
    start: date, spans: Iterable[Span], end_for: Callable[[int], date]
) -> int:
    """Paused days of a period that starts on ``start``.

    ``end_for(paused)`` is the period's last day when ``paused`` days are not
    counted (holiday roll-over and any extension included). Pauses are taken
    in date order; each counts from the later of its first day and ``start``
    only if it begins on or before the last day reached so far, so a pause
    that begins after the period expired adds nothing, and neither does any
    later one.
    """
    paused = 0
    for first, until in merge(spans):
        first = max(first, start)
        if until <= first:
            continue
        if first > end_for(paused):
            break
        paused += (until - first).days
    return paused
