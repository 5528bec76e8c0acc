"""The production deployment on the loopback (fixtures and helpers of
tests/deploy): gunicorn started with the Dockerfile's own command line and
the production settings (secrets made up for the run), nginx from Debian
started with the committed config template, on a copy of the test database
(SQLite or PostgreSQL, whichever the suite runs on).

Addresses (all on 127.0.0.0/8, which Linux answers on every address):

- ``PROXY_ADDRESS`` 127.0.0.2: nginx's side of its connections to gunicorn
  (``proxy_bind``), the one TRUSTED_PROXY_ADDRESSES names;
- 127.0.0.1: a client that reaches gunicorn directly, bypassing the proxy;
- 127.0.0.3 and up: visitors reaching the site through nginx, one per test so
  their rate-limit budgets do not meet.
"""

from __future__ import annotations

import datetime
import html
import http.client
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
NGINX = Path("/usr/sbin/nginx")
PROXY_ADDRESS = "127.0.0.2"
DIRECT_ADDRESS = "127.0.0.1"
REDIS_URL = "redis://127.0.0.1:6379/10"
STAFF_USERNAME = "deploy-officer"
# Made up for the database copy of this run.
STAFF_PASSWORD = "Deploy-Test-Passw0rd!"
# A one-time backup code of the staff user (staffauth.devices.BACKUP_PATTERN).
STAFF_BACKUP_CODE = "deploy23"
SEARCH_RATE_LIMIT = 2
HEALTHZ_TOKEN = secrets.token_urlsafe(32)

PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHALLENGE_RE = re.compile(r'data-challenge="([^"]+)"')
RECEIPT_RE = re.compile(r"data-receipt-code[^>]*>\s*([\d ]{16,24})\s*<")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dockerfile_command() -> list[str]:
    """The CMD of docker/Dockerfile, as the image runs it."""
    text = (ROOT / "docker" / "Dockerfile").read_text()
    found = re.search(r"^CMD (\[.*?\])\s*$", text, re.MULTILINE | re.DOTALL)
    assert found, "docker/Dockerfile has no CMD in exec form"
    return json.loads(found.group(1).replace("\\\n", ""))


def render_template(text: str, values: dict[str, str]) -> str:
    """What docker/nginx/render.sh's envsubst does: replace ${NAME}, leave
    nginx's own $variables alone; every placeholder must be known."""
    missing = set(PLACEHOLDER.findall(text)) - set(values)
    assert not missing, f"unrendered placeholders: {missing}"
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def wait_for_port(port: int, process: subprocess.Popen, logs: list[Path]) -> None:
    """Until something accepts connections on ``port``; the process's logs
    if it died first. Bounded: gunicorn with production settings boots in
    seconds, a few minutes on a loaded CI machine."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                "server exited: "
                + "\n".join(p.read_text(errors="replace")[-3000:] for p in logs)
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing listens on {port}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server this module started, with its workers (own session)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """A visitor: one source address, cookies kept, plain HTTP or TLS."""

    port: int
    source: str
    tls: ssl.SSLContext | None = None
    agent: str = "Mozilla/5.0 (X11; Linux x86_64) DeployTest/1.0"
    # Posing as the proxy: plain HTTP to gunicorn for a page served as HTTPS.
    relayed_https: bool = False
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        scheme = "https" if self.tls or self.relayed_https else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def request(self, method, path, *, data=None, headers=None) -> Response:
        if self.tls:
            connection = http.client.HTTPSConnection(
                "127.0.0.1",
                self.port,
                context=self.tls,
                source_address=(self.source, 0),
                timeout=120,
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, source_address=(self.source, 0), timeout=120
            )
        sent = {"User-Agent": self.agent, "Accept-Language": "zh-CN"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = self.origin
            sent["Sec-Fetch-Site"] = "same-origin"
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def form_token(self, path, **kwargs) -> tuple[Response, str]:
        page = self.get(path, **kwargs)
        found = CSRF_RE.search(page.text)
        assert page.status == 200 and found, (page.status, page.text[:500])
        return page, found.group(1)


def file_anonymous_report(browser: Browser, marker: str, **kwargs) -> Response:
    """The reporting channel as a browser uses it: the form, the proof of
    work solved by reporting.challenge's own solver, the post."""
    from reporting import challenge

    page, token = browser.form_token("/report/", **kwargs)
    issued = json.loads(html.unescape(CHALLENGE_RE.search(page.text).group(1)))
    return browser.post(
        "/report/",
        {
            "csrfmiddlewaretoken": token,
            "kind": "anonymous",
            "name": "",
            "contact": "",
            "subject": f"部署测试举报 {marker}",
            "agency_text": "区综合行政执法局",
            "persons": "",
            "occurred_on": "2026-11-20",
            "place": "花园路早市",
            "description": f"执法人员检查时未出示执法证件。{marker}",
            "pledge": "on",
            "proof": challenge.solve(issued),
        },
        **kwargs,
    )


def sign_in(browser: Browser, username: str, password: str, **kwargs) -> Response:
    _page, token = browser.form_token("/admin/login/", **kwargs)
    return browser.post(
        "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
        **kwargs,
    )


@dataclass
class Deployment:
    port: int
    env: dict[str, str]
    database_url: str
    stdout: Path
    stderr: Path
    # Where the module's nginx will listen (its origin is a trusted CSRF one).
    proxy_http_port: int = 0
    proxy_https_port: int = 0

    def logs(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(
            errors="replace"
        )

    def wait_for_log(self, needle: str) -> str:
        """The logs once ``needle`` is in them (log lines reach the file a
        moment after the response)."""
        deadline = time.monotonic() + 60
        while needle not in (text := self.logs()):
            if time.monotonic() > deadline:
                pytest.fail(f"{needle!r} never logged:\n{text[-3000:]}")
            time.sleep(0.2)
        return text

    def query(self, sql: str, *params) -> list[tuple]:
        """Read the deployment's database directly (it is not this process's
        test database)."""
        if self.database_url.startswith("sqlite"):
            path = self.database_url.split("sqlite:///", 1)[1]
            with sqlite3.connect(path) as connection:
                return connection.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql, params).fetchall()


def _copy_test_database(tmp: Path) -> tuple[str, str | None]:
    """A copy of the migrated test database for the servers: (its URL, the
    PostgreSQL database to drop afterwards)."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target_path = tmp / "deploy.sqlite3"
        target = sqlite3.connect(target_path)
        with target:
            connection.connection.backup(target)
        target.close()
        return f"sqlite:///{target_path}", None
    import psycopg

    settings_dict = connection.settings_dict
    source = settings_dict["NAME"]
    copy = f"{source}_deploy"[:63]
    connections.close_all()
    server = psycopg.conninfo.make_conninfo(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=str(settings_dict["PORT"] or 5432),
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
    )
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    user = urllib.parse.quote(settings_dict["USER"] or "")
    password = settings_dict["PASSWORD"]
    auth = f"{user}:{urllib.parse.quote(password)}" if password else user
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{copy}", server + "|" + copy


def _drop_database(handle: str | None) -> None:
    if handle is None:
        return
    import psycopg

    server, name = handle.rsplit("|", 1)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


CREATE_STAFF = f"""
from django.contrib.auth.models import User
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
user = User.objects.create_superuser({STAFF_USERNAME!r}, "", {STAFF_PASSWORD!r})
TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
codes = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
codes.token_set.create(token={STAFF_BACKUP_CODE!r})
"""


def start_gunicorn(env: dict[str, str], tmp: Path, **extra: str):
    """gunicorn with the Dockerfile's CMD; (process, port, stdout, stderr)."""
    port = free_port()
    # gunicorn's control socket defaults to one path per user: each test
    # server gets its own, so parallel runs never meet.
    runtime = tmp / f"run-{port}"
    runtime.mkdir(mode=0o700)
    env = {
        **env,
        **extra,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "XDG_RUNTIME_DIR": str(runtime),
    }
    command = dockerfile_command()
    assert command[0] == "gunicorn"
    stdout, stderr = tmp / f"gunicorn-{port}.stdout", tmp / f"gunicorn-{port}.stderr"
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), *command[1:]],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    try:
        wait_for_port(port, process, [stdout, stderr])
    except BaseException:
        stop(process)
        raise
    return process, port, stdout, stderr


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn as the production image runs it, on the loopback."""
    import redis

    tmp = tmp_path_factory.mktemp("deploy")
    with django_db_blocker.unblock():
        database_url, handle = _copy_test_database(tmp)
    redis.Redis.from_url(REDIS_URL).flushdb()
    (tmp / "var" / "static").mkdir(parents=True)
    proxy_http_port, proxy_https_port = free_port(), free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "REPORTER_IDENTITY_KEYS": Fernet.generate_key().decode(),
        "RECEIPT_SALT": secrets.token_urlsafe(24),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{proxy_https_port}",
        "PORTAL_BASE_URL": "https://127.0.0.1",
        "PORTAL_VAR_DIR": str(tmp / "var"),
        "TRUSTED_PROXY_COUNT": "1",
        "TRUSTED_PROXY_ADDRESSES": PROXY_ADDRESS,
        "HEALTHZ_TOKEN": HEALTHZ_TOKEN,
        "SEARCH_RATE_LIMIT": str(SEARCH_RATE_LIMIT),
        "LOG_LEVEL": "INFO",
        "GUNICORN_WORKERS": "2",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("ELASTICSEARCH_URL", None)
    created = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CREATE_STAFF],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert created.returncode == 0, created.stderr[-3000:]
    try:
        process, port, stdout, stderr = start_gunicorn(env, tmp)
    except BaseException:
        _drop_database(handle)
        raise
    deployed = Deployment(
        port, env, database_url, stdout, stderr, proxy_http_port, proxy_https_port
    )
    try:
        yield deployed
    finally:
        stop(process)
        _drop_database(handle)


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, as the proxy's TLS_DIR would hold."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "fullchain.pem", tmp / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Proxy:
    http_port: int
    https_port: int
    tls: ssl.SSLContext
    stdout: Path
    stderr: Path
    config: str

    def logs(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(
            errors="replace"
        )

    def browser(self, source: str) -> Browser:
        return Browser(self.https_port, source, tls=self.tls)


@pytest.fixture(scope="module")
def proxy(deployment, tmp_path_factory):
    """nginx with docker/nginx/nginx.conf.template, rendered for the
    loopback, in front of the deployment's gunicorn."""
    if not NGINX.exists() or shutil.which("nginx", path="/usr/sbin") is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("proxy")
    cert, key = _self_signed(tmp)
    http_port, https_port = deployment.proxy_http_port, deployment.proxy_https_port
    config = render_template(
        (ROOT / "docker" / "nginx" / "nginx.conf.template").read_text(),
        {
            "PORTAL_UPSTREAM": f"127.0.0.1:{deployment.port}",
            "PROXY_ADDRESS": PROXY_ADDRESS,
            "PROXY_HTTP_LISTEN": f"127.0.0.1:{http_port}",
            "PROXY_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
            "TLS_CERTIFICATE": str(cert),
            "TLS_CERTIFICATE_KEY": str(key),
            "NGINX_STATE_DIR": str(tmp / "state"),
        },
    )
    (tmp / "state").mkdir()
    config_path = tmp / "nginx.conf"
    config_path.write_text(config)
    checked = subprocess.run(
        [str(NGINX), "-t", "-c", str(config_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    stdout, stderr = tmp / "nginx.stdout", tmp / "nginx.stderr"
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen(
            [str(NGINX), "-c", str(config_path), "-g", "daemon off;"],
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    tls = ssl.create_default_context(cafile=str(cert))
    try:
        wait_for_port(https_port, process, [stdout, stderr])
        yield Proxy(http_port, https_port, tls, stdout, stderr, config)
    finally:
        stop(process)
