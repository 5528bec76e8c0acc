"""The figures of the transparency statistics page, computed from casework
(read-only) and stored as a snapshot.

Small groups are suppressed (shown as “少于N”): a figure of 1 or 2 in a public
table can point at a person. Where a table shows its total, a single
suppressed cell could be recovered by subtraction, so a second one (the next
smallest) is suppressed with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from casework.models import Determination, SupervisionCase
from casework.rules.articles import Outcome, is_exemption
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


def compute(minimum: int | None = None) -> dict:
    """All public figures, as plain JSON-ready data. Reads casework; writes
    nothing. Determinations count only in their case's current decision round
    (a review may have replaced an earlier one, Art. 19)."""
    minimum = minimum or threshold()
    stage_counts = dict(
        SupervisionCase.objects.values_list("stage").annotate(n=Count("pk"))
    )
    stages = _table(
        "按办理环节统计的案件数",
        [
            _cell(stage.label, stage_counts.get(stage.value, 0), minimum)
            for stage in Stage
        ],
        minimum,
        "立案、核实、认定、反馈、纠错、归档（第十四条）",
    )
    current = Determination.objects.filter(
        round=F("case_officer__case__decision_round")
    )
    outcome_counts = dict(current.values_list("outcome").annotate(n=Count("pk")))
    outcomes = _table(
        "按认定结果统计的人次",
        [_cell(o.label, outcome_counts.get(o.value, 0), minimum) for o in Outcome],
        minimum,
        "依据第九条至第十二条作出的认定",
    )
    decided = SupervisionCase.objects.filter(
        decided_on__isnull=False, decision_due__isnull=False
    ).aggregate(
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
    clarifications = ClarificationNoticePage.objects.live().public().count()
    headline = _table(
        "主要数据",
        [
            _cell("监督案件总数", sum(stage_counts.values()), minimum),
            _cell("容错免责人次", exempt, minimum),
            # Every clarification notice is a public page anyway: its count
            # is shown however small.
            _cell("澄清正名公告", clarifications, 1),
        ],
        minimum,
        complementary=False,
    )
    # The headline figures are independent of each other: no total.
    headline["total"] = None
    year_counts = dict(
        SupervisionCase.objects.values_list("year").annotate(n=Count("pk"))
    )
    years = _table(
        "按立案年度统计的案件数",
        [
            _cell(f"{year}年", count, minimum)
            for year, count in sorted(year_counts.items())
        ],
        minimum,
    )
    return {
        "headline": headline,
        "tables": [stages, outcomes, years],
        "on_time": on_time,
        "computed_at": timezone.now().isoformat(),
    }


def refresh() -> StatisticsSnapshot:
    """Store a new snapshot and drop all but the latest few."""
    minimum = threshold()
    with transaction.atomic():
        snapshot = StatisticsSnapshot.objects.create(
            threshold=minimum, data=compute(minimum)
        )
        stale = StatisticsSnapshot.objects.order_by("-created_at", "-pk").values_list(
            "pk", flat=True
        )[KEEP_SNAPSHOTS:]
        StatisticsSnapshot.objects.filter(pk__in=list(stale)).delete()
    return snapshot
