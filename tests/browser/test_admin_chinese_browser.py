"""Every admin page a staff member meets is in Chinese (issue #17).

Each demo role signs in through the real sign-in and second-factor pages and
opens its dashboard and every item of its main menu and submenus (the labels
of all of them are checked in the sidebar's data too), plus one case page, one
page edit form (saved with an error) and the account page. The visible text
of each page -- text nodes on screen, the selected option of a list, and the
placeholder, title, aria-label, alt and tooltip texts -- may hold no Latin
word, except:

- data: a value stored in the database the page shows (usernames, names,
  e-mail addresses, host names, page titles), addresses (URLs, the site's
  paths such as an audit entry's /admin/casework/cases/1/, domain names,
  e-mail addresses), and the contents of <code>/<kbd>/<samp>/<pre>, where the
  admin shows technical names (setting keys, keyboard keys) as such;
- the short allow-list ALLOWED of names that have no Chinese form in use.

A menu item already checked for an earlier (less privileged) role is not
loaded again, so the walk stays at about fifty page loads.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Least privileged first: each page is checked as the first role that sees it.
ROLES = [
    "reviewer",
    "liaison_market",
    "legal_reviewer",
    "editor",
    "officer1",
    "head",
    "admin",
]
ALLOWED = {
    "ICP",  # ICP备案号, the licence's own name
    "PDF",
    "OTP",
    "Word",  # document formats offered for download
    "Excel",
}
UNUSED = {
    "/admin/images/",
    "/admin/documents/",
    "/admin/collections/",
    "/admin/redirects/",
    "/admin/searchpicks/",
    "/admin/searchpicks/reports/search-terms/",
    "/admin/reports/aging-pages/",
    "/admin/reports/page-types-usage/",
}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
ADDRESS = re.compile(
    r"https?://\S*"
    r"|(?<![\w/])/(?:[\w.-]+/)+[\w.?=&%-]*"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:[A-Za-z0-9-]+\.)+(?:cn|com|org|net|gov)\b"
)

# The visible text of the page, as a list of strings.
VISIBLE_TEXT_JS = """
() => {
  const technical = 'script,style,noscript,template,code,kbd,samp,pre';
  const shown = (el) =>
    el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest(technical)) continue;
    const option = el.closest('option');
    if (option ? !option.selected : !shown(el)) continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  const attrs = ['placeholder', 'title', 'aria-label', 'alt',
                 'data-w-tooltip-content-value'];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(technical) || !shown(el)) continue;
    for (const name of attrs) {
      const value = el.getAttribute(name);
      if (value && value.trim()) texts.push(value.trim());
    }
    if (el.matches('input[type=submit], input[type=button]') && el.value) {
      texts.push(el.value);
    }
  }
  return texts;
}
"""


@pytest.fixture
def demo_office():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


def data_values() -> list[str]:
    """Values stored in the database that admin pages show as data."""
    from wagtail.models import Page, Site

    values = set()
    for user in get_user_model().objects.all():
        values.update([user.username, user.email, user.first_name, user.last_name])
    values.update(Site.objects.values_list("hostname", flat=True))
    values.update(Page.objects.values_list("title", flat=True))
    # Longest first, so a value containing another is removed whole.
    return sorted((v for v in values if v), key=len, reverse=True)


def latin_words(text: str, data: list[str]) -> list[str]:
    for value in data:
        text = text.replace(value, " ")
    text = ADDRESS.sub(" ", text)
    return [word for word in LATIN_WORD.findall(text) if word not in ALLOWED]


class Walk:
    """Collects the Latin words found, page by page."""

    def __init__(self, page, live_server, data):
        self.page = page
        self.live_server = live_server
        self.data = data
        self.found: dict[str, set[str]] = {}
        self.loads = 0
        self.checked: set[str] = set()

    def check(self, where: str):
        # The office's platform: its name in the tab, no picture from
        # gravatar.com (Wagtail's default avatars came from there, broken).
        title = self.page.title()
        if not title.endswith(f" - {settings.WAGTAIL_SITE_NAME}"):
            self.found.setdefault(where, set()).add(f"tab title {title!r}")
        if self.page.locator("img[src*='gravatar']").count():
            self.found.setdefault(where, set()).add("an avatar from gravatar.com")
        for text in self.page.evaluate(VISIBLE_TEXT_JS):
            words = latin_words(text, self.data)
            if words:
                self.found.setdefault(where, set()).add(f"{text[:120]!r} {words}")

    def check_labels(self, where: str, labels):
        for label in labels:
            if words := latin_words(label, self.data):
                self.found.setdefault(where, set()).add(f"{label!r} {words}")

    def screenshot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(ARTIFACTS / f"admin-chinese-{name}.png"), full_page=True
        )

    def open(self, path: str, where: str):
        self.page.goto(self.live_server.url + path)
        self.loads += 1
        self.checked.add(path)
        self.check(where)


def menu_entries(props) -> list[tuple[str, str]]:
    """(label, url) of every item in the sidebar's data, submenus included."""
    entries = []

    def walk(value):
        if isinstance(value, dict):
            if "label" in value:
                entries.append((value["label"], value.get("url", "")))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(props)
    return entries


def sign_in(walk, username):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.demo import DEMO_ADMIN_PASSWORD
    from staffauth.devices import code_for_next_sign_in

    page = walk.page
    walk.open("/admin/login/", f"{username}: 登录页")
    if username == ROLES[0]:
        walk.screenshot("login")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/second-factor/**")
    walk.loads += 1
    walk.check(f"{username}: 两步验证页")
    if username == ROLES[0]:
        walk.screenshot("second-factor")
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.fill("#id_otp_token", code_for_next_sign_in(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(walk.live_server.url + "/admin/")
    walk.loads += 1
    walk.check(f"{username}: 控制面板")
    # No counts of images and documents the office does not use.
    for unused in ("/admin/images/", "/admin/documents/"):
        assert not page.locator(f"a[href='{unused}']").count()
    walk.screenshot(f"{username}-dashboard")


def test_every_admin_page_of_every_role_is_chinese(live_server, demo_office, browser):
    from casework.models import SupervisionCase
    from publishing.models import InterpretationPage

    walk = Walk(None, live_server, data_values())
    users = get_user_model().objects.filter(username__in=ROLES)
    assert sorted(users.values_list("username", flat=True)) == sorted(ROLES)

    for username in ROLES:
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        walk.page = context.new_page()
        walk.page.set_default_timeout(30_000)
        sign_in(walk, username)
        props = json.loads(
            walk.page.eval_on_selector("#wagtail-sidebar-props", "e => e.textContent")
        )
        entries = menu_entries(props)
        urls = {url for _label, url in entries}
        # What the office does not use is not offered (to the superuser
        # either), nor Wagtail's English guides.
        assert not urls & UNUSED, urls & UNUSED
        assert not [url for url in urls if url.startswith("http")], urls
        walk.check_labels(f"{username}: 菜单", [label for label, _url in entries])
        for label, url in entries:
            if url.startswith("/admin/") and url not in walk.checked:
                walk.open(url, f"{username}: {label} {url}")

        if username == "officer1":
            case = SupervisionCase.objects.visible_to(users.get(username=username))
            walk.open(
                f"/admin/casework/cases/{case.order_by('pk').first().pk}/",
                f"{username}: 案件页",
            )
            walk.screenshot("case-page")
        if username == "editor":
            interpretation = InterpretationPage.objects.order_by("pk").first()
            walk.open(f"/admin/pages/{interpretation.pk}/edit/", "editor: 编辑页面")
            # Saved with the title emptied: the error and the form in Chinese.
            walk.page.fill("#id_title", "")
            walk.page.get_by_role("button", name="保存草稿").click()
            walk.page.wait_for_load_state()
            walk.loads += 1
            assert "存在校验错误，页面未能保存。" in walk.page.content()
            walk.check("editor: 编辑页面（保存出错）")
            walk.screenshot("edit-form-error")
        context.close()

    assert walk.loads <= 60, walk.loads
    report = "\n".join(
        f"{where}:\n    " + "\n    ".join(sorted(texts))
        for where, texts in sorted(walk.found.items())
    )
    assert not walk.found, f"Latin-script text in the admin:\n{report}"
