"""The periodic report to the district government (Art. 19 para. 2).

"区行政执法监督机构应当定期向区政府报告行政执法履职尽责容错纠错工作情况": for a
month, quarter or year, the figures of the office's work, counted from the
case records, and the same figures as a Word report in the office's format
(.docx) and an Excel workbook (.xlsx). Reports are generated on schedule (the
last completed month, quarter and year, once each; casework.tasks) and on
demand from the admin, and kept with their generation date.

Other plugins add figures through the ``register_periodic_report_figures``
hook, so casework never imports them (DESIGN.md, "Which way dependencies
point")::

    @hooks.register(PERIODIC_REPORT_FIGURES)  # from portal.hooks
    def clarification_figures(start: date, end: date) -> list[tuple[str, int]]:
        return [("澄清正名公告发布数", count_published_between(start, end))]

Each function gets the first and last day of the period (both inclusive) and
returns ``(label, count)`` pairs, shown under "其他工作" in the report.
"""

from __future__ import annotations

import calendar
import datetime
import io
import logging
import re

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from wagtail import hooks

from casework.documents import POLICY_TITLE, chinese_date
from casework.models import (
    Correction,
    CorrectionExtension,
    CorrectionProgress,
    Determination,
    Extension,
    MatterType,
    PeriodicReport,
    Review,
    RiskPoint,
    RiskWarning,
    SupervisionCase,
)
from casework.models.investigation import private_storage
from casework.rules.articles import OUTCOME_GROUPS
from casework.rules.stages import Stage
from portal import clock, numerals
from portal.documents import (
    BODY_FONT,
    add_heading,
    add_paragraph,
    add_title,
    office_document,
    set_run_font,
    signature_block,
)
from portal.documents import render_docx as docx_bytes
from portal.exports import safe_row
from portal.hooks import PERIODIC_REPORT_FIGURES

logger = logging.getLogger(__name__)

__all__ = [
    "POLICY_IN_FORCE",
    "ReportError",
    "collect_figures",
    "generate_due_reports",
    "generate_report",
    "last_completed_period",
    "period_bounds",
    "period_text",
    "render_docx",
    "render_xlsx",
]

POLICY_IN_FORCE = datetime.date(2025, 3, 1)
"""Art. 24: the measures apply from 2025-03-01; no report covers only earlier days."""


class ReportError(ValueError):
    """A report that cannot be generated; the message is shown to the user."""


# --- Periods ----------------------------------------------------------------------


def period_bounds(kind: str, year: int, index: int = 1) -> tuple[datetime.date, ...]:
    """First and last day of month ``index`` / quarter ``index`` / the year."""
    if kind == PeriodicReport.Kind.MONTH:
        if not 1 <= index <= 12:
            raise ReportError(_("The month must be 1 to 12."))
        last = calendar.monthrange(year, index)[1]
        return datetime.date(year, index, 1), datetime.date(year, index, last)
    if kind == PeriodicReport.Kind.QUARTER:
        if not 1 <= index <= 4:
            raise ReportError(_("The quarter must be 1 to 4."))
        first_month = 3 * (index - 1) + 1
        last_month = first_month + 2
        last = calendar.monthrange(year, last_month)[1]
        return (
            datetime.date(year, first_month, 1),
            datetime.date(year, last_month, last),
        )
    if kind == PeriodicReport.Kind.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    raise ReportError(_("Please choose the report period (month, quarter or year)."))


def last_completed_period(kind: str, today: datetime.date) -> tuple[int, int]:
    """``(year, index)`` of the last month, quarter or year ended before today."""
    if kind == PeriodicReport.Kind.MONTH:
        first = today.replace(day=1) - datetime.timedelta(days=1)
        return first.year, first.month
    if kind == PeriodicReport.Kind.QUARTER:
        quarter = (today.month - 1) // 3  # the current one, 0-based
        return (today.year, quarter) if quarter else (today.year - 1, 4)
    return today.year - 1, 1


# --- Figures ----------------------------------------------------------------------


def _in(start, end, field: str) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _stage_rows(queryset) -> list[list]:
    """Cases per stage, every stage in the order of Art. 14 (立案 → 核实 →
    认定 → 反馈 → 纠错 → 归档), a stage without cases as 0."""
    counts = dict(
        queryset.values_list("stage").annotate(n=Count("pk", distinct=True)).order_by()
    )
    return [[str(label), counts.get(value, 0)] for value, label in Stage.choices()]


def _rows(queryset, key: str, labels=None) -> list[list]:
    rows = queryset.values(key).annotate(n=Count("pk", distinct=True)).order_by(key)
    out = []
    for row in rows:
        label = row[key]
        if labels is not None:
            label = labels.get(label, label)
        out.append([str(label), row["n"]])
    out.sort(key=lambda r: (-r[1], r[0]))
    return out


def figure_hooks() -> list:
    """The functions plugins registered on ``register_periodic_report_figures``."""
    return hooks.get_hooks(PERIODIC_REPORT_FIGURES)


def _plugin_figures(start, end) -> tuple[list[list], list[str]]:
    rows, notes = [], []
    for fn in figure_hooks():
        name = f"{fn.__module__}.{fn.__qualname__}"
        try:
            figures = list(fn(start, end))
            for label, value in figures:
                if not isinstance(label, str) or isinstance(value, bool):
                    raise TypeError(f"bad figure {label!r}: {value!r}")
                rows.append([label, int(value)])
        except Exception:
            # One plugin's failure must not cost the office its report.
            logger.exception("periodic report figures from %s failed", name)
            notes.append(
                _(
                    "Some figures of other work could not be obtained (%(name)s);"
                    " please generate the report again later."
                )
                % {"name": name}
            )
    return rows, notes


def collect_figures(start: datetime.date, end: datetime.date) -> dict:
    """The figures of the period ``start``..``end`` (both inclusive).

    - filed: cases filed in the period; concluded: archived in it;
    - by stage: the cases handled in the period (filed by its end, not
      archived before it) by their stage when the report is generated;
    - by agency, field and matter type: cases filed in the period;
    - outcomes: determinations made in the period, per person concerned;
    - on time: decisions made in the period on or before their deadline as
      the deadline engine stores it (casework.services.time_limits: Art. 17,
      appraisal days, transfer time by reading, approved extensions);
    - overdue open cases: those with an unmet period past its last day at
      the period's end, from the engine's stored ``next_due``;
    - extensions, reviews, corrections, risk points: requested, decided,
      completed or issued in the period; a correction is overdue when its
      deadline fell in the period and no completion was reported by then.
    """
    if end < start:
        raise ReportError(_("The end of the report period cannot be before its start."))
    cases = SupervisionCase.objects.all()
    filed = cases.filter(_in(start, end, "filed_on"))
    handled = cases.filter(filed_on__lte=end).exclude(archived_at__date__lt=start)
    concluded = cases.filter(_in(start, end, "archived_at__date")).count()
    decided = cases.filter(_in(start, end, "decided_on"))
    decided_total = decided.count()
    on_time = decided.filter(decided_on__lte=F("decision_due")).count()
    matter_labels = dict(MatterType.choices)

    determinations = Determination.objects.filter(_in(start, end, "decided_on"))
    outcome_counts = dict(
        determinations.values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    outcomes = [
        [str(label), sum(outcome_counts.get(o.value, 0) for o in members)]
        for label, members in OUTCOME_GROUPS
    ]

    extensions = Extension.objects.all()
    reviews = Review.objects.all()
    reviews_decided = reviews.filter(_in(start, end, "decided_on"))
    result_counts = dict(
        reviews_decided.values_list("result").annotate(n=Count("pk")).order_by()
    )
    corrections = Correction.objects.all()
    completed_in_time = CorrectionProgress.objects.filter(
        correction=OuterRef("pk"),
        completed=True,
        reported_on__lte=OuterRef("deadline"),
    )
    overdue_open_cases = (
        SupervisionCase.objects.overdue(end).filter(filed_on__lte=end).count()
    )

    summary = [
        ["新立案件", filed.count()],
        ["办结归档案件", concluded],
        ["作出监督决定案件", decided_total],
        ["按期作出决定案件", on_time],
        [
            "按期决定率",
            f"{on_time / decided_total:.1%}"
            if decided_total
            else _("— (no decisions in this period)"),
        ],
        [
            "申请延长调查期限",
            extensions.filter(_in(start, end, "created_at__date")).count(),
        ],
        [
            "批准延长调查期限",
            extensions.filter(
                _in(start, end, "decided_at__date"), status=Extension.Status.APPROVED
            ).count(),
        ],
        [
            "批准延长整改期限",
            CorrectionExtension.objects.filter(
                _in(start, end, "decided_at__date"),
                status=CorrectionExtension.Status.APPROVED,
            ).count(),
        ],
        ["受理复核申请", reviews.filter(_in(start, end, "requested_on")).count()],
        ["作出复核决定", reviews_decided.count()],
        [
            "责令纠错事项",
            corrections.filter(_in(start, end, "created_at__date")).count(),
        ],
        [
            "纠错整改核验完成",
            corrections.filter(_in(start, end, "verified_on")).count(),
        ],
        [
            "纠错整改逾期",
            corrections.filter(_in(start, end, "deadline"))
            .exclude(Exists(completed_in_time))
            .count(),
        ],
        [
            "发现易错风险点",
            RiskPoint.objects.filter(_in(start, end, "first_detected_on")).count(),
        ],
        [
            "发出警示提醒",
            RiskWarning.objects.filter(_in(start, end, "issued_on")).count(),
        ],
        ["期末逾期未办结案件", overdue_open_cases],
    ]
    other, notes = _plugin_figures(start, end)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "summary": summary,
        "sections": [
            {
                "title": _("Cases by stage (when the report was generated)"),
                "rows": _stage_rows(handled),
            },
            {"title": _("Outcomes (per person concerned)"), "rows": outcomes},
            {
                "title": _("New cases: by enforcement agency"),
                "rows": _rows(filed, "agency__name"),
            },
            {
                "title": _("New cases: by enforcement field"),
                "rows": _rows(filed, "field__name"),
            },
            {
                "title": _("New cases: by enforcement matter"),
                "rows": _rows(filed, "matter_type", matter_labels),
            },
            {
                "title": _("Review decisions by result"),
                "rows": [
                    [str(label), result_counts.get(value, 0)]
                    for value, label in Review.Result.choices
                ],
            },
            {"title": _("Other work"), "rows": other},
        ],
        "notes": notes,
    }


def figure(figures: dict, label: str):
    """One summary figure by its label (tests and templates)."""
    for row_label, value in figures["summary"]:
        if row_label == label:
            return value
    raise KeyError(label)


# --- Rendering --------------------------------------------------------------------


def _docx_table(document, header: tuple[str, str], rows: list[list]):
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        set_run_font(cell.paragraphs[0].add_run(text), BODY_FONT, Pt(12), bold=True)
    for label, value in rows:
        cells = table.add_row().cells
        set_run_font(cells[0].paragraphs[0].add_run(str(label)), BODY_FONT, Pt(12))
        run = cells[1].paragraphs[0].add_run(str(value))
        set_run_font(run, BODY_FONT, Pt(12))
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def measure_note(start: datetime.date, end: datetime.date) -> str:
    """For a period reaching past a measure's expiry (Art. 24), the measure
    the report speaks under; empty otherwise. Saying so is an office rule
    (the measure is silent about reports after it expires)."""
    from casework import validity

    expired = [
        m
        for m in validity.measures_for_period(start, end)
        if m.effective_until is not None and m.effective_until < end
    ]
    if not expired:
        return ""
    notes = []
    for measure in expired:
        after = measure.effective_until + datetime.timedelta(days=1)
        following = validity.in_force_on(after)
        if following:
            notes.append(
                _("%(measure)s; from %(date)s the report is made under %(following)s")
                % {
                    "measure": validity.describe(measure),
                    "date": chinese_date(after),
                    "following": "、".join(validity.describe(m) for m in following),
                }
            )
        else:
            notes.append(
                _(
                    "%(measure)s; no measure is registered as in force from %(date)s,"
                    " so the period after its expiry is still reported on its terms"
                )
                % {"measure": validity.describe(measure), "date": chinese_date(after)}
            )
    return _("Note (office rule): %(notes)s.") % {"notes": "。".join(notes)}


def period_text(report: PeriodicReport) -> str:
    """The report's period as the list, the report page and the .docx all
    state it: 2026年10月1日至2026年12月31日, and for a period still running
    when the report was made, up to which day it counts:
    2026年12月1日至2026年12月31日（报告期未结束，统计至2026年12月4日）."""
    text = _("%(start)s to %(end)s") % {
        "start": chinese_date(report.period_start),
        "end": chinese_date(report.period_end),
    }
    counted_to = report.figures.get("end") if report.figures else None
    if counted_to:
        counted_to = datetime.date.fromisoformat(counted_to)
        if counted_to < report.period_end:
            text += _(" (period not over, counted up to %(date)s)") % {
                "date": chinese_date(counted_to)
            }
    return text


def render_docx(report: PeriodicReport) -> bytes:
    """The report in the office's format: GB/T 9704 page and fonts, page
    numbers, a short narrative of the key figures, then one table per
    breakdown, and the office's name and date kept with the last lines."""
    figures = report.figures
    summary = dict(figures["summary"])
    start = datetime.date.fromisoformat(figures["start"])
    end = datetime.date.fromisoformat(figures["end"])
    generated_at = report.generated_at or timezone.now()
    document = office_document(report.title, created=generated_at)
    add_title(document, report.title)
    add_paragraph(document, indent=False)
    add_paragraph(document, _("To the district people's government:"), indent=False)
    add_paragraph(
        document,
        _(
            "Under Art. 19 of %(measure)s, the district's work on the performance"
            " of enforcement duties, tolerance and correction of errors from"
            " %(period)s is reported as follows."
        )
        % {"measure": POLICY_TITLE, "period": period_text(report)},
    )
    if note := measure_note(start, end):
        add_paragraph(document, note)
    add_heading(document, _("1. Overview"))
    add_paragraph(
        document,
        _(
            "In this period %(filed)s supervision cases were filed and %(archived)s"
            " concluded and archived; %(decided)s supervision decisions were made,"
            " %(on_time)s of them on time, an on-time rate of %(rate)s."
            " %(reviews)s review requests were accepted and %(reviewed)s review"
            " decisions made. %(corrections)s corrections were ordered,"
            " %(verified)s verified complete and %(late)s overdue. %(risks)s"
            " error-prone risk points were found and %(warnings)s warnings issued."
        )
        % {
            "filed": summary["新立案件"],
            "archived": summary["办结归档案件"],
            "decided": summary["作出监督决定案件"],
            "on_time": summary["按期作出决定案件"],
            "rate": summary["按期决定率"],
            "reviews": summary["受理复核申请"],
            "reviewed": summary["作出复核决定"],
            "corrections": summary["责令纠错事项"],
            "verified": summary["纠错整改核验完成"],
            "late": summary["纠错整改逾期"],
            "risks": summary["发现易错风险点"],
            "warnings": summary["发出警示提醒"],
        },
    )
    add_heading(document, _("2. Key figures"))
    _docx_table(document, (_("Item"), _("Count")), figures["summary"])
    for number, section in enumerate(figures["sections"], start=3):
        add_heading(
            document,
            _("%(number)s. %(title)s")
            % {"number": numerals.to_chinese(number), "title": section["title"]},
        )
        if section["rows"]:
            _docx_table(document, (_("Item"), _("Count")), section["rows"])
        else:
            add_paragraph(document, _("No figures in this period."))
    for note in figures.get("notes", []):
        add_paragraph(document, _("Note: %(note)s") % {"note": note})
    add_paragraph(document, _("Hereby reported."))
    signature_block(document, timezone.localtime(generated_at).date())
    return docx_bytes(document)


def _sheet_title(title: str) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31]


def render_xlsx(report: PeriodicReport) -> bytes:
    """The same figures as a workbook: a summary sheet, one per breakdown."""
    figures = report.figures
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Key figures")
    # Every row through safe_row: agency, field and plugin labels are typed
    # by people, and openpyxl stores text starting with "=" as a formula.
    sheet.append(safe_row([report.title]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Report period"), period_text(report)])
    generated = report.generated_at or timezone.now()
    sheet.append(
        [
            _("Generated at (%(zone)s)") % {"zone": clock.TIME_ZONE_LABEL},
            clock.cn_datetime(generated),
        ]
    )
    sheet.append([])
    sheet.append([_("Item"), _("Count")])
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for label, value in figures["summary"]:
        sheet.append(safe_row([label, value]))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 24
    for section in figures["sections"]:
        ws = workbook.create_sheet(_sheet_title(section["title"]))
        ws.append(safe_row([section["title"]]))
        ws["A1"].font = Font(bold=True)
        ws.append([_("Item"), _("Count")])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for label, value in section["rows"]:
            ws.append(safe_row([label, value]))
        ws.column_dimensions["A"].width = 36
        ws.column_dimensions["B"].width = 12
        for row in ws.iter_rows(min_row=3, min_col=2, max_col=2):
            for cell in row:
                cell.alignment = Alignment(horizontal="right")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Generating -------------------------------------------------------------------


def _file_stem(kind: str, start: datetime.date) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    return f"report-{kind}-{start:%Y%m%d}-{stamp}"


def generate_report(
    kind: str,
    year: int,
    index: int = 1,
    *,
    user=None,
    scheduled: bool = False,
    today: datetime.date | None = None,
) -> PeriodicReport:
    """Generate and keep the report of one period (Art. 19 para. 2).

    On demand (``user`` given) a new report is kept every time, each with its
    generation date; a period still running is reported up to today. On
    schedule the period's report is made once: a second run, or a retry after
    a failure, returns the one already made.
    """
    today = today or timezone.localdate()
    start, end = period_bounds(kind, year, index)
    if start > today:
        raise ReportError(
            _("The report period has not started; no report can be generated.")
        )
    if end < POLICY_IN_FORCE:
        raise ReportError(
            _("The report period is before the measure took effect (1 March 2025).")
        )
    if scheduled:
        existing = PeriodicReport.objects.filter(
            kind=kind, period_start=start, scheduled=True
        ).first()
        if existing:
            return existing
    report = PeriodicReport(
        kind=kind,
        period_start=start,
        period_end=end,
        scheduled=scheduled,
        generated_by=user,
        figures=collect_figures(start, min(end, today)),
    )
    report.generated_at = timezone.now()
    stem = _file_stem(kind, start)
    report.docx = ContentFile(render_docx(report), name=f"{stem}.docx")
    report.xlsx = ContentFile(render_xlsx(report), name=f"{stem}.xlsx")
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        _discard_files(report)
        if scheduled:
            # Another worker made it first: the same result, once.
            return PeriodicReport.objects.get(
                kind=kind, period_start=start, scheduled=True
            )
        raise
    except Exception:
        _discard_files(report)
        raise
    return report


def _discard_files(report: PeriodicReport) -> None:
    for field in (report.docx, report.xlsx):
        if field.name and field._committed:
            private_storage.delete(field.name)


def generate_due_reports(today: datetime.date | None = None) -> list[PeriodicReport]:
    """The scheduled run: the last completed month, quarter and year, each
    generated once (earlier runs' reports are returned as they are)."""
    today = today or timezone.localdate()
    made = []
    for kind in PeriodicReport.Kind.values:
        year, index = last_completed_period(kind, today)
        _start, end = period_bounds(kind, year, index)
        if end < POLICY_IN_FORCE:
            continue
        made.append(generate_report(kind, year, index, scheduled=True, today=today))
    return made
