"""Security headers on public and admin pages, and CSRF under no-referrer."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, str]:
    found = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        found[name] = value
    return found


def test_public_pages_forbid_inline_code_and_framing(client, home_page):
    for url in ("/", "/report/", "/search/?q=容错"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        # WebAssembly compilation for the proof-of-work worker, no eval().
        assert policy["script-src"] == "'self' 'wasm-unsafe-eval'", url
        assert policy["style-src"] == "'self'", url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"]


def test_public_templates_carry_no_inline_script_or_style(client, home_page):
    """The policy above would break them; keep it that way."""
    body = client.get("/").content.decode()
    assert "<script>" not in body
    assert " style=" not in body
    assert " onclick=" not in body


def test_admin_keeps_out_other_origins(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["object-src"] == "'none'"


def test_https_requests_upgrade_insecure_subresources(client, home_page):
    response = client.get("/", secure=True)
    assert response["Content-Security-Policy"].endswith("upgrade-insecure-requests")


def lookup(client: Client, **headers):
    client.get("/report/status/")
    token = client.cookies["csrftoken"].value
    return client.post(
        "/report/status/",
        {"csrfmiddlewaretoken": token, "code": "1234 5678 9012 3456"},
        **headers,
    )


@pytest.mark.parametrize("secure", [False, True])
def test_same_origin_form_posts_pass_under_no_referrer(home_page, secure, settings):
    """What Chromium sends under "Referrer-Policy: no-referrer": Origin null,
    no Referer, and the Fetch Metadata header saying same-origin."""
    settings.SECURE_SSL_REDIRECT = False
    client = Client(enforce_csrf_checks=True)
    response = lookup(
        client,
        secure=secure,
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code != 403
    assert "CSRF" not in response.content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "same-origin"},
    ],
)
def test_cross_site_form_posts_are_refused(home_page, headers):
    client = Client(enforce_csrf_checks=True)
    assert lookup(client, **headers).status_code == 403


def test_the_token_is_still_required_for_same_origin_posts(home_page):
    client = Client(enforce_csrf_checks=True)
    client.get("/report/status/")
    response = client.post(
        "/report/status/",
        {"code": "1234 5678 9012 3456"},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 403


def test_a_missing_csrf_middleware_is_reported(settings):
    from portal.checks import csrf_middleware_installed

    assert csrf_middleware_installed(None) == []
    settings.MIDDLEWARE = [
        m
        for m in settings.MIDDLEWARE
        if m != "portal.csrf.FetchMetadataCsrfViewMiddleware"
    ]
    assert [e.id for e in csrf_middleware_installed(None)] == ["portal.E001"]
