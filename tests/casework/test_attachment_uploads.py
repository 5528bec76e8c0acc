"""Staff attachments go through the portal's one upload checker: active
content and macros are refused with the file named and the typed title kept;
accepted files are stored byte for byte (evidence is not re-encoded)."""

import io
import zipfile

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from casework.forms import validate_upload
from casework.models import Attachment

pytestmark = pytest.mark.django_db


def _pdf(script=None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if script:
        pdf.pages[0].AA = pikepdf.Dictionary(
            O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(script))
        )
    out = io.BytesIO()
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    return out.getvalue()


def _post(client, case, title, name, content):
    url = reverse("casework_case:action", args=[case.pk, "attachment"])
    return client.post(url, {"title": title, "file": ContentFile(content, name=name)})


def test_a_pdf_with_hidden_javascript_is_refused_and_the_title_kept(
    client, verifying_case, investigator
):
    client.force_login(investigator)
    response = _post(
        client, verifying_case, "询问笔录（第二次）", "笔录.pdf", _pdf("app.alert(1)")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“笔录.pdf”含有可执行内容" in html
    assert "询问笔录（第二次）" in html
    assert Attachment.objects.count() == 0


def test_a_workbook_with_an_external_template_is_refused(
    client, verifying_case, investigator
):
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId9" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/oleObject" '
        'Target="\\\\10.0.0.5\\share\\x.bin" TargetMode="External"/>'
        "</Relationships>"
    )
    package = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(out.getvalue())) as source,
        zipfile.ZipFile(package, "w") as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/worksheets/_rels/sheet1.xml.rels", rels)
    client.force_login(investigator)
    response = _post(client, verifying_case, "台账", "台账.xlsx", package.getvalue())
    assert response.status_code == 400
    assert "外部模板、对象或图片" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_accepted_files_are_stored_byte_for_byte(client, verifying_case, investigator):
    exif = Image.Exif()
    exif[0x0132] = "2026:12:02 09:30:00"  # DateTime: part of the evidence
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG", exif=exif)
    photo = out.getvalue()
    client.force_login(investigator)
    response = _post(client, verifying_case, "现场照片", "现场.jpg", photo)
    assert response.status_code in (200, 302)
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        assert stored.read() == photo


def test_the_validator_leaves_the_file_at_its_start():
    upload = ContentFile(_pdf(), name="a.pdf")
    validate_upload(upload)
    assert upload.tell() == 0
