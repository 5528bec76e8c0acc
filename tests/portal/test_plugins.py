import importlib.metadata
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portal import hooks as portal_hooks
from portal.hooks import HOOKS
from portal.plugins import (
    ENTRY_POINT_GROUP,
    PluginLoadError,
    PortalPluginConfig,
    discover,
    installed_plugin_configs,
)

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
    assert rows["reporting"]["requires"] == ["casework"]
    assert rows["publishing"]["requires"] == ["casework"]
    assert rows["search"]["requires"] == []
    # Every function is listed under the portal.hooks hook it is registered
    # on, by its dotted path, and only under its own plugin.
    hooks_of = {name: row["contributes"]["hooks"] for name, row in rows.items()}
    assert set().union(*hooks_of.values()) <= {spec.name for spec in HOOKS}
    assert hooks_of["publishing"][portal_hooks.DEMO_CONTENT] == [
        "publishing.wagtail_hooks.publishing_demo"
    ]
    assert len(hooks_of["publishing"][portal_hooks.HOME_SECTION]) == 3
    assert hooks_of["reporting"][portal_hooks.MAIN_MENU_LINK] == [
        "reporting.wagtail_hooks.reporting_menu_link"
    ]
    for name, registered in hooks_of.items():
        for functions in registered.values():
            assert all(fn.startswith(f"{rows[name]['module']}.") for fn in functions)


def test_plugins_command_prints_requires_and_every_hook(capsys):
    call_command("plugins")
    out = capsys.readouterr().out
    reporting = out[out.index("reporting 0.1.0") :]
    reporting = reporting[: reporting.index("publishing 0.1.0")]
    assert "  requires: casework\n" in reporting
    for spec in HOOKS:
        assert f"    {spec.name}: " in reporting
    assert (
        "    register_main_menu_link: reporting.wagtail_hooks.reporting_menu_link\n"
        in reporting
    )


def test_plugins_command_lists_the_hook_contract(capsys):
    call_command("plugins", "--contract", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [row["name"] for row in rows] == [spec.name for spec in HOOKS]
    public_urls = rows[0]
    assert (
        public_urls["signature"] == portal_hooks.BY_NAME[public_urls["name"]].signature
    )
    assert public_urls["read_by"] == "portal.urls"
    call_command("plugins", "--contract")
    out = capsys.readouterr().out
    for spec in HOOKS:
        assert f"{spec.name}\n  signature: {spec.signature}\n" in out


# --- Requirements between plugins (PortalPluginMeta.requires) ---------------


def _fake_plugins(monkeypatch, plugins: dict[str, tuple[str, ...]]) -> None:
    """Make discover() see only ``plugins`` (entry-point name -> requires),
    each an importable package with a PortalPluginConfig in its apps module."""
    entry_points = []
    for order, (name, requires) in enumerate(plugins.items()):
        module = f"fake_plugin_{name}"
        package = types.ModuleType(module)
        package.__path__ = []
        apps_module = types.ModuleType(f"{module}.apps")
        meta = type("PortalPluginMeta", (), {"order": order, "requires": requires})
        config = type(
            "FakeConfig",
            (PortalPluginConfig,),
            {
                "__module__": apps_module.__name__,
                "name": module,
                "PortalPluginMeta": meta,
            },
        )
        apps_module.FakeConfig = config
        monkeypatch.setitem(sys.modules, module, package)
        monkeypatch.setitem(sys.modules, apps_module.__name__, apps_module)
        entry_points.append(
            importlib.metadata.EntryPoint(name, module, ENTRY_POINT_GROUP)
        )

    def fake_entry_points(group):
        assert group == ENTRY_POINT_GROUP
        return entry_points

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)


def test_a_satisfied_requirement_loads(monkeypatch):
    _fake_plugins(monkeypatch, {"base": (), "addon": ("base",)})
    specs = {spec.name: spec for spec in discover()}
    assert specs["addon"].requires == ("base",)
    assert specs["base"].requires == ()


def test_a_missing_requirement_is_refused_naming_both(monkeypatch):
    _fake_plugins(monkeypatch, {"addon": ("base",)})
    with pytest.raises(PluginLoadError) as refused:
        discover()
    assert str(refused.value) == (
        "Portal plugin 'addon' requires 'base', which is not installed or is "
        "excluded by PORTAL_PLUGINS_EXCLUDE."
    )


def test_excluding_a_required_plugin_is_refused(monkeypatch):
    _fake_plugins(monkeypatch, {"base": (), "addon": ("base",), "other": ()})
    with pytest.raises(PluginLoadError) as refused:
        discover(exclude=["base"])
    assert str(refused.value) == (
        "Portal plugin 'addon' requires 'base', which is not installed or is "
        "excluded by PORTAL_PLUGINS_EXCLUDE."
    )
    # Excluding the dependent as well is a consistent set.
    assert [spec.name for spec in discover(exclude=["base", "addon"])] == ["other"]


def test_excluding_a_plugin_several_require_names_them_all(monkeypatch):
    _fake_plugins(
        monkeypatch, {"base": (), "zeta": ("base",), "alpha": ("base",), "c": ()}
    )
    with pytest.raises(PluginLoadError) as refused:
        discover(exclude=["base"])
    message = str(refused.value)
    assert message == (
        "Excluding 'base' leaves 'alpha' and 'zeta' without a plugin they "
        "require: exclude them too, or stop excluding 'base'."
    )
    assert "\n" not in message


def test_several_plugins_requiring_an_uninstalled_one_are_named(monkeypatch):
    _fake_plugins(monkeypatch, {"a": ("base",), "b": ("base", "extra"), "c": ("base",)})
    with pytest.raises(PluginLoadError) as refused:
        discover()
    assert str(refused.value) == (
        "Portal plugins 'a', 'b' and 'c' require 'base', which is not "
        "installed: install it, or exclude them with PORTAL_PLUGINS_EXCLUDE. "
        "Portal plugin 'b' requires 'extra', which is not installed or is "
        "excluded by PORTAL_PLUGINS_EXCLUDE."
    )


def test_excluding_casework_names_the_plugins_that_require_it():
    with pytest.raises(PluginLoadError) as refused:
        discover(exclude=["casework"])
    assert str(refused.value) == (
        "Excluding 'casework' leaves 'publishing' and 'reporting' without a "
        "plugin they require: exclude them too, or stop excluding 'casework'."
    )


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


def test_the_footer_lists_the_links_plugins_register():
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from wagtail import hooks

    def extra(request):
        return [{"label": "另一个插件", "url": "/another/", "order": 250}]

    with hooks.register_temporarily(portal_hooks.FOOTER_LINKS, extra):
        html = render_to_string(
            "includes/footer.html", {"request": RequestFactory().get("/")}
        )
    links = [
        '<a href="/search/">站内搜索</a>',
        '<a href="/report/status/">查询举报办理进度</a>',
        '<a href="/another/">另一个插件</a>',
        '<a href="/feeds/notices/rss/">RSS 订阅</a>',
        '<a href="/api/v2/pages/">数据接口</a>',
    ]
    positions = [html.find(link) for link in links]
    assert -1 not in positions, html
    assert positions == sorted(positions)
