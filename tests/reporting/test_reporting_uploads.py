"""Attachments are judged by their bytes, not their names; images lose their
metadata (EXIF GPS) before they are stored."""

import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reporting.uploads import UploadRefused, check


def _jpeg_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (36.0, 40.0, 12.0), 3: "E", 4: (117.0, 2.0, 30.0)}
    return exif


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 24), "blue")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0131] = "PhoneSoftware 1.0"  # Software
    gps = {1: "N", 2: (36.0, 40.0, 12.0), 3: "E", 4: (117.0, 2.0, 30.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_exif_and_gps_are_stripped_from_jpeg():
    original = _jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825), "the fixture carries GPS"
    checked = check(upload("现场.jpg", original, "image/jpeg"))
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.format == "JPEG"
        assert image.size == (32, 24)
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"CameraMaker" not in checked.content
    assert b"PhoneSoftware" not in checked.content


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "36.67N 117.03E")
    out = io.BytesIO()
    Image.new("RGBA", (4, 4), (255, 0, 0, 128)).save(out, "PNG", pnginfo=info)
    checked = check(upload("图.png", out.getvalue(), "image/png"))
    assert b"36.67N" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.mode == "RGBA"


@pytest.mark.parametrize(
    "name,content",
    [
        ("证据.png", b"<html><body><script>alert(1)</script></body></html>"),
        ("证据.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        (
            "证据.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
        ),
        ("合同.pdf", b"<html>not a pdf</html>"),
        ("合同.docx", b"PK\x03\x04 not really a zip"),
        ("表格.xls", b"plain text pretending"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    with pytest.raises(UploadRefused, match="内容与文件扩展名不符"):
        check(upload(name, content))


@pytest.mark.parametrize("name", ["图.svg", "page.html", "run.exe", "无扩展名"])
def test_kinds_outside_the_list_are_refused(name):
    with pytest.raises(UploadRefused, match="类型不受支持"):
        check(upload(name, b"<svg onload=alert(1)>"))


def test_oversized_files_are_refused(settings):
    settings.REPORTING = {**settings.REPORTING, "ATTACHMENT_MAX_BYTES": 1024}
    with pytest.raises(UploadRefused, match="超过大小上限"):
        check(upload("大.pdf", b"%PDF-1.7\n" + b"0" * 2048))


def _pdf(script: str | None = None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if script:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String(script)
        )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_pdf_with_script_is_refused_and_a_plain_pdf_accepted():
    with pytest.raises(UploadRefused, match="可执行内容"):
        check(upload("a.pdf", _pdf(script="app.alert(1)")))
    checked = check(upload("b.pdf", _pdf()))
    assert checked.content_type == "application/pdf"
    # A pattern is not a parser: the bytes of a PDF that merely ends early
    # are refused as damaged, not waved through.
    with pytest.raises(UploadRefused, match="不是有效的 PDF"):
        check(upload("c.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF"))


def _docx(extra_parts=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for part in extra_parts:
            archive.writestr(part, "x")
    return out.getvalue()


def test_office_documents_with_macros_are_refused():
    assert check(upload("说明.docx", _docx())).size > 0
    with pytest.raises(UploadRefused, match="含有宏"):
        check(upload("说明.docx", _docx(["word/vbaProject.bin"])))


def test_image_bombs_are_refused(settings):
    settings.REPORTING = {**settings.REPORTING, "ATTACHMENT_MAX_PIXELS": 100}
    out = io.BytesIO()
    Image.new("L", (200, 200)).save(out, "PNG")
    with pytest.raises(UploadRefused, match="像素过大"):
        check(upload("大图.png", out.getvalue()))


def test_names_lose_directories_and_control_characters():
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, "PNG")
    checked = check(upload("../../etc/\x00passwd.png", out.getvalue()))
    assert checked.name == "passwd.png"


def test_a_refused_file_is_named_and_nothing_else_is_lost(
    client, report_data, proof, png_bytes
):
    from django.urls import reverse

    from reporting.models import Report, StagedUpload

    files = [
        upload("说明.docx", _docx(["word/vbaProject.bin"])),
        upload("现场.png", png_bytes, "image/png"),
    ]
    response = client.post(
        reverse("reporting:report"),
        {**report_data, "proof": proof(), "attachments": files},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“说明.docx”含有宏" in html
    assert report_data["description"] in html
    assert report_data["place"] in html
    assert not Report.objects.exists()
    # The file that passed is kept for the next submission.
    assert StagedUpload.objects.get().original_name == "现场.png"
    assert "现场.png" in html


def test_a_reporters_photo_is_stored_without_its_comment_or_position(
    client, report_data, proof
):
    """The attack, end to end: a JPEG whose comment names the sender came
    back intact from the stored attachment."""
    from django.urls import reverse

    from reporting.models import ReportAttachment

    out = io.BytesIO()
    Image.new("RGB", (32, 24), "blue").save(
        out,
        "JPEG",
        exif=_jpeg_exif(),
        comment="拍摄者：李四 13905310000".encode(),
    )
    photo = out.getvalue()
    assert "李四".encode() in photo and b"CameraMaker" in photo
    data = {**report_data, "kind": "anonymous", "name": "", "contact": ""}
    response = client.post(
        reverse("reporting:report"),
        {**data, "proof": proof(), "attachments": [upload("现场.jpg", photo)]},
    )
    assert response.status_code == 200
    stored = ReportAttachment.objects.get()
    with stored.file.open("rb") as handle:
        content = handle.read()
    assert "李四".encode() not in content
    assert b"13905310000" not in content
    assert b"CameraMaker" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert "comment" not in image.info
        assert not image.getexif()
