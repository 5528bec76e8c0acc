"""Issue #14, anonymity: no log line names the sender of an anonymous report.

The attack: gunicorn's default access line (client address, time to the
second, size, user agent) for ``POST /report/``, matched with the report's
creation time, names the reporter. Here gunicorn runs as the production image
runs it (tests/deploy/conftest.py) and a report is filed through the real
form; its logs are then searched for the reporter's traces.
"""

from __future__ import annotations

import datetime
import logging
import re
import types

import pytest
from deploy_helpers import (
    PROXY_ADDRESS,
    RECEIPT_RE,
    Browser,
    file_anonymous_report,
)
from gunicorn.config import Config
from gunicorn.glogging import Logger

from portal.gunicorn_conf import AnonymousLogger, duration_bucket
from portal.logfilter import ADDRESS, AGENT, AnonymizingFilter, axes_client_str, scrub

REPORTER = "198.51.100.23"
REPORTER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-A5460 ReporterPhone) Mobile Safari/537.36"
)
SECONDS = re.compile(r"\d\d:\d\d:\d\d")


def _access_line(logger_class, path) -> str:
    """What ``logger_class`` writes to its access log file for one
    POST /report/ from a reporter."""
    config = Config()
    config.set("accesslog", str(path))
    logger = logger_class(config)
    response = types.SimpleNamespace(status="200 OK", sent=48213, headers=[])
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/report/?from=home",
        "PATH_INFO": "/report/",
        "QUERY_STRING": "from=home",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": REPORTER,
        "HTTP_USER_AGENT": REPORTER_AGENT,
        "HTTP_REFERER": "https://portal.example.gov.cn/report/",
    }
    request = types.SimpleNamespace(headers=[("USER-AGENT", REPORTER_AGENT)])
    try:
        logger.access(response, request, environ, datetime.timedelta(seconds=0.25))
    finally:
        for handler in logger.access_log.handlers:
            handler.close()
        logger.access_log.handlers.clear()
    return path.read_text().strip()


def test_gunicorns_default_access_line_names_the_reporter(tmp_path):
    """The attack, reproduced on gunicorn's own logger."""
    line = _access_line(Logger, tmp_path / "access.log")
    assert REPORTER in line and "Android 14" in line and "48213" in line
    assert SECONDS.search(line)


def test_our_access_line_has_no_address_agent_size_or_seconds(tmp_path):
    line = _access_line(AnonymousLogger, tmp_path / "access.log")
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d{4} POST /report/ 200 <1s", line
    ), line
    assert "from=home" not in line


def test_duration_is_bucketed():
    assert [duration_bucket(s) for s in (0.01, 0.5, 3, 12)] == [
        "<100ms",
        "<1s",
        "<10s",
        ">=10s",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Invalid request from ip=203.0.113.9: Invalid HTTP Version",
        "peer 2001:db8::7 via [::ffff:192.0.2.1]:443",
        "client fe80::1%eth0 said hello",
        "agent Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0 Safari/537.36",
        "agent curl/8.5.0 and python-requests/2.32.3",
    ],
)
def test_scrub_removes_addresses_and_agents(text):
    cleaned = scrub(text)
    for leak in ("203.0.113.9", "2001:db8", "192.0.2.1", "fe80", "Chrome", "curl/"):
        assert leak not in cleaned
    assert ADDRESS in cleaned or AGENT in cleaned


def test_scrub_keeps_times_versions_and_paths():
    text = "2026-12-04 17:40 +0000 GET /cases/12/ took 1.5 s; Django 5.2"
    assert scrub(text) == text


def test_the_filter_scrubs_arguments_tracebacks_and_drops_the_request():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Bad: %s", ("10.1.2.3",), None
    )
    record.request = object()
    try:
        raise ValueError("from 10.9.8.7")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert AnonymizingFilter().filter(record) is True
    formatted = logging.Formatter().format(record)
    assert "10.1.2.3" not in formatted and "10.9.8.7" not in formatted
    assert record.request is None


def test_django_loggers_write_through_the_filter(settings):
    # Production and development share base.LOGGING (the test settings
    # silence logging altogether).
    from portal.settings import base

    console = base.LOGGING["handlers"]["console"]
    assert "anonymize" in console["filters"]
    assert base.LOGGING["filters"]["anonymize"]["()"].endswith("AnonymizingFilter")
    assert "%S" not in base.LOGGING["formatters"]["plain"]["datefmt"]


def test_axes_log_lines_name_no_address_or_agent(settings):
    from axes.helpers import get_client_str

    line = get_client_str("officer", "203.0.113.5", REPORTER_AGENT, "/admin/", None)
    assert settings.AXES_CLIENT_STR_CALLABLE == "portal.logfilter.axes_client_str"
    assert "203.0.113.5" not in line and "Android" not in line
    assert line == axes_client_str("officer", "203.0.113.5", "", "/admin/", None)


# The mark makes pytest-django create the test database the deployment copies.
@pytest.mark.django_db
def test_an_anonymous_report_leaves_no_trace_in_gunicorns_logs(deployment):
    """The production command line, a real report, the real logs."""
    # As the proxy would relay it: from the proxy's address, with the
    # reporter's address in X-Forwarded-For and HTTPS in X-Forwarded-Proto.
    browser = Browser(
        deployment.port, PROXY_ADDRESS, agent=REPORTER_AGENT, relayed_https=True
    )
    relayed = {"X-Forwarded-For": REPORTER, "X-Forwarded-Proto": "https"}
    response = file_anonymous_report(browser, "gunicorn-logs", headers=relayed)
    assert response.status == 200, response.text[:2000]
    code = receipt_code(response.text)
    assert code
    size = str(len(response.body))

    logs = deployment.wait_for_log("POST /report/ 200")
    report_lines = [line for line in logs.splitlines() if "/report/" in line]
    assert report_lines
    for leak in (REPORTER, PROXY_ADDRESS, "127.0.0.1", "Android", "Mozilla"):
        assert leak not in logs, leak
    for line in report_lines:
        assert not SECONDS.search(line), line
        assert size not in line.split(), line
    # The receipt code is never logged either.
    assert code not in logs.replace(" ", "")


def receipt_code(text: str) -> str:
    found = RECEIPT_RE.search(text)
    return re.sub(r"\D", "", found.group(1)) if found else ""
