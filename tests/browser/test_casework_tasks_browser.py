"""Deadline warnings, periodic reports and risk points in the real admin."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.models import PeriodicReport
from casework.reports import last_completed_period

# Without Playwright the browser fixture skips; so does this module.
expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_office():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


def test_head_sees_warnings_reports_and_risk_points(
    live_server, demo_office, page, screenshot, log_in
):
    log_in(page, live_server, "head")
    panel = page.locator("section[aria-labelledby=casework-warnings-heading]")
    assert panel.get_by_text("红色预警（已逾期）").first.is_visible()
    screenshot("oversight-dashboard", full_page=True)

    panel.get_by_role("link", name="查看我的提醒").click()
    page.wait_for_url("**/admin/casework/warnings/")
    assert "调查终结期限已于" in page.content()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text("没有未读的期限提醒")).to_be_visible()

    page.goto(live_server.url + "/admin/casework/reports/")
    year, month = last_completed_period("month", timezone.localdate())
    page.select_option("#id_kind", "month")
    page.fill("#id_year", str(year))
    page.fill("#id_index", "13")
    page.click("form.casework-form button[type=submit]")
    expect(page.get_by_text("月份应为1至12")).to_be_visible()
    page.fill("#id_index", str(month))
    page.click("form.casework-form button[type=submit]")
    page.wait_for_url("**/admin/casework/reports/")
    assert PeriodicReport.objects.filter(scheduled=False).count() == 1
    screenshot("oversight-reports", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").first.click()
    assert download.value.suggested_filename.endswith(".docx")

    page.goto(live_server.url + "/admin/casework/risks/")
    assert page.get_by_role("table", name="按执法机关").is_visible()
    screenshot("oversight-risks", full_page=True)
    page.get_by_role("link", name="区综合行政执法局：违反法定程序").click()
    page.get_by_role("link", name="发出警示提醒").click()
    page.fill("#id_content", "强制拆除、暂扣物品等程序环节多次出现违反法定程序问题。")
    page.fill("#id_requirements", "对照程序规定开展自查，一个月内报告整改情况。")
    page.fill("#id_deadline", "2030-01-31")
    page.click("form.casework-form button[type=submit]")
    expect(page.get_by_text("已发出警示提醒").first).to_be_visible()
    screenshot("oversight-risk-point", full_page=True)
