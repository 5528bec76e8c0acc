"""Headless Chromium (Debian's package) driven by Playwright for Python.

The browser is the machine's /usr/bin/chromium: Playwright's own browser
downloads cannot reach the network here. Where Chromium is missing the tests
skip with the reason shown in the summary (pytest -ra).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    # Playwright's sync API keeps an event loop in this thread; the tests' own
    # ORM calls happen outside it, so Django's async guard stands down while a
    # browser module runs, and only then (other tests' subprocesses must not
    # inherit the variable).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With Playwright's loop running, the tests get fresh connection objects
    # without the snapshot serialized_rollback restores from: tests/conftest.py
    # hands it to each test's connection.
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str, **kwargs) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), **kwargs)
        return path

    return take


def sign_in_with_code(page, live_server, username, password, next_path="/admin/"):
    """Sign in to the admin the way staff do: password, then the code of the
    user's authenticator (computed from their device, as the phone would)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from staffauth.devices import code_for_next_sign_in

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/second-factor/**")
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.fill("#id_otp_token", code_for_next_sign_in(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(live_server.url + next_path)


@pytest.fixture
def log_in():
    """``log_in(page, live_server, username, password=<demo password>)``."""
    from portal.demo import DEMO_ADMIN_PASSWORD

    def log_in(page, live_server, username, password=DEMO_ADMIN_PASSWORD):
        sign_in_with_code(page, live_server, username, password)

    return log_in
