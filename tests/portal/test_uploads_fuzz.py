"""Damaged and mutated files of every kind: the checker answers with a
result or a Chinese refusal naming the file, never with another error."""

import io
import zipfile

import docx
import pikepdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from portal.uploads import CheckedFile, Limits, UploadRefused, check

LIMITS = Limits(max_bytes=2 * 1024 * 1024)
KINDS = ("jpg", "png", "webp", "pdf", "doc", "docx", "xlsx", "zip", "txt")


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), "teal").save(out, fmt, comment=b"c")
    return out.getvalue()


def _pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.Info = pikepdf.Dictionary(Title=pikepdf.String("x"))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("情况说明")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", "记录")
        archive.writestr("b.pdf", _pdf())
    return out.getvalue()


SAMPLES = {
    "a.jpg": _image("JPEG"),
    "a.png": _image("PNG"),
    "a.webp": _image("WEBP"),
    "a.pdf": _pdf(),
    "a.docx": _docx(),
    "a.zip": _zip(),
}

mutations = st.lists(
    st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
    min_size=1,
    max_size=12,
)


def _mutate(data: bytes, changes, cut) -> bytes:
    data = bytearray(data)
    for position, value in changes:
        data[position % len(data)] = value
    return bytes(data[: max(1, len(data) - cut)])


def _answer(name, data):
    try:
        result = check(name, data, kinds=KINDS, limits=LIMITS)
    except UploadRefused as refused:
        assert f"“{name}”" in str(refused)
        # The catch-all refusal means a parser error escaped its checker.
        assert "不是有效的文件" not in str(refused), "an unhandled parser error"
        return "refused"
    assert isinstance(result, CheckedFile) and result.content
    return "accepted"


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(SAMPLES)),
    changes=mutations,
    cut=st.integers(min_value=0, max_value=400),
)
def test_mutated_files_are_accepted_or_refused(name, changes, cut):
    _answer(name, _mutate(SAMPLES[name], changes, cut))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=mutations, cut=st.integers(min_value=0, max_value=400))
def test_mutated_ole_files_are_accepted_or_refused(compound_file, changes, cut):
    data = compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 5000, "1Table": b"t"})
    _answer("a.doc", _mutate(data, changes, cut))


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from([*sorted(SAMPLES), "a.doc", "a.txt", "a.xlsx"]),
    data=st.binary(min_size=1, max_size=600),
)
def test_random_bytes_under_every_name_are_refused_or_plain_text(name, data):
    assert _answer(name, data) == "refused" or name == "a.txt"


def test_the_unmutated_samples_pass():
    for name, data in SAMPLES.items():
        assert _answer(name, data) == "accepted", name
