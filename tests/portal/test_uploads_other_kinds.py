"""The one upload checker for what only staff attach (ZIP, text, audio,
video) and what every caller shares: kinds, sizes, names."""

import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.uploads import Limits, UploadRefused, accept_attribute, check

LIMITS = Limits(max_bytes=1024 * 1024)
CASEWORK = ("pdf", "jpg", "png", "doc", "docx", "xls", "xlsx", "zip", "txt")
CASEWORK += ("mp3", "mp4")


def _pdf(script=None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if script:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String(script)
        )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _zip(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_archive_of_accepted_files_passes():
    data = _zip({"询问笔录.pdf": _pdf(), "说明/备注.txt": "现场情况。".encode()})
    checked = check("证据包.zip", data, kinds=CASEWORK, limits=LIMITS)
    assert checked.content == data
    assert checked.content_type == "application/zip"


def test_an_archive_is_no_way_round_the_checks():
    data = _zip({"笔录.pdf": _pdf(script="app.alert(1)")})
    with pytest.raises(
        UploadRefused, match=r"压缩包“证据包.zip”中：“笔录.pdf”含有可执行内容"
    ):
        check("证据包.zip", data, kinds=CASEWORK, limits=LIMITS)


@pytest.mark.parametrize(
    "member,content",
    [
        ("run.exe", b"MZ\x90\x00"),
        ("inner.zip", _zip({"a.txt": b"a"})),
        ("a.svg", b"<svg/>"),
    ],
)
def test_archives_with_other_kinds_or_archives_inside_are_refused(member, content):
    data = _zip({"a.txt": b"fine", member: content})
    with pytest.raises(UploadRefused, match=f"“{member}”类型不受支持"):
        check("证据包.zip", data, kinds=CASEWORK, limits=LIMITS)


def test_an_encrypted_archive_is_refused():
    data = bytearray(_zip({"a.txt": b"secret"}))
    # Set the "encrypted" flag in the local header and the central directory.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x01
    with pytest.raises(UploadRefused, match=r"已加密"):
        check("证据包.zip", bytes(data), kinds=CASEWORK, limits=LIMITS)


def test_an_archive_bomb_is_refused():
    data = _zip({"a.txt": b"0" * (25 * 1024 * 1024)})
    assert len(data) < LIMITS.max_bytes
    with pytest.raises(UploadRefused, match=r"解压后过大"):
        check("证据包.zip", data, kinds=CASEWORK, limits=LIMITS)


@pytest.mark.parametrize(
    "data",
    [
        "现场记录：上午九时。".encode(),
        "现场记录".encode("gb18030"),
        b"\xef\xbb\xbfnotes",
    ],
)
def test_text_in_utf8_or_gb18030_passes(data):
    assert check("记录.txt", data, kinds=CASEWORK, limits=LIMITS).content == data


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"  <!DOCTYPE html><p>x",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
    ],
)
def test_markup_or_binary_named_txt_is_refused(data):
    with pytest.raises(UploadRefused, match=r"内容与文件扩展名不符"):
        check("记录.txt", data, kinds=CASEWORK, limits=LIMITS)


def test_audio_and_video_are_judged_by_their_signatures():
    assert check("录音.mp3", b"ID3\x04\x00" + b"\0" * 20, kinds=CASEWORK, limits=LIMITS)
    assert check(
        "录音.mp3", b"\xff\xfb\x90\x00" + b"\0" * 20, kinds=CASEWORK, limits=LIMITS
    )
    mp4 = b"\x00\x00\x00\x18ftypisom" + b"\0" * 20
    assert check("录像.mp4", mp4, kinds=CASEWORK, limits=LIMITS)
    for name in ("录音.mp3", "录像.mp4"):
        with pytest.raises(UploadRefused, match=r"内容与文件扩展名不符"):
            check(name, b"<html>", kinds=CASEWORK, limits=LIMITS)


def test_kinds_the_caller_does_not_accept_are_refused_with_the_list():
    with pytest.raises(
        UploadRefused, match=r"“a.zip”的文件类型不受支持。可上传：JPG、PDF"
    ):
        check("a.zip", _zip({"a.txt": b"a"}), kinds=("jpg", "pdf"), limits=LIMITS)
    with pytest.raises(UploadRefused, match=r"类型不受支持"):
        check("page.html", b"<p>", kinds=CASEWORK, limits=LIMITS)


def test_an_oversized_upload_is_refused_before_it_is_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("an oversized file must not be read")

    big = Unreadable("大.pdf", b"%PDF-1.7", "application/pdf")
    big.size = LIMITS.max_bytes + 1
    with pytest.raises(UploadRefused, match=r"“大.pdf”超过大小上限（1.0.MB）"):
        check(big.name, big, kinds=CASEWORK, limits=LIMITS)


def test_a_file_that_lies_about_its_size_is_cut_at_the_limit():
    upload = SimpleUploadedFile("大.txt", b"a" * (LIMITS.max_bytes + 10))
    upload.size = 10
    with pytest.raises(UploadRefused, match=r"超过大小上限"):
        check(upload.name, upload, kinds=CASEWORK, limits=LIMITS)


def test_empty_files_are_refused():
    with pytest.raises(UploadRefused, match=r"“空.txt”是空文件"):
        check("空.txt", b"", kinds=CASEWORK, limits=LIMITS)


def test_names_lose_directories_and_control_characters():
    checked = check("../../etc/\x00passwd.txt", b"x", kinds=CASEWORK, limits=LIMITS)
    assert checked.name == "passwd.txt"


def test_accept_attribute_lists_the_extensions():
    assert accept_attribute(("jpg", "pdf")) == ".jpg,.pdf"


def test_a_damaged_archive_member_is_refused_not_an_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("记录.txt", b"original text")
    data = out.getvalue().replace(b"original text", b"tampered text")
    with pytest.raises(UploadRefused, match=r"“证据包.zip”不是有效的 ZIP 文件"):
        check("证据包.zip", data, kinds=CASEWORK, limits=LIMITS)


def test_an_unexpected_parser_error_is_a_refusal(monkeypatch, caplog):
    import portal.uploads

    def broken(name, content):
        raise KeyError("a parser bug")

    monkeypatch.setattr(portal.uploads, "_check_text", broken)
    with pytest.raises(UploadRefused, match=r"“记录.txt”不是有效的文件或已损坏"):
        check("记录.txt", b"text", kinds=CASEWORK, limits=LIMITS)
    # The log says what kind of file, never its name.
    assert "记录" not in caplog.text and ".txt" in caplog.text
