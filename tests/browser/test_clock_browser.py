"""One clock in Chromium (issue #17): a report filed at 01:00 Beijing time
(17:00 UTC the day before) reads 2026年12月2日 on the public status page, in
the staff inbox and its detail, and in the audit log; the public statistics
page picks a period and downloads what it shows."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tests.testkit.factories import SupervisionCaseFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"  # the factories' password
EVENT = datetime.datetime(2026, 12, 1, 17, 0, tzinfo=datetime.UTC)  # 01:00 Beijing


@pytest.fixture
def night_report():
    """A report submitted at 01:00 Beijing time and a view of it logged
    then; returns its receipt code."""
    from audit.models import Action, AuditEvent
    from reporting import services
    from reporting.models import Report

    report, code = services.submit_report(
        kind=Report.Kind.ANONYMOUS,
        subject="夜间执法检查未出示证件",
        description="凌晨检查时执法人员未出示执法证件。",
    )
    Report.objects.filter(pk=report.pk).update(submitted_at=EVENT)
    AuditEvent.objects.create(
        action=Action.REPORT_VIEW,
        username="root",
        object_repr=report.number,
        path=f"/admin/reporting/reports/{report.pk}/",
        timestamp=EVENT,
    )
    return report, code


def test_a_night_report_has_one_date_everywhere(
    live_server, public_site, night_report, page, screenshot, log_in
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    report, code = night_report

    # The reporter's status page.
    page.goto(live_server.url + "/report/status/")
    page.fill("#id_code", code)
    page.get_by_role("button", name="查询").click()
    page.get_by_role("heading", name="办理进度").wait_for()
    submitted = page.locator("dt", has_text="提交时间").locator(
        "xpath=following-sibling::dd[1]"
    )
    assert submitted.inner_text().strip() == "2026年12月2日"
    screenshot("status", full_page=True)

    # Staff: the inbox, the report, the audit log.
    root = UserFactory(username="root", is_staff=True, is_superuser=True, roles=[])
    TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    page.context.clear_cookies()
    log_in(page, live_server, "root", PASSWORD)

    page.goto(live_server.url + "/admin/reporting/reports/")
    row = page.locator("tr", has_text=report.number)
    assert "2026年12月2日 01:00" in row.inner_text()
    assert "2026-12-01" not in page.content()
    screenshot("inbox", full_page=True)

    page.goto(live_server.url + f"/admin/reporting/reports/{report.pk}/")
    page.get_by_text("2026年12月2日 01:00").first.wait_for()
    screenshot("report", full_page=True)

    page.goto(live_server.url + "/admin/audit/")
    # The night's event, beside the view just logged (now, in Beijing time).
    rows = page.locator("tr", has_text=report.number).all_inner_texts()
    assert any(row.startswith("2026年12月2日 01:00:00") for row in rows), rows
    screenshot("audit", full_page=True)


def test_statistics_period_selector_and_download(
    live_server, public_site, page, screenshot
):
    from publishing.models import TransparencyStatisticsPage
    from publishing.tasks import refresh_statistics

    for _ in range(6):
        SupervisionCaseFactory()  # filed 2025-09-01
    refresh_statistics()
    url = live_server.url + TransparencyStatisticsPage.objects.get().url

    page.goto(url)
    assert "本机构工作规则" in page.locator("#suppression-note").inner_text()
    page.select_option("#stat-period", "2025-Q3")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**period=2025-Q3**")
    assert "2025年第3季度" in page.locator(".publication__meta").first.inner_text()
    card = page.locator(".stat-card", has_text="新立案件")
    assert card.locator(".stat-card__value").inner_text() == "6"
    screenshot("statistics-quarter", full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="下载本页数据（CSV）").click()
    download = info.value
    assert download.suggested_filename == "数据公开-2025年第3季度.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert "主要数据,新立案件,6" in content.decode("utf-8-sig")

    page.goto(url + "?period=2031-07")
    page.get_by_role("alert").wait_for()
    assert "没有2031年7月的统计数据" in page.get_by_role("alert").inner_text()
    screenshot("statistics-bad-period", full_page=True)
