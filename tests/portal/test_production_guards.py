"""Production refuses published secrets and a per-process cache under several
workers (issue #14): each configuration is imported for real, in a subprocess
with DJANGO_SETTINGS_MODULE=portal.settings.production, as
tests/portal/test_settings.py does; plus the pure checks of
portal/settings/guards.py and the image build's own settings module."""

import ast
import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from portal.settings import guards

ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup()"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "REDIS_URL",
            "RECEIPT_SALT",
            "REPORTER_IDENTITY_KEYS",
            "WEB_CONCURRENCY",
            "GUNICORN_WORKERS",
            "GUNICORN_CMD_ARGS",
            "PORTAL_SINGLE_PROCESS",
        }
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**inherited, **env},
        timeout=120,
    )


def production_env(**extra: str) -> dict[str, str]:
    """A production configuration that starts: fresh secrets, a shared cache."""
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "REPORTER_IDENTITY_KEYS": Fernet.generate_key().decode(),
        "RECEIPT_SALT": secrets.token_urlsafe(24),
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        **extra,
    }


def literal(path: str, name: str):
    """The literal a settings module assigns (``X = X or <literal>`` too)."""
    tree = ast.parse((ROOT / path).read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            value = node.value
            if isinstance(value, ast.BoolOp):
                value = value.values[-1]
            return ast.literal_eval(value)
    raise AssertionError(f"{name} not assigned in {path}")


def published_values() -> list[tuple[str, str]]:
    """Every development, test and build secret this repository publishes."""
    values = [
        ("RECEIPT_SALT", literal("portal/settings/dev.py", "RECEIPT_SALT")),
        ("RECEIPT_SALT", literal("portal/settings/test.py", "RECEIPT_SALT")),
        ("SECRET_KEY", literal("portal/settings/test.py", "SECRET_KEY")),
        ("SECRET_KEY", literal("portal/settings/base.py", "INSECURE_SECRET_KEY")),
        # The Dockerfile's build step, before portal/settings/build.py.
        ("SECRET_KEY", "build-only-placeholder-build-only-placeholder-build-only"),
    ]
    for path in ("portal/settings/dev.py", "portal/settings/test.py"):
        for key in literal(path, "REPORTER_IDENTITY_KEYS"):
            values.append(("REPORTER_IDENTITY_KEYS", key))
    # The values the older settings tests used for "production".
    settings_test = (ROOT / "tests/portal/test_settings.py").read_text()
    for name in ("REPORTER_IDENTITY_KEYS", "RECEIPT_SALT"):
        for found in re.findall(rf'"{name}": "([^"]+)"', settings_test):
            values.append((name, found))
    # Whatever docker/env.example fills in (today: nothing).
    for line in (ROOT / "docker/env.example").read_text().splitlines():
        name, _, value = line.partition("=")
        if name in {"SECRET_KEY", "RECEIPT_SALT", "REPORTER_IDENTITY_KEYS"} and value:
            values.append((name, value))
    return values


def test_the_published_values_are_found():
    names = [name for name, _ in published_values()]
    assert names.count("REPORTER_IDENTITY_KEYS") >= 2
    assert names.count("RECEIPT_SALT") >= 2


@pytest.mark.parametrize("name,value", published_values())
def test_every_published_value_is_refused_by_the_pure_check(name, value):
    assert guards.published_reporting_secret(name, value) or (
        name == "SECRET_KEY" and len(value) < 50
    )


@pytest.mark.parametrize(
    "name,value",
    [
        ("RECEIPT_SALT", literal("portal/settings/dev.py", "RECEIPT_SALT")),
        ("RECEIPT_SALT", literal("portal/settings/test.py", "RECEIPT_SALT")),
        (
            "REPORTER_IDENTITY_KEYS",
            literal("portal/settings/dev.py", "REPORTER_IDENTITY_KEYS")[0],
        ),
        (
            "REPORTER_IDENTITY_KEYS",
            literal("portal/settings/test.py", "REPORTER_IDENTITY_KEYS")[0],
        ),
        # A published key behind a real one still decrypts old data: refused.
        (
            "REPORTER_IDENTITY_KEYS",
            # A fixed key (xdist workers must collect the same test ids).
            base64.urlsafe_b64encode(bytes(range(32))).decode()
            + ","
            + literal("portal/settings/dev.py", "REPORTER_IDENTITY_KEYS")[0],
        ),
        ("SECRET_KEY", "build-only-placeholder-build-only-placeholder-build-only"),
        # A copy with its tail changed still carries the placeholder's words.
        (
            "SECRET_KEY",
            "build-only-placeholder-Zq8Xv2Lm4Np6Rt0Wy3Bc5Df7Gh9Jk1Mn2Pq4Sx6Uz8Aa",
        ),
        ("RECEIPT_SALT", "dev-only-receipt-salt-but-longer"),
    ],
)
def test_production_refuses_to_start_with_a_published_secret(name, value):
    result = run_python(SETUP, **production_env(**{name: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_a_hand_typed_fernet_key_is_refused():
    typed = "cHJvZHVjdGlvbi10ZXN0LWtleS0zMi1ieXRlcy1vayE="  # "production-test-key..."
    assert guards.is_readable_fernet_key(typed)
    for _ in range(20):
        assert not guards.is_readable_fernet_key(Fernet.generate_key().decode())


def test_production_with_fresh_secrets_and_redis_starts():
    result = run_python(
        SETUP + "; from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'])",
        **production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "portal.cache.ResilientRedisCache"


def test_production_without_a_shared_cache_refuses_to_start():
    env = production_env()
    env.pop("REDIS_URL")
    result = run_python(SETUP, **env)
    assert result.returncode != 0
    assert "set REDIS_URL" in result.stderr
    assert "PORTAL_SINGLE_PROCESS=true" in result.stderr


@pytest.mark.parametrize(
    "workers_env",
    [
        {"WEB_CONCURRENCY": "4"},
        {"GUNICORN_WORKERS": "3"},
        {"GUNICORN_CMD_ARGS": "--bind 0.0.0.0:8000 --workers 2"},
        {"GUNICORN_CMD_ARGS": "-w 5"},
        # Nothing says how many: the image's gunicorn runs several.
        {},
    ],
)
def test_single_process_promise_is_refused_when_several_workers_run(workers_env):
    env = production_env(PORTAL_SINGLE_PROCESS="true", **workers_env)
    env.pop("REDIS_URL")
    result = run_python(SETUP, **env)
    assert result.returncode != 0
    assert "GUNICORN_WORKERS=1" in result.stderr


def test_one_declared_worker_may_run_without_redis():
    env = production_env(PORTAL_SINGLE_PROCESS="true", GUNICORN_WORKERS="1")
    env.pop("REDIS_URL")
    result = run_python(
        SETUP + "; from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'])",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("LocMemCache")


def test_a_worker_count_that_is_not_a_number_is_refused():
    result = run_python(SETUP, **production_env(WEB_CONCURRENCY="many"))
    assert result.returncode != 0
    assert "WEB_CONCURRENCY" in result.stderr


@pytest.mark.parametrize(
    "environ,workers",
    [
        ({}, None),
        ({"WEB_CONCURRENCY": "2"}, 2),
        ({"GUNICORN_WORKERS": "1"}, 1),
        ({"WEB_CONCURRENCY": "2", "GUNICORN_CMD_ARGS": "--workers=1"}, 1),
        ({"GUNICORN_CMD_ARGS": "-w3 --timeout 30"}, 3),
    ],
)
def test_worker_count_from_the_environment(environ, workers):
    assert guards.gunicorn_workers(environ) == workers


def test_the_image_builds_static_files_without_any_placeholder_secret(tmp_path):
    dockerfile = (ROOT / "docker/Dockerfile").read_text()
    assert "build-only-placeholder" not in dockerfile
    assert "DJANGO_SETTINGS_MODULE=portal.settings.build" in dockerfile
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.build", STATIC_ROOT=str(tmp_path)
    )
    built = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--dry-run"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    assert "static files copied" in built.stdout


@pytest.mark.parametrize("command", [["check"], ["runserver", "--noreload"]])
def test_the_build_settings_serve_nothing(command):
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SETTINGS_MODULE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.build"
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode != 0
    assert "only runs the image build" in result.stderr
    # Nor can a WSGI server load the site with them.
    wsgi = run_python(
        "import portal.wsgi", DJANGO_SETTINGS_MODULE="portal.settings.build"
    )
    assert wsgi.returncode != 0
    assert "only runs the image build" in wsgi.stderr
