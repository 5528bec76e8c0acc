"""Load test of the public site (issue #8, Reliability): readers, searchers,
reporters filing reports and looking up their status, at once.

Run by bench/load/run_load.py (``locust -f bench/load/locustfile.py
--headless ...``); never imported by pytest (locust patches the standard
library with gevent).

Each simulated user is one client behind the reverse proxy: its own
``X-Forwarded-For`` address (the server runs with TRUSTED_PROXY_COUNT=1, so
per-client rate limits count per simulated user, as in production) and
``X-Forwarded-Proto: https``, as the proxy that terminates TLS would send.

Every receipt code issued is appended to LOAD_RESULTS (JSON lines) with what
was submitted, so that the runner can check afterwards that each one opens
its report and that the report holds exactly that. Status codes of every
response go to LOAD_STATUS at the end of the run.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import threading
from collections import Counter
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import quote

import altcha
from locust import HttpUser, between, events, task

RESULTS = os.environ.get("LOAD_RESULTS", "load-receipts.jsonl")
STATUS = os.environ.get("LOAD_STATUS", "load-status.json")
# The demo's own measure, at its title's slug (publishing.services.readable_slug).
POLICY_URL = os.environ.get(
    "LOAD_POLICY_URL",
    "/policies/" + quote("历城区行政执法履职尽责容错纠错实施办法-试行") + "/",
)
SEARCH_TERMS = ["容错", "免责", "澄清", "执法监督", "复核", "第十条", "听证", "回避"]

_addresses = itertools.count(1)
_lock = threading.Lock()
status_codes: Counter = Counter()
_receipts: list[dict] = []  # shared: any user may look up any receipt

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHALLENGE_RE = re.compile(r'data-challenge="([^"]+)"')
RECEIPT_RE = re.compile(r"data-receipt-code[^>]*>\s*([\d ]{16,24})\s*<")
NOTICE_LINK_RE = re.compile(r'href="(/notices/[\w\-]+/)"')


def _secure_cookies_over_plain_http(self, cookie, request):
    """The cookies are Secure (TLS ends at the proxy); the bench talks plain
    HTTP to gunicorn as the proxy does, so Secure cookies are sent anyway.
    Patched on the class: requests copies cookies into a fresh jar with the
    default policy for every request. Only in this bench process."""
    return True


DefaultCookiePolicy.return_ok_secure = _secure_cookies_over_plain_http


@events.request.add_listener
def _count(request_type, name, response_time, response_length, response=None, **kw):
    code = getattr(response, "status_code", None) if response is not None else None
    status_codes[str(code or "error")] += 1


@events.quitting.add_listener
def _write_status(environment, **kwargs):
    with open(STATUS, "w", encoding="utf-8") as out:
        json.dump(dict(status_codes), out)


def solve(issued: dict) -> str:
    """The proof of work, as the browser's ALTCHA widget solves it: the
    maintained library's solver (reporting/challenge.py issues and verifies;
    its own solve() needs Django settings, which this process has not)."""
    challenge = altcha.Challenge.from_dict(issued)
    solution = altcha.solve_challenge(challenge, timeout=300)
    if solution is None:
        raise ValueError("no solution")
    return altcha.Payload(challenge, solution).to_base64()


class PublicVisitor(HttpUser):
    wait_time = between(0.5, 2.5)

    def on_start(self):
        n = next(_addresses)
        self.address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        self.client.headers.update(
            {
                "X-Forwarded-For": self.address,
                "X-Forwarded-Proto": "https",
                "User-Agent": "licheng-portal-load-test",
                "Accept-Language": "zh-CN,zh;q=0.9",
            }
        )
        self.origin = "https://" + self.host.split("://", 1)[1].rstrip("/")
        self.submitted = 0

    # --- readers -----------------------------------------------------------
    @task(6)
    def home(self):
        self.client.get("/", name="home")

    @task(3)
    def policy(self):
        self.client.get(POLICY_URL, name="policy page")

    @task(3)
    def notices(self):
        query = random.choice(["", "?type=notice", "?page=2"])
        with self.client.get(
            "/notices/" + query, name="notice index", catch_response=True
        ) as response:
            links = NOTICE_LINK_RE.findall(response.text or "")
            if response.status_code == 200 and not links:
                response.failure("no notice listed")
        if links:
            self.client.get(random.choice(links), name="notice page")

    @task(1)
    def feeds(self):
        self.client.get("/feeds/notices/rss/", name="feed")

    @task(2)
    def search(self):
        self.client.get(
            "/search/", params={"q": random.choice(SEARCH_TERMS)}, name="search"
        )

    # --- the reporting channel ----------------------------------------------
    def _post(self, path, data, *, name, files=None):
        return self.client.post(
            path,
            data=data,
            files=files,
            name=name,
            headers={"Origin": self.origin, "Referer": self.origin + path},
            allow_redirects=False,
            catch_response=True,
        )

    @task(1)
    def submit_report(self):
        # SUBMISSIONS_PER_CLIENT per hour: a person files a report or two.
        if self.submitted >= 3:
            return self.home()
        form = self.client.get("/report/", name="report form")
        if form.status_code != 200:
            return
        token = CSRF_RE.search(form.text)
        issued = CHALLENGE_RE.search(form.text)
        if not (token and issued):
            form.failure("form without token or challenge")
            return
        real_name = random.random() < 0.5
        marker = f"{self.address}-{self.submitted}-{random.getrandbits(32):08x}"
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "kind": "real_name" if real_name else "anonymous",
            "name": "王某某" if real_name else "",
            "contact": "13800000000" if real_name else "",
            "subject": f"负载测试举报 {marker}"[:100],
            "agency_text": "区综合行政执法局",
            "persons": "",
            "occurred_on": "2025-06-01",
            "place": "历城区某街道",
            "description": f"执法人员检查时未出示证件。编号 {marker}",
            "pledge": "on",
            "proof": solve(json.loads(html.unescape(issued.group(1)))),
        }
        # Multipart, as the browser sends the form (it has a file input).
        files = {"attachments": ("", b"", "application/octet-stream")}
        with self._post("/report/", data, name="report submit", files=files) as sent:
            found = RECEIPT_RE.search(sent.text or "")
            if sent.status_code == 429:
                sent.failure("rate limited (429)")
                return
            if sent.status_code != 200 or not found:
                sent.failure(f"no receipt (HTTP {sent.status_code})")
                return
            code = re.sub(r"\D", "", found.group(1))
            record = {
                "code": code,
                "kind": data["kind"],
                "subject": data["subject"],
                "description": data["description"],
            }
            with _lock:
                _receipts.append(record)
                with open(RESULTS, "a", encoding="utf-8") as out:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.submitted += 1

    @task(2)
    def status_lookup(self):
        with _lock:
            record = random.choice(_receipts) if _receipts else None
        if record is None:
            return self.home()
        page = self.client.get("/report/status/", name="status lookup form")
        token = CSRF_RE.search(page.text or "")
        if page.status_code != 200 or not token:
            return
        data = {"csrfmiddlewaretoken": token.group(1), "code": record["code"]}
        with self._post("/report/status/", data, name="status lookup") as sent:
            if sent.status_code != 302:
                sent.failure(f"receipt not accepted (HTTP {sent.status_code})")
                return
        with self.client.get(
            "/report/status/", name="status page", catch_response=True
        ) as status:
            if record["subject"] not in (status.text or ""):
                status.failure("status page of another report")
        # Leave, as a reporter on a shared computer would: the next visit is
        # a fresh anonymous one.
        self.client.cookies.clear()
