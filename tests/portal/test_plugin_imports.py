"""Plugins use only one another's public names (issue #18).

A module of one plugin (or of the portal) may import from another plugin, or
from the portal, only names without a leading underscore, and only through
modules without one: ``from casework.documents import _para`` and
``import reporting._x`` are refused, and so is reaching a private name
through an imported module or object (``documents._para``). What another
plugin needs is made public, with a docstring, in the module that owns it;
plumbing more than one plugin uses lives in the portal.

Within one package anything goes. Dunder names and the model API Django
itself spells with an underscore (``Model._meta``, ``_default_manager``)
are public. That the portal imports no plugin at all is
tests/portal/test_no_plugin_names.py's stricter rule. Historical migrations
are exempt: they are never edited after they are written.
"""

from __future__ import annotations

import ast
import importlib.metadata
from pathlib import Path

from portal.plugins import ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[2]
# Names Django's model API documents although they begin with an underscore.
DJANGO_PUBLIC = frozenset({"_meta", "_default_manager", "_base_manager", "_state"})


def packages() -> set[str]:
    """The plugins' top-level packages, from the entry points, and the portal."""
    found = {"portal"}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        found.add(ep.value.split(":")[0].split(".")[0])
    return found


def _private(name: str) -> bool:
    dunder = name.startswith("__") and name.endswith("__")
    return name.startswith("_") and not dunder and name not in DJANGO_PUBLIC


def findings(source: str, own: str, others: set[str]) -> list[tuple[int, str]]:
    """(line, what) for each private name of ``others`` that the module of
    package ``own`` whose ``source`` this is imports or reaches."""
    tree = ast.parse(source)
    found = []
    # Local name -> dotted path of what it was imported as, for the
    # attribute check below.
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] not in others - {own}:
                continue
            for alias in node.names:
                path = f"{node.module}.{alias.name}"
                if any(_private(part) for part in path.split(".")):
                    found.append(
                        (node.lineno, f"from {node.module} import {alias.name}")
                    )
                bound[alias.asname or alias.name] = path
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in others - {own}:
                    continue
                if any(_private(part) for part in alias.name.split(".")):
                    found.append((node.lineno, f"import {alias.name}"))
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    bound[top] = top
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not _private(node.attr):
            continue
        chain = [node.attr]
        base = node.value
        while isinstance(base, ast.Attribute):
            chain.append(base.attr)
            base = base.value
        if isinstance(base, ast.Name) and base.id in bound:
            dotted = ".".join([base.id, *reversed(chain)])
            found.append((node.lineno, f"{dotted} ({bound[base.id]})"))
    return sorted(set(found))


def scan() -> list[str]:
    others = packages()
    found = []
    for own in sorted(others):
        for path in sorted((ROOT / own).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            hits = findings(path.read_text(encoding="utf-8"), own, others)
            found += [f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in hits]
    return found


def test_every_plugin_and_the_portal_are_scanned():
    assert {"casework", "publishing", "reporting", "search", "portal"} <= packages()


def test_no_plugin_uses_a_private_name_of_another():
    found = scan()
    assert not found, "Private names used across packages:\n" + "\n".join(found)


SNIPPET = """
import widgets._internal
import widgets.views as views
import gadgets._mine
from widgets import _helper, public
from widgets._impl import anything
from widgets.documents import _para as para, heading
from widgets.models import Widget
from . import _sibling
from gadgets.rules import _own

def f():
    from widgets import services
    views._render()
    services.state._cache
    Widget._meta.verbose_name
    Widget.__name__
    public.value
    _helper()
"""


def test_private_imports_and_attributes_are_found():
    assert findings(SNIPPET, "gadgets", {"widgets", "gadgets"}) == [
        (2, "import widgets._internal"),
        (5, "from widgets import _helper"),
        (6, "from widgets._impl import anything"),
        (7, "from widgets.documents import _para"),
        (14, "views._render (widgets.views)"),
        (15, "services.state._cache (widgets.services)"),
    ]


def test_within_one_package_anything_goes():
    # Seen from widgets, only gadgets' private names are another's.
    assert findings(SNIPPET, "widgets", {"widgets", "gadgets"}) == [
        (4, "import gadgets._mine"),
        (10, "from gadgets.rules import _own"),
    ]
