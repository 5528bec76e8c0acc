"""The figures of the transparency statistics page, computed from casework
(read-only) and stored as a snapshot.

Small groups are suppressed (shown as “少于N”): a figure of 1 or 2 in a public
table can point at a person. A suppressed cell could be recovered by
subtraction, from a table's total or from other periods (a year is the sum
of its quarters), so :func:`protect` suppresses more cells until none can
be worked out from all the published ones. The measure says nothing about published
statistics: the threshold is the office's rule (本机构工作规则), and the page
says so (:func:`suppression_note`).

A snapshot holds everything so far and every year, quarter and month since
the measure came into force, so the page costs one query whatever period a
visitor picks.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.models import Determination, PeriodicReport, SupervisionCase
from casework.reports import POLICY_IN_FORCE, period_bounds
from casework.rules.articles import OUTCOME_GROUPS, is_exemption
from casework.rules.provenance import Reading, cite
from casework.rules.stages import Stage
from publishing.models import ClarificationNoticePage, StatisticsSnapshot

DEFAULT_THRESHOLD = 5
KEEP_SNAPSHOTS = 30
ON_TIME_LABEL = gettext_lazy("Share of decisions made on time (Art. 17)")


def threshold() -> int:
    return int(getattr(settings, "PUBLISHING_STATISTICS_MIN_GROUP", DEFAULT_THRESHOLD))


def _cell(label: str, count: int, minimum: int) -> dict:
    return {"label": label, "count": count, "suppressed": 0 < count < minimum}


def _complement(cells: list[dict]) -> None:
    """The within-table rule: a lone suppressed cell of a table with a total
    takes the next smallest non-zero cell with it."""
    suppressed = [c for c in cells if c["suppressed"]]
    if len(suppressed) == 1:
        others = sorted(
            (c for c in cells if not c["suppressed"] and c["count"] > 0),
            key=lambda c: c["count"],
        )
        if others:
            others[0]["suppressed"] = True


def _table(
    title: str,
    cells: list[dict],
    minimum: int,
    caption: str = "",
    complementary: bool = True,
    total_suppressed: bool | None = None,
) -> dict:
    """A table of counts with suppression and bar widths (per cent of the
    largest shown value) for the SVG chart. ``complementary``: the cells are
    parts of one total, so a lone suppressed cell takes a second with it
    (the rule of one table alone; :func:`compute_all` replaces it by
    :func:`protect`, across tables and periods). ``total_suppressed``: set
    by :func:`protect`; by default a total below the threshold is hidden."""
    if complementary:
        _complement(cells)
    total = sum(c["count"] for c in cells)
    if total_suppressed is None:
        total_suppressed = 0 < total < minimum
    shown = [c["count"] for c in cells if not c["suppressed"]]
    largest = max([*shown, 1])
    for cell in cells:
        if cell["suppressed"]:
            cell["display"] = _("fewer than %(n)s") % {"n": minimum}
            cell["width"] = 0
            cell.pop("count")
        else:
            cell["display"] = str(cell["count"])
            cell["width"] = round(cell["count"] * 100 / largest, 1)
    return {
        "title": title,
        "caption": caption,
        "rows": cells,
        "total": None if total_suppressed else total,
        "total_display": _("fewer than %(n)s") % {"n": minimum}
        if total_suppressed
        else str(total),
    }


def _small(count: int, minimum: int) -> bool:
    return 0 < count < minimum


# The table and row keys of the variables :func:`protect` reasons about.
HEADLINE, STAGES, OUTCOMES, YEARS, ON_TIME = (
    "headline",
    "stages",
    "outcomes",
    "years",
    "on_time",
)
TOTAL = "合计"
CASES, EXEMPT = "cases", "exempt"
DECIDED, PUNCTUAL, LATE = "decided", "on_time", "late"


def _figures(
    start: datetime.date | None = None, end: datetime.date | None = None
) -> dict:
    """The raw counts of one period (``None``: everything so far): nothing
    is suppressed yet. Determinations count only in their case's current
    decision round (a review may have replaced an earlier one, Art. 19), in
    the outcome categories of the periodic report
    (casework.rules.articles.OUTCOME_GROUPS)."""
    cases = SupervisionCase.objects.all()
    current = Determination.objects.filter(
        round=F("case_officer__case__decision_round")
    )
    decided_cases = cases.filter(decided_on__isnull=False, decision_due__isnull=False)
    notices = ClarificationNoticePage.objects.live().public()
    if start is not None:
        cases = cases.filter(filed_on__range=(start, end))
        current = current.filter(decided_on__range=(start, end))
        decided_cases = decided_cases.filter(decided_on__range=(start, end))
        notices = notices.filter(date__range=(start, end))
    stage_counts = dict(cases.values_list("stage").annotate(n=Count("pk")).order_by())
    outcome_counts = dict(
        current.values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    decided = decided_cases.aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(decided_on__lte=F("decision_due"))),
    )
    figures = {
        STAGES: {str(stage.label): stage_counts.get(stage.value, 0) for stage in Stage},
        OUTCOMES: {
            str(label): sum(outcome_counts.get(o.value, 0) for o in members)
            for label, members in OUTCOME_GROUPS
        },
        HEADLINE: {
            CASES: sum(stage_counts.values()),
            # 容错免责 is the exemption only (reading exemption_meaning):
            # 从轻/减轻 are not counted here, one rule with the determinations
            # and the feedback.
            EXEMPT: sum(n for o, n in outcome_counts.items() if is_exemption(o)),
        },
        "notices": notices.count(),
        ON_TIME: {
            DECIDED: decided["total"],
            PUNCTUAL: decided["on_time"],
            LATE: decided["total"] - decided["on_time"],
        },
    }
    if start is None:
        year_counts = (
            SupervisionCase.objects.values_list("year")
            .annotate(n=Count("pk"))
            .order_by()
        )
        figures[YEARS] = {f"{year}年": n for year, n in sorted(year_counts)}
    return figures


def _publish(
    figures: dict,
    minimum: int,
    period: bool,
    hidden: set | None = None,
    key: str = "",
) -> dict:
    """The page's data of one period from its raw counts. ``hidden``: the
    cells :func:`protect` hides, as ``(key, table, row)``; without it, each
    table is protected on its own (:func:`_table`)."""
    alone = hidden is None

    def out(table: str, row: str, count: int) -> bool:
        return _small(count, minimum) if alone else (key, table, row) in hidden

    def table(name, title, caption=""):
        cells = [
            {"label": label, "count": n, "suppressed": out(name, label, n)}
            for label, n in figures[name].items()
        ]
        return _table(
            title,
            cells,
            minimum,
            caption,
            complementary=alone,
            total_suppressed=None if alone else (key, name, TOTAL) in hidden,
        )

    stages = table(
        STAGES,
        _("Cases by stage"),
        _(
            "Filing, verification, determination, feedback, correction, archiving "
            "(Art. 14); cases filed in the period by their current stage"
        )
        if period
        else _(
            "Filing, verification, determination, feedback, correction, archiving "
            "(Art. 14)"
        ),
    )
    outcomes = table(
        OUTCOMES,
        _("Persons by determination"),
        _(
            "Determinations under Art. 9 to 12; a lighter or mitigated liability "
            "under Art. 11 counts as lighter or mitigated"
        ),
    )
    head = figures[HEADLINE]
    headline = _table(
        _("Key figures"),
        [
            {
                "label": _("Cases filed") if period else _("Supervision cases in all"),
                "count": head[CASES],
                "suppressed": out(HEADLINE, CASES, head[CASES]),
            },
            {
                "label": _("Persons exempted (error tolerance)"),
                "count": head[EXEMPT],
                "suppressed": out(HEADLINE, EXEMPT, head[EXEMPT]),
                "caption": str(cite(Reading("exemption_meaning"))),
            },
            # Every clarification notice is a public page anyway: its count
            # is shown however small.
            _cell(_("Clarification notices"), figures["notices"], 1),
        ],
        minimum,
        complementary=False,
    )
    # The headline figures are independent of each other: no total.
    headline["total"] = None
    counts = figures[ON_TIME]
    if counts[DECIDED] == 0:
        on_time = {
            "suppressed": True,
            "display": _("No case was decided in this period")
            if period
            else _("No case has been decided yet"),
        }
    elif (
        any(_small(n, minimum) for n in counts.values())
        if alone
        else (key, ON_TIME, DECIDED) in hidden
    ):
        on_time = {
            "suppressed": True,
            "display": _(
                "Fewer than %(n)s cases decided, or decided on time or late, or the "
                "figure could be worked out from others"
            )
            % {"n": minimum},
        }
    else:
        on_time = {
            "decided": counts[DECIDED],
            "on_time": counts[PUNCTUAL],
            "rate": round(counts[PUNCTUAL] * 100 / counts[DECIDED], 1),
            "suppressed": False,
        }
    tables = [stages, outcomes]
    if YEARS in figures:
        tables.append(table(YEARS, _("Cases by year of filing")))
    return {"headline": headline, "tables": tables, "on_time": on_time}


def compute(
    minimum: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict:
    """The public figures of one period, as plain JSON-ready data; reads
    casework, writes nothing. Without a period, everything so far; with
    ``start``..``end`` (both inclusive): cases filed, determinations and
    decisions made and clarification notices dated in it. Each table is
    protected on its own: the page's snapshot uses :func:`compute_all`,
    which also protects across tables and periods."""
    minimum = minimum or threshold()
    data = _publish(_figures(start, end), minimum, start is not None)
    data["computed_at"] = timezone.now().isoformat()
    return data


# --- Protection across tables and periods -----------------------------------
#
# A reader holds every published cell of every period and knows how they add
# up: a year is the sum of its quarters, a quarter of its months, everything
# so far of the years; a table's total is the sum of its rows; the stages add
# up to the new cases and the 免责 row is 容错免责人次. A hidden cell is
# recoverable when those linear equations fix it: with x_H the hidden cells,
# A_H x_H = b (b from the shown cells), x_i is fixed iff the unit vector e_i
# lies in the row space of A_H, i.e. the reduced row echelon form of A_H has
# the row e_i. The arithmetic is exact (fractions).

Var = tuple[str, str, str]  # (period key, "" for everything so far; table; row)


def _eliminate(rows: list[dict]) -> list[Var]:
    """The variables fixed by ``rows`` (each a sparse ``{var: coefficient}``
    of hidden variables): those whose reduced row is a unit vector."""
    pivots: dict = {}
    for row in rows:
        r = {v: Fraction(c) for v, c in row.items() if c}
        for col in [c for c in r if c in pivots]:
            factor = r.get(col)
            if factor:
                for v, c in pivots[col].items():
                    value = r.get(v, 0) - factor * c
                    if value:
                        r[v] = value
                    else:
                        r.pop(v, None)
        if not r:
            continue
        col = min(r)
        lead = r[col]
        r = {v: c / lead for v, c in r.items()}
        for other in pivots.values():
            factor = other.get(col)
            if factor:
                for v, c in r.items():
                    value = other.get(v, 0) - factor * c
                    if value:
                        other[v] = value
                    else:
                        other.pop(v, None)
        pivots[col] = r
    return sorted(col for col, row in pivots.items() if len(row) == 1)


def _values(periods_figures: dict[str, dict]) -> dict[Var, int]:
    """Every cell of every period, totals included, by variable."""
    value: dict[Var, int] = {}
    for key, figures in periods_figures.items():
        for table in (HEADLINE, STAGES, OUTCOMES, YEARS, ON_TIME):
            for row, n in figures.get(table, {}).items():
                value[(key, table, row)] = n
            if table in (STAGES, OUTCOMES, YEARS) and table in figures:
                value[(key, table, TOTAL)] = sum(figures[table].values())
    return value


def _equations(periods_figures: dict[str, dict], children: dict) -> list[dict]:
    """The equations a reader knows, as ``{var: coefficient}`` summing to
    zero; only those that hold for these counts (a parent period whose
    children do not cover it, such as a quarter partly before the measure,
    is left out if cases fall outside the children)."""
    value = _values(periods_figures)
    exempt_rows = [
        label
        for label, members in OUTCOME_GROUPS
        if all(is_exemption(o.value) for o in members)
    ]
    candidates: list[dict] = []
    for key, figures in periods_figures.items():
        for table in (STAGES, OUTCOMES, YEARS):
            if table in figures:
                eq = {(key, table, TOTAL): 1}
                eq.update({(key, table, row): -1 for row in figures[table]})
                candidates.append(eq)
        on_time = {(key, ON_TIME, DECIDED): 1}
        on_time.update({(key, ON_TIME, PUNCTUAL): -1, (key, ON_TIME, LATE): -1})
        candidates.append(on_time)
        candidates.append({(key, STAGES, TOTAL): 1, (key, HEADLINE, CASES): -1})
        exempt = {(key, HEADLINE, EXEMPT): 1}
        exempt.update({(key, OUTCOMES, row): -1 for row in exempt_rows})
        candidates.append(exempt)
        for row in figures.get(YEARS, {}):
            year = row.removesuffix("年")
            candidates.append({(key, YEARS, row): 1, (year, HEADLINE, CASES): -1})
        if YEARS in figures:
            candidates.append({(key, YEARS, TOTAL): 1, (key, HEADLINE, CASES): -1})
    for parent, kids in children.items():
        for var in [v for v in value if v[0] == parent]:
            eq = {var: 1}
            for kid in kids:
                eq[(kid, var[1], var[2])] = -1
            candidates.append(eq)
    return [
        eq
        for eq in candidates
        if all(v in value for v in eq) and sum(c * value[v] for v, c in eq.items()) == 0
    ]


def _level(key: str) -> int:
    return 0 if not key else 1 if len(key) == 4 else 2 if "Q" in key else 3


def protect(periods_figures: dict[str, dict], children: dict, minimum: int) -> set:
    """The cells to hide, as ``(period key, table, row)``: every cell below
    the threshold (1 to N-1), and then, greedily, while a hidden cell is
    recoverable from the published ones (see the comment above), the
    smallest shown non-zero cell sharing an equation with it, preferring
    the same level (month, quarter, year), until none is; then every added
    cell that has become needless is shown again. The three figures
    of the on-time rate are hidden together."""
    equations = _equations(periods_figures, children)
    value = _values(periods_figures)
    hidden: set[Var] = set()

    def group(var: Var) -> set[Var]:
        if var[1] == ON_TIME:
            return {(var[0], ON_TIME, row) for row in (DECIDED, PUNCTUAL, LATE)}
        return {var}

    def hide(var: Var) -> None:
        hidden.update(group(var))

    for var, n in value.items():
        if _small(n, minimum):
            hide(var)
    primary = set(hidden)
    involving: dict[Var, list[int]] = {}
    for index, eq in enumerate(equations):
        for var in eq:
            involving.setdefault(var, []).append(index)
    cache: dict[frozenset, list[Var]] = {}

    def recoverable(hidden: set[Var] = hidden) -> list[Var]:
        # Connected components of the hidden cells through the equations:
        # hiding a cell changes one component, the others come from the cache.
        seen: set[Var] = set()
        found: list[Var] = []
        for start in sorted(hidden):
            if start in seen:
                continue
            component, rows, stack = {start}, set(), [start]
            while stack:
                var = stack.pop()
                for index in involving.get(var, ()):
                    if index in rows:
                        continue
                    rows.add(index)
                    for other in equations[index]:
                        if other in hidden and other not in component:
                            component.add(other)
                            stack.append(other)
            seen |= component
            frozen = frozenset(component)
            if frozen not in cache:
                cache[frozen] = _eliminate(
                    [
                        {v: c for v, c in equations[i].items() if v in hidden}
                        for i in sorted(rows)
                    ]
                )
            found.extend(cache[frozen])
        return found

    def shown_near(cells) -> set[Var]:
        return {
            other
            for var in cells
            for index in involving.get(var, ())
            for other in equations[index]
            if other not in hidden
        }

    while fixed := recoverable():
        # Candidates: the shown non-zero cells in an equation with a fixed
        # one, the same level as the coarsest fixed cell first, then the
        # smallest. The first that frees a fixed cell is hidden (else the
        # first): a month fixed only because its quarter is fixed is freed
        # by protecting the quarter, not the month's zero siblings.
        coarsest = min(_level(var[0]) for var in fixed)
        near = sorted(
            (v for v in shown_near(fixed) if value[v]),
            key=lambda v: (_level(v[0]) != coarsest, value[v], v),
        )
        if not near:
            # Widen to the cells in an equation with any hidden one, zeros
            # last.
            near = sorted(
                shown_near(hidden), key=lambda v: (value[v] == 0, value[v], v)
            )
            if not near:
                break
        choice = next(
            (v for v in near if len(recoverable(hidden | group(v))) < len(fixed)),
            near[0],
        )
        hide(choice)
    # Greedy steps can leave a cell hidden that a later one made needless:
    # show again, largest first, every added cell whose showing lets
    # nothing be recovered.
    for var in sorted(hidden - primary, key=lambda v: (-value[v], v)):
        if var not in hidden:
            continue
        cells = group(var) - primary
        hidden.difference_update(cells)
        if recoverable():
            hidden.update(cells)
    return hidden


# --- Periods ------------------------------------------------------------------

_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})))?$")


@dataclass(frozen=True)
class Period:
    """A year, quarter or month the page can show: ``2026``, ``2026-Q4``,
    ``2026-12``."""

    kind: str
    year: int
    index: int = 1

    @property
    def key(self) -> str:
        if self.kind == PeriodicReport.Kind.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind == PeriodicReport.Kind.MONTH:
            return f"{self.year}-{self.index:02d}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == PeriodicReport.Kind.QUARTER:
            return _("Q%(quarter)s %(year)s") % {
                "year": self.year,
                "quarter": self.index,
            }
        if self.kind == PeriodicReport.Kind.MONTH:
            return _("%(year)s-%(month)s (month)") % {
                "year": self.year,
                "month": self.index,
            }
        return _("year %(year)s") % {"year": self.year}

    @property
    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return period_bounds(self.kind, self.year, self.index)


def periods(today: datetime.date | None = None) -> list[Period]:
    """Every year, quarter and month from the measure's entry into force
    (Art. 24, 2025-03-01) to the current one, latest first within each kind."""
    today = today or timezone.localdate()
    first = POLICY_IN_FORCE
    out: list[Period] = []
    for year in range(today.year, first.year - 1, -1):
        out.append(Period(PeriodicReport.Kind.YEAR, year))
    for year in range(today.year, first.year - 1, -1):
        for quarter in range(4, 0, -1):
            period = Period(PeriodicReport.Kind.QUARTER, year, quarter)
            start, end = period.bounds
            if start <= today and end >= first:
                out.append(period)
    for year in range(today.year, first.year - 1, -1):
        for month in range(12, 0, -1):
            period = Period(PeriodicReport.Kind.MONTH, year, month)
            start, end = period.bounds
            if start <= today and end >= first:
                out.append(period)
    return out


class PeriodError(ValueError):
    """A period the page cannot show; the message is for the visitor."""


def parse_period(value: str | None, available: list[str]) -> str | None:
    """The snapshot key of the period asked for (``None``: all so far).

    ``available`` is the snapshot's list of keys: a well-formed period
    outside it (before the measure, in the future, or newer than the
    snapshot) is refused as well as a malformed one."""
    value = (value or "").strip()
    if not value or value == "all":
        return None
    match = _PERIOD_RE.match(value)
    if not match:
        raise PeriodError(
            _(
                "The period is not valid: please choose a year, quarter or month from "
                "the list."
            )
        )
    if match.group(3) and not 1 <= int(match.group(3)) <= 12:
        raise PeriodError(
            _("The month must be 1 to 12: please choose a period from the list.")
        )
    if value not in available:
        year, quarter, month = match.groups()
        kind, index = (
            (PeriodicReport.Kind.QUARTER, int(quarter))
            if quarter
            else (PeriodicReport.Kind.MONTH, int(month))
            if month
            else (PeriodicReport.Kind.YEAR, 1)
        )
        raise PeriodError(
            _(
                "No statistics for %(period)s: the periods to choose from run from "
                "%(year)s-%(month)s (when the measure came into force) to this month."
            )
            % {
                "period": Period(kind, int(year), index).label,
                "year": POLICY_IN_FORCE.year,
                "month": POLICY_IN_FORCE.month,
            }
        )
    return value


def _children(keys: list[str]) -> dict[str, list[str]]:
    """Which published periods make up which: everything so far (``""``)
    the years, a year its quarters, a quarter its months."""
    children: dict[str, list[str]] = {"": []}
    for key in keys:
        if len(key) == 4:
            children[""].append(key)
        elif "Q" in key:
            children.setdefault(key[:4], []).append(key)
        else:
            quarter = f"{key[:4]}-Q{(int(key[5:]) - 1) // 3 + 1}"
            children.setdefault(quarter, []).append(key)
    return children


def compute_all(minimum: int | None = None, today: datetime.date | None = None) -> dict:
    """The figures of everything so far and of every period, with the list
    of periods for the page's selector, protected together
    (:func:`protect`): no hidden cell can be worked out from the others,
    whatever periods a reader puts side by side."""
    minimum = minimum or threshold()
    chosen = periods(today)
    raw = {"": _figures()}
    for period in chosen:
        raw[period.key] = _figures(*period.bounds)
    hidden = protect(raw, _children([p.key for p in chosen]), minimum)
    data = _publish(raw[""], minimum, False, hidden, "")
    data["computed_at"] = timezone.now().isoformat()
    data["periods"] = {}
    data["period_options"] = []
    for period in chosen:
        figures = _publish(raw[period.key], minimum, True, hidden, period.key)
        figures["label"] = period.label
        data["periods"][period.key] = figures
        data["period_options"].append(
            {"key": period.key, "label": period.label, "kind": period.kind}
        )
    return data


def csv_rows(figures: dict, period_label: str, threshold_value: int) -> list[list]:
    """What the page shows, as rows of a CSV: the suppressed cells as
    少于N, never their count."""
    rows: list[list] = [
        [_("Statistics period"), period_label],
        [_("Note"), suppression_note(threshold_value)],
        [],
    ]
    rows.append([_("Table"), _("Category"), _("Count")])
    headline = figures["headline"]
    for cell in headline["rows"]:
        rows.append([headline["title"], cell["label"], cell["display"]])
    on_time = figures["on_time"]
    if on_time["suppressed"]:
        rows.append(
            [
                headline["title"],
                ON_TIME_LABEL,
                _("Not published (%(reason)s)") % {"reason": on_time["display"]},
            ]
        )
    else:
        rows.append(
            [
                headline["title"],
                ON_TIME_LABEL,
                f"{on_time['rate']}%（{on_time['on_time']}/{on_time['decided']}）",
            ]
        )
    for table in figures["tables"]:
        for cell in table["rows"]:
            rows.append([table["title"], cell["label"], cell["display"]])
        if table["total"] is not None:
            rows.append([table["title"], _("Total"), table["total_display"]])
    return rows


def suppression_note(threshold_value: int) -> str:
    """Why some cells read 少于N: it is the office's rule (本机构工作规则); the
    measure says nothing about published statistics."""
    return _(
        "Groups of fewer than %(n)s are shown as “fewer than %(n)s”, without the "
        "exact figure; if a hidden group could be worked out from a total or from "
        "other periods (all, year, quarter, month), the smallest group that prevents "
        "it is hidden too, also shown as “fewer than %(n)s”; the share of decisions "
        "made on time is not published when fewer than %(n)s cases were decided, or "
        "decided on time or late. Small numbers can point at a person: this protects "
        "the people concerned from being identified. This is the office's rule; the "
        "measure says nothing about it."
    ) % {"n": threshold_value}


def refresh() -> StatisticsSnapshot:
    """Store a new snapshot and drop all but the latest few."""
    minimum = threshold()
    data = compute_all(minimum)
    with transaction.atomic():
        snapshot = StatisticsSnapshot.objects.create(threshold=minimum, data=data)
        stale = StatisticsSnapshot.objects.order_by("-created_at", "-pk").values_list(
            "pk", flat=True
        )[KEEP_SNAPSHOTS:]
        StatisticsSnapshot.objects.filter(pk__in=list(stale)).delete()
    return snapshot
