"""In a real browser, the public pages run under their Content-Security-Policy
without a single violation, and a form POST still passes the CSRF check under
"Referrer-Policy: no-referrer" (portal/csrf.py)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_site():
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)


def test_public_pages_break_no_policy_and_forms_post(live_server, demo_site, page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    seen = []
    for path in ("/", "/report/", "/report/status/", "/search/?q=容错免责"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        seen.append(path)
    # The stylesheets loaded (a blocked one has no rules).
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 10

    page.goto(live_server.url + "/report/status/")
    page.get_by_label("回执码").fill("1234 5678 9012 3456")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="查询").click()
    request_headers = posted.value.request.all_headers()
    assert request_headers.get("origin") == "null"
    assert "referer" not in request_headers
    assert posted.value.status != 403
    assert "回执码" in page.content()
    assert violations == [], violations
    assert len(seen) == 4
