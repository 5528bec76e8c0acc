"""The public search page in a real browser: results, highlights, filters,
the empty state, and the query kept in the box."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_site():
    cache.clear()
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)
    yield
    cache.clear()


def test_search_results_filters_and_empty_state(
    live_server, demo_site, page, screenshot
):
    page.goto(live_server.url + "/search/?q=陈述申辩")
    box = page.get_by_label("关键词")
    assert box.input_value() == "陈述申辩"
    results = page.locator(".search-result")
    assert results.count() >= 1
    first = results.first
    assert "第十六条" in first.locator(".search-title").inner_text()
    assert first.locator("mark").first.inner_text() == "陈述申辩"
    assert first.locator(".search-title").get_attribute("href").endswith("#art-16")
    assert "条结果" in page.get_by_role("status").inner_text()
    screenshot("results", full_page=True)

    # Filter by type through the facet links; the query stays.
    page.goto(live_server.url + "/search/?q=容错免责")
    page.locator(".search-filters a", has_text="政策条文").click()
    page.wait_for_url("**type=article*")
    assert page.get_by_label("关键词").input_value() == "容错免责"
    assert all(
        label == "政策条文"
        for label in page.locator(".search-result .search-type").all_inner_texts()
    )
    screenshot("filtered")

    # A miss: the friendly empty state with suggestions that search again.
    box = page.get_by_label("关键词")
    box.fill("区块链")
    box.press("Enter")
    page.wait_for_url("**q=%E5%8C%BA%E5%9D%97%E9%93%BE*")
    assert page.locator(".search-empty").is_visible()
    page.locator(".search-suggestion", has_text="履职尽责").first.click()
    page.wait_for_url("**q=%E5%B1%A5%E8%81%8C%E5%B0%BD%E8%B4%A3*")
    assert page.locator(".search-result").count() >= 1

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("mobile", full_page=True)


def test_bad_input_in_the_browser(live_server, demo_site, page):
    page.goto(
        live_server.url + "/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%F0%9F%98%80"
    )
    assert page.get_by_role("heading", level=1).inner_text() == "搜索"
    assert page.get_by_label("关键词").input_value().startswith("<script>")
