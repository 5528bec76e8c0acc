"""Production settings refuse to start misconfigured; the compose file and the
settings agree on the environment variables."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 20 + "-a-long-random-production-secret-value-0123456789"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, **env},
        timeout=120,
    )


def production_env(**extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": GOOD_SECRET,
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        # Fresh values: production refuses any published in this repository.
        "REPORTER_IDENTITY_KEYS": Fernet.generate_key().decode(),
        "RECEIPT_SALT": secrets.token_urlsafe(24),
        # Production refuses a per-process cache (test_production_guards.py).
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        **extra,
    }


@pytest.mark.parametrize(
    "missing,message",
    [
        ("REPORTER_IDENTITY_KEYS", "REPORTER_IDENTITY_KEYS must hold"),
        ("RECEIPT_SALT", "RECEIPT_SALT must be set"),
        ("bad key", "is not a Fernet key"),
    ],
)
def test_production_refuses_to_invent_reporting_secrets(missing, message):
    env = production_env()
    if missing == "bad key":
        env["REPORTER_IDENTITY_KEYS"] = "not-a-key"
    else:
        env.pop(missing)
    result = run_python("import django; django.setup()", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_sends_no_referrer():
    """portal/csrf.py keeps form posts working under it."""
    result = run_python(
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.SECURE_REFERRER_POLICY)",
        **production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "no-referrer"


def test_production_refuses_debug():
    result = run_python("import django; django.setup()", **production_env(DEBUG="true"))
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


@pytest.mark.parametrize("secret", ["", "django-insecure-dev-only-not-a-secret"])
def test_production_refuses_default_or_missing_secret(secret):
    env = production_env()
    env["SECRET_KEY"] = secret
    result = run_python("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_rejects_a_malformed_boolean():
    result = run_python(
        "import django; django.setup()", **production_env(DEBUG="maybe")
    )
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **production_env()},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_keeps_database_connections():
    result = run_python(
        "import django; django.setup(); from django.conf import settings;"
        "d = settings.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        **production_env(DATABASE_URL="postgres://u:p@db:5432/portal"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "True"]


def test_base_settings_are_chinese_first():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.LANGUAGES[0][0] == "zh-hans"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_compose_services_and_variables_agree_with_settings():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "elasticsearch", "web", "worker"} <= set(services)
    assert services["worker"]["command"] == ["python", "manage.py", "qcluster"]
    assert "gunicorn" in (ROOT / "docker" / "Dockerfile").read_text()
    assert services["elasticsearch"]["image"].split(":")[-1].startswith("8.")

    result = run_python(
        "import json, django; django.setup();"
        "from portal.settings.env import DECLARED; print(json.dumps(sorted(DECLARED)))",
        **production_env(),
    )
    assert result.returncode == 0, result.stderr
    declared = set(json.loads(result.stdout))
    for name in ("web", "worker"):
        variables = set(services[name]["environment"]) - {"DJANGO_SETTINGS_MODULE"}
        unknown = variables - declared
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"
        for required in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL"):
            assert required in variables
        assert "ELASTICSEARCH_URL" in variables
    # The database URL points at the compose file's own PostgreSQL service.
    assert "@postgres:5432/" in services["web"]["environment"]["DATABASE_URL"]
    assert services["web"]["environment"]["REDIS_URL"].startswith("redis://redis:")


def test_each_plugin_brings_its_own_settings():
    """The plugins' settings come from their conf.py (issue #18): a plugin
    left out leaves none behind, and without the search plugin the portal
    searches with Wagtail's own database backend and runs tasks at once."""
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "from wagtail.search.backends import get_search_backend;"
        "get_search_backend();"
        "backends = getattr(settings, 'WAGTAILSEARCH_BACKENDS', {});"
        "print(hasattr(settings, 'REPORTING'), hasattr(settings, 'TASKS'),"
        "backends.get('default', {}).get('BACKEND', 'wagtail-default'),"
        "hasattr(settings, 'CASEWORK_PRIVATE_ROOT'))"
    )
    test_env = {"DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": ""}
    result = run_python(code, **test_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "search.backends.database", "True"]
    result = run_python(code, PORTAL_PLUGINS_EXCLUDE="search,reporting", **test_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "False",
        "wagtail-default",
        "True",
    ]


def test_production_without_the_reporting_channel_needs_none_of_its_secrets():
    env = production_env(PORTAL_PLUGINS_EXCLUDE="reporting")
    del env["REPORTER_IDENTITY_KEYS"], env["RECEIPT_SALT"]
    result = run_python("import django; django.setup()", **env)
    assert result.returncode == 0, result.stderr


def test_two_plugins_setting_one_name_are_refused(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from django.core.exceptions import ImproperlyConfigured

    from portal.settings.plugin_settings import plugin_settings

    for name, value in (("one", 1), ("two", 2)):
        package = tmp_path / f"settings_plugin_{name}"
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "conf.py").write_text(
            "def plugin_settings(portal):\n"
            f"    return {{'SHARED': {value}, 'OWN_{value}': portal['BASE'],"
            " 'lower': 0}\n"
        )
    monkeypatch.syspath_prepend(str(tmp_path))
    one, two = (
        SimpleNamespace(name=name, module=f"settings_plugin_{name}")
        for name in ("one", "two")
    )
    portal = {"BASE": "b", "OWN_2": "the portal's"}
    assert plugin_settings([one], portal) == {"SHARED": 1, "OWN_1": "b"}
    # The portal's own value stands; lower-case names are not settings.
    assert portal == {"BASE": "b", "OWN_2": "the portal's", "SHARED": 1, "OWN_1": "b"}
    with pytest.raises(ImproperlyConfigured, match="'one' and 'two' both set"):
        plugin_settings([one, two], {"BASE": "b"})
