import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portal.plugins import PluginLoadError, discover, installed_plugin_configs

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def test_discover_finds_the_four_plugins_in_stable_order():
    names = [spec.name for spec in discover()]
    assert names[:4] == ["casework", "reporting", "publishing", "search"]
    assert [spec.module for spec in settings.PORTAL_PLUGINS] == [
        "casework",
        "reporting",
        "publishing",
        "search",
    ]


def test_plugins_are_installed_apps_with_their_own_config():
    labels = {config.label: config for config in installed_plugin_configs()}
    assert {"casework", "reporting", "publishing", "portal_search"} <= set(labels)
    assert type(labels["casework"]).__name__ == "CaseworkConfig"


def test_exclude_skips_a_plugin():
    assert "search" not in [spec.name for spec in discover(exclude=["search"])]


def test_plugins_command_lists_contributions(capsys):
    call_command("plugins", "--json")
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) >= {"casework", "reporting", "publishing", "search"}
    assert "/report/" in rows["reporting"]["contributes"]["public_urls"]
    assert rows["search"]["version"] == "0.1.0"
    assert rows["search"]["distribution"] == "licheng-portal"
    assert "/search/" in rows["search"]["contributes"]["public_urls"]


def _install(fixture: str, target: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(FIXTURES / fixture),
        ],
        check=True,
        capture_output=True,
        cwd=target,
    )


def _manage(target: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture(scope="module")
def hello_installed(tmp_path_factory):
    target = tmp_path_factory.mktemp("site-hello")
    _install("hello_plugin", target)
    return target


def test_an_installed_distribution_is_loaded_without_editing_settings(
    hello_installed,
):
    result = _manage(hello_installed, "plugins", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    hello = rows["hello"]
    assert hello["distribution"] == "portal-hello-plugin"
    assert hello["version"] == "1.2.3"
    assert hello["contributes"]["public_urls"] == ["/hello-plugin/"]
    # Order is stable: by declared order, then name.
    assert list(rows) == ["casework", "reporting", "publishing", "search", "hello"]


def test_an_installed_plugin_serves_its_urls(hello_installed):
    script = (
        "from django.test import Client;"
        "r = Client().get('/hello-plugin/');"
        "print(r.status_code, r.content.decode())"
    )
    result = _manage(hello_installed, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == '200 {"hello": "plugin"}'


def test_a_broken_plugin_is_named_in_one_clear_error(tmp_path):
    _install("broken_plugin", tmp_path)
    result = _manage(tmp_path, "check")
    assert result.returncode != 0
    assert "PluginLoadError" in result.stderr
    assert (
        "Portal plugin 'broken' (module 'broken_plugin', distribution "
        "'portal-broken-plugin') failed to import: ModuleNotFoundError"
    ) in result.stderr
    assert "PORTAL_PLUGINS_EXCLUDE=broken" in result.stderr
    # ...and excluding it lets the portal start again.
    env_result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "PORTAL_PLUGINS_EXCLUDE": "broken",
        },
        timeout=120,
    )
    assert env_result.returncode == 0, env_result.stderr


def test_plugin_load_error_is_improperly_configured():
    from django.core.exceptions import ImproperlyConfigured

    assert issubclass(PluginLoadError, ImproperlyConfigured)
