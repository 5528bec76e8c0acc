import pytest
from django.core.management import call_command

# serialized_rollback restores what migrations created (groups, the page
# tree) after each transactional test flushes the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_site():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


def test_home_page_in_a_real_browser(live_server, demo_site, page, screenshot):
    page.goto(live_server.url + "/")
    assert page.title().startswith("历城区行政执法履职尽责容错纠错平台")
    assert page.locator("footer").inner_text().count("网站标识码") == 1
    base_size = page.evaluate("getComputedStyle(document.body).fontSize")
    screenshot("desktop", full_page=True)

    toggle = page.get_by_role("button", name="长者模式")
    toggle.click()
    assert toggle.inner_text() == "退出长者模式"
    elder_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(elder_size.rstrip("px")) > float(base_size.rstrip("px"))
    # Remembered across pages on this device.
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    screenshot("elder")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("mobile", full_page=True)


def test_keyboard_user_can_skip_to_content(live_server, demo_site, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "跳到主要内容"


def test_site_search_from_the_header(live_server, demo_site, page):
    page.goto(live_server.url + "/")
    page.get_by_label("站内搜索").fill("容错纠错")
    page.get_by_label("站内搜索").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_label("关键词").input_value() == "容错纠错"
