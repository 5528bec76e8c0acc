"""Supervision staff work a case in the real admin, in Chromium."""

import pytest
from django.core.management import call_command

from casework.models import SupervisionCase
from casework.rules.stages import Stage

# serialized_rollback restores what migrations created (groups, the page
# tree) after each transactional test flushes the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_office():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


def test_officer_finds_a_case_and_records_an_activity(
    live_server, demo_office, page, screenshot, log_in
):
    log_in(page, live_server, "officer1")
    screenshot("dashboard", full_page=True)
    assert page.get_by_role("heading", name="逾期案件").is_visible()

    page.goto(live_server.url + "/admin/casework/cases/")
    screenshot("case-list", full_page=True)
    case = SupervisionCase.objects.filter(stage=Stage.VERIFYING).first()
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**/admin/casework/cases/{case.pk}/")
    assert page.locator("#deadlines-h").is_visible()
    screenshot("case-page", full_page=True)

    page.get_by_role("link", name="记录调查活动").click()
    # An invalid submission keeps what was typed and says why in Chinese.
    page.select_option("#id_kind", "inquiry")
    page.fill("#id_summary", "询问执法人员甲，制作询问笔录一份。")
    page.click("form.casework-form button[type=submit]")
    assert (
        page.locator("#id_summary").input_value()
        == "询问执法人员甲，制作询问笔录一份。"
    )
    assert "必需字段" in page.content()
    page.fill("#id_occurred_on", str(case.filed_on))
    page.click("form.casework-form button[type=submit]")
    page.wait_for_url(f"**/admin/casework/cases/{case.pk}/")
    assert "已记录调查活动：" in page.content()
    assert case.activities.filter(summary__startswith="询问执法人员甲").exists()


def test_liaison_sees_only_their_agency(
    live_server, demo_office, page, screenshot, log_in
):
    log_in(page, live_server, "liaison_market")
    page.goto(live_server.url + "/admin/casework/cases/")
    screenshot("liaison-list", full_page=True)
    rows = page.locator("table.listing tbody tr")
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "区市场监督管理局" in text
