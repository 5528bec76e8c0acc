"""Bytes no browser sends: invalid UTF-8 in paths, query strings and form
bodies, declared charsets that are wrong or unknown, broken multipart
bodies, bodies over Django's limits, CR/LF smuggled into parameters. The
answer is a page or a 4xx, never a 500, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from fuzz_state import reporting_state
from fuzzwire import BOUNDARY, multipart, multipart_type
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PUBLIC_GETS = [
    "/",
    "/search/",
    "/report/",
    "/report/status/",
    "/feeds/notices/rss/",
    "/api/v2/pages/",
]
PUBLIC_POSTS = ["/report/", "/report/status/", "/report/status/reply/"]

BAD_QUERIES = [
    "q=%FF%FE",
    "q=%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "q=%C0%AF",  # overlong "/"
    "q=%",
    "q=%G0",
    "q=%00",
    "q=%0D%0ASet-Cookie:%20evil=1",
    "q=%E5%AE%B9%E9%94%99&q=%FF&type=%FF&year=%FF&page=%FF",
    "search=%FF%FE&type=%FF&fields=%FF&order=%FF&offset=%FF&limit=%FF",
    "=&&&=&q",
    "q=" + "%E5%AE%B9" * 3000,
    "version=%FF",
    "year=%D9%A2%D9%A0%D9%A2%D9%A5",  # ٢٠٢٥
]

BAD_CONTENT_TYPES = [
    "application/x-www-form-urlencoded; charset=gb18030",
    "application/x-www-form-urlencoded; charset=bogus",
    "application/x-www-form-urlencoded; charset=",
    "application/x-www-form-urlencoded; charset=utf-16",
    "multipart/form-data",  # no boundary
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=other",
    f"multipart/form-data; boundary={BOUNDARY}; charset=bogus",
    "multipart/mixed; boundary=x",
    "text/plain",
    "application/json",
    "",
    "\x00",
]


def raw_post(client, path, body: bytes, content_type: str):
    """POST exactly these bytes: client.post() would re-encode them in the
    declared charset, generic() passes bytes through."""
    return client.generic("POST", path, data=body, content_type=content_type)


def unchanged(before) -> bool:
    return reporting_state() == before


def test_bad_query_strings(client, site):
    # One site for every combination: building it is the slow part.
    pages = [site["notice"].url, site["notice"].get_parent().url]
    for path in PUBLIC_GETS + pages:
        for query in BAD_QUERIES:
            cache.clear()
            response = client.get(path, QUERY_STRING=query)
            assert response.status_code < 500, (path, query)
            # Nothing of a parameter ever becomes a header.
            assert "evil" not in str(response.headers)
            assert "evil" not in str(response.cookies)


def test_bad_paths(client, site):
    for path in [
        "/%FF%FE/",
        "/search/%FF",
        "/report/%ED%A0%80/",
        "/notices/%00/",
        "/api/v2/pages/%FF/",
        "/feeds/notices/rss/%FF",
        "/..%2F..%2Fetc/passwd",
        "/" + "%E5%AE%B9" * 2000 + "/",
    ]:
        assert client.get(path).status_code in (200, 301, 302, 400, 404), path


@pytest.mark.parametrize("path", PUBLIC_POSTS)
@pytest.mark.parametrize("content_type", BAD_CONTENT_TYPES)
@pytest.mark.parametrize(
    "body",
    [
        b"kind=%FF%FE&subject=%ED%A0%80&description=%00&code=%FF&body=%FF",
        "subject=容错&description=举报&code=1234".encode("gb18030"),
        multipart([("subject", b"\xff\xfe"), ("code", b"\xff")]),
        multipart([("subject", "x")])[:-20],  # truncated
        b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-data\r\n\r\nx",
        b"\x00" * 64,
        b"",
    ],
    ids=[
        "bad-utf8",
        "gb18030",
        "mp-bad-utf8",
        "mp-truncated",
        "mp-no-name",
        "nul",
        "empty",
    ],
)
def test_bad_bodies(client, agency, path, content_type, body):
    cache.clear()
    before = reporting_state()
    response = raw_post(client, path, body, content_type)
    assert response.status_code < 500
    assert unchanged(before)


def test_broken_multipart_under_the_real_csrf_check(agency):
    """With CSRF enforced (as in production) the middleware reads the body
    first: a broken multipart body is still a 4xx."""
    client = Client(enforce_csrf_checks=True)
    for content_type in ("multipart/form-data", "multipart/form-data; boundary="):
        response = raw_post(client, "/report/", b"--x\r\n", content_type)
        assert 400 <= response.status_code < 500


def test_body_over_the_upload_limit_is_refused(client, agency, settings):
    """Above DATA_UPLOAD_MAX_MEMORY_SIZE Django refuses the body (400)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    before = reporting_state()
    body = b"description=" + b"A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    for path in PUBLIC_POSTS:
        response = client.post(
            path, data=body, content_type="application/x-www-form-urlencoded"
        )
        # The reply view redirects a browser without an open report before
        # it reads the body.
        assert response.status_code == (302 if "reply" in path else 400)
    assert unchanged(before)


def test_a_megabyte_in_any_field_is_a_form_error(client, agency, proof):
    """1 MB in one field at a time (under the upload limit): that field's
    length check answers, in Chinese, and nothing is stored."""
    huge = "举" * (1024 * 1024 // 3)
    good = {
        "kind": "real_name",
        "name": "王建国",
        "contact": "13905310000",
        "subject": "事由",
        "agency": str(agency.pk),
        "place": "花园路",
        "description": "情况",
        "pledge": "on",
    }
    before = reporting_state()
    for name in (
        "name",
        "contact",
        "subject",
        "agency_text",
        "persons",
        "place",
        "description",
        "occurred_on",
        "kind",
        "agency",
    ):
        response = client.post("/report/", {**good, name: huge, "proof": proof()})
        assert response.status_code == 200, name
        assert "receipt" not in response.templates[0].name
        assert "不超过" in response.content.decode() or name in (
            "occurred_on",
            "kind",
            "agency",
        ), name
    assert unchanged(before)


def test_too_many_fields_or_files_are_refused(client, agency, settings):
    before = reporting_state()
    body = "&".join(
        f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
    )
    response = client.post(
        "/report/", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    files = [("attachments", f"{i}.png", b"x", "image/png") for i in range(101)]
    response = client.post(
        "/report/", data=multipart([], files), content_type=multipart_type()
    )
    assert response.status_code == 400
    assert unchanged(before)


def test_a_full_size_attachment_over_the_limit(client, agency, proof):
    """One real file of 10 MB + 1 byte (the production limit): refused with
    the reason, nothing stored."""
    fields = [
        ("kind", "anonymous"),
        ("subject", "事由"),
        ("agency", str(agency.pk)),
        ("description", "情况"),
        ("pledge", "on"),
        ("proof", proof()),
    ]
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    before = reporting_state()
    response = client.post(
        "/report/",
        data=multipart(fields, [("attachments", "大.pdf", big, "application/pdf")]),
        content_type=multipart_type(),
    )
    assert response.status_code == 200
    assert "超过大小上限" in response.content.decode()
    assert unchanged(before)


@given(
    body=st.binary(max_size=512),
    content_type=st.one_of(st.sampled_from(BAD_CONTENT_TYPES), st.text(max_size=40)),
    path=st.sampled_from(PUBLIC_POSTS),
)
def test_random_bodies(client, agency, examples, body, content_type, path):
    examples()
    cache.clear()
    before = reporting_state()
    response = raw_post(client, path, body, content_type)
    assert response.status_code < 500
    assert unchanged(before)


@given(
    query=st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    path=st.sampled_from(["/search/", "/api/v2/pages/", "/report/status/"]),
)
def test_random_query_bytes(client, site, examples, query, path):
    """Raw bytes in QUERY_STRING, as a WSGI server hands them over."""
    examples()
    cache.clear()
    response = client.get(path, QUERY_STRING=query)
    assert response.status_code < 500
