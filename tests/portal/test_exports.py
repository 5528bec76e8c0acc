"""CSV injection (issue #14, exports): every spreadsheet the portal hands out
holds a hostile report subject, case title, agency name, page title, search
term or redirect target as text, never as a live formula.

Each export is asked for with the same payloads in the fields it writes;
every cell of the download is then read back as a spreadsheet program would
read it."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from portal.exports import FORMULA_TRIGGERS, safe_cell, safe_row
from tests.testkit.factories import (
    FILED_ON,
    AgencyFactory,
    SupervisionCaseFactory,
    UserFactory,
)

PAYLOADS = (
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1+1",
)


# --- The helper on its own ----------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_becomes_text(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", ["执法人员未出示证件", "", "1+1", "a=b", " =1", "'=1", 5, -1, None, 2.5]
)
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_a_row_is_neutralised_cell_by_cell():
    assert safe_row(["=1", 3, "文本"]) == ["'=1", 3, "文本"]


# --- Every export ----------------------------------------------------------------


def _cells_of(response) -> list:
    """Every cell of a CSV or XLSX download, as a spreadsheet reads it; XLSX
    cells holding a formula come back as ("formula", text)."""
    assert response.status_code == 200, response.status_code
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if content[:2] == b"PK":
        book = load_workbook(io.BytesIO(content))
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cells.append(("formula", cell.value))
                    elif cell.value is not None:
                        cells.append(cell.value)
        return cells
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_safe(cells, expected=PAYLOADS):
    live = [
        cell
        for cell in cells
        if isinstance(cell, tuple)
        or (isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS))
    ]
    assert live == [], f"cells a spreadsheet would evaluate: {live!r}"
    # The payloads are there, as text: the export did carry them.
    for payload in expected:
        assert "'" + payload in cells, f"{payload!r} missing from {cells!r}"


@pytest.fixture
def superuser_client(db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True, roles=[])
    client = Client()
    client.force_login(user)
    return client, user


def _report_subjects(user):
    from reporting import services as reporting_services
    from reporting.models import Report

    reports = [
        reporting_services.submit_report(
            kind=Report.Kind.ANONYMOUS, subject=payload, description="内容。"
        )[0]
        for payload in PAYLOADS
    ]
    # The form trims the subject ("\t=1" is kept as "=1").
    return [report.subject for report in reports]


def _case_titles(user):
    for payload in PAYLOADS:
        # Agency names are typed by staff: the same payloads there.
        SupervisionCaseFactory(title=payload, agency=AgencyFactory(name=payload))


def _audit_events(user):
    from audit.models import AuditEvent

    for payload in PAYLOADS:
        AuditEvent.objects.create(
            action="report.view", username=payload, object_repr=payload, path=payload
        )


def _pages(user):
    """Pages titled with the payloads, created, locked and in moderation
    (site history, aging pages, locked pages, workflow reports)."""
    from wagtail.log_actions import log
    from wagtail.models import Page, Workflow

    root = Page.get_first_root_node()
    workflow = Workflow.objects.create(name="审核")
    from wagtail.models import GroupApprovalTask

    task = GroupApprovalTask.objects.create(name="法制审核")
    workflow.workflow_tasks.create(task=task, sort_order=0)
    for number, payload in enumerate(PAYLOADS):
        page = root.add_child(instance=Page(title=payload, slug=f"payload-{number}"))
        page.save_revision(user=user).publish(user=user)
        log(instance=page, action="wagtail.create", user=user)
        page.locked = True
        page.locked_by = user
        page.save()
        page.save_revision(user=user)
        workflow.start(page, user)


def _search_terms(user):
    from wagtail.contrib.search_promotions.models import Query

    for payload in PAYLOADS:
        Query.get(payload).add_hit()
    # Wagtail keeps search terms trimmed and in lower case.
    return list(Query.objects.values_list("query_string", flat=True))


def _redirects(user):
    from wagtail.contrib.redirects.models import Redirect

    for number, payload in enumerate(PAYLOADS):
        Redirect.objects.create(old_path=f"/old-{number}", redirect_link=payload)


EXPORTS = {
    "case_list": ("casework_case:index", _case_titles),
    "report_inbox": ("reporting_report:index", _report_subjects),
    "audit_log": ("audit_log:index", _audit_events),
    "site_history": ("wagtailadmin_reports:site_history", _pages),
    "aging_pages": ("wagtailadmin_reports:aging_pages", _pages),
    "locked_pages": ("wagtailadmin_reports:locked_pages", _pages),
    "workflow": ("wagtailadmin_reports:workflow", _pages),
    "search_terms": ("wagtailsearchpromotions:search_terms", _search_terms),
    "redirects": ("wagtailredirects:index", _redirects),
}


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_every_listing_export_holds_formulas_as_text(
    superuser_client, export, export_format
):
    client, user = superuser_client
    url_name, make = EXPORTS[export]
    stored = make(user) or PAYLOADS
    response = client.get(reverse(url_name), {"export": export_format})
    _assert_safe(_cells_of(response), stored)


def test_the_periodic_report_workbook_holds_formulas_as_text(superuser_client):
    from casework.reports import generate_report

    _client, user = superuser_client
    _case_titles(user)
    report = generate_report("month", FILED_ON.year, FILED_ON.month, user=user)
    report.xlsx.open("rb")
    try:
        content = report.xlsx.read()
    finally:
        report.xlsx.close()

    class Download:
        status_code = 200
        streaming = False

    Download.content = content
    # The agencies' names are the workbook's labels by agency.
    _assert_safe(_cells_of(Download()))
