"""The figures of the transparency statistics page, computed from casework
(read-only) and stored as a snapshot.

Small groups are suppressed (shown as “少于N”): a figure of 1 or 2 in a public
table can point at a person. Where a table shows its total, a single
suppressed cell could be recovered by subtraction, so a second one (the next
smallest) is suppressed with it. The measure says nothing about published
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

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from casework.models import Determination, PeriodicReport, SupervisionCase
from casework.reports import POLICY_IN_FORCE, period_bounds
from casework.rules.articles import OUTCOME_GROUPS, is_exemption
from casework.rules.stages import Stage
from publishing.models import ClarificationNoticePage, StatisticsSnapshot

DEFAULT_THRESHOLD = 5
KEEP_SNAPSHOTS = 30


def threshold() -> int:
    return int(getattr(settings, "PUBLISHING_STATISTICS_MIN_GROUP", DEFAULT_THRESHOLD))


def _cell(label: str, count: int, minimum: int) -> dict:
    return {"label": label, "count": count, "suppressed": 0 < count < minimum}


def _table(
    title: str,
    cells: list[dict],
    minimum: int,
    caption: str = "",
    complementary: bool = True,
) -> dict:
    """A table of counts with suppression and bar widths (per cent of the
    largest shown value) for the SVG chart. ``complementary``: the cells are
    parts of one total, so a lone suppressed cell takes a second with it."""
    suppressed = [c for c in cells if c["suppressed"]]
    if complementary and len(suppressed) == 1:
        others = sorted(
            (c for c in cells if not c["suppressed"] and c["count"] > 0),
            key=lambda c: c["count"],
        )
        if others:
            others[0]["suppressed"] = True
    total = sum(c["count"] for c in cells)
    shown = [c["count"] for c in cells if not c["suppressed"]]
    largest = max([*shown, 1])
    for cell in cells:
        if cell["suppressed"]:
            cell["display"] = f"少于{minimum}"
            cell["width"] = 0
            cell.pop("count")
        else:
            cell["display"] = str(cell["count"])
            cell["width"] = round(cell["count"] * 100 / largest, 1)
    return {
        "title": title,
        "caption": caption,
        "rows": cells,
        "total": total if total == 0 or total >= minimum else None,
        "total_display": str(total)
        if total == 0 or total >= minimum
        else f"少于{minimum}",
    }


def compute(
    minimum: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict:
    """The public figures, as plain JSON-ready data; reads casework, writes
    nothing. Without a period, everything so far; with ``start``..``end``
    (both inclusive): cases filed, determinations and decisions made and
    clarification notices dated in it. Determinations count only in their
    case's current decision round (a review may have replaced an earlier
    one, Art. 19), in the outcome categories of the periodic report
    (casework.rules.articles.OUTCOME_GROUPS)."""
    minimum = minimum or threshold()
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
    stages = _table(
        "按办理环节统计的案件数",
        [
            _cell(stage.label, stage_counts.get(stage.value, 0), minimum)
            for stage in Stage
        ],
        minimum,
        "立案、核实、认定、反馈、纠错、归档（第十四条）"
        + ("；本期立案的案件按目前所处环节" if start else ""),
    )
    outcome_counts = dict(
        current.values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    outcomes = _table(
        "按认定结果统计的人次",
        [
            _cell(label, sum(outcome_counts.get(o.value, 0) for o in members), minimum)
            for label, members in OUTCOME_GROUPS
        ],
        minimum,
        "依据第九条至第十二条作出的认定；第十一条从轻、减轻追究责任计入从轻、减轻",
    )
    decided = decided_cases.aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(decided_on__lte=F("decision_due"))),
    )
    if decided["total"] >= minimum:
        on_time = {
            "decided": decided["total"],
            "on_time": decided["on_time"],
            "rate": round(decided["on_time"] * 100 / decided["total"], 1),
            "suppressed": False,
        }
    else:
        on_time = {"suppressed": True, "display": f"已作出决定的案件少于{minimum}件"}
    # 容错免责 is the exemption only (reading exemption_meaning): 从轻/减轻 are
    # not counted here, one rule with the determinations and the feedback.
    exempt = sum(n for outcome, n in outcome_counts.items() if is_exemption(outcome))
    headline = _table(
        "主要数据",
        [
            _cell(
                "监督案件总数" if start is None else "新立案件",
                sum(stage_counts.values()),
                minimum,
            ),
            _cell("容错免责人次", exempt, minimum),
            # Every clarification notice is a public page anyway: its count
            # is shown however small.
            _cell("澄清正名公告", notices.count(), 1),
        ],
        minimum,
        complementary=False,
    )
    # The headline figures are independent of each other: no total.
    headline["total"] = None
    tables = [stages, outcomes]
    if start is None:
        year_counts = dict(
            SupervisionCase.objects.values_list("year")
            .annotate(n=Count("pk"))
            .order_by()
        )
        tables.append(
            _table(
                "按立案年度统计的案件数",
                [
                    _cell(f"{year}年", count, minimum)
                    for year, count in sorted(year_counts.items())
                ],
                minimum,
            )
        )
    return {
        "headline": headline,
        "tables": tables,
        "on_time": on_time,
        "computed_at": timezone.now().isoformat(),
    }


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
            return f"{self.year}年第{self.index}季度"
        if self.kind == PeriodicReport.Kind.MONTH:
            return f"{self.year}年{self.index}月"
        return f"{self.year}年"

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
        raise PeriodError("统计期间格式不正确，请从列表中选择年度、季度或月份。")
    if match.group(3) and not 1 <= int(match.group(3)) <= 12:
        raise PeriodError("月份应为1至12，请从列表中选择统计期间。")
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
            f"没有{Period(kind, int(year), index).label}的统计数据：可选择的期间自"
            f"{POLICY_IN_FORCE.year}年{POLICY_IN_FORCE.month}月（《实施办法》施行）"
            "起至本月。"
        )
    return value


def compute_all(minimum: int | None = None, today: datetime.date | None = None) -> dict:
    """The figures of everything so far and of every period, with the list
    of periods for the page's selector."""
    minimum = minimum or threshold()
    data = compute(minimum)
    data["periods"] = {}
    data["period_options"] = []
    for period in periods(today):
        start, end = period.bounds
        figures = compute(minimum, start, end)
        figures.pop("computed_at")
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
        ["统计期间", period_label],
        ["说明", suppression_note(threshold_value)],
        [],
    ]
    rows.append(["表", "分类", "数量"])
    headline = figures["headline"]
    for cell in headline["rows"]:
        rows.append([headline["title"], cell["label"], cell["display"]])
    on_time = figures["on_time"]
    if on_time["suppressed"]:
        rows.append(
            [headline["title"], "按期办结率", f"不予公开（{on_time['display']}）"]
        )
    else:
        rows.append(
            [
                headline["title"],
                "按期办结率",
                f"{on_time['rate']}%（{on_time['on_time']}/{on_time['decided']}）",
            ]
        )
    for table in figures["tables"]:
        for cell in table["rows"]:
            rows.append([table["title"], cell["label"], cell["display"]])
        if table["total"] is not None:
            rows.append([table["title"], "合计", table["total_display"]])
    return rows


def suppression_note(threshold_value: int) -> str:
    """Why some cells read 少于N: it is the office's rule (本机构工作规则); the
    measure says nothing about published statistics."""
    return (
        f"数量少于{threshold_value}的分组显示为“少于{threshold_value}”，不公开具体数字；"
        "只有一个分组被隐去时，再隐去次小的一组，以免从合计反推。"
        "小数目可能指向具体的人，这样做是为了保护当事人不被识别。"
        "这是本机构工作规则，《实施办法》对此未作规定。"
    )


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
