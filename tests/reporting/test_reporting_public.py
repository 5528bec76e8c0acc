"""The public side: file a report, get a receipt once, come back with it
(Art. 22). The code must never leak into a URL, a header, a log or the
database in clear; wrong codes are answered like missing ones and throttled."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from reporting import receipts
from reporting.models import Report, ReportAttachment, StagedUpload

REPORT_URL = "/report/"
STATUS_URL = "/report/status/"

pytestmark = pytest.mark.django_db


def submit(client, data, proof, **extra):
    return client.post(REPORT_URL, {**data, "proof": proof(), **extra})


def test_urls_are_mounted_where_the_site_links_to_them():
    assert reverse("reporting:report") == REPORT_URL
    assert reverse("reporting:status") == STATUS_URL


def test_form_page_renders_with_a_challenge(client):
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "信访举报" in html and "data-challenge" in html
    assert response["Cache-Control"].startswith("no-store")


def test_filing_shows_the_receipt_once_and_stores_only_its_digest(
    client, report_data, proof, receipt_of, caplog
):
    caplog.set_level(logging.DEBUG)
    response = submit(client, report_data, proof)
    assert response.status_code == 200
    html = response.content.decode()
    shown = receipt_of(html)
    code = shown.replace(" ", "")
    assert receipts.normalize(code) == code
    assert "唯一凭证" in html
    report = Report.objects.get()
    assert report.receipt_digest == receipts.digest(code)
    assert code not in report.receipt_digest
    # Not in the URL, a header, a log line, or any column of any table.
    assert code not in response.request["PATH_INFO"]
    assert all(code not in str(value) for value in response.headers.values())
    assert code not in caplog.text and shown not in caplog.text
    assert not _database_contains(code)
    # The page is not cached anywhere.
    assert response["Cache-Control"].startswith("no-store")


def _database_contains(needle: str) -> list[str]:
    """Every text column of every table that holds ``needle``."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table = connection.ops.quote_name(table)
                quoted_column = connection.ops.quote_name(column.name)
                with transaction.atomic():
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quoted_table} "  # noqa: S608
                        f"WHERE CAST({quoted_column} AS TEXT) LIKE %s",
                        [f"%{needle}%"],
                    )
                    found = cursor.fetchone()[0]
                if found:
                    hits.append(f"{table}.{column.name}")
    return hits


def test_no_client_address_is_stored(client, report_data, proof):
    address = "203.0.113.77"
    submit(client, report_data, proof, REMOTE_ADDR=address)
    client.post(STATUS_URL, {"code": "1111 1111 1111 1111"}, REMOTE_ADDR=address)
    assert Report.objects.count() == 1
    assert _database_contains(address) == []


def test_lookup_opens_the_status_without_the_code_in_any_url(client, real_name_report):
    response = client.post(STATUS_URL, {"code": real_name_report.code})
    assert response.status_code == 302
    assert response["Location"] == STATUS_URL
    page = client.get(STATUS_URL)
    html = page.content.decode()
    assert real_name_report.number in html
    assert "已收到" in html
    assert real_name_report.code not in html


def test_codes_typed_with_spaces_dashes_or_full_width_digits_work(
    client, real_name_report
):
    code = real_name_report.code
    typed = "－".join(code[i : i + 4] for i in range(0, 16, 4))
    typed = typed.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post(STATUS_URL, {"code": typed})
    assert response.status_code == 302


def _body(response) -> str:
    html = response.content.decode()
    # The CSRF token differs per response; nothing else may.
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_wrong_code_gets_the_same_answer_as_a_missing_one(client, real_name_report):
    code = real_name_report.code
    # Same length and a valid check digit, but not issued.
    body = f"{(int(code[:15]) + 1) % 10**15:015d}"
    wrong = body + receipts.luhn_check_digit(body)
    other_body = "999999999999999"
    missing = other_body + receipts.luhn_check_digit(other_body)
    first = client.post(STATUS_URL, {"code": wrong})
    second = client.post(STATUS_URL, {"code": missing})
    assert first.status_code == second.status_code == 200
    assert _body(first) == _body(second)
    assert "没有找到" in _body(first)


def test_a_typo_is_caught_by_the_check_digit(client, real_name_report):
    code = real_name_report.code
    typo = code[:-1] + str((int(code[-1]) + 1) % 10)
    response = client.post(STATUS_URL, {"code": typo})
    assert "校验位" in response.content.decode()


def test_repeated_failures_from_one_client_are_refused_with_429(
    client, settings, real_name_report
):
    limit = settings.REPORTING["LOOKUP_FAILURES_PER_CLIENT"]
    for _ in range(limit):
        # Well-formed wrong codes: malformed ones count for nothing.
        wrong = receipts.new_code()
        assert client.post(STATUS_URL, {"code": wrong}).status_code == 200
    refused = client.post(STATUS_URL, {"code": real_name_report.code})
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Another client is not punished for this one.
    other = client.post(
        STATUS_URL, {"code": real_name_report.code}, REMOTE_ADDR="198.51.100.9"
    )
    assert other.status_code == 302


def test_a_global_budget_slows_guessing_spread_over_many_addresses(
    client, settings, real_name_report
):
    """Beyond the site-wide budget a lookup waits its turn instead of being
    served at once; tests/reporting/test_abuse_lookup.py shows it is served."""
    settings.REPORTING = {**settings.REPORTING, "LOOKUP_FAILURES_GLOBAL": 6}
    for n in range(6):
        wrong = receipts.new_code()
        client.post(STATUS_URL, {"code": wrong}, REMOTE_ADDR=f"192.0.2.{n}")
    slowed = client.post(
        STATUS_URL, {"code": real_name_report.code}, REMOTE_ADDR="192.0.2.200"
    )
    assert slowed.status_code == 429
    assert "请稍后" in slowed.content.decode()


def test_submissions_are_rate_limited_and_the_form_keeps_what_was_typed(
    client, settings, report_data, proof
):
    settings.REPORTING = {**settings.REPORTING, "SUBMISSIONS_PER_CLIENT": 1}
    assert submit(client, report_data, proof).status_code == 200
    refused = submit(client, report_data, proof)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "提交过于频繁" in html
    assert report_data["description"] in html
    assert report_data["subject"] in html
    assert Report.objects.count() == 1


def test_without_the_proof_of_work_nothing_is_filed(client, report_data):
    response = client.post(REPORT_URL, {**report_data, "proof": ""})
    assert response.status_code == 200
    assert "安全验证" in response.content.decode()
    assert Report.objects.count() == 0


def test_a_solution_cannot_be_replayed(client, report_data, proof):
    solution = proof()
    client.post(REPORT_URL, {**report_data, "proof": solution})
    again = client.post(REPORT_URL, {**report_data, "proof": solution})
    assert "安全验证" in again.content.decode()
    assert Report.objects.count() == 1


def test_validation_errors_keep_every_field_and_the_files(
    client, report_data, proof, png_bytes
):
    data = {**report_data, "name": "", "description": "写了很长的情况说明。"}
    upload = SimpleUploadedFile("现场照片.png", png_bytes, content_type="image/png")
    response = submit(client, data, proof, attachments=[upload])
    html = response.content.decode()
    assert "实名举报请填写姓名" in html
    assert "写了很长的情况说明。" in html
    assert data["contact"] in html
    assert "现场照片.png" in html and "已经收到并保留" in html
    assert Report.objects.count() == 0
    staged = StagedUpload.objects.get()
    # The reporter fixes the name only; the staged file comes along.
    token = response.context["form"].data["staged"]
    fixed = submit(client, {**data, "name": "王建国", "staged": token}, proof)
    assert fixed.status_code == 200
    attachment = ReportAttachment.objects.get()
    assert attachment.original_name == "现场照片.png"
    assert attachment.file.name == staged.file.name
    assert not StagedUpload.objects.exists()


def test_a_forged_staged_token_claims_nothing(client, report_data, proof, png_bytes):
    from reporting import services
    from reporting.uploads import CheckedFile

    services.stage_upload(CheckedFile("别人的.png", png_bytes, "image/png"))
    response = submit(client, report_data, proof, staged='["forged"]:sig')
    assert response.status_code == 200
    assert not ReportAttachment.objects.exists()


def test_disguised_upload_is_refused_with_a_clear_message(client, report_data, proof):
    page = SimpleUploadedFile(
        "证据.png", b"<html><script>alert(1)</script></html>", "image/png"
    )
    response = submit(client, report_data, proof, attachments=[page])
    html = response.content.decode()
    assert "内容与文件扩展名不符" in html
    assert Report.objects.count() == 0


def test_anonymous_reports_need_no_identity(client, report_data, proof, receipt_of):
    data = {**report_data, "kind": "anonymous", "name": "", "contact": ""}
    response = submit(client, data, proof)
    receipt_of(response.content.decode())
    report = Report.objects.get()
    assert report.kind == Report.Kind.ANONYMOUS
    assert report.identity_ciphertext == ""


def test_a_reporter_who_does_not_know_the_agency_still_reports(
    client, report_data, proof, receipt_of
):
    # The default choice 不清楚或不在列表中 with nothing typed: the office
    # finds the agency from its inbox.
    data = {**report_data, "agency": "", "agency_text": ""}
    html = submit(client, data, proof).content.decode()
    receipt_of(html)
    report = Report.objects.get()
    assert report.agency is None and report.agency_text == ""
    # The receipt says what happens next and when to look again: the office
    # rule's days, counted from the Beijing date of submission.
    from reporting.timing import first_review

    review = first_review(report.submitted_at)
    assert review.days == 15
    assert "依本机构工作规则：信访举报自收到之日起初步审查的天数" in html
    assert f"{review.due.year}年{review.due.month}月{review.due.day}日以后" in html


def test_the_error_summary_names_fields_without_stray_punctuation(
    client, report_data, proof
):
    data = {**report_data, "description": "", "pledge": ""}
    html = submit(client, data, proof).content.decode()
    assert "具体情况：请写明具体情况。" in html
    assert "真实性承诺：请阅读并勾选承诺后再提交。" in html
    assert "。：" not in html


def test_a_future_date_is_refused(client, report_data, proof):
    data = {**report_data, "occurred_on": "2099-01-01"}
    assert "不能晚于今天" in submit(client, data, proof).content.decode()


@pytest.mark.parametrize(
    "field,value",
    [
        ("subject", "<script>alert(1)</script>"),
        ("description", "'; DROP TABLE reporting_report; --"),
        ("description", "表情😀🙂 and emoji"),
        ("subject", "x" * 101),
    ],
)
def test_hostile_input_is_stored_inert_or_refused_never_an_error(
    client, report_data, proof, field, value
):
    response = submit(client, {**report_data, field: value}, proof)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_status_is_post_only_and_a_get_shows_the_lookup_form(client):
    response = client.get(STATUS_URL + "?code=1234123412341234")
    assert response.status_code == 200
    assert "请输入提交举报时获得的16位回执码" in response.content.decode()


def test_leaving_closes_the_status_session(client, real_name_report):
    client.post(STATUS_URL, {"code": real_name_report.code})
    client.post(reverse("reporting:leave"))
    html = client.get(STATUS_URL).content.decode()
    assert real_name_report.number not in html


def test_the_status_session_expires(client, settings, real_name_report, monkeypatch):
    import time

    client.post(STATUS_URL, {"code": real_name_report.code})
    later = time.time() + settings.REPORTING["STATUS_SESSION_SECONDS"] + 1
    monkeypatch.setattr(time, "time", lambda: later)
    html = client.get(STATUS_URL).content.decode()
    assert real_name_report.number not in html


def test_the_channel_is_in_the_main_navigation(client, home_page):
    html = client.get(REPORT_URL).content.decode()
    assert '<a href="/report/" aria-current="page">信访举报</a>' in html
    home = client.get("/").content.decode()
    assert '<a href="/report/">信访举报</a>' in home
