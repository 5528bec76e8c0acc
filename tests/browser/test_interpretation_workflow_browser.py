"""Issue #17 in a real browser: the policy-interpretation desk. The editor
(政策解读编辑) reads Art. 16 on the public policy page, writes an
interpretation of it and submits it; the legal reviewer (法制审核人员) asks
for changes with a comment; the editor reads the comment, revises and
resubmits; the reviewer approves with a comment, which publishes it; the
article and the interpretation then link to each other. Screenshots in
test-artifacts/."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LISTING = re.compile(r"/admin/pages/\d+/$")
REQUEST = "请补充第十六条第二款：调查人员的回避由行政执法监督机构负责人决定。"
APPROVAL = "同意发布。"


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def shoot(request):
    """Screenshot of any tab (the reviewer's, the public reader's) under the
    test's name, like the ``screenshot`` fixture does for ``page``."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(tab, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        tab.screenshot(path=str(path))
        return path

    return take


@pytest.fixture
def demo_site():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


def type_into_body(page, text, at_end=False):
    """Type into the rich-text body, then leave it: Draftail writes its
    hidden input when the editor loses focus, and a submit racing it would
    send an empty body."""
    body = page.locator("[data-contentpath=body] [contenteditable=true]")
    body.click()
    if at_end:
        page.keyboard.press("Control+End")
    page.keyboard.type(text)
    page.locator("#id_source").click()
    page.wait_for_function(
        "text => document.querySelector('input[name=body]').value.includes(text)",
        arg=text[-6:],
    )


def open_action_menu(page):
    page.locator("footer [data-w-dropdown-target=toggle]").last.click()


def comment_dialog(page, comment, button):
    """Fill the workflow action's comment dialog and send it."""
    page.wait_for_selector("textarea[name=comment]")
    dialog = page.locator(".modal").filter(has=page.locator("textarea[name=comment]"))
    dialog.locator("textarea[name=comment]").fill(comment)
    dialog.get_by_role("button", name=button, exact=True).click()


def test_editor_writes_reviewer_requests_changes_then_approves(
    live_server, demo_site, browser, page, shoot, log_in
):
    from publishing.models import InterpretationPage, PolicyDocumentPage

    policy = PolicyDocumentPage.objects.live().get()
    # Each workflow action saves a revision and writes its log: generous
    # waits on a busy machine.
    page.set_default_timeout(60_000)
    reviewer = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    ).new_page()
    reviewer.set_default_timeout(60_000)

    # The editor signs in, opens Art. 16 and writes an interpretation of it.
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{policy.url}#art-16")
    write = page.locator("#art-16").get_by_role("link", name="撰写本条解读")
    shoot(page, "1-policy-article-as-editor")
    write.click()
    page.wait_for_url("**/admin/publishing/interpretations/new/**")
    title = f"《{policy.title}》第十六条解读"
    assert page.locator("#id_title").input_value() == title
    assert page.locator("#id_article_numbers").input_value() == "16"
    page.fill("#id_source", "历城区司法局")
    page.fill("#id_summary", "调查人员与所调查案件有利害关系的，应当回避。")
    type_into_body(page, "第十六条规定了调查人员的回避。")
    shoot(page, "2-new-interpretation-prefilled")
    open_action_menu(page)
    assert page.get_by_role("button", name="发布", exact=True).count() == 0
    page.get_by_role("button", name="提交给政策解读法制审核").click()
    page.wait_for_url(lambda url: "/interpretations/new/" not in url)
    page.wait_for_load_state()
    shoot(page, "2b-submitted")
    assert LISTING.search(page.url), page.url
    assert "已创建并提交审核" in page.locator(".messages").inner_text()
    interpretation = InterpretationPage.objects.get(title=title)
    assert not interpretation.live

    # The legal reviewer finds it on the dashboard and asks for changes.
    log_in(reviewer, live_server, "legal_reviewer")
    dashboard = reviewer.locator("main").inner_text()
    assert "等待你的审查" in dashboard and title in dashboard
    shoot(reviewer, "3-reviewer-dashboard")
    reviewer.get_by_role("link", name=title).first.click()
    reviewer.wait_for_url(f"**/admin/pages/{interpretation.pk}/edit/")
    open_action_menu(reviewer)
    reviewer.get_by_role("button", name="请求修改").click()
    shoot(reviewer, "4-reviewer-requests-changes")
    comment_dialog(reviewer, REQUEST, "请求修改")
    # Back at the interpretations' listing once the action is done.
    reviewer.wait_for_url(LISTING)
    interpretation.refresh_from_db()
    assert not interpretation.live

    # The editor sees the request on the dashboard and in the editor.
    page.goto(live_server.url + "/admin/")
    assert "请求的更改" in page.locator("main").inner_text()
    shoot(page, "5-editor-dashboard-changes-requested")
    page.get_by_role("link", name=title).first.click()
    warning = page.locator(".messages")
    assert f"要求修改：“{REQUEST}”" in warning.inner_text()
    assert "尹若兰" in warning.inner_text()
    shoot(page, "6-editor-reads-the-comment")
    type_into_body(page, "调查人员的回避，由行政执法监督机构负责人决定。", at_end=True)
    open_action_menu(page)
    page.get_by_role("button", name="重新提交给政策解读法制审核").click()
    page.wait_for_url(LISTING)

    # The reviewer approves with a comment: that publishes it.
    reviewer.goto(live_server.url + "/admin/")
    reviewer.get_by_role("link", name=title).first.click()
    open_action_menu(reviewer)
    reviewer.get_by_role("button", name="带评论批准 和发布").click()
    comment_dialog(reviewer, APPROVAL, "带评论批准")
    reviewer.wait_for_url(LISTING)
    interpretation.refresh_from_db()
    assert interpretation.live
    assert "负责人决定" in interpretation.body

    # Both comments stay in the page's history, in Chinese.
    page.goto(f"{live_server.url}/admin/pages/{interpretation.pk}/history/")
    history = page.locator("main").inner_text()
    assert f"评论: {REQUEST}" in history or f"评论：{REQUEST}" in history
    assert APPROVAL in history and "已请求变更" in history
    shoot(page, "7-history-with-comments")

    # Public pages: the article lists its interpretation, which links back.
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}{policy.url}#art-16")
    article = public.locator("#art-16")
    assert "撰写本条解读" not in article.inner_text()
    shoot(public, "8-public-article-links-interpretation")
    article.get_by_role("link", name=title).click()
    public.wait_for_url(f"**{interpretation.url}")
    back = public.locator(".linked-policy").get_by_role("link", name="第十六条")
    shoot(public, "9-public-interpretation")
    back.click()
    public.wait_for_url(f"**{policy.url}#art-16")
    assert public.evaluate("document.querySelector(':target').id") == "art-16"
    public.context.close()
    reviewer.context.close()
