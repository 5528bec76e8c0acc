"""Issue #17 in Chromium: a reporter who does not know the agency reports on
a phone; the head and an officer work a case: the next step is the primary
button, a stage change is confirmed with what it does and reported with what
was done, links lead only where the user may go, the review window is in the
期限 table as a party's right, and the determination form brings forward the
articles that can support the chosen outcome."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from casework.models import SupervisionCase
from casework.rules.stages import Stage
from reporting.models import Report

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_office():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_a_reporter_who_does_not_know_the_agency_reports_on_a_phone(live_server, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(live_server.url + "/report/")
    # The notice about the receipt code comes before the submit button.
    notice = phone.get_by_role("heading", name="办理须知").bounding_box()
    submit = phone.get_by_role("button", name="提交举报").bounding_box()
    assert notice["y"] < submit["y"]
    phone.check("input[name=kind][value=anonymous]")
    phone.fill("#id_subject", "执法人员检查时态度粗暴")
    assert phone.locator("#id_agency").input_value() == ""  # 不清楚或不在列表中
    phone.get_by_text("安全验证完成").wait_for()
    phone.get_by_role("button", name="提交举报").click()
    summary = phone.locator(".rpt-alert--error")
    summary.wait_for()
    text = summary.inner_text()
    assert "真实性承诺：请阅读并勾选承诺后再提交。" in text
    assert "具体情况：请写明具体情况。" in text
    assert "执法机关" not in text and "。：" not in text
    # Invalid inputs are outlined, the checkbox included.
    outline = phone.locator("#id_pledge").evaluate(
        "e => getComputedStyle(e).outlineStyle"
    )
    assert outline == "solid"
    assert (
        phone.locator("#id_description").evaluate(
            "e => getComputedStyle(e).borderTopWidth"
        )
        == "2px"
    )
    phone.screenshot(path=str(ARTIFACTS / "h4-report-errors-phone.png"), full_page=True)

    phone.fill("#id_description", "早市检查时执法人员态度粗暴，未出示执法证件。")
    phone.check("#id_pledge")
    phone.get_by_text("安全验证完成").wait_for()
    phone.get_by_role("button", name="提交举报").click()
    phone.get_by_role("heading", name="举报已提交").wait_for()
    next_steps = phone.locator(".rpt-next").inner_text()
    assert "15日内进行初步审查" in next_steps
    assert "依本机构工作规则" in next_steps and "以后凭回执码查询" in next_steps
    phone.screenshot(path=str(ARTIFACTS / "h4-receipt-phone.png"), full_page=True)
    report = Report.objects.get(subject="执法人员检查时态度粗暴")
    assert report.agency_id is None and report.agency_text == ""


def test_the_head_and_an_officer_work_a_case(
    live_server, demo_office, page, screenshot, log_in
):
    page.set_viewport_size({"width": 1366, "height": 900})
    verifying = (
        SupervisionCase.objects.filter(stage=Stage.VERIFYING).order_by("pk").first()
    )
    log_in(page, live_server, "head")
    page.goto(live_server.url + f"/admin/casework/cases/{verifying.pk}/")
    primary = page.locator(".casework-next__button")
    label = primary.inner_text()
    screenshot("case-page", full_page=True)
    if label == "转入“认定”":
        primary.click()
        # The form (the target chosen, a note if wanted), then the effect.
        assert page.locator("#id_target").input_value() == Stage.DETERMINED
        page.get_by_role("button", name="下一步：确认推进案件阶段").click()
        page.get_by_role("heading", name="确认后将会：").wait_for()
        effects = page.locator(".casework-effects").inner_text()
        assert "调查终结" in effects and "须退回“核实”" in effects
        screenshot("confirm", full_page=True)
        page.get_by_role("button", name="确认：转入“认定”").click()
        page.wait_for_url(f"**/admin/casework/cases/{verifying.pk}/")
        assert "案件已由“核实”转入“认定”。" in page.content()
        assert "已完成" not in page.content()
        # The step back to 核实 is marked as one, not as progress.
        back = page.locator(".casework-back")
        assert back.inner_text() == "退回“核实”补充调查"
        assert "casework-ok" not in page.content()
        screenshot("after-move", full_page=True)
    else:
        # The demo case still lacks work: the primary button names it.
        assert label in ("记录陈述申辩", "指派调查人员")

    # A decided case: each recipient's review window is in the 期限 table,
    # marked as the party's right, never as overdue.
    notified = SupervisionCase.objects.filter(stage=Stage.NOTIFIED).first()
    page.goto(live_server.url + f"/admin/casework/cases/{notified.pk}/")
    rows = page.locator("tr", has_text="复核申请期限")
    assert rows.count() == notified.notifications.count()
    assert "当事人的权利" in rows.first.inner_text()
    status = rows.first.locator("td").nth(3).inner_text()
    assert status.startswith("可以申请，剩余") and "逾期" not in status

    # The head is not shown 起草澄清正名公告 (the drafting view would refuse).
    report = Report.objects.filter(clarification_warranted=True).first()
    if report is not None:
        page.goto(
            live_server.url + reverse("reporting_report:detail", args=[report.pk])
        )
        assert page.get_by_text("起草澄清正名公告").count() == 0
        screenshot("report-detail", full_page=True)

    # An officer's 我的案件 lists their own cases only; the determination form
    # brings forward the articles that can support the outcome.
    officer = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}
    ).new_page()
    log_in(officer, live_server, "officer1")
    panel = officer.locator(
        "section", has=officer.get_by_role("heading", name="我的案件")
    )
    listed = panel.locator("tbody tr").all_inner_texts()
    own = SupervisionCase.objects.exclude(stage=Stage.ARCHIVED).filter(
        assignments__investigator__username="officer1", assignments__active=True
    ) | SupervisionCase.objects.exclude(stage=Stage.ARCHIVED).filter(
        created_by__username="officer1"
    )
    own_numbers = set(own.values_list("number", flat=True))
    assert listed and all(any(n in row for n in own_numbers) for row in listed)
    officer.screenshot(path=str(ARTIFACTS / "h4-dashboard-phone.png"), full_page=True)

    determined = SupervisionCase.objects.filter(
        stage=Stage.DETERMINED, assignments__investigator__username="officer1"
    ).first()
    officer.goto(
        live_server.url + f"/admin/casework/cases/{determined.pk}/do/determine/"
    )
    officer.select_option("#id_outcome", "no_tolerance")
    legends = officer.locator(".casework-basis-group legend").all_inner_texts()
    assert legends[0].startswith("第十二条 不予容错")
    assert legends[1].startswith("第十条 容错免责")
    assert "不能作为所选结果的依据" in legends[2]
    assert officer.locator(".casework-basis-group input[type=checkbox]").count() == 29
    officer.screenshot(
        path=str(ARTIFACTS / "h4-determination-phone.png"), full_page=True
    )
