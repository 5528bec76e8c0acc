"""The statistics snapshot (数据公开) protects small groups across tables and
periods: no cell shown as 少于N can be worked out from all the published
cells of all periods, however a reader combines them (issue: the period
selector let anyone recover a 少于5 from the year and the other quarters).

The checker here is independent of publishing.statistics.protect: it reads
only what the page and the CSV publish (the ``display`` strings), writes the
equations a reader knows, and decides by ranks (a hidden cell is fixed iff
dropping its column lowers the rank of the hidden cells' matrix), not by the
reduced-row test the implementation uses."""

from __future__ import annotations

import datetime
import time
from fractions import Fraction

import pytest

from casework.rules.articles import OUTCOME_GROUPS
from casework.rules.stages import Stage
from publishing import statistics
from tests.testkit.factories import SupervisionCaseFactory

MIN = 5


def _fixed_columns(matrix: list[list[Fraction]]) -> list[int]:
    """The columns every solution of ``matrix`` x = b fixes: x_i is fixed iff
    no vector of the null space moves it. Dense reduction, pivots taken
    column by column; the null space has one vector per free column f
    (x_f = 1, each pivot x_p = -R[p][f])."""
    rows = [list(r) for r in matrix]
    pivots: list[int] = []
    rank = 0
    columns = len(rows[0])
    for col in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [v / lead for v in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][col]:
                factor = rows[i][col]
                rows[i] = [
                    a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)
                ]
        pivots.append(col)
        rank += 1
    free = [c for c in range(columns) if c not in set(pivots)]
    return [col for r, col in enumerate(pivots) if all(rows[r][f] == 0 for f in free)]


def _published(data: dict) -> dict:
    """``{(period, table, row): int or None}`` from what is published:
    None for a cell shown as 少于N (or a rate not published)."""
    cells = {}

    def read(key, figures):
        for cell in figures["headline"]["rows"]:
            if cell["label"] == "澄清正名公告":
                continue
            label = (
                "cases" if cell["label"] in ("新立案件", "监督案件总数") else "exempt"
            )
            cells[(key, "headline", label)] = (
                None if cell["display"].startswith("少于") else int(cell["display"])
            )
        for table in figures["tables"]:
            for cell in table["rows"]:
                cells[(key, table["title"], cell["label"])] = (
                    None if cell["display"].startswith("少于") else int(cell["display"])
                )
            cells[(key, table["title"], "合计")] = (
                None
                if table["total_display"].startswith("少于")
                else int(table["total_display"])
            )
        on_time = figures["on_time"]
        for row in ("decided", "on_time", "late"):
            cells[(key, "on_time", row)] = None
        if not on_time["suppressed"]:
            cells[(key, "on_time", "decided")] = on_time["decided"]
            cells[(key, "on_time", "on_time")] = on_time["on_time"]
            cells[(key, "on_time", "late")] = on_time["decided"] - on_time["on_time"]
        elif "没有" in on_time["display"] or "尚无" in on_time["display"]:
            for row in ("decided", "on_time", "late"):
                cells[(key, "on_time", row)] = 0

    read("", data)
    for key, figures in data["periods"].items():
        read(key, figures)
    return cells


def _reader_equations(cells: dict, keys: list[str]) -> list[dict]:
    """What a reader knows adds up, each ``{cell: coefficient}`` = 0."""
    parent_of = {}
    for key in keys:
        if len(key) == 4:
            parent_of[key] = ""
        elif "Q" in key:
            parent_of[key] = key[:4]
        else:
            parent_of[key] = f"{key[:4]}-Q{(int(key[5:]) - 1) // 3 + 1}"
    equations = []
    tables = {(k[0], k[1]) for k in cells}
    for period, table in tables:
        rows = [k for k in cells if k[:2] == (period, table)]
        if table not in ("headline", "on_time"):
            equations.append({k: (1 if k[2] == "合计" else -1) for k in rows})
    for period in {k[0] for k in cells}:
        equations.append(
            {
                (period, "on_time", "decided"): 1,
                (period, "on_time", "on_time"): -1,
                (period, "on_time", "late"): -1,
            }
        )
        equations.append(
            {
                (period, "按办理环节统计的案件数", "合计"): 1,
                (period, "headline", "cases"): -1,
            }
        )
        equations.append(
            {
                (period, "按认定结果统计的人次", "免责"): 1,
                (period, "headline", "exempt"): -1,
            }
        )
    for cell in cells:
        if cell[1] == "按立案年度统计的案件数" and cell[2] != "合计":
            equations.append({cell: 1, (cell[2][:4], "headline", "cases"): -1})
    children = {}
    for key, parent in parent_of.items():
        children.setdefault(parent, []).append(key)
    for parent, kids in children.items():
        for cell in [c for c in cells if c[0] == parent]:
            equation = {cell: 1}
            for kid in kids:
                equation[(kid, cell[1], cell[2])] = -1
            if all(c in cells for c in equation):
                equations.append(equation)
    return [e for e in equations if all(c in cells for c in e)]


def recoverable(data: dict) -> list[tuple]:
    """The cells published as hidden that all the published cells fix,
    component by component of the hidden cells (cells linked by an
    equation)."""
    cells = _published(data)
    equations = _reader_equations(cells, list(data["periods"]))
    hidden = {c for c, v in cells.items() if v is None}
    restricted = [{c: k for c, k in e.items() if c in hidden} for e in equations]
    restricted = [e for e in restricted if e]
    # Union-find over the hidden cells.
    parent = {c: c for c in hidden}

    def root(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for e in restricted:
        first, *rest = e
        for c in rest:
            parent[root(c)] = root(first)
    groups: dict = {}
    for e in restricted:
        groups.setdefault(root(next(iter(e))), []).append(e)
    fixed = []
    for group in groups.values():
        columns = sorted({c for e in group for c in e})
        index = {c: i for i, c in enumerate(columns)}
        matrix = []
        for e in group:
            row = [Fraction(0)] * len(columns)
            for c, k in e.items():
                row[index[c]] = Fraction(k)
            matrix.append(row)
        fixed += [columns[i] for i in _fixed_columns(matrix)]
    return sorted(fixed)


def _old_rule(today: datetime.date) -> dict:
    """What the page published before: each period on its own, each table
    protected within itself."""
    data = statistics.compute(MIN)
    data["periods"] = {
        p.key: statistics.compute(MIN, *p.bounds) for p in statistics.periods(today)
    }
    return data


def _cases_of_the_proof():
    for _ in range(6):
        SupervisionCaseFactory()  # filed 2025-09-01
    for _ in range(2):
        SupervisionCaseFactory(filed_on=datetime.date(2025, 10, 8))


TODAY = datetime.date(2025, 12, 15)


@pytest.mark.django_db
def test_the_reviewers_proof_recovers_a_hidden_cell_under_the_old_rule_only():
    _cases_of_the_proof()
    old = _old_rule(TODAY)
    assert old["periods"]["2025-Q4"]["headline"]["rows"][0]["display"] == "少于5"
    leaks = recoverable(old)
    assert ("2025-Q4", "headline", "cases") in leaks
    assert ("2025-10", "headline", "cases") in leaks

    new = statistics.compute_all(MIN, TODAY)
    assert recoverable(new) == []
    # Everything so far is still published; small groups stay hidden.
    assert new["headline"]["rows"][0]["display"] == "8"
    assert new["periods"]["2025-10"]["headline"]["rows"][0]["display"] == "少于5"


def _synthetic(records):
    """A stand-in for statistics._figures over ``records`` of (filed date,
    stage, outcome group or None, decided on time or None)."""
    stages = [stage.label for stage in Stage]
    groups = [label for label, _members in OUTCOME_GROUPS]

    def figures(start=None, end=None):
        inside = [r for r in records if start is None or start <= r[0] <= end]
        result = {
            "stages": {s: sum(r[1] == s for r in inside) for s in stages},
            "outcomes": {g: sum(r[2] == g for r in inside) for g in groups},
            "headline": {
                "cases": len(inside),
                "exempt": sum(r[2] == "免责" for r in inside),
            },
            "notices": 0,
            "on_time": {
                "decided": sum(r[3] is not None for r in inside),
                "on_time": sum(r[3] is True for r in inside),
                "late": sum(r[3] is False for r in inside),
            },
        }
        if start is None:
            years = sorted({r[0].year for r in inside})
            result["years"] = {
                f"{y}年": sum(r[0].year == y for r in inside) for y in years
            }
        return result

    return figures


def test_rows_totals_and_outcomes_across_periods_are_protected(monkeypatch):
    """A second case, across rows and totals: one stage, one outcome group
    and the late decisions small in one month only, large in the quarter."""
    records = []
    for day, stage, group, punctual, n in (
        (datetime.date(2025, 9, 10), "立案", "履职尽责", True, 7),
        (datetime.date(2025, 9, 11), "认定", "免责", True, 6),
        (datetime.date(2025, 10, 10), "立案", "履职尽责", True, 6),
        (datetime.date(2025, 10, 11), "认定", "免责", False, 3),
        (datetime.date(2025, 11, 10), "立案", "履职尽责", True, 8),
        (datetime.date(2025, 11, 11), "认定", "免责", False, 9),
        (datetime.date(2025, 11, 12), "核实", "不予容错", True, 2),
    ):
        records += [(day, stage, group, punctual)] * n
    monkeypatch.setattr(statistics, "_figures", _synthetic(records))
    old = _old_rule(TODAY)
    assert recoverable(old), "the old rule must leak here, or the case proves nothing"
    started = time.perf_counter()
    new = statistics.compute_all(MIN, TODAY)
    print(f"protect, demo: {time.perf_counter() - started:.3f}s")
    assert recoverable(new) == []
    shown = _published(new)
    # The small groups are hidden, and so is what would give them away;
    # not everything is hidden.
    assert shown[("2025-11", "按办理环节统计的案件数", "核实")] is None
    assert shown[("2025-10", "按认定结果统计的人次", "免责")] is None
    assert sum(v is not None and v > 0 for v in shown.values()) >= 20


def test_three_years_of_small_monthly_figures_are_protected_in_time(monkeypatch):
    """36 months of small, uneven figures: every one of them hidden, the
    sums shown where safe, nothing recoverable, within the daily task's
    budget."""
    records = []
    stages = [stage.label for stage in Stage]
    groups = [label for label, _members in OUTCOME_GROUPS]
    day = datetime.date(2025, 3, 1)
    n = 0
    while day <= datetime.date(2028, 2, 28):
        for k in range(1 + n % 7):
            records.append(
                (day, stages[(n + k) % 3], groups[(n * 3 + k) % 5], k % 3 != 0)
            )
        n += 1
        day += datetime.timedelta(days=9)
    monkeypatch.setattr(statistics, "_figures", _synthetic(records))
    started = time.perf_counter()
    new = statistics.compute_all(MIN, datetime.date(2028, 2, 28))
    elapsed = time.perf_counter() - started
    print(f"protect, 3 years ({len(records)} records): {elapsed:.3f}s")
    assert recoverable(new) == []
    assert elapsed < 60
