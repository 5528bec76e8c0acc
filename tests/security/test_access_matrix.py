"""The role x object x endpoint access matrix (issue #8, Security).

Every admin endpoint casework and reporting register (and the publishing,
search, API, document and media endpoints that reach their data) is asked
for by every role, with direct IDs of objects the role may not see. The
expected outcome of each cell is the table in access_matrix.txt; a new
endpoint without a row there fails test_every_endpoint_has_a_row.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from security_matrix import parse_table, run
from security_rows import ROWS

TABLE = (Path(__file__).parent / "access_matrix.txt").read_text(encoding="utf-8")
APPS = ("casework", "reporting")


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else (pattern.namespace)
                )
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.callback


def _belongs_to_our_apps(callback) -> bool:
    """A view of casework or reporting: defined there, or a Wagtail generic
    view (viewset, chooser) over one of their models."""
    module = getattr(callback, "__module__", "") or ""
    if module.split(".")[0] in APPS:
        return True
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    return (
        isinstance(model, type)
        and issubclass(model, Model)
        and model._meta.app_label in APPS
    )


def test_every_endpoint_has_a_row():
    names = {
        name
        for name, callback in _walk(get_resolver().url_patterns)
        if _belongs_to_our_apps(callback)
    }
    assert len(names) > 60, "the resolver walk found the casework/reporting views"
    covered = {row.url_name for row in ROWS}
    assert names - covered == set(), "endpoints without a row in the matrix"


def test_access_matrix(world):
    cells, mismatches, actual = run(world, ROWS, TABLE)
    _columns, table = parse_table(TABLE)
    print(f"\naccess matrix: {len(table)} endpoints x 11 roles = {cells} cells")
    assert cells == len(table) * 11
    assert not mismatches, "\n".join([*mismatches, "", "actual:", actual])
