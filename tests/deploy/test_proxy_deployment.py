"""Issue #14: the compose-style deployment on the loopback.

The attack: docker/compose.yaml published gunicorn on every interface with
``--forwarded-allow-ips *`` and TRUSTED_PROXY_COUNT=1, so any client chose its
own address (``X-Forwarded-For``: no rate limit, no lockout, a forged address
in the audit log) and scheme (``X-Forwarded-Proto``). Now nginx (Debian's,
docker/nginx/nginx.conf.template rendered for the loopback) is the only way
in, replaces the forwarding headers, and gunicorn and the portal believe them
from its address alone. Neither logs an address or an agent.
"""

from __future__ import annotations

import json
import re
import time

import pytest
import yaml
from deploy_helpers import (
    DIRECT_ADDRESS,
    HEALTHZ_TOKEN,
    PROXY_ADDRESS,
    ROOT,
    SEARCH_RATE_LIMIT,
    STAFF_BACKUP_CODE,
    STAFF_PASSWORD,
    STAFF_USERNAME,
    Browser,
    dockerfile_command,
    file_anonymous_report,
    sign_in,
    start_gunicorn,
    stop,
)

pytestmark = pytest.mark.django_db

TEMPLATE = (ROOT / "docker" / "nginx" / "nginx.conf.template").read_text()
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) WhistleBrowser/31.4"
FORGED = [f"203.0.113.{n}" for n in range(1, 12)]
SEARCH = "/search/?q=%E5%9B%9E%E9%81%BF"


def forged(n: int, **more: str) -> dict[str, str]:
    return {"X-Forwarded-For": FORGED[n], **more}


# --- The committed configuration ----------------------------------------------


def test_the_compose_file_publishes_only_the_proxy_and_trusts_only_it():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    services = compose["services"]
    published = {name for name, service in services.items() if "ports" in service}
    assert published == {"proxy"}
    proxy_address = services["proxy"]["networks"]["default"]["ipv4_address"]
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert environment["TRUSTED_PROXY_ADDRESSES"] == proxy_address
        assert environment["TRUSTED_PROXY_COUNT"] == "1"
    assert services["proxy"]["environment"]["PROXY_ADDRESS"] == proxy_address
    assert services["proxy"]["environment"]["PORTAL_UPSTREAM"] == "web:8000"


def test_the_image_trusts_no_wildcard_and_logs_through_our_config():
    command = dockerfile_command()
    assert "*" not in command and "--forwarded-allow-ips" not in command
    assert "--access-logfile" not in command and "--access-logformat" not in command
    assert command[-2:] == ["--config", "python:portal.gunicorn_conf"]
    from portal import gunicorn_conf

    assert gunicorn_conf.logger_class == "portal.gunicorn_conf.AnonymousLogger"
    assert gunicorn_conf.secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}


def test_the_proxy_config_logs_nothing_that_names_a_client():
    formats = re.findall(r"log_format\s+\w+\s+'([^']*)'", TEMPLATE)
    assert formats
    for variable in (
        "$remote_addr",
        "$http_x_forwarded_for",
        "$http_user_agent",
        "$http_referer",
        "$body_bytes_sent",
        "$bytes_sent",
        "$time_local",
        "$time_iso8601",
        "$request ",
        "$request_uri",
        "$args",
    ):
        assert all(variable not in fmt for fmt in formats), variable
    assert re.search(r"^\s*access_log\s+\S+\s+anonymous;", TEMPLATE, re.MULTILINE)
    # nginx appends "client: <address>" to request errors: only alerts.
    assert re.search(r"^error_log\s+\S+\s+alert;", TEMPLATE, re.MULTILINE)
    # The client's own X-Forwarded-For is replaced, never appended to.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in TEMPLATE
    assert "$proxy_add_x_forwarded_for" not in TEMPLATE


# --- Through nginx --------------------------------------------------------------


def test_a_forged_forwarded_for_through_the_proxy_does_not_lift_the_limit(proxy):
    visitor = proxy.browser("127.0.0.3")
    codes = [
        visitor.get(SEARCH, headers=forged(n)).status
        for n in range(SEARCH_RATE_LIMIT + 2)
    ]
    assert codes == [200] * SEARCH_RATE_LIMIT + [429, 429]


def test_a_forged_forwarded_for_does_not_escape_the_lockout(proxy, deployment):
    visitor = proxy.browser("127.0.0.4")
    statuses = [
        sign_in(visitor, "deploy-nobody", "wrong-Passw0rd!", headers=forged(n)).status
        for n in range(6)
    ]
    assert statuses[-1] == 429, statuses
    addresses = deployment.query(
        "SELECT DISTINCT ip_address FROM axes_accessattempt WHERE username = %s",
        "deploy-nobody",
    )
    # The address nginx saw, not any of the forged ones, nor the proxy's
    # (str: PostgreSQL hands an inet column back as an address object).
    assert [str(address) for (address,) in addresses] == ["127.0.0.4"]


def test_the_audit_log_records_the_address_the_proxy_saw(proxy, deployment):
    officer = proxy.browser("127.0.0.5")
    lie = forged(7)
    signed_in = sign_in(officer, STAFF_USERNAME, STAFF_PASSWORD, headers=lie)
    assert signed_in.status == 302, signed_in.text[:1000]
    _page, token = officer.form_token("/admin/second-factor/", headers=lie)
    verified = officer.post(
        "/admin/second-factor/",
        {"csrfmiddlewaretoken": token, "otp_token": STAFF_BACKUP_CODE},
        headers=lie,
    )
    assert verified.status == 302, verified.text[:1000]
    # A case that does not exist: a refused view, audited.
    assert officer.get("/admin/casework/cases/987654/", headers=lie).status == 404
    rows = deployment.query(
        "SELECT client_address, outcome FROM audit_auditevent WHERE path = %s",
        "/admin/casework/cases/987654/",
    )
    assert rows == [("127.0.0.5", "denied")]


def test_https_is_what_the_proxy_says_not_what_the_client_says(proxy):
    # Plain HTTP to the proxy with a forged X-Forwarded-Proto: redirected.
    plain = Browser(proxy.http_port, "127.0.0.6")
    answer = plain.get("/report/", headers={"X-Forwarded-Proto": "https"})
    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://")
    # Over TLS the portal knows it is HTTPS, whatever the client claims: no
    # redirect, and HSTS (sent only on secure requests).
    secure = proxy.browser("127.0.0.6").get(
        "/report/", headers={"X-Forwarded-Proto": "http"}
    )
    assert secure.status == 200
    assert "max-age" in secure.headers["Strict-Transport-Security"]
    # What production really sends (the README once said same-origin).
    assert secure.headers["Referrer-Policy"] == "no-referrer"


def test_healthz_through_the_proxy_is_minimal_unless_the_token_is_sent(proxy):
    visitor = proxy.browser("127.0.0.7")
    public = visitor.get("/healthz")
    assert public.status == 200
    assert json.loads(public.body) == {"status": "ok"}
    detailed = json.loads(
        visitor.get("/healthz", headers={"X-Health-Token": HEALTHZ_TOKEN}).body
    )
    assert detailed["checks"]["database"]["ok"] is True
    assert detailed["checks"]["redis"]["ok"] is True


# --- Around nginx ---------------------------------------------------------------


def test_gunicorn_hit_directly_believes_no_forwarding_header(deployment):
    direct = Browser(deployment.port, DIRECT_ADDRESS)
    # X-Forwarded-Proto: not believed, the production redirect to HTTPS.
    answer = direct.get(SEARCH, headers=forged(8, **{"X-Forwarded-Proto": "https"}))
    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://")
    # /healthz is exempt from the redirect; the forged header makes it a
    # public answer, not a local probe's.
    health = direct.get("/healthz", headers=forged(8))
    assert json.loads(health.body) == {"status": "ok"}
    # The container's own probe (local, nothing forwarded) sees the details.
    assert "checks" in json.loads(direct.get("/healthz").body)


@pytest.fixture(scope="module")
def without_redirect(deployment, tmp_path_factory):
    """A second gunicorn on the same database without the HTTPS redirect,
    so a direct client's requests reach the rate limits and the lockout."""
    process, port, _out, _err = start_gunicorn(
        deployment.env,
        tmp_path_factory.mktemp("direct"),
        SECURE_SSL_REDIRECT="false",
    )
    try:
        yield port
    finally:
        stop(process)


def test_a_direct_client_forging_forwarded_for_gets_no_fresh_budget(
    without_redirect, deployment
):
    direct = Browser(without_redirect, DIRECT_ADDRESS)
    codes = [
        direct.get(SEARCH, headers=forged(n)).status
        for n in range(SEARCH_RATE_LIMIT + 1)
    ]
    assert codes == [200] * SEARCH_RATE_LIMIT + [429]
    sign_in(direct, "deploy-direct", "wrong-Passw0rd!", headers=forged(9))
    addresses = deployment.query(
        "SELECT DISTINCT ip_address FROM axes_accessattempt WHERE username = %s",
        "deploy-direct",
    )
    assert [str(address) for (address,) in addresses] == [DIRECT_ADDRESS]


# --- The logs -----------------------------------------------------------------------


def test_an_anonymous_report_through_the_proxy_leaves_no_address_in_any_log(
    proxy, deployment
):
    reporter = proxy.browser("127.0.0.9")
    reporter.agent = AGENT
    filed = file_anonymous_report(reporter, "via-proxy", headers=forged(10))
    assert filed.status == 200, filed.text[:2000]
    deployment.wait_for_log("POST /report/ 200")
    # nginx writes its access line after the response has gone out, so the
    # client can be faster than the log: wait for the line (bounded).
    line = re.compile(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d(Z|[+-]\d\d:\d\d) POST /report/ 200 \S+$",
        re.MULTILINE,
    )
    for _ in range(100):
        proxy_log = proxy.logs()
        if line.search(proxy_log):
            break
        time.sleep(0.1)
    assert line.search(proxy_log), proxy_log[-2000:]
    logs = proxy_log + deployment.logs()
    for leak in ["127.0.0.", "::1", PROXY_ADDRESS, AGENT, "WhistleBrowser", *FORGED]:
        assert leak not in logs, leak
    assert not re.search(
        r"\d\d:\d\d:\d\d",
        "\n".join(line for line in logs.splitlines() if "/report/" in line),
    )
    assert str(len(filed.body)) not in logs
