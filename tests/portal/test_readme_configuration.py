"""The README's Configuration table names every environment variable the
portal reads, and nothing it does not read.

Sources read: the ``env_*`` helpers of ``portal/settings/`` and of each
plugin's ``conf.py`` (portal/settings/plugin_settings.py; the settings' one
way to the environment), ``os.environ.get`` in ``portal/gunicorn_conf.py``
and the ``${NAME:-default}`` expansions of ``scripts/``.
"""

import ast
import importlib.metadata
import re
from pathlib import Path

from portal.plugins import ENTRY_POINT_GROUP
from portal.settings.plugin_settings import CONF_MODULE

ROOT = Path(__file__).resolve().parents[2]
ENV_HELPERS = {"env_str", "env_int", "env_bool", "env_list", "env_required"}
# Variables the scripts use internally, not settings a user sets.
SCRIPT_INTERNAL = {"DB_KIND"}


def _settings_files() -> list[Path]:
    files = list((ROOT / "portal" / "settings").glob("*.py"))
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        package = ROOT.joinpath(*ep.value.split("."))
        if (package / f"{CONF_MODULE}.py").is_file():
            files.append(package / f"{CONF_MODULE}.py")
    return files


def _settings_variables() -> set[str]:
    found = set()
    for path in _settings_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ENV_HELPERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def _gunicorn_variables() -> set[str]:
    source = (ROOT / "portal" / "gunicorn_conf.py").read_text(encoding="utf-8")
    return set(re.findall(r'os\.environ\.get\("([A-Z][A-Z0-9_]+)"', source))


def _script_variables() -> set[str]:
    found = set()
    for path in (ROOT / "scripts").iterdir():
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            found |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+):-", text))
    return found - SCRIPT_INTERNAL


def _documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    names = set()
    for row in rows:
        first_cell = row.split("|")[1]
        names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_every_variable_read_is_in_the_table():
    read = _settings_variables() | _gunicorn_variables() | _script_variables()
    missing = sorted(read - _documented())
    assert not missing, f"README Configuration lacks: {missing}"


def test_the_table_names_no_variable_that_nothing_reads():
    read = _settings_variables() | _gunicorn_variables() | _script_variables()
    stale = sorted(_documented() - read - {"DJANGO_SETTINGS_MODULE"})
    assert not stale, f"README Configuration names unread variables: {stale}"


def test_the_sources_are_found():
    # The walk itself must see the variables, or the two tests above pass
    # on nothing.
    assert {"DATABASE_URL", "SECRET_KEY", "PAGE_CACHE_SECONDS"} <= _settings_variables()
    # A plugin's own (casework/conf.py).
    assert "CASEWORK_PRIVATE_ROOT" in _settings_variables()
    assert {"GUNICORN_BIND", "GUNICORN_TIMEOUT"} <= _gunicorn_variables()
    assert {"PORTAL_ADDR", "PYTEST_WORKERS"} <= _script_variables()


def test_commands_use_one_form():
    # One way to run a management command outside Docker, so a newcomer can
    # paste any of them: the project's interpreter from the repository root.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    loose = [
        line
        for line in readme.splitlines()
        if re.search(r"(`|^\s*)(python |python3 )?manage\.py ", line)
        and "docker compose" not in line
    ]
    assert not loose, loose
