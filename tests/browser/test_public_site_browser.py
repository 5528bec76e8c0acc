"""The public site as people see it, at a laptop's 1366 px and a phone's
390 px: the footer's marks and links, 网站地图/联系我们/网站声明, the
favicon, the page metadata, home dates, elder mode and the 404 page."""

import re

import pytest
from django.core.management import call_command

# serialized_rollback restores what migrations created (groups, the page
# tree) after each transactional test flushes the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.fixture
def demo_site():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


def _meta(page) -> dict[str, str]:
    return page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('meta[name]')]"
        ".map(m => [m.name, m.content]))"
    )


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways"
    )


@pytest.mark.parametrize("device", list(WIDTHS))
def test_public_site_at_each_width(live_server, demo_site, page, screenshot, device):
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.goto(live_server.url + "/")

    # Footer: the mark and both filing numbers link to their registries.
    footer = page.locator("footer")
    mark = footer.locator("a.party-mark")
    assert mark.get_attribute("href").startswith(
        "https://bszs.conac.cn/sitename?method=show&id="
    )
    assert mark.locator("img").evaluate("img => img.naturalWidth") > 0  # it loaded
    assert (
        footer.get_by_role("link", name=re.compile("ICP备")).get_attribute("href")
        == "https://beian.miit.gov.cn/"
    )
    assert (
        footer.get_by_role("link", name=re.compile("公网安备"))
        .get_attribute("href")
        .endswith("registerSystemInfo?recordcode=37011200000000")
    )
    # Home lists: dates as the index pages write them.
    dates = page.locator(".home-section time").all_inner_texts()
    assert dates and all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", d) for d in dates)
    # The favicon the page names is there.
    icon = page.locator("link[rel=icon]").first.get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200
    _no_sideways_scroll(page)
    screenshot("home", full_page=True)

    # Elder mode: the button says what it will do; the page stays centred.
    toggle = page.get_by_role("button", name="进入长者模式")
    toggle.click()
    assert page.get_by_role("button", name="退出长者模式").is_visible()
    box = page.locator("main").bounding_box()
    left, right = box["x"], WIDTHS[device] - box["x"] - box["width"]
    assert abs(left - right) <= 2, (left, right)
    _no_sideways_scroll(page)
    screenshot("elder", full_page=True)
    page.get_by_role("button", name="退出长者模式").click()
    assert page.get_by_role("button", name="进入长者模式").is_visible()

    # The three pages the footer links to.
    for label, name in (
        ("网站地图", "sitemap"),
        ("联系我们", "contact"),
        ("网站声明", "statement"),
    ):
        page.goto(live_server.url + "/")
        page.locator("footer").get_by_role("link", name=label, exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == label
        assert _meta(page)["ColumnName"] == label
        _no_sideways_scroll(page)
        screenshot(name, full_page=True)
    assert "0531-00000000（演示）" in page.goto(live_server.url + "/contact/").text()

    # Metadata of a policy and of a notice, reached through the sitemap.
    for column in ("政策文件", "澄清正名公告"):
        page.goto(live_server.url + "/sitemap/")
        item = page.locator(".sitemap__column").filter(
            has=page.get_by_role("heading", name=column, exact=True)
        )
        title = item.locator(".sitemap__pages a").first.inner_text()
        # Wait for the article page: read too early, the metadata would be
        # that of a document still loading (seen once in CI as no SiteName).
        with page.expect_navigation():
            item.locator(".sitemap__pages a").first.click()
        page.wait_for_load_state()
        meta = _meta(page)
        assert meta["SiteName"] == "历城区行政执法容错纠错平台"
        assert meta["SiteIDCode"] == "3701120000"
        assert meta["ColumnName"] == column
        assert meta["ArticleTitle"] == title
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", meta["PubDate"])
        assert meta["ContentSource"]

    # A page that does not exist: the site's own Chinese page.
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "页面不存在"
    screenshot("404", full_page=True)
