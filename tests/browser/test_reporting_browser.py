"""A reporter files reports in Chromium, keeps the receipts, and reads the
office's feedback after staff act on them in the admin (Art. 22)."""

from pathlib import Path

import pytest
from django.core.management import call_command

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


def file_report(page, live_server, *, anonymous: bool, subject: str) -> str:
    page.goto(live_server.url + "/report/")
    if anonymous:
        page.check("input[name=kind][value=anonymous]")
        assert page.locator("#id_name").is_hidden()
    else:
        page.fill("#id_name", "王建国")
        page.fill("#id_contact", "13905310000")
    page.fill("#id_subject", subject)
    page.select_option("#id_agency", label="区市场监督管理局")
    page.fill("#id_place", "花园路早市")
    page.fill("#id_description", "检查时未出示执法证件，并对摊主大声呵斥。")
    page.check("#id_pledge")
    page.get_by_text("安全验证完成").wait_for()
    page.get_by_role("button", name="提交举报").click()
    page.get_by_role("heading", name="举报已提交").wait_for()
    return page.locator("[data-receipt-code]").inner_text().strip()


def open_status(page, live_server, code: str) -> None:
    page.goto(live_server.url + "/report/status/")
    page.fill("#id_code", code)
    page.get_by_role("button", name="查询").click()
    page.get_by_role("heading", name="办理进度").wait_for()
    assert code.replace(" ", "") not in page.url


def test_reports_receipts_and_feedback_end_to_end(
    live_server, demo_office, phone, page, screenshot, log_in
):
    # A real-name report on a phone; an invalid first try keeps what was typed.
    phone.goto(live_server.url + "/report/")
    phone.fill("#id_subject", "执法人员未出示证件")
    phone.get_by_text("安全验证完成").wait_for()
    phone.get_by_role("button", name="提交举报").click()
    phone.get_by_text("请修改以下内容后再提交").wait_for()
    assert phone.locator("#id_subject").input_value() == "执法人员未出示证件"
    phone.screenshot(path=str(ARTIFACTS / "reporting-phone-errors.png"), full_page=True)

    real_code = file_report(
        phone, live_server, anonymous=False, subject="市场监管执法人员未出示证件"
    )
    phone.screenshot(
        path=str(ARTIFACTS / "reporting-phone-receipt.png"),
        full_page=True,
    )
    anon_code = file_report(
        page, live_server, anonymous=True, subject="市场监管执法人员收受好处"
    )
    screenshot("anonymous-receipt", full_page=True)
    assert len(real_code.replace(" ", "")) == len(anon_code.replace(" ", "")) == 16
    assert real_code != anon_code

    open_status(phone, live_server, real_code)
    assert phone.locator("[data-report-state]").inner_text() == "已收到"

    # Staff attach both reports to an open case and record the outcome.
    staff = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    ).new_page()
    log_in(staff, live_server, "officer1")
    # A decided case: a report's result exists only once its case is decided
    # (Art. 17, 22), so feedback is released only then.
    case = SupervisionCase.objects.filter(
        agency__name="区市场监督管理局",
        stage__in=[Stage.NOTIFIED, Stage.CORRECTING],
        decided_on__isnull=False,
    ).first()
    assert case is not None, "the demo office has a decided open case"
    for subject, outcome in (
        ("市场监管执法人员未出示证件", "untrue"),
        ("市场监管执法人员收受好处", "unfounded"),
    ):
        report = Report.objects.get(subject=subject)
        staff.goto(live_server.url + "/admin/reporting/reports/")
        staff.get_by_role("link", name=report.number).click()
        staff.locator("summary", has_text="并入已有案件").click()
        staff.select_option("#id_attach_case", str(case.pk))
        staff.get_by_role("button", name="并入已有案件").click()
        staff.get_by_text("已完成：并入已有案件").wait_for()
        staff.locator("summary", has_text="记录核查结果").click()
        staff.select_option("#id_outcome_outcome", outcome)
        if report.is_real_name:
            staff.fill(
                "#id_outcome_feedback",
                "经核查，执法人员已出示执法证件，举报反映的问题不属实。",
            )
        else:
            staff.fill("#id_outcome_feedback", "经核查，未发现执法人员收受好处的情况。")
            staff.fill("#id_outcome_explained_where", "区市场监管局执法人员会议")
            staff.fill("#id_outcome_explained_to", "该局全体执法人员")
            staff.fill("#id_outcome_explained_on", "2026-11-20")
        staff.get_by_role("button", name="记录核查结果（第二十二条）").click()
        staff.get_by_text("已完成：记录核查结果").wait_for()
    staff.screenshot(path=str(ARTIFACTS / "reporting-admin-report.png"), full_page=True)
    staff.context.close()

    phone.reload()
    phone.get_by_text("举报反映的问题不属实").wait_for()
    assert "举报不实" in phone.locator("[data-feedback]").inner_text()
    phone.screenshot(
        path=str(ARTIFACTS / "reporting-phone-status.png"),
        full_page=True,
    )
    open_status(page, live_server, anon_code)
    feedback = page.locator("[data-feedback]").inner_text()
    assert "未发现执法人员收受好处" in feedback
    screenshot("anonymous-status", full_page=True)


def test_the_proof_of_work_runs_in_a_local_worker_under_the_policy(
    live_server, page, settings
):
    """The ALTCHA widget solves the page's scrypt challenge at the production
    difficulty in a Web Worker of this site, with no policy violation and no
    request to any other origin, and the report is filed (issue #14)."""
    from portal.settings.base import REPORTING as PRODUCTION_REPORTING
    from tests.testkit.factories import AgencyFactory

    settings.REPORTING = {
        **settings.REPORTING,
        **{
            key: PRODUCTION_REPORTING[key]
            for key in (
                "CHALLENGE_MAX_NUMBER",
                "CHALLENGE_COST",
                "CHALLENGE_BLOCK_SIZE",
            )
        },
    }
    AgencyFactory(name="区市场监督管理局")
    violations, foreign, workers = [], [], []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url)
            else foreign.append(request.url)
        ),
    )
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(live_server.url + "/report/")
    page.check("input[name=kind][value=anonymous]")
    page.fill("#id_subject", "执法人员态度恶劣")
    page.select_option("#id_agency", label="区市场监督管理局")
    page.fill("#id_description", "检查时对摊主大声呵斥。")
    page.check("#id_pledge")
    # The widget speaks Chinese and the button waits for the proof.
    page.get_by_text("安全验证完成，可以提交。").wait_for()
    assert page.locator("altcha-widget").get_by_text("已通过验证").is_visible()
    assert page.get_by_role("button", name="提交举报").is_enabled()
    proof = page.locator("form input[type=hidden][name=proof]").input_value()
    assert len(proof) > 500
    page.screenshot(path=str(ARTIFACTS / "reporting-proof-widget.png"))
    page.get_by_role("button", name="提交举报").click()
    page.get_by_role("heading", name="举报已提交").wait_for()
    assert Report.objects.filter(subject="执法人员态度恶劣").count() == 1
    worker = "/static/reporting/vendor/altcha/scrypt-worker.js"
    assert any(url.endswith(worker) for url in workers), workers
    assert violations == [], violations
    assert foreign == [], foreign


def test_without_javascript_the_form_is_refused_and_keeps_what_was_typed(
    live_server, browser
):
    """No script, no proof: the reporter is told why, and loses nothing."""
    from tests.testkit.factories import AgencyFactory

    AgencyFactory(name="区市场监督管理局")
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/report/")
    # Chromium with scripts switched off through the protocol still parses
    # <noscript> as if scripting were on, so the note is checked in the page.
    assert "请启用 JavaScript 后刷新本页" in page.content()
    page.check("input[name=kind][value=anonymous]")
    page.fill("#id_subject", "执法人员未出示证件")
    page.select_option("#id_agency", label="区市场监督管理局")
    page.fill("#id_description", "检查时未出示执法证件。")
    page.check("#id_pledge")
    page.get_by_role("button", name="提交举报").click()
    page.get_by_text("安全验证未完成或已失效").wait_for()
    assert page.locator("#id_subject").input_value() == "执法人员未出示证件"
    assert page.locator("#id_description").input_value() == "检查时未出示执法证件。"
    assert Report.objects.count() == 0
    context.close()
