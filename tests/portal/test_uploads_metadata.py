"""A reporter's documents lose their author on the way in: Word and Excel
2007+ files and PDFs are stored rewritten without the names, accounts,
folders and dates their programs record, and still open with their content;
old-format .doc/.xls files, which cannot be cleaned reliably, are refused
with a request to save them again. Staff uploads (casework) stay byte for
byte what was sent."""

import io
import re
import zipfile

import docx
import openpyxl
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.comments import Comment
from PIL import Image

from portal.uploads import Limits, UploadRefused, check
from portal.uploads.metadata import jpeg_without_metadata
from reporting import uploads as reporting_uploads

LIMITS = Limits(max_bytes=10 * 1024 * 1024)
KINDS = ("pdf", "doc", "xls", "docx", "xlsx", "zip")
NAME = "李秘密"
ACCOUNT = "limimi"
COMPANY = "某某县市场监督管理局"
MANAGER = "王科长"
SECRETS = (NAME, ACCOUNT, COMPANY, MANAGER, "li.mimi@example.cn", "LMM")
CONTENT = "情况说明：执法人员未出示证件。"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def strip(name: str, data: bytes) -> bytes:
    return check(name, data, kinds=KINDS, limits=LIMITS, strip_metadata=True).content


def encodings(secret: str) -> list[bytes]:
    """The ways a program may have written ``secret`` into a file: as text,
    and as a PDF hex string."""
    found = []
    for codec in ("utf-8", "utf-16-le", "utf-16-be"):
        encoded = secret.encode(codec)
        found += [encoded, encoded.hex().encode(), encoded.hex().upper().encode()]
    return found


def assert_absent(data: bytes, secrets=SECRETS) -> None:
    for secret in secrets:
        for encoded in encodings(secret):
            assert encoded not in data, f"{secret!r} left in the file"


def assert_package_clean(package: bytes) -> None:
    """Neither the raw bytes nor any member (nor a member package inside)
    holds a secret, and no entry keeps a timestamp."""
    assert_absent(package)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
            member = archive.read(info)
            assert_absent(member)
            if member.startswith(b"PK\x03\x04"):
                assert_package_clean(member)


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (24, 16), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = ACCOUNT  # Artist
    exif[0x8298] = "LMM"  # Copyright
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=ACCOUNT.encode())
    data = out.getvalue()
    assert ACCOUNT.encode() in data
    return data


# --- Word ------------------------------------------------------------------------


def _rewrite(package: bytes, changes: dict, add: dict) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            for part, change in changes.items():
                if info.filename == part:
                    data = change(data)
            target.writestr(info, data)
        for part, data in add.items():
            target.writestr(part, data)
    return out.getvalue()


def _insert(before: bytes, text: str):
    return lambda data: data.replace(before, text.encode() + before, 1)


CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
    '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"'
    f' pid="2" name="承办人"><vt:lpwstr>{NAME}</vt:lpwstr></property></Properties>'
)
COMMENTS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{NAME}"'
    ' w:date="2026-11-30T09:12:00Z" w:initials="LMM"><w:p><w:r><w:t>'
    "请核实罚款金额</w:t></w:r></w:p></w:comment></w:comments>"
)
PEOPLE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/'
    f'wordml"><w15:person w15:author="{NAME}"><w15:presenceInfo'
    f' w15:providerId="AD" w15:userId="li.mimi@example.cn"/></w15:person>'
    "</w15:people>"
)
TRACKED = (
    f'<w:p><w:ins w:id="1" w:author="{NAME}" w:date="2026-11-30T09:10:00Z">'
    "<w:r><w:t>补充：当事人拒绝签字。</w:t></w:r></w:ins>"
    f'<w:del w:id="2" w:author="{MANAGER}" w:date="2026-11-30T09:11:00Z">'
    "<w:r><w:delText>已签字</w:delText></w:r></w:del>"
    '<w:commentRangeStart w:id="0"/><w:r><w:t>罚款二百元</w:t></w:r>'
    '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
)


def personal_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(CONTENT)
    plain = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 30)).save(plain, "JPEG")
    document.add_picture(plain)
    properties = document.core_properties
    properties.author = NAME
    properties.last_modified_by = ACCOUNT
    properties.title = f"{NAME}的举报材料"
    properties.comments = f"C:\\Users\\{ACCOUNT}\\Desktop"
    properties.keywords = MANAGER
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as archive:
        (picture,) = [p for p in archive.namelist() if p.startswith("word/media/")]
    return _rewrite(
        out.getvalue(),
        changes={
            # The photo as the phone took it (python-docx cannot read this EXIF).
            picture: lambda data: jpeg_with_exif(),
            "docProps/app.xml": _insert(
                b"</Properties>",
                f"<Company>{COMPANY}</Company><Manager>{MANAGER}</Manager>",
            ),
            "word/document.xml": _insert(b"<w:sectPr", TRACKED),
            "word/_rels/document.xml.rels": _insert(
                b"</Relationships>",
                f'<Relationship Id="rIdC1" Type="{REL}/comments" '
                'Target="comments.xml"/><Relationship Id="rIdP1" Type="http://'
                'schemas.microsoft.com/office/2011/relationships/people" '
                'Target="people.xml"/>',
            ),
            "_rels/.rels": _insert(
                b"</Relationships>",
                f'<Relationship Id="rIdX1" Type="{REL}/custom-properties" '
                'Target="docProps/custom.xml"/>',
            ),
            "[Content_Types].xml": _insert(
                b"</Types>",
                '<Override PartName="/docProps/custom.xml" ContentType="'
                "application/vnd.openxmlformats-officedocument.custom-properties"
                '+xml"/><Override PartName="/word/comments.xml" ContentType="'
                "application/vnd.openxmlformats-officedocument.wordprocessingml."
                'comments+xml"/><Override PartName="/word/people.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.people+xml"/>',
            ),
        },
        add={
            "docProps/custom.xml": CUSTOM_XML,
            "word/comments.xml": COMMENTS_XML,
            "word/people.xml": PEOPLE_XML,
        },
    )


def test_a_docx_loses_its_authors_and_keeps_its_text():
    original = personal_docx()
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        # The fixture carries every kind of name the cleaning must find.
        for part in ("docProps/core.xml", "docProps/custom.xml", "word/comments.xml"):
            assert NAME.encode() in archive.read(part)
        assert COMPANY.encode() in archive.read("docProps/app.xml")
    cleaned = strip("说明.docx", original)
    assert_package_clean(cleaned)

    document = docx.Document(io.BytesIO(cleaned))
    assert document.paragraphs[0].text == CONTENT
    assert document.core_properties.author == ""
    assert document.core_properties.last_modified_by == ""
    assert document.core_properties.created is None
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        parts = archive.namelist()
        body = archive.read("word/document.xml").decode()
        comments = archive.read("word/comments.xml").decode()
        people = archive.read("word/people.xml").decode()
        app = archive.read("docProps/app.xml").decode()
        rels = archive.read("_rels/.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
        media = [archive.read(p) for p in parts if p.startswith("word/media/")]
    # The custom properties went with their relationship and content type.
    assert "docProps/custom.xml" not in parts
    assert "custom" not in rels and "custom-properties" not in types
    assert "docProps/core.xml" in parts and "<Application>" in app
    # Tracked changes and the comment stay, by labels: two people, two labels.
    assert "补充：当事人拒绝签字。" in body and "已签字" in body
    assert re.findall(r'w:author="([^"]*)"', body) == ["作者1", "作者2"]
    assert "w:date=" not in body
    assert 'w:author="作者1"' in comments and "请核实罚款金额" in comments
    assert 'w:initials=""' in comments and "w:date=" not in comments
    assert 'w15:author="作者1"' in people and "presenceInfo" not in people
    # The picture lost its EXIF and comment, still a picture of its size.
    with Image.open(io.BytesIO(media[0])) as picture:
        assert picture.size == (24, 16)
        assert not picture.getexif()


def test_a_minimal_docx_without_properties_is_rewritten_as_it_is():
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    cleaned = strip("说明.docx", package.getvalue())
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        assert archive.namelist() == ["[Content_Types].xml", "word/document.xml"]
        assert archive.read("word/document.xml") == b"<w:document/>"


# --- Excel -----------------------------------------------------------------------

ABS_PATH = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
    'markup-compatibility/2006"><mc:Choice Requires="x15"><x15ac:absPath'
    ' xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"'
    f' url="C:\\Users\\{ACCOUNT}\\Desktop\\"/></mc:Choice></mc:AlternateContent>'
)


def personal_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "罚款"
    sheet["A1"] = "罚款金额"
    sheet["B1"] = 200
    sheet["B1"].comment = Comment("金额与决定书不符", NAME)
    book.properties.creator = NAME
    book.properties.lastModifiedBy = ACCOUNT
    book.properties.title = COMPANY
    out = io.BytesIO()
    book.save(out)
    return _rewrite(
        out.getvalue(),
        changes={
            "xl/workbook.xml": lambda data: re.sub(
                rb"(<workbook[^>]*>)",
                lambda m: (
                    m.group(1)
                    + f'<fileSharing userName="{NAME}"/>'.encode()
                    + ABS_PATH.encode()
                ),
                data,
                count=1,
            )
        },
        add={},
    )


def test_an_xlsx_loses_its_authors_and_keeps_its_cells():
    original = personal_xlsx()
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        assert ACCOUNT.encode() in archive.read("xl/workbook.xml")
        comments = [p for p in archive.namelist() if "comments" in p.lower()]
        assert any(NAME.encode() in archive.read(p) for p in comments)
    cleaned = strip("表.xlsx", original)
    assert_package_clean(cleaned)

    book = openpyxl.load_workbook(io.BytesIO(cleaned))
    sheet = book["罚款"]
    assert sheet["A1"].value == "罚款金额" and sheet["B1"].value == 200
    assert sheet["B1"].comment.text.startswith("金额与决定书不符")
    assert sheet["B1"].comment.author == "作者1"
    assert book.properties.creator != NAME
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    assert "absPath" not in workbook and "AlternateContent" not in workbook
    assert "<fileSharing" in workbook and "userName" not in workbook


def test_an_embedded_workbook_is_cleaned_too():
    inner = personal_xlsx()
    outer = _rewrite(
        personal_docx(), changes={}, add={"word/embeddings/Sheet1.xlsx": inner}
    )
    assert_package_clean(strip("图表.docx", outer))


# --- PDF -------------------------------------------------------------------------


def personal_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    picture = pikepdf.Stream(pdf, jpeg_with_exif())
    picture.Type, picture.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    picture.Width, picture.Height, picture.BitsPerComponent = 24, 16, 8
    picture.ColorSpace, picture.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture))
    page.Contents = pdf.make_stream(b"q 24 0 0 16 10 10 cm /Im0 Do Q")
    page.Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Text,
                    Rect=[10, 10, 30, 30],
                    T=pikepdf.String(NAME),
                    Contents=pikepdf.String("此处金额有误"),
                )
            ]
        )
    )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [NAME]
        meta["xmp:CreatorTool"] = COMPANY
    pdf.docinfo["/Author"] = pikepdf.String(NAME)
    pdf.docinfo["/Title"] = pikepdf.String(f"C:\\Users\\{ACCOUNT}\\举报.docx")
    pdf.docinfo["/Creator"] = pikepdf.String(COMPANY)
    pdf.docinfo["/Producer"] = pikepdf.String(MANAGER)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def uncompressed(data: bytes) -> bytes:
    """Every byte of the PDF as a reader decodes it: streams inflated,
    object streams unpacked."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(
            out,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
        return out.getvalue()


def test_a_pdf_loses_its_information_dictionary_xmp_and_exif():
    original = personal_pdf()
    assert any(secret in original for secret in encodings(NAME))
    assert ACCOUNT.encode() in original
    cleaned = strip("决定书.pdf", original)
    assert_absent(cleaned)
    assert_absent(uncompressed(cleaned))

    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert "/Info" not in pdf.trailer or not dict(pdf.docinfo)
        assert "/Metadata" not in pdf.Root
        page = pdf.pages[0]
        assert page.Contents.read_bytes() == b"q 24 0 0 16 10 10 cm /Im0 Do Q"
        annotation = page.Annots[0]
        assert str(annotation.T) == "作者1"
        assert str(annotation.Contents) == "此处金额有误"
        picture = page.Resources.XObject.Im0.read_raw_bytes()
    with Image.open(io.BytesIO(picture)) as image:
        assert image.size == (24, 16) and not image.getexif()
    # The cleaned file still passes the checker.
    assert check("决定书.pdf", cleaned, kinds=KINDS, limits=LIMITS).size > 0


def test_jpeg_segments_are_dropped_without_touching_the_picture():
    original = jpeg_with_exif()
    cleaned = jpeg_without_metadata(original)
    assert ACCOUNT.encode() not in cleaned
    scan = original.index(b"\xff\xda")
    assert cleaned.endswith(original[scan:])
    with Image.open(io.BytesIO(original)) as a, Image.open(io.BytesIO(cleaned)) as b:
        assert a.tobytes() == b.tobytes()
    assert jpeg_without_metadata(b"\xff\xd8\xff\xe1\x00") is None
    assert jpeg_without_metadata(b"not a jpeg") is None


# --- Old formats, archives, and who asks -----------------------------------------


@pytest.mark.parametrize("name", ["旧.doc", "旧.xls"], ids=["doc", "xls"])
def test_old_office_formats_are_refused_with_a_way_out(compound_file, name):
    stream = {"旧.doc": "WordDocument", "旧.xls": "Workbook"}[name]
    data = compound_file({stream: b"\xec\xa5\xc1\x00" + b"\x00" * 60})
    with pytest.raises(UploadRefused) as refused:
        strip(name, data)
    message = str(refused.value)
    assert name in message and "另存为" in message and ".docx/.xlsx 或 PDF" in message
    # Without the request to strip (casework), the same file passes unchanged.
    assert check(name, data, kinds=KINDS, limits=LIMITS).content == data


def test_an_old_format_file_that_is_not_one_gets_the_mismatch_message_first():
    with pytest.raises(UploadRefused, match="内容与文件扩展名不符"):
        strip("表格.xls", b"plain text pretending")


def test_an_archive_is_refused_when_metadata_must_go():
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("说明.pdf", personal_pdf())
    with pytest.raises(UploadRefused, match="压缩包"):
        strip("材料.zip", package.getvalue())


def test_without_the_request_documents_are_stored_byte_for_byte():
    for name, data in (("说明.docx", personal_docx()), ("书.pdf", personal_pdf())):
        assert check(name, data, kinds=KINDS, limits=LIMITS).content == data


def test_the_reporting_form_strips_and_does_not_offer_old_formats():
    upload = SimpleUploadedFile("说明.docx", personal_docx())
    checked = reporting_uploads.check(upload)
    assert_package_clean(checked.content)
    assert ".docx" in reporting_uploads.ACCEPT and ".pdf" in reporting_uploads.ACCEPT
    assert ".doc," not in reporting_uploads.ACCEPT + ","
    assert ".xls," not in reporting_uploads.ACCEPT + ","


def test_an_embedded_old_format_object_with_an_author_is_refused(compound_file):
    sheet = compound_file(
        {
            "Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00",
            "\x05SummaryInformation": NAME.encode(),
        }
    )
    outer = _rewrite(
        personal_docx(), changes={}, add={"word/embeddings/oleObject1.bin": sheet}
    )
    # The checker alone lets it through (no macro, no package) ...
    assert check("图表.docx", outer, kinds=KINDS, limits=LIMITS).content == outer
    # ... but its author cannot be cleaned.
    with pytest.raises(UploadRefused, match="内嵌了旧版 Office 对象"):
        strip("图表.docx", outer)


def test_excel_persons_and_shared_workbook_users_are_labelled():
    persons = (
        '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        f'threadedcomments"><person displayName="{NAME}" id="{{A1}}"'
        f' userId="li.mimi@example.cn" providerId="AD"/></personList>'
    )
    users = (
        f'<users xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<userInfo guid="{{B2}}" name="{MANAGER}" id="1" dateTime="2026-11-30"/>'
        "</users>"
    )
    table = (
        '<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' id="1" name="罚款表" displayName="罚款表" ref="A1:B2"/>'
    )
    original = _rewrite(
        personal_xlsx(),
        changes={},
        add={
            "xl/persons/person.xml": persons,
            "xl/revisions/userNames.xml": users,
            "xl/tables/table1.xml": table,
        },
    )
    cleaned = strip("表.xlsx", original)
    assert_package_clean(cleaned)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        person = archive.read("xl/persons/person.xml").decode()
        user = archive.read("xl/revisions/userNames.xml").decode()
        table = archive.read("xl/tables/table1.xml").decode()
    # The comment's author came first in the file: the same person, 作者1.
    assert 'displayName="作者1"' in person and 'id="{A1}"' in person
    assert 'userId=""' in person and 'providerId=""' in person
    assert 'name="作者2"' in user
    # A table's display name is what formulas use: not a person, kept.
    assert 'displayName="罚款表"' in table
