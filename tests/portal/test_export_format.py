"""Spreadsheet exports (issue #17): Chinese labels instead of stored codes, a
UTF-8 byte-order mark on CSV, Beijing times under a 北京时间 heading, and a
Chinese file name with an ASCII fallback — for every listing export, through
the one wrapper in portal/exports.py."""

from __future__ import annotations

import csv
import datetime
import io
from urllib.parse import unquote

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.testkit.factories import SupervisionCaseFactory, UserFactory

EVENT = datetime.datetime(2026, 12, 1, 17, 0, tzinfo=datetime.UTC)  # 01:00 Beijing


@pytest.fixture
def root_client(db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True, roles=[])
    client = Client()
    client.force_login(user)
    return client


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def _csv(response) -> list[list[str]]:
    body = _body(response)
    assert body.startswith(b"\xef\xbb\xbf"), "CSV without a UTF-8 BOM"
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))


def _filenames(response) -> tuple[str, str]:
    """(ASCII fallback, decoded filename*) of the Content-Disposition."""
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    extended = header.split("filename*=UTF-8''", 1)[1]
    assert fallback.isascii()
    return fallback, unquote(extended)


def test_case_export_writes_labels_bom_and_chinese_file_name(root_client):
    SupervisionCaseFactory(title="某公司行政处罚案")
    response = root_client.get("/admin/casework/cases/", {"export": "csv"})
    rows = _csv(response)
    header, row = rows[0], rows[1]
    values = dict(zip(header, row, strict=True))
    # Codes penalty / report become their labels.
    assert values["执法事项"] == "行政处罚"
    assert values["来源"] == "信访举报"
    assert "penalty" not in row and "report" not in row
    assert values["立案日期"] == "2025年9月1日"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    fallback, name = _filenames(response)
    assert name.startswith("监督案件-") and name.endswith(".csv")
    assert fallback.startswith("casework_supervisioncase-") and fallback.endswith(
        ".csv"
    )


def test_inbox_exports_times_in_beijing_with_a_heading_that_says_so(root_client):
    from reporting import services
    from reporting.models import Report

    report, _code = services.submit_report(
        kind=Report.Kind.ANONYMOUS, subject="夜间检查", description="内容。"
    )
    Report.objects.filter(pk=report.pk).update(submitted_at=EVENT)

    rows = _csv(root_client.get("/admin/reporting/reports/", {"export": "csv"}))
    values = dict(zip(rows[0], rows[1], strict=True))
    assert values["提交时间（北京时间）"] == "2026年12月2日 01:00"
    assert values["方式"] == "匿名举报"

    response = root_client.get("/admin/reporting/reports/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(_body(response))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("提交时间（北京时间）") + 1).value
    assert cell == datetime.datetime(2026, 12, 2, 1, 0)
    fallback, name = _filenames(response)
    assert name.startswith("信访举报-") and name.endswith(".xlsx")
    assert fallback.endswith(".xlsx")


def test_audit_export_is_in_beijing_time(root_client):
    from audit.models import AuditEvent

    AuditEvent.objects.create(action="report.view", username="inv1", timestamp=EVENT)
    rows = _csv(root_client.get("/admin/audit/", {"export": "csv"}))
    header = rows[0]
    (column,) = [i for i, text in enumerate(header) if text.endswith("（北京时间）")]
    assert [row[column] for row in rows[1:]] == ["2026年12月2日 01:00"]
    # The action is written as its label, not the code.
    assert "report.view" not in rows[1]
