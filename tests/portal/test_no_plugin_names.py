"""The portal names no plugin (issue #18): no import, dotted path, app label
or URL name of a plugin appears in ``portal/`` or the site's own templates
outside comments, docstrings and tests. A plugin adds to the portal only
through the hooks of ``portal/hooks.py``, so removing one leaves nothing in
the portal pointing at it.

The plugins are read from the ``portal.plugins`` entry points, not from a
list kept here. Historical migrations are exempt: a migration is a record of
what the schema was when it was written and is never edited afterwards.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
from pathlib import Path

from portal.plugins import ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[2]
SCANNED = (ROOT / "portal", ROOT / "templates")
# Historical records, never edited after they are written.
EXEMPT_DIRS = (ROOT / "portal" / "migrations",)
TEMPLATE_SUFFIXES = {".html", ".txt"}
# A name is one token: a string with spaces in it is prose (a hook's
# contract saying which plugin reads it), which names nothing to import.
NAME = re.compile(r"[\w.:-]+")
# Strings that spell a plugin's label but mean something else, by file.
ALLOWED = {
    ("portal/api.py", "search"): "the Wagtail API's ?search= query parameter",
    ("portal/api.py", "search_operator"): "the Wagtail API's ?search_operator="
    " query parameter",
    ("portal/api.py", "search_rate_limited"): "the API's error code for a refused"
    " search (its JSON says it; renaming it would change the API)",
}


def plugin_names() -> set[str]:
    """Entry-point names, top-level module names and app labels of every
    plugin (an app label may differ from the module: ``portal_search``)."""
    from django.apps import apps

    names = set()
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        module = ep.value.split(":")[0]
        names.add(ep.name)
        names.add(module.split(".")[0])
        for config in apps.get_app_configs():
            if config.name == module:
                names.add(config.label)
    return names


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0].value))
    return found


def _names_plugin(value: str, labels: set[str]) -> bool:
    return NAME.fullmatch(value) is not None and any(
        value == label or value.startswith((f"{label}.", f"{label}:", f"{label}_"))
        for label in labels
    )


def python_findings(source: str, labels: set[str]) -> list[tuple[int, str]]:
    """(line, what) for each import of a plugin module and each string
    constant that is a plugin label, a dotted path or URL name in one."""
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in labels:
                    found.append((node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and module.split(".")[0] in labels:
                found.append((node.lineno, f"from {module} import"))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and _names_plugin(node.value, labels)
        ):
            found.append((node.lineno, repr(node.value)))
    return sorted(found)


def template_findings(source: str, labels: set[str]) -> list[tuple[int, str]]:
    """(line, what) for each template tag that names a plugin: a URL name,
    an included or extended template of its folder, a tag library of its."""
    alternatives = "|".join(re.escape(label) for label in sorted(labels))
    pattern = re.compile(
        r"\{%-?\s*(?:"
        rf"url\s+['\"](?:{alternatives})[:_]"
        rf"|(?:include|extends)\s+['\"](?:{alternatives})/"
        rf"|load\s+(?:[\w.]+\s+)*(?:{alternatives})_"
        r")"
    )
    # Template comments say why; they name what they like.
    source = re.sub(r"\{#.*?#\}", lambda m: " " * len(m.group()), source)
    source = re.sub(
        r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
        lambda m: re.sub(r"[^\n]", " ", m.group()),
        source,
        flags=re.DOTALL,
    )
    found = []
    for match in pattern.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        found.append((line, match.group()))
    return found


def scan(labels: set[str]) -> list[str]:
    found = []
    for top in SCANNED:
        for path in sorted(top.rglob("*")):
            if not path.is_file() or any(
                path.is_relative_to(exempt) for exempt in EXEMPT_DIRS
            ):
                continue
            if path.suffix == ".py":
                hits = python_findings(path.read_text(encoding="utf-8"), labels)
            elif path.suffix in TEMPLATE_SUFFIXES and "static" not in path.parts:
                hits = template_findings(path.read_text(encoding="utf-8"), labels)
            else:
                continue
            relative = path.relative_to(ROOT).as_posix()
            found += [
                f"{relative}:{line}: {what}"
                for line, what in hits
                if (relative, what.strip("'\"")) not in ALLOWED
            ]
    return found


def test_the_plugins_come_from_the_entry_points():
    assert {"casework", "publishing", "reporting", "search"} <= plugin_names()
    assert "portal_search" in plugin_names()  # the search plugin's app label


def test_the_portal_names_no_plugin():
    found = scan(plugin_names())
    assert not found, "The portal names a plugin:\n" + "\n".join(found)


LABELS = {"widgets"}


def test_python_imports_and_strings_are_found():
    source = (
        '"""The widgets plugin: widgets.models is named here, harmlessly."""\n'
        "import widgets.models\n"
        "from widgets import views\n"
        "from . import widgets\n"
        "# widgets.models in a comment\n"
        "A = 'widgets'\n"
        "B = 'widgets.backends.Fast'\n"
        "C = reverse('widgets:list')\n"
        "D = ['widgets_feed_rss']\n"
        "E = 'wagtail.widgets'\n"
        "F = 'Widgets'\n"
        "G = 'widgets.sources (the widgets plugin)'\n"
        "def f():\n"
        "    'widgets in a docstring'\n"
        "    return 'widgetsmith'\n"
    )
    assert python_findings(source, LABELS) == [
        (2, "import widgets.models"),
        (3, "from widgets import"),
        (6, "'widgets'"),
        (7, "'widgets.backends.Fast'"),
        (8, "'widgets:list'"),
        (9, "'widgets_feed_rss'"),
    ]


def test_template_tags_are_found():
    source = (
        "{% load i18n widgets_tags %}\n"
        "{% extends 'widgets/base.html' %}\n"
        '<a href="{% url "widgets:list" %}">{% url \'widgets_feed\' %}</a>\n'
        '{% include "widgets/row.html" %}\n'
        "{# {% url 'widgets:list' %} in a comment #}\n"
        "{% comment %}{% include 'widgets/x.html' %}{% endcomment %}\n"
        "<p>widgets: a word on the page</p>{% url 'portal_widgets' %}\n"
    )
    assert [line for line, _ in template_findings(source, LABELS)] == [1, 2, 3, 3, 4]
