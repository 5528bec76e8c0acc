"""Requests built byte by byte, so that a fuzzer can send what a browser
never would: invalid UTF-8, lone surrogates, NUL, broken multipart bodies.

Django's test client encodes str with UTF-8 and refuses lone surrogates;
these helpers encode with ``surrogatepass`` instead, which puts the bytes of
a surrogate (invalid UTF-8) on the wire, as a hostile client can.
"""

from __future__ import annotations

from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

BOUNDARY = "fuzzBoundary7MA4YWxkTrZu0gW"


def raw(value: str | bytes) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogatepass")


def urlencode(pairs) -> str:
    """``a=1&b=2`` from (name, value) pairs of str or bytes; any bytes."""
    return "&".join(f"{_quote(name)}={_quote(value)}" for name, value in pairs)


def _quote(value: str | bytes) -> str:
    return quote_from_bytes(raw(value), safe="")


def multipart(fields=(), files=(), boundary: str = BOUNDARY) -> bytes:
    """A multipart/form-data body: ``fields`` are (name, value) pairs and
    ``files`` (field name, file name, content, content type), any bytes."""
    out = []
    for name, value in fields:
        out += [
            b"--" + boundary.encode(),
            b'Content-Disposition: form-data; name="' + raw(name) + b'"',
            b"",
            raw(value),
        ]
    for name, filename, content, content_type in files:
        out += [
            b"--" + boundary.encode(),
            b'Content-Disposition: form-data; name="'
            + raw(name)
            + b'"; filename="'
            + raw(filename)
            + b'"',
            b"Content-Type: " + raw(content_type),
            b"",
            raw(content),
        ]
    out += [b"--" + boundary.encode() + b"--", b""]
    return b"\r\n".join(out)


def multipart_type(boundary: str = BOUNDARY) -> str:
    return f"multipart/form-data; boundary={boundary}"


# --- strategies ---------------------------------------------------------------

#: Characters that break naive code: NUL and other controls, lone surrogates,
#: bidirectional overrides, zero-width joiners, non-ASCII digits, full-width
#: forms, emoji, CJK compatibility ideographs, combining marks.
NASTY_CHARS = (
    "\x00\x01\x08\x0b\x1b\x7f\r\n\t"
    "\ud800\udfff\udc00"
    "\u202e\u202d\u2066\u200b\u200c\u200d\ufeff\u2028\u2029"
    "０１２３４５６７８９٠١٢٣٤٥٦٧٨٩²³¹①⑩੧"
    "第条款一二三四五六七八九十百"
    "😀👨‍👩‍👧🏳️‍🌈"
    "\u0301\u0338\ufffd"
    "<>&\"'%;\\/.*?()[]{}|+-!:^~"
)

nasty_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(NASTY_CHARS),
        st.characters(codec=None, exclude_categories=()),
    ),
    max_size=60,
)

words = st.sampled_from(
    [
        "容错免责",
        "第16条",
        "第十六条",
        "履职尽责",
        "AND",
        "OR",
        "NOT",
        '"',
        "*",
        "-",
        "+",
        "()",
        "澄清正名",
        "张某",
        "\x00",
        "%",
        "_",
        "\\",
        "'; DROP TABLE reporting_report; --",
    ]
)

#: Free text: mostly short and nasty, sometimes long (up to 10 000 chars).
any_text = st.one_of(
    nasty_text,
    st.lists(words, max_size=8).map(" ".join),
    st.builds(lambda s, n: s * n, nasty_text.filter(bool), st.integers(50, 400)),
)

#: What lands in an integer-looking parameter.
numberish = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1",
            "2025",
            "２０２５",
            "٢٠٢٥",
            "²⁰²⁵",
            "²",
            "①",
            "1e3",
            "1.5",
            " 1",
            "0x10",
            "9" * 30,
            "99999999999",
            "9223372036854775808",
            "nan",
            "inf",
            "\x00",
            "١",
            "2025\x00",
        ]
    ),
    st.integers(-(10**20), 10**20).map(str),
    nasty_text,
)
