"""Hook files only register (issue #18): every ``wagtail_hooks.py`` of the
project's apps holds imports, constants and registrations, nothing else.

The panel, query, view or stylesheet a hook file registers lives in a module
of its app named by what it is (``casework/panels.py``,
``publishing/home_sections.py``, ``search/viewsets.py``...), where it is read,
tested and reused without going through the hook registry.

Allowed at module level:

- the module docstring, imports, and constants (``NAME = <literal>``);
- ``hooks.register(NAME, function[, order=N])`` as a statement, its
  arguments names, attributes or literals (no call that builds the function
  there, no lambda);
- Wagtail's other registration call, ``register_permission_policy(...)``;
- a function decorated with ``@hooks.register(...)`` whose body (after an
  optional docstring) is one statement: a ``return`` or one call.

Admin screens come as viewsets (``register_admin_viewset``): no menu item is
registered by hand beside its URLs (``register_admin_menu_item``).

Nowhere in a hook file: a class, a loop, a lambda, a comprehension, or a
model query (``.objects``).

The benchmark's stock listing (``bench/stockpage``) copies a viewset as
Wagtail's documentation writes it, and test fixtures are not the project's
apps: only the top-level apps are read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOK_FILES = sorted(ROOT.glob("*/wagtail_hooks.py"))
# Wagtail registration calls other than hooks.register.
OTHER_REGISTRATIONS = {"register_permission_policy"}
# A viewset makes its menu item from the same class as its URLs.
HAND_MADE_MENU_HOOKS = {"register_admin_menu_item", "register_settings_menu_item"}
FORBIDDEN_ANYWHERE = (
    (ast.ClassDef, "a class"),
    (ast.For, "a loop"),
    (ast.While, "a loop"),
    (ast.Lambda, "a lambda"),
    (ast.ListComp, "a comprehension"),
    (ast.SetComp, "a comprehension"),
    (ast.DictComp, "a comprehension"),
    (ast.GeneratorExp, "a comprehension"),
)


def _is_hooks_register(node: ast.AST) -> bool:
    """``hooks.register`` (the function, not a call of it)."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "register"
        and isinstance(node.value, ast.Name)
        and node.value.id == "hooks"
    )


def _is_plain(node: ast.AST) -> bool:
    """A name, a dotted attribute of a name, or a literal."""
    if isinstance(node, ast.Name | ast.Constant):
        return True
    return isinstance(node, ast.Attribute) and _is_plain(node.value)


def _register_call_problem(call: ast.Call) -> str | None:
    if not _is_hooks_register(call.func):
        return None
    if call.args and getattr(call.args[0], "value", None) in HAND_MADE_MENU_HOOKS:
        return "a menu item by hand (register a ViewSet with its menu_label)"
    values = [*call.args, *(keyword.value for keyword in call.keywords)]
    if not all(_is_plain(value) for value in values):
        return "hooks.register with a computed argument (build it in a module)"
    return None


def _is_registration(statement: ast.stmt) -> bool:
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    func = statement.value.func
    return _is_hooks_register(func) or (
        isinstance(func, ast.Name) and func.id in OTHER_REGISTRATIONS
    )


def _is_constant(statement: ast.stmt) -> bool:
    value = getattr(statement, "value", None)
    if not isinstance(statement, ast.Assign | ast.AnnAssign) or value is None:
        return False
    try:
        ast.literal_eval(value)
    except ValueError:
        return False
    return True


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return body[1:]
    return body


def _function_problem(function: ast.FunctionDef) -> str | None:
    decorators = [
        d
        for d in function.decorator_list
        if isinstance(d, ast.Call) and _is_hooks_register(d.func)
    ]
    if not decorators or len(decorators) != len(function.decorator_list):
        return f"function {function.name} is not (only) a @hooks.register function"
    body = _without_docstring(function.body)
    single = len(body) == 1 and (
        isinstance(body[0], ast.Return)
        or (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call))
    )
    if not single:
        return (
            f"function {function.name} does more than one return or call "
            "(move its body to a module)"
        )
    return None


def hook_file_problems(source: str) -> list[tuple[int, str]]:
    """(line, what) for each statement of a hook file that is not an import,
    a constant or a registration."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        for kind, what in FORBIDDEN_ANYWHERE:
            if isinstance(node, kind):
                found.append((node.lineno, what))
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append((node.lineno, "a model query"))
        if isinstance(node, ast.Call) and (problem := _register_call_problem(node)):
            found.append((node.lineno, problem))
    for statement in _without_docstring(tree.body) if tree.body else []:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        if _is_constant(statement) or _is_registration(statement):
            continue
        if isinstance(statement, ast.FunctionDef):
            if problem := _function_problem(statement):
                found.append((statement.lineno, problem))
            continue
        if isinstance(statement, ast.ClassDef | ast.For | ast.While):
            continue  # reported above
        found.append((statement.lineno, f"a {type(statement).__name__} statement"))
    return sorted(set(found))


def test_the_apps_hook_files_are_read():
    apps = {path.parent.name for path in HOOK_FILES}
    assert {
        "audit",
        "casework",
        "portal",
        "publishing",
        "reporting",
        "search",
        "staffauth",
    } <= apps


@pytest.mark.parametrize(
    "path", HOOK_FILES, ids=[path.parent.name for path in HOOK_FILES]
)
def test_hook_file_only_registers(path):
    problems = hook_file_problems(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(ROOT)} does more than register:\n" + (
        "\n".join(f"  line {line}: {what}" for line, what in problems)
    )


GOOD = '''"""Hooks of the widgets plugin."""
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from widgets import panels, policy
from widgets.viewsets import widget_viewset

ORDER = 10
register_permission_policy(policy.Widget, policy.WidgetPolicy(policy.Widget))
hooks.register("construct_homepage_panels", panels.widget_panel)
hooks.register("register_demo_content", panels.demo, order=ORDER)


@hooks.register("register_admin_viewset")
def register_widget_viewset():
    """The widget listing."""
    return widget_viewset


@hooks.register("register_demo_content")
def widgets_demo(home, stdout):
    load_widgets_demo(stdout)
'''


def test_a_hook_file_that_only_registers_passes():
    assert hook_file_problems(GOOD) == []


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (
            "class Panel(Component):\n    order = 1\n",
            [(1, "a class")],
        ),
        (
            "@hooks.register('construct_homepage_panels')\n"
            "def panels(request, panels):\n"
            "    if request.user.is_staff:\n"
            "        panels.append(Panel())\n",
            [
                (
                    2,
                    "function panels does more than one return or call "
                    "(move its body to a module)",
                )
            ],
        ),
        (
            "@hooks.register('register_demo_content')\n"
            "def demo(home, stdout):\n"
            "    from widgets.demo import load\n"
            "    load(stdout)\n",
            [
                (
                    2,
                    "function demo does more than one return or call "
                    "(move its body to a module)",
                )
            ],
        ),
        (
            "@hooks.register('register_figures')\n"
            "def figures(start, end):\n"
            "    return [('n', Widget.objects.filter(day__gte=start).count())]\n",
            [(3, "a model query")],
        ),
        (
            "def _hidden(name):\n    return name in HIDDEN\n",
            [(1, "function _hidden is not (only) a @hooks.register function")],
        ),
        (
            "for key in ('a', 'b'):\n    hooks.register('x', section(key))\n",
            [
                (1, "a loop"),
                (2, "hooks.register with a computed argument (build it in a module)"),
            ],
        ),
        (
            "hooks.register('register_sources', lambda: [Widget])\n",
            [
                (1, "a lambda"),
                (1, "hooks.register with a computed argument (build it in a module)"),
            ],
        ),
        (
            "user_logged_in.connect(drop_language)\n",
            [(1, "a Expr statement")],
        ),
        (
            "@hooks.register('register_admin_urls')\n"
            "def urls():\n"
            "    return [path('staff/', views.staff, name='staff')]\n\n\n"
            "@hooks.register('register_admin_menu_item')\n"
            "def menu_item():\n"
            "    return MenuItem('Staff', reverse('staff'), order=150)\n",
            [(6, "a menu item by hand (register a ViewSet with its menu_label)")],
        ),
        (
            "LIMIT = compute_limit()\n",
            [(1, "a Assign statement")],
        ),
        (
            "@receiver(user_logged_in)\ndef drop(sender, **kwargs):\n    return None\n",
            [(2, "function drop is not (only) a @hooks.register function")],
        ),
    ],
    ids=[
        "class",
        "panel-logic",
        "lazy-import",
        "query",
        "helper",
        "loop",
        "lambda",
        "signal",
        "hand-paired-menu",
        "computed-constant",
        "receiver",
    ],
)
def test_what_is_not_a_registration_is_found(snippet, expected):
    assert hook_file_problems(snippet) == expected
