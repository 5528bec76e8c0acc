"""The public publishing pages in a real browser: a policy article read by its
anchor, an index filtered, a clarification notice opened; screenshots at
desktop (1280 px) and phone (390 px) widths land in test-artifacts/."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_site():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


def test_read_a_policy_article_by_its_anchor(live_server, demo_site, page, screenshot):
    from publishing.models import PolicyDocumentPage

    policy = PolicyDocumentPage.objects.live().get(
        document_number="济历城政发〔2025〕1号"
    )
    page.goto(live_server.url + "/")
    screenshot("home-desktop", full_page=True)
    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="政策文件"
    ).click()
    page.get_by_role("link", name=policy.title).first.click()
    page.wait_for_url(f"**{policy.url}")
    assert page.get_by_role("heading", level=1).inner_text() == policy.title
    assert "效力状态" in page.locator(".validity").inner_text()
    screenshot("policy-top")

    page.goto(f"{live_server.url}{policy.url}#art-16")
    article = page.locator("#art-16")
    assert article.get_by_role("heading").inner_text() == "第十六条"
    assert "调查人员与所调查案件有利害关系的，应当回避" in article.inner_text()
    assert article.is_visible()
    box = article.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, (
        "the anchor scrolls the article into view"
    )
    assert page.evaluate("document.querySelector(':target').id") == "art-16"
    screenshot("policy-art16")
    # Every item of Art. 10 is there, one paragraph each.
    assert page.locator("#art-10 .article__item").count() == 10
    # Table of contents: 5 chapters, each a working link.
    toc = page.get_by_role("navigation", name="目录")
    assert toc.get_by_role("link").count() == 5
    toc.get_by_role("link", name="第三章　容错免责").click()
    assert page.evaluate("location.hash") == "#chapter-3"

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("#art-16").is_visible()
    screenshot("policy-print", full_page=False)
    page.emulate_media(media="screen")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{policy.url}#art-9")
    assert page.locator("#art-9").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    screenshot("policy-mobile")


def test_open_a_clarification_notice_from_its_index(
    live_server, demo_site, page, screenshot
):
    from publishing.models import ClarificationNoticePage

    notice = ClarificationNoticePage.objects.live().first()
    assert notice is not None, "the demo publishes a clarification notice"
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="澄清正名公告"
    ).click()
    screenshot("notice-index")
    page.get_by_role("link", name=notice.title).first.click()
    page.wait_for_url(f"**{notice.url}")
    body = page.locator("main").inner_text()
    assert notice.title in body
    for name in filter(None, notice.party_names.splitlines()):
        assert name.strip() not in body
    assert "第二十二条" in body
    breadcrumb = page.get_by_role("navigation", name="当前位置")
    assert breadcrumb.get_by_role("link", name="首页").is_visible()
    screenshot("notice-desktop", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("notice-mobile", full_page=True)


def test_home_and_statistics_on_a_phone(live_server, demo_site, page, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("home-mobile", full_page=True)
    page.get_by_role("link", name="数据公开").first.click()
    assert page.locator("table").first.is_visible()
    assert page.locator("svg.bar").count() > 0
    screenshot("statistics-mobile", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("statistics-desktop", full_page=True)


def test_index_filters_work_from_the_keyboard(live_server, demo_site, page):
    page.goto(live_server.url + "/policies/")
    year = page.get_by_label("年份")
    year.focus()
    options = year.locator("option")
    assert options.count() >= 2
    year.select_option(index=1)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**year=*")
    assert page.locator(".publication-list__item").count() >= 1
