"""Running the access matrix: requests as each role, outcomes as short codes.

Outcome codes (one cell of the matrix):

- ``200`` the page or file; ``200:AB`` a list showing exactly the marked
  objects (``A``/``B`` cases of agency A/B, ``L``/``U`` the report linked to
  case A / the unlinked one, ``P``/``Q`` the private / public Wagtail
  document), ``200:-`` a list showing none of them;
- ``login`` a redirect to the sign-in page; ``home`` Wagtail's "no
  permission" redirect to the admin dashboard;
- ``redirect`` any other redirect (back to the page an action belongs to);
- ``403``, ``404``, ``405`` those statuses.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

LOGIN_PATHS = ("/admin/login/", "/_util/login/")


@dataclass(frozen=True)
class Row:
    """One endpoint with the objects it is asked about."""

    key: str
    url_name: str
    args: Callable = lambda w: []
    query: str = ""
    shows: str = ""  # "cases", "reports" or "docs": list rows
    path: Callable | None = None  # a literal path instead of a URL name
    method: str = "get"  # "post" for endpoints that only answer a POST

    def url(self, w) -> str:
        if self.path is not None:
            return self.path(w)
        url = reverse(self.url_name, args=self.args(w))
        return f"{url}?{self.query}" if self.query else url


def markers(w, kind: str) -> dict[str, str]:
    """The text that shows an object is listed."""
    if kind == "cases":
        return {"A": w.case_a.number, "B": w.case_b.number}
    if kind == "reports":
        return {"L": w.report_linked.number, "U": w.report_unlinked.number}
    if kind == "docs":
        return {"P": w.private_doc.title, "Q": w.public_doc.title}
    raise ValueError(kind)


def body_text(response) -> str:
    content = (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )
    if content[:2] == b"PK" and "spreadsheet" in response.get("Content-Type", ""):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "json" in response.get("Content-Type", ""):
        # Chinese in JSON may be \u-escaped: compare the decoded text.
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode("utf-8", "replace")


def outcome(response, w, row: Row) -> str:
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if any(location.startswith(p) for p in LOGIN_PATHS):
            return "login"
        if location == reverse("wagtailadmin_home"):
            return "home"
        return "redirect"
    if status == 200 and row.shows:
        text = body_text(response)
        seen = "".join(
            mark for mark, needle in markers(w, row.shows).items() if needle in text
        )
        return f"200:{seen or '-'}"
    if status == 200 and response.streaming:
        # Read (and close) a file response.
        b"".join(response.streaming_content)
    return str(status)


def clients(w, roles) -> dict[str, Client]:
    made = {}
    for role in roles:
        client = Client()
        user = getattr(w, role)
        if user is not None:
            client.force_login(user)
        made[role] = client
    return made


def parse_table(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """A whitespace table: the header names the roles, each row the
    endpoint key and one outcome per role."""
    lines = [
        line.split()
        for line in text.strip().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    header, *rows = lines
    roles = header[1:]
    table = {}
    for cells in rows:
        assert len(cells) == len(roles) + 1, f"row {cells[0]}: wrong number of cells"
        assert cells[0] not in table, f"row {cells[0]} twice"
        table[cells[0]] = cells[1:]
    return roles, table


COLUMNS = {
    "anon": "anonymous",
    "editor": "editor",
    "legal": "legal",
    "liai_a": "liaison_a",
    "liai_b": "liaison_b",
    "off_as": "officer_assigned",
    "off_un": "officer_unassigned",
    "off_rec": "officer_recused",
    "review": "reviewer",
    "head": "head",
    "super": "superuser",
}


def run(w, rows: list[Row], table_text: str) -> tuple[int, list[str], str]:
    """Request every cell; returns (cells, mismatches, the actual table)."""
    columns, table = parse_table(table_text)
    roles = [COLUMNS[column] for column in columns]
    by_key = {row.key: row for row in rows}
    assert set(by_key) == set(table), (
        f"rows without a table line: {sorted(set(by_key) - set(table))}; "
        f"table lines without a row: {sorted(set(table) - set(by_key))}"
    )
    made = clients(w, roles)
    mismatches, actual_lines = [], []
    width = max(len(key) for key in by_key) + 2
    actual_lines.append("".ljust(width) + " ".join(c.ljust(7) for c in columns))
    cells = 0
    for key, expected in table.items():
        row = by_key[key]
        url = row.url(w)
        got = []
        for role, want in zip(roles, expected, strict=True):
            response = getattr(made[role], row.method)(url)
            result = outcome(response, w, row)
            got.append(result)
            cells += 1
            if result != want:
                mismatches.append(f"{key} as {role}: expected {want}, got {result}")
        actual_lines.append(key.ljust(width) + " ".join(g.ljust(7) for g in got))
    return cells, mismatches, "\n".join(actual_lines)
