"""The periodic report to the district government (Art. 19 para. 2)."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_q.tasks import async_task
from docx import Document
from openpyxl import load_workbook
from wagtail import hooks

from casework import reports, services
from casework.models import ErrorType, Notification, PeriodicReport
from casework.reports import figure
from casework.rules.stages import Stage
from portal.hooks import PERIODIC_REPORT_FIGURES
from tests.testkit.factories import OfficerFactory, reload

SEPTEMBER = (datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))


@pytest.fixture
def september(notified_case, make_case, clock, other_agency, investigator):
    """The notified case (filed 09-01, decided 09-25 in time: one exempt, one
    no tolerance), a second case filed 09-15 at another agency, a third filed
    in October."""
    clock.set(datetime.date(2025, 10, 6))
    second = make_case(
        agency=other_agency,
        filed_on=datetime.date(2025, 9, 15),
        officers=[(OfficerFactory(agency=other_agency), ErrorType.CONDUCT)],
    )
    third = make_case(filed_on=datetime.date(2025, 10, 6))
    return notified_case, second, third


@pytest.fixture
def no_plugins(monkeypatch):
    """Casework alone: whatever other plugins are installed register nothing."""
    monkeypatch.setattr(reports, "figure_hooks", lambda: [])


def section(figures, title):
    return {
        label: value
        for s in figures["sections"]
        if s["title"] == title
        for label, value in s["rows"]
    }


def test_figures_match_the_cases(september, agency, other_agency, no_plugins):
    figures = reports.collect_figures(*SEPTEMBER)
    assert figure(figures, "新立案件") == 2
    assert figure(figures, "作出监督决定案件") == 1
    assert figure(figures, "按期作出决定案件") == 1
    assert figure(figures, "按期决定率") == "100.0%"
    assert figure(figures, "办结归档案件") == 0
    assert figure(figures, "受理复核申请") == 0
    assert section(figures, "认定结果（按被调查人）") == {
        "履职尽责": 0,
        "免责": 1,
        "减轻": 0,
        "从轻": 0,
        "不予容错": 1,
    }
    assert section(figures, "新立案件：按执法机关") == {
        agency.name: 1,
        other_agency.name: 1,
    }
    assert section(figures, "新立案件：按执法领域") == {"市场监管": 2}
    assert section(figures, "新立案件：按执法事项") == {"行政处罚": 2}
    # Every stage, in the order of Art. 14 (not by count).
    stages = next(
        s["rows"] for s in figures["sections"] if s["title"].startswith("案件所处阶段")
    )
    assert stages == [
        [Stage.FILED.label, 1],
        [Stage.VERIFYING.label, 0],
        [Stage.DETERMINED.label, 0],
        [Stage.NOTIFIED.label, 1],
        [Stage.CORRECTING.label, 0],
        [Stage.ARCHIVED.label, 0],
    ]
    assert section(figures, "其他工作") == {}
    # October: the third case only; nothing decided, no on-time rate.
    october = reports.collect_figures(
        datetime.date(2025, 10, 1), datetime.date(2025, 10, 31)
    )
    assert figure(october, "新立案件") == 1
    assert figure(october, "按期决定率") == "—（本期无决定）"


def test_reviews_corrections_and_extensions_are_counted(
    notified_case, clock, investigator, reviewer, head
):
    clock.set(datetime.date(2025, 10, 9))
    review = services.request_review(
        notified_case,
        user=investigator,
        applicant="李四",
        decision_received_on=datetime.date(2025, 9, 26),
        requested_on=datetime.date(2025, 10, 9),
        grounds="认为认定事实不清。",
    )
    services.decide_review(
        review,
        user=reviewer,
        result="upheld",
        reasons="事实清楚。",
        decided_on=datetime.date(2025, 10, 9),
    )
    late = services.order_correction(
        notified_case,
        user=investigator,
        reasons="处罚程序违法。",
        items="重新履行告知程序。",
        requirements="按期完成整改。",
        deadline=datetime.date(2025, 10, 20),
    )
    figures = reports.collect_figures(
        datetime.date(2025, 10, 1), datetime.date(2025, 10, 31)
    )
    assert figure(figures, "受理复核申请") == 1
    assert figure(figures, "作出复核决定") == 1
    assert section(figures, "复核决定结果") == {"维持": 1, "变更": 0, "撤销": 0}
    # Orders and extension requests count on the day they were recorded
    # (created_at, the real day), not on the test's clock.
    assert figure(figures, "责令纠错事项") == 0
    recorded = timezone.localtime(late.created_at).date()
    assert figure(reports.collect_figures(recorded, recorded), "责令纠错事项") == 1
    # Deadline 10-20 passed with no completion reported: overdue.
    assert figure(figures, "纠错整改逾期") == 1
    assert figure(figures, "纠错整改核验完成") == 0


def test_plugins_add_figures_through_the_hook(september):
    seen = []

    def clarifications(start, end):
        seen.append((start, end))
        return [("澄清正名公告发布数", 2)]

    installed = len(reports.figure_hooks())
    with hooks.register_temporarily(PERIODIC_REPORT_FIGURES, clarifications):
        figures = reports.collect_figures(*SEPTEMBER)
    assert seen == [SEPTEMBER]
    assert ["澄清正名公告发布数", 2] in next(
        s["rows"] for s in figures["sections"] if s["title"] == "其他工作"
    )
    assert len(reports.figure_hooks()) == installed
    assert figures["notes"] == []


def test_a_failing_plugin_does_not_cost_the_report(september):
    def broken(start, end):
        raise RuntimeError("index unavailable")

    with hooks.register_temporarily(PERIODIC_REPORT_FIGURES, broken):
        figures = reports.collect_figures(*SEPTEMBER)
    assert figure(figures, "新立案件") == 2
    (note,) = figures["notes"]
    assert "部分其他工作数据未能取得" in note and "broken" in note


def test_docx_and_xlsx_carry_the_figures(september, head):
    report = reports.generate_report("month", 2025, 9, user=head)
    assert report.title == "历城区行政执法履职尽责容错纠错工作情况报告（2025年9月）"
    document = Document(report.docx.open("rb"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert report.title in text
    assert "本期新立行政执法监督案件2件" in text
    assert "按期决定率100.0%" in text
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cells["新立案件"] == "2"
    workbook = load_workbook(io.BytesIO(report.xlsx.open("rb").read()))
    sheet = workbook["主要数据"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert values["新立案件"] == 2
    assert values["作出监督决定案件"] == 1
    assert "认定结果（按被调查人）" in workbook.sheetnames


def test_scheduled_reports_are_made_once(september):
    """On 2025-10-01 the schedule makes September's and Q3's reports (the
    year 2024 lies before the measures took effect); again, nothing new."""
    async_task("casework.tasks.generate_due_reports", "2025-10-01")
    made = PeriodicReport.objects.order_by("kind")
    assert [(r.kind, r.period_start) for r in made] == [
        ("month", datetime.date(2025, 9, 1)),
        ("quarter", datetime.date(2025, 7, 1)),
    ]
    assert all(r.scheduled and r.generated_by is None for r in made)
    async_task("casework.tasks.generate_due_reports", "2025-10-01")
    async_task("casework.tasks.generate_due_reports", "2025-10-15")
    assert PeriodicReport.objects.count() == 2
    # On demand, a new version is kept beside the scheduled one.
    reports.generate_report("month", 2025, 9)
    assert PeriodicReport.objects.filter(period_start=SEPTEMBER[0]).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("month", 2025, 13), "月份应为1至12"),
        (("quarter", 2025, 0), "季度应为1至4"),
        (("month", 2025, 2), "早于本办法施行日期"),
        (("year", 2099, 1), "报告期尚未开始"),
        (("week", 2025, 1), "请选择报告周期"),
    ],
)
def test_bad_periods_are_refused(db, args, message):
    with pytest.raises(reports.ReportError, match=message):
        reports.generate_report(*args)


def test_reports_in_the_admin(client, september, head, liaison):
    client.force_login(head)
    url = reverse("casework_reports:index")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "month", "year": 2025, "index": 13})
    assert response.status_code == 400
    assert "月份应为1至12" in response.content.decode()
    response = client.post(url, {"kind": "month", "year": 2025, "index": ""})
    assert "请填写月份或季度" in response.content.decode()
    response = client.post(url, {"kind": "month", "year": 2025, "index": 9})
    assert response.status_code == 302
    report = PeriodicReport.objects.get()
    assert report.generated_by == head
    page = client.get(url).content.decode()
    assert "2025年9月报告" in page and "9月月度报告" not in page
    detail = client.get(reverse("casework_reports:detail", args=[report.pk]))
    assert "新立案件" in detail.content.decode()
    download = client.get(
        reverse("casework_reports:download", args=[report.pk, "docx"])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert (
        client.get(
            reverse("casework_reports:download", args=[report.pk, "pdf"])
        ).status_code
        == 404
    )
    # Reports are the office's own.
    client.force_login(liaison)
    refused = client.get(url)
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert (
        client.get(
            reverse("casework_reports:download", args=[report.pk, "xlsx"])
        ).status_code
        == 404
    )


def test_report_list_query_count_does_not_grow(client, head, september):
    client.force_login(head)
    url = reverse("casework_reports:index")
    counts = []
    for month in (9, 10):
        reports.generate_report("month", 2025, month, user=head)
        reports.generate_report("quarter", 2025, month // 3)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_served_case_counts_once(september, investigator):
    notified = reload(september[0])
    services.record_notification(
        notified,
        user=investigator,
        recipient="李四",
        is_party=True,
        method=Notification.Method.POST,
        served_on=datetime.date(2025, 9, 30),
    )
    figures = reports.collect_figures(*SEPTEMBER)
    assert figure(figures, "作出监督决定案件") == 1
