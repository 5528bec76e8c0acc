"""Fuzzing the reporting channel (Art. 22): the report form, its attachments,
the receipt lookup and the status page's reply.

Each example sends one request built byte by byte (fuzzwire) and checks two
things: the answer is never a 500, and nothing partial stays behind. A
refused submission leaves the reports, attachments and messages as they
were (only the files that passed their check are kept as staged uploads, so
the reporter need not choose them again); an accepted one creates the whole
set, the report with every attachment; and every stored file belongs to
exactly one row.
"""

from __future__ import annotations

import base64
import io
import json
import re
import uuid

import pikepdf
import pytest
from django.core import signing
from django.core.cache import cache
from fuzz_state import assert_files_match_rows, reporting_state
from fuzzwire import (
    any_text,
    multipart,
    multipart_type,
    nasty_text,
    numberish,
    urlencode,
)
from hypothesis import currently_in_test_context, event, given
from hypothesis import strategies as st
from PIL import Image

from reporting import challenge, services
from reporting.forms import STAGED_SALT
from reporting.models import Report, StagedUpload
from reporting.uploads import CheckedFile
from reporting.views import STATUS_SESSION_KEY

pytestmark = pytest.mark.django_db

REPORT_URL = "/report/"
STATUS_URL = "/report/status/"
REPLY_URL = "/report/status/reply/"
RECEIPT = re.compile(r"data-receipt-code[^>]*>\s*([\d ]{19})\s*<")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def _pdf() -> bytes:
    # A real (parseable) PDF: the upload checker parses PDFs, it does not
    # look for a header.
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


PDF = _pdf()


def good_fields(agency) -> dict:
    return {
        "kind": "real_name",
        "name": "王建国",
        "contact": "13905310000",
        "subject": "执法人员检查时未出示执法证件",
        "agency": str(agency.pk),
        "agency_text": "",
        "persons": "胸牌尾号27的执法人员",
        "occurred_on": "2025-11-20",
        "place": "花园路早市",
        "description": "检查时未出示执法证件，对摊主大声呵斥。",
        "pledge": "on",
    }


# --- strategies ---------------------------------------------------------------

dates = st.one_of(
    st.sampled_from(
        [
            "",
            "2025-02-30",
            "9999-12-31",
            "0001-01-01",
            "0000-00-00",
            "2025-1-1",
            "2025/11/20",
            "２０２５-１１-２０",
            "2099-01-01",
            "20251120",
        ]
    ),
    st.dates().map(str),
    nasty_text,
)


def field_value(name: str, good: str):
    """Mostly the good value (so that some examples pass), else anything."""
    special = {
        "kind": st.sampled_from(["real_name", "anonymous", "", "both", "REAL_NAME"]),
        "agency": numberish,
        "occurred_on": dates,
        "pledge": st.sampled_from(["on", "", "off", "0", "false", "\x00"]),
    }
    return st.one_of(
        st.just(good),
        special.get(name, any_text),
        st.builds(lambda t: good + t, nasty_text),
    )


def bogus_proofs() -> list[str]:
    """Proofs of work that must all be refused: malformed, forged, out of
    range, not numbers, Infinity and NaN, wrong nesting, the widget's own
    test-mode payload, JSON nested 100 000 deep, invalid UTF-8."""

    def b64(payload) -> str:
        return base64.b64encode(json.dumps(payload).encode()).decode()

    issued = challenge.issue()
    good = json.loads(base64.b64decode(challenge.solve(issued)))
    solution, parameters = good["solution"], issued["parameters"]

    def answer(**changes):
        return b64({**good, "solution": {**solution, **changes}})

    def params(**changes):
        changed = {**issued, "parameters": {**parameters, **changes}}
        return b64({**good, "challenge": changed})

    return [
        "",
        "=",
        "AAAA",
        "%%%%",
        b64([]),
        b64({}),
        b64("x"),
        b64({"challenge": None, "solution": None, "test": True}),
        b64({"challenge": issued, "solution": [solution]}),
        answer(counter="x"),
        answer(counter=10**400),
        answer(counter=-1),
        answer(counter=1.5),
        answer(counter=None),
        answer(counter=True),
        # json.dumps writes Infinity and NaN; json.loads reads them back.
        answer(counter=float("inf")),
        answer(counter=float("nan")),
        answer(counter=[1]),
        answer(derivedKey={"a": 1}),
        answer(derivedKey="0" * 64),
        params(expiresAt=float("inf")),
        params(expiresAt="1e999"),
        params(cost=10**400),
        params(algorithm="SHA-256"),
        params(keyPrefix=None),
        b64({**good, "challenge": {**issued, "signature": "0" * 64}}),
        b64({**good, "challenge": {**issued, "signature": 12}}),
        base64.b64encode(b"[" * 100_000 + b"]" * 100_000).decode(),
        base64.b64encode(b"\xff\xfe\x00").decode(),
    ]


def bogus_proof():
    return st.one_of(st.sampled_from(bogus_proofs()), nasty_text)


def staged_tokens():
    return st.one_of(
        st.just(""),
        nasty_text,
        # Signed lists of tokens that exist nowhere, or are not tokens.
        st.lists(st.uuids().map(str), max_size=3).map(
            lambda ts: signing.dumps(ts, salt=STAGED_SALT)
        ),
        st.lists(nasty_text, max_size=3).map(
            lambda ts: signing.dumps(ts, salt=STAGED_SALT)
        ),
        st.just(signing.dumps({"a": 1}, salt=STAGED_SALT)),
        st.just(signing.dumps("x", salt=STAGED_SALT)),
        st.just(signing.dumps(None, salt=STAGED_SALT)),
        st.just(signing.dumps([1, 2], salt=STAGED_SALT)),
        # Signed with another salt: the signature does not hold.
        st.lists(st.uuids().map(str), max_size=2).map(signing.dumps),
    )


file_names = st.one_of(
    st.sampled_from(
        [
            "证据.png",
            "photo.PNG",
            "../../x.png",
            "..\\..\\x.pdf",
            "/etc/passwd",
            "a\x00.png",
            "x.png\x00.exe",
            "x" * 300 + ".png",
            "图" * 300 + ".pdf",
            ".png",
            "noext",
            "x.svg",
            "x.html",
            "x.png.html",
            "\u202egnp.exe",
            "",
            "CON.pdf",
            "x.docx",
            "x.xls",
        ]
    ),
    nasty_text.map(lambda t: t + ".png"),
    nasty_text,
)

file_contents = st.one_of(
    st.just(PNG),
    st.just(PDF),
    st.just(b""),
    st.just(b"<html><script>alert(1)</script></html>"),
    st.just(PNG + b"<script>"),
    st.just(b"%PDF-1.4 /JavaScript (x)"),
    st.just(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64),
    st.just(b"PK\x03\x04" + b"\x00" * 40),
    st.binary(max_size=2048),
)

attachments = st.lists(
    st.tuples(
        st.sampled_from(["attachments", "attachments", "attachment", "staged"]),
        file_names,
        file_contents,
        st.sampled_from(["image/png", "application/pdf", "text/html", "", "\x00"]),
    ),
    max_size=7,
)


def extra_fields():
    """Stray, duplicated and misnamed fields."""
    return st.lists(
        st.tuples(
            st.one_of(
                st.sampled_from(
                    [
                        "kind",
                        "subject",
                        "agency",
                        "remove_staged",
                        "csrfmiddlewaretoken",
                        "id",
                        "receipt_digest",
                        "disposition",
                        "attachments",
                    ]
                ),
                nasty_text,
            ),
            any_text,
        ),
        max_size=4,
    )


# --- helpers ------------------------------------------------------------------


def post_report(client, fields, files=()):
    cache.clear()
    body = multipart(fields, files)
    return client.post(REPORT_URL, data=body, content_type=multipart_type())


def check_outcome(before, response, files_sent: int) -> None:
    """The one rule: a whole report or nothing of one."""
    assert response.status_code < 500
    after = reporting_state()
    html = response.content.decode()
    if after["reports"] == before["reports"] + 1:
        _event("accepted")
        assert response.status_code == 200
        assert RECEIPT.search(html), "an accepted report shows its receipt"
        report = Report.objects.order_by("-pk").first()
        added = after["attachments"] - before["attachments"]
        assert added == report.attachments.count() <= 5
        assert added <= files_sent + before["staged"]
        # Whatever was staged and claimed went from staged to attached.
        assert after["staged"] - before["staged"] == -(
            added - _direct_files(report, before)
        )
    else:
        _event(f"refused ({response.status_code})")
        assert after["reports"] == before["reports"]
        assert after["attachments"] == before["attachments"]
        assert after["messages"] == before["messages"]
        assert response.status_code in (200, 400, 413, 429)
        # Only files that passed their check are staged, never more.
        assert 0 <= after["staged"] - before["staged"] <= files_sent
    assert_files_match_rows()


def _event(label: str) -> None:
    """Counted in --hypothesis-show-statistics; the plain tests that share
    check_outcome() run outside Hypothesis."""
    if currently_in_test_context():
        event(label)


def _direct_files(report, before) -> int:
    """Attachments of ``report`` stored from this request's files (new file
    names), as opposed to staged uploads it claimed (existing files)."""
    return sum(
        1 for a in report.attachments.all() if a.file.name not in before["files"]
    )


# --- the report form ----------------------------------------------------------


@given(data=st.data())
def test_report_submission(client, agency, proof, examples, data):
    """Every field of the form, the proof of work and the staged-file token."""
    examples()
    fields = []
    for name, good in good_fields(agency).items():
        choice = data.draw(st.sampled_from(["keep", "keep", "fuzz", "drop", "twice"]))
        if choice == "drop":
            continue
        value = good if choice == "keep" else data.draw(field_value(name, good))
        fields.append((name, value))
        if choice == "twice":
            fields.append((name, data.draw(field_value(name, good))))
    fields.append(
        ("proof", data.draw(st.one_of(st.just(None), bogus_proof())) or proof())
    )
    fields.append(("staged", data.draw(staged_tokens())))
    fields += data.draw(extra_fields())
    before = reporting_state()
    response = post_report(client, fields)
    check_outcome(before, response, files_sent=0)


@given(files=attachments, twice=st.booleans())
def test_report_attachments(client, agency, proof, examples, files, twice):
    """Attachments: random bytes, hostile names, too many. The rest of the
    form is valid, so the outcome depends on the files alone; ``twice``
    sends the failed form's staged files on with a second submission."""
    examples()
    fields = [*good_fields(agency).items(), ("proof", proof())]
    before = reporting_state()
    response = post_report(client, fields, files)
    check_outcome(before, response, files_sent=len(files))
    if twice and not RECEIPT.search(response.content.decode()):
        staged = response.context["form"].data.get("staged", "")
        before = reporting_state()
        again = post_report(
            client, [*fields[:-1], ("proof", proof()), ("staged", staged)]
        )
        check_outcome(before, again, files_sent=0)


def test_an_accepted_report_with_files_is_complete(client, agency, proof):
    """The fuzzers' counterpart: a good submission with two files and one
    failed-then-fixed submission keep every file exactly once."""
    fields = [*good_fields(agency).items(), ("proof", proof())]
    files = [
        ("attachments", "证据.png", PNG, "image/png"),
        ("attachments", "记录.pdf", PDF, "application/pdf"),
    ]
    before = reporting_state()
    response = post_report(client, fields, files)
    check_outcome(before, response, files_sent=2)
    assert Report.objects.get().attachments.count() == 2

    # The subject is missing: refused, the PNG staged, then claimed.
    broken = [f for f in fields if f[0] != "subject"]
    before = reporting_state()
    response = post_report(client, broken, files[:1])
    check_outcome(before, response, files_sent=1)
    assert reporting_state()["staged"] == 1
    staged = response.context["form"].data["staged"]
    fixed = [*good_fields(agency).items(), ("proof", proof()), ("staged", staged)]
    before = reporting_state()
    response = post_report(client, fixed)
    check_outcome(before, response, files_sent=0)
    assert reporting_state()["staged"] == 0
    assert Report.objects.order_by("-pk").first().attachments.count() == 1


def test_oversized_attachment_is_refused_whole(client, agency, proof, settings):
    """A file over the size limit: refused with the reason, nothing kept."""
    settings.REPORTING = {**settings.REPORTING, "ATTACHMENT_MAX_BYTES": 1024}
    fields = [*good_fields(agency).items(), ("proof", proof())]
    big = PDF + b"0" * 4096
    before = reporting_state()
    response = post_report(
        client, fields, [("attachments", "big.pdf", big, "application/pdf")]
    )
    check_outcome(before, response, files_sent=1)
    assert reporting_state()["reports"] == before["reports"]
    assert "超过大小上限" in response.content.decode()


def test_bad_proofs_are_refused_with_a_message(client, agency):
    """Each bogus proof is a form error in Chinese, never a crash."""
    for bogus in bogus_proofs():
        fields = [*good_fields(agency).items(), ("proof", bogus)]
        before = reporting_state()
        response = post_report(client, fields)
        check_outcome(before, response, files_sent=0)
        assert "安全验证未完成或已失效" in response.content.decode(), bogus[:40]


# --- the receipt lookup and the status page -----------------------------------

codes = st.one_of(
    any_text,
    st.text(alphabet="0123456789 -０１２３４５６７８９٠١٢٣٤٥٦٧٨٩²\t\n", max_size=40),
    st.integers(0, 10**17).map(str),
)


@given(code=codes, extra=extra_fields())
def test_receipt_lookup(client, agency, examples, code, extra):
    """Random receipt strings: a form error, never a report, never a 500."""
    examples()
    cache.clear()
    before = reporting_state()
    response = client.post(
        STATUS_URL,
        data=urlencode([("code", code), *extra]),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 429)
    assert STATUS_SESSION_KEY not in client.session
    after = reporting_state()
    assert after == before


def test_receipt_lookup_accepts_the_code_in_any_digits(client, agency):
    """The fuzzer's counterpart: full-width digits, spaces, dashes work."""
    report, code = services.submit_report(
        kind="anonymous", subject="事由", description="情况", agency=agency
    )
    full_width = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    typed = f"{full_width[:4]} {full_width[4:8]}-{full_width[8:]}"
    response = client.post(STATUS_URL, {"code": typed})
    assert response.status_code == 302
    assert client.session[STATUS_SESSION_KEY]["report"] == report.pk


@pytest.fixture
def opened(client, agency):
    """A browser session that opened a report with its receipt."""
    report, code = services.submit_report(
        kind="anonymous", subject="事由", description="情况", agency=agency
    )
    assert client.post(STATUS_URL, {"code": code}).status_code == 302
    return report


@given(
    body=st.one_of(any_text, st.just("补充：当天还有一名执法人员在场。")),
    files=attachments,
    bogus=st.one_of(st.none(), bogus_proof()),
    extra=extra_fields(),
)
def test_status_reply(client, opened, proof, examples, body, files, bogus, extra):
    """The reporter's reply with attachments: a whole message or nothing."""
    examples()
    cache.clear()
    before = reporting_state()
    fields = [("body", body), ("proof", bogus or proof()), *extra]
    response = client.post(
        REPLY_URL, data=multipart(fields, files), content_type=multipart_type()
    )
    assert response.status_code < 500
    after = reporting_state()
    if after["messages"] == before["messages"] + 1:
        _event("accepted")
        assert response.status_code == 302
        message = opened.messages.order_by("-pk").first()
        added = after["attachments"] - before["attachments"]
        assert added == message.attachments.count() <= 5
        assert after["reports"] == before["reports"]
    else:
        assert response.status_code in (200, 400, 429)
        assert after["messages"] == before["messages"]
        assert after["attachments"] == before["attachments"]
        assert 0 <= after["staged"] - before["staged"] <= len(files)
    assert_files_match_rows()


def test_reply_without_an_open_report_writes_nothing(client, agency, proof):
    before = reporting_state()
    response = client.post(REPLY_URL, {"body": "x", "proof": proof()})
    assert response.status_code == 302
    assert reporting_state() == before


def test_forged_staged_token_claims_nothing(client, agency, proof):
    """A signed list naming a staged upload of someone else only works with
    the signature: a hand-made list is ignored, the upload stays staged."""
    services.stage_upload(
        CheckedFile(name="a.png", content=PNG, content_type="image/png")
    )
    token = str(StagedUpload.objects.get().token)
    forged = base64.b64encode(json.dumps([token]).encode()).decode()
    for staged in (forged, f"{forged}:bad", json.dumps([token]), token):
        fields = [*good_fields(agency).items(), ("proof", proof()), ("staged", staged)]
        before = reporting_state()
        response = post_report(client, fields)
        check_outcome(before, response, files_sent=0)
        assert Report.objects.order_by("-pk").first().attachments.count() == 0
    assert StagedUpload.objects.filter(token=token).exists()
    assert uuid.UUID(token)
