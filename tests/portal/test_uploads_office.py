"""Office files through the one upload checker: the containers are opened,
and macros, ActiveX, embedded packages, external templates and objects and
encryption are refused; plain documents pass.

Old-format (OLE) files are written by ``compound_file`` (tests/portal/
conftest.py), a small Compound File writer: olefile only reads them.
"""

import io
import struct
import zipfile

import docx
import openpyxl
import pytest

from portal.uploads import Limits, UploadRefused, check

LIMITS = Limits(max_bytes=10 * 1024 * 1024)
KINDS = ("doc", "xls", "ppt", "docx", "xlsx", "pptx")
MODULE_SOURCE = (
    b'Attribute VB_Name = "ThisDocument"\r\n'
    b"Sub AutoOpen()\r\n"
    b'    Shell "cmd /c calc.exe"\r\n'
    b"End Sub\r\n"
)


def vba_compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 compression using literal tokens only: a valid
    container that Office and olevba decompress."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start : start + 4096]
        body = bytearray()
        for group in range(0, len(chunk), 8):
            body += b"\x00" + chunk[group : group + 8]
        header = 0xB000 | (len(body) + 2 - 3)
        out += struct.pack("<H", header) + body
    return bytes(out)


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def vba_dir() -> bytes:
    """The ``dir`` stream (MS-OVBA 2.3.4.2) of a project with one document
    module, ThisDocument, whose source starts at offset 0 of its stream."""
    name, stream = b"ThisDocument", "ThisDocument".encode("utf-16-le")
    return (
        _record(0x01, struct.pack("<I", 1))  # SYSKIND: 32-bit Windows
        + _record(0x02, struct.pack("<I", 0x409))  # LCID
        + _record(0x14, struct.pack("<I", 0x409))  # LCIDINVOKE
        + _record(0x03, struct.pack("<H", 1252))  # CODEPAGE
        + _record(0x04, b"Project")  # NAME
        + _record(0x05, b"")  # DOCSTRING and its Unicode form
        + _record(0x40, b"")
        + _record(0x06, b"")  # HELPFILEPATH, twice
        + _record(0x3D, b"")
        + _record(0x07, struct.pack("<I", 0))  # HELPCONTEXT
        + _record(0x08, struct.pack("<I", 0))  # LIBFLAGS
        + struct.pack("<HIIH", 0x09, 4, 1, 0)  # VERSION
        + _record(0x0C, b"")  # CONSTANTS and its Unicode form
        + _record(0x3C, b"")
        + _record(0x0F, struct.pack("<H", 1))  # MODULES: one
        + _record(0x13, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
        + _record(0x19, name)  # MODULENAME
        + _record(0x47, stream)
        + _record(0x1A, name)  # MODULESTREAMNAME
        + _record(0x32, stream)
        + _record(0x1C, b"")  # MODULEDOCSTRING
        + _record(0x48, b"")
        + _record(0x31, struct.pack("<I", 0))  # MODULEOFFSET
        + _record(0x1E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        + _record(0x2C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        + _record(0x22, b"")  # MODULETYPE: document module
        + _record(0x2B, b"")  # module TERMINATOR
        + _record(0x10, b"")  # dir TERMINATOR
    )


def vba_project(root: str = "") -> dict:
    """The streams of a VBA project (MS-OVBA 2.2.1) holding an AutoOpen
    macro, under ``root``."""
    prefix = f"{root}/" if root else ""
    return {
        f"{prefix}PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n'
        b"Document=ThisDocument/&H00000000\r\n",
        f"{prefix}VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
        f"{prefix}VBA/dir": vba_compress(vba_dir()),
        f"{prefix}VBA/ThisDocument": vba_compress(MODULE_SOURCE),
    }


WORD_STREAM = b"\xec\xa5\xc1\x00" + b"\x00" * 60  # a FIB's first bytes


def plain_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("情况说明：执法人员未出示证件。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plain_xlsx(link: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "罚款金额"
    sheet["B1"] = 200
    if link:
        sheet["A2"] = "来源"
        sheet["A2"].hyperlink = link
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def repack(package: bytes, add: dict | None = None, replace=None) -> bytes:
    """The package with parts added, or changed by ``replace(name, data)``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if replace:
                data = replace(info.filename, data)
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _rels(*relationships: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{"".join(relationships)}</Relationships>'
    ).encode()


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def test_plain_documents_from_word_and_excel_writers_pass():
    for name, data in (("说明.docx", plain_docx()), ("表.xlsx", plain_xlsx())):
        checked = check(name, data, kinds=KINDS, limits=LIMITS)
        assert checked.content == data


def test_web_links_in_a_workbook_pass():
    data = plain_xlsx(link="https://www.jinan.gov.cn/")
    assert b'TargetMode="External"' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/_rels/sheet1.xml.rels"
    )
    assert check("表.xlsx", data, kinds=KINDS, limits=LIMITS).size == len(data)


def test_links_to_files_or_shares_are_refused():
    data = plain_xlsx(link="file://10.0.0.5/share/x.xlsx")
    with pytest.raises(UploadRefused, match=r"本机文件或网络共享"):
        check("表.xlsx", data, kinds=KINDS, limits=LIMITS)


def test_a_docx_with_a_vba_project_is_refused(compound_file):
    project = compound_file(vba_project())
    data = repack(plain_docx(), add={"word/vbaProject.bin": project})
    with pytest.raises(UploadRefused, match=r"“说明.docx”含有宏"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


def test_a_vba_project_under_another_name_is_still_found(compound_file):
    """olevba looks into every OLE part of the package, whatever its name."""
    project = compound_file(vba_project())
    data = repack(plain_docx(), add={"word/media/image9.bin": project})
    with pytest.raises(UploadRefused, match=r"含有宏"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


def test_a_macro_enabled_document_renamed_docx_is_refused():
    def macro_enabled(name, data):
        if name == "[Content_Types].xml":
            return data.replace(
                b"wordprocessingml.document.main+xml",
                b"ms-word.document.macroEnabled.main+xml",
            )
        return data

    data = repack(plain_docx(), replace=macro_enabled)
    with pytest.raises(UploadRefused, match=r"含有宏"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


def test_activex_controls_are_refused():
    data = repack(
        plain_docx(), add={"word/activeX/activeX1.xml": b"<ax:ocx ax:classid='x'/>"}
    )
    with pytest.raises(UploadRefused, match=r"ActiveX"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


@pytest.mark.parametrize(
    "part,kind,target",
    [
        (
            "word/_rels/settings.xml.rels",
            "attachedTemplate",
            "http://10.0.0.5/template.dotm",
        ),
        ("word/_rels/document.xml.rels", "oleObject", "\\\\10.0.0.5\\s\\x.xls"),
        ("word/_rels/document.xml.rels", "image", "https://tracker.example/p.png"),
    ],
)
def test_external_templates_objects_and_pictures_are_refused(part, kind, target):
    rel = (
        f'<Relationship Id="rId99" Type="{REL}/{kind}" Target="{target}" '
        'TargetMode="External"/>'
    )

    def add_rel(name, data):
        return data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")

    package = plain_docx()
    names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    if part in names:
        data = repack(package, replace=lambda n, d: add_rel(n, d) if n == part else d)
    else:
        data = repack(package, add={part: _rels(rel)})
    with pytest.raises(UploadRefused, match=r"外部模板、对象或图片"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


def test_a_workbook_with_macros_embedded_in_a_document_is_refused(compound_file):
    workbook = repack(
        plain_xlsx(), add={"xl/vbaProject.bin": compound_file(vba_project())}
    )
    data = repack(plain_docx(), add={"word/embeddings/Sheet1.xlsx": workbook})
    with pytest.raises(UploadRefused, match=r"含有宏"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


def test_an_embedded_plain_workbook_passes():
    data = repack(plain_docx(), add={"word/embeddings/Sheet1.xlsx": plain_xlsx()})
    assert check("说明.docx", data, kinds=KINDS, limits=LIMITS).size == len(data)


def test_an_embedded_ole_package_is_refused(compound_file):
    package = compound_file({"\x01Ole10Native": b"\x00\x00calc.exe\x00MZ"})
    data = repack(plain_docx(), add={"word/embeddings/oleObject1.bin": package})
    with pytest.raises(UploadRefused, match=r"程序包"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


def test_a_password_protected_docx_is_refused(compound_file):
    # Office saves an encrypted .docx as an OLE file of two streams.
    data = compound_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64}
    )
    with pytest.raises(UploadRefused, match=r"已加密"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


def test_an_unpacking_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * (25 * 1024 * 1024))
    small = Limits(max_bytes=1024 * 1024)
    assert len(out.getvalue()) < small.max_bytes
    with pytest.raises(UploadRefused, match=r"解压后过大"):
        check("说明.docx", out.getvalue(), kinds=KINDS, limits=small)


# --- Old formats (OLE) -----------------------------------------------------------


def test_a_plain_doc_and_xls_pass(compound_file):
    doc = compound_file({"WordDocument": WORD_STREAM, "1Table": b"\x00" * 32})
    xls = compound_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"})
    assert check("旧.doc", doc, kinds=KINDS, limits=LIMITS).content == doc
    assert check("旧.xls", xls, kinds=KINDS, limits=LIMITS).content == xls


def test_a_doc_with_an_autoopen_macro_is_refused(compound_file):
    data = compound_file({"WordDocument": WORD_STREAM, **vba_project("Macros")})
    # The bytes the old check looked at are those of any .doc.
    assert data.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
    with pytest.raises(UploadRefused, match=r"“旧.doc”含有宏"):
        check("旧.doc", data, kinds=KINDS, limits=LIMITS)


def test_olevba_alone_finds_the_macro_in_the_fixture(compound_file):
    """The fixture is a VBA project as olevba reads it, not just a name."""
    from oletools.olevba import VBA_Parser

    data = compound_file({"WordDocument": WORD_STREAM, **vba_project("Macros")})
    parser = VBA_Parser("fixture.doc", data=data)
    assert parser.detect_vba_macros()
    sources = [code for *_, code in parser.extract_macros()]
    assert any("AutoOpen" in code for code in sources)


def test_an_xls_with_a_vba_project_is_refused(compound_file):
    data = compound_file(
        {"Workbook": b"\x09\x08\x10\x00", **vba_project("_VBA_PROJECT_CUR")}
    )
    with pytest.raises(UploadRefused, match=r"含有宏"):
        check("表.xls", data, kinds=KINDS, limits=LIMITS)


def test_a_doc_with_an_embedded_package_is_refused(compound_file):
    data = compound_file(
        {
            "WordDocument": WORD_STREAM,
            "ObjectPool/_1234567890/\x01Ole10Native": b"\x00calc.exe\x00MZ",
        }
    )
    with pytest.raises(UploadRefused, match=r"程序包"):
        check("旧.doc", data, kinds=KINDS, limits=LIMITS)


def test_an_ole_file_of_another_kind_is_refused(compound_file):
    xls = compound_file({"Workbook": b"\x09\x08\x10\x00"})
    with pytest.raises(UploadRefused, match=r"内容与文件扩展名不符"):
        check("旧.doc", xls, kinds=KINDS, limits=LIMITS)


@pytest.mark.parametrize(
    "name,data",
    [
        ("说明.docx", b"PK\x03\x04 not really a zip"),
        ("表.xls", b"plain text pretending"),
    ],
)
def test_disguised_office_files_are_refused(name, data):
    with pytest.raises(UploadRefused, match=r"内容与文件扩展名不符"):
        check(name, data, kinds=KINDS, limits=LIMITS)


def test_a_broken_ole_file_is_refused_as_damaged():
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 100
    with pytest.raises(UploadRefused, match=r"“旧.doc”不是有效的 Office 文件或已损坏"):
        check("旧.doc", data, kinds=KINDS, limits=LIMITS)


def test_an_excel_4_macro_sheet_is_refused():
    def declare(name, data):
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/xl/macrosheets/sheet1.xml" ContentType='
                b'"application/vnd.ms-excel.macrosheet+xml"/></Types>',
            )
        return data

    sheet = (
        b'<xm:macrosheet xmlns:xm="x"><c><f>EXEC("calc.exe")</f></c></xm:macrosheet>'
    )
    data = repack(
        plain_xlsx(), add={"xl/macrosheets/sheet1.xml": sheet}, replace=declare
    )
    with pytest.raises(UploadRefused, match="含有宏"):
        check("表.xlsx", data, kinds=KINDS, limits=LIMITS)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize(
    "field",
    [
        # Split over runs, as Word itself writes long field codes.
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DD</w:instrText></w:r>'
        '<w:r><w:instrText xml:space="preserve">EAUTO c:\\\\windows\\\\system32'
        '\\\\cmd.exe "/k calc.exe"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:fldSimple w:instr=\' DDE "cmd" "/c calc" \'><w:r><w:t>x</w:t></w:r>'
        "</w:fldSimple>",
    ],
    ids=["instrText", "fldSimple"],
)
def test_dde_fields_are_refused(field):
    def add_field(name, data):
        if name == "word/document.xml":
            return data.replace(b"</w:p>", field.encode() + b"</w:p>", 1)
        return data

    data = repack(plain_docx(), replace=add_field)
    assert f'xmlns:w="{W}"'.encode() in zipfile.ZipFile(io.BytesIO(data)).read(
        "word/document.xml"
    )
    with pytest.raises(UploadRefused, match="DDE"):
        check("说明.docx", data, kinds=KINDS, limits=LIMITS)


def test_ordinary_fields_pass():
    field = (
        '<w:fldSimple w:instr=" PAGE \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r>'
        "</w:fldSimple>"
    )

    def add_field(name, data):
        if name == "word/document.xml":
            return data.replace(b"</w:p>", field.encode() + b"</w:p>", 1)
        return data

    data = repack(plain_docx(), replace=add_field)
    assert check("说明.docx", data, kinds=KINDS, limits=LIMITS).content == data


def test_a_dde_link_in_a_workbook_is_refused():
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main"><ddeLink ddeService="cmd" ddeTopic="/c calc.exe"/>'
        b"</externalLink>"
    )
    data = repack(plain_xlsx(), add={"xl/externalLinks/externalLink1.xml": link})
    with pytest.raises(UploadRefused, match="DDE"):
        check("表.xlsx", data, kinds=KINDS, limits=LIMITS)


def test_a_macro_document_embedded_in_an_old_doc_is_refused(compound_file):
    """Word keeps an embedded .docm whole in a "Package" stream, where
    olevba does not look."""
    inner = repack(
        plain_docx(), add={"word/vbaProject.bin": compound_file(vba_project())}
    )
    data = compound_file(
        {"WordDocument": WORD_STREAM, "ObjectPool/_1700000000/Package": inner}
    )
    with pytest.raises(UploadRefused, match=r"“旧.doc”含有宏"):
        check("旧.doc", data, kinds=KINDS, limits=LIMITS)


def test_a_plain_workbook_embedded_in_an_old_doc_passes(compound_file):
    data = compound_file(
        {"WordDocument": WORD_STREAM, "ObjectPool/_1700000000/Package": plain_xlsx()}
    )
    assert check("旧.doc", data, kinds=KINDS, limits=LIMITS).content == data


def test_an_embedded_package_under_any_part_name_is_checked(compound_file):
    macro_book = repack(
        plain_xlsx(), add={"xl/vbaProject.bin": compound_file(vba_project())}
    )
    plain = repack(plain_docx(), add={"word/embeddings/Object1.bin": plain_xlsx()})
    assert check("说明.docx", plain, kinds=KINDS, limits=LIMITS).content == plain
    bad = repack(plain_docx(), add={"word/embeddings/Object1.bin": macro_book})
    with pytest.raises(UploadRefused, match="含有宏"):
        check("说明.docx", bad, kinds=KINDS, limits=LIMITS)
