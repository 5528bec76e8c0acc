"""Writing the office's .docx documents: the page, the fonts and the parts
every document of the office shares, whichever plugin writes it.

A plugin writes its own content (casework's decision notices and opinion
letters, its periodic reports) with these helpers:

- :func:`office_document` starts a document in the office's format;
- :func:`add_title`, :func:`add_heading` and :func:`add_paragraph` add the
  title, a first-level heading and a body paragraph; :func:`set_run_font`
  sets the font of any other run (a table cell, a bold label);
- :func:`signature_block` ends it with the office's name and the date;
- :func:`render_docx` gives the file's bytes.

The layout follows GB/T 9704-2012 for official documents: A4, margins
3.7 cm top, 3.5 cm bottom, 2.8 cm left, 2.6 cm right; title in 小标宋 (here
宋体, bold) 二号; body in 仿宋 三号 (16 pt) on a fixed 28 pt line; first-level
headings in 黑体; page numbers in the footer as 7.5 lays them out. Naming a
download is portal.downloads' part (:func:`portal.downloads.content_disposition`).
"""

from __future__ import annotations

import datetime
import io
from xml.sax.saxutils import escape

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from portal import clock

__all__ = [
    "APPLICATION",
    "BODY_FONT",
    "BODY_SIZE",
    "HEADING_FONT",
    "INDENT",
    "ISSUER",
    "LINE_SPACING",
    "PAGE_NUMBER_FONT",
    "PAGE_NUMBER_SIZE",
    "TITLE_FONT",
    "TITLE_LINE_SPACING",
    "TITLE_SIZE",
    "add_heading",
    "add_paragraph",
    "add_title",
    "office_document",
    "render_docx",
    "set_run_font",
    "signature_block",
]

# The office that issues the documents, named as it signs them, and the
# system that writes them (the documents' application property).
ISSUER = "历城区人民政府行政执法监督机构"
APPLICATION = "历城区行政执法履职尽责容错纠错平台"

# Fonts: 仿宋 body, 黑体 headings, 宋体 for the title (方正小标宋 where installed).
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TITLE_LINE_SPACING = Pt(36)
LINE_SPACING = Pt(28)
INDENT = Pt(32)  # two characters of 三号
PAGE_NUMBER_FONT = "宋体"
PAGE_NUMBER_SIZE = Pt(14)  # 四号


def set_run_font(run, name: str, size=None, *, bold: bool = False) -> None:
    """Set ``run``'s font to ``name`` for Latin and East Asian text alike
    (python-docx's ``font.name`` alone leaves Chinese characters in the
    template's font), with ``size`` and bold when given."""
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = size
    if bold:
        run.font.bold = True


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.top_margin = Cm(3.7)
    section.bottom_margin = Cm(3.5)
    section.left_margin = Cm(2.8)
    section.right_margin = Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _page_number_field(paragraph) -> None:
    """A PAGE field (complex form, so every word processor updates it)."""

    def run_with(child):
        run = paragraph.add_run()
        set_run_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        run._element.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run_with(instruction)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    set_run_font(paragraph.add_run("1"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page_numbers(document) -> None:
    """Page numbers as GB/T 9704-2012 7.5 lays them out: 4号 半角宋体 digits
    between two 一字线 (— 1 —), below the type area; odd pages on the right,
    even pages on the left, one character in from the edge."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    # The number's top sits about 7 mm below the type area (3.5 cm margin).
    section.footer_distance = Cm(2.2)
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.line_spacing = 1.0
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = PAGE_NUMBER_SIZE
        else:
            fmt.left_indent = PAGE_NUMBER_SIZE
        set_run_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        _page_number_field(paragraph)
        set_run_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _properties(document, title: str, created: datetime.datetime) -> None:
    """Core and application properties: the office as author and company,
    the document's title and the real time (not python-docx's template)."""
    created = created.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    core = document.core_properties
    core.author = ISSUER
    core.last_modified_by = ISSUER
    core.title = title
    core.subject = ""
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    core.created = created
    core.modified = created
    package = document.part.package
    thumbnail = None
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = _app_properties(title)
        elif part.partname == "/docProps/thumbnail.jpeg":
            # python-docx's template carries a thumbnail of an empty page.
            thumbnail = part
    for rel_id, rel in list(package.rels.items()):
        if thumbnail is not None and rel.target_part is thumbnail:
            package.rels.pop(rel_id)
            package.rels._target_parts_by_rId.pop(rel_id, None)


def _app_properties(title: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/'
        'officeDocument/2006/docPropsVTypes">'
        f"<Application>{escape(APPLICATION)}</Application>"
        "<DocSecurity>0</DocSecurity>"
        f"<Company>{escape(ISSUER)}</Company>"
        "<LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>16.0000</AppVersion>"
        "</Properties>"
    ).encode()


def office_document(title: str, *, created: datetime.datetime | None = None):
    """A new python-docx Document in the office's format: GB/T 9704 page
    and fonts, page numbers in the footer, the office and ``title`` in its
    properties, ``created`` (now by default) as its creation time."""
    document = Document()
    _setup(document)
    _page_numbers(document)
    _properties(document, title, created or timezone.now())
    return document


def add_paragraph(
    document, text: str = "", *, indent: bool = True, align=None, font=None
):
    """A body paragraph of ``text`` (empty for a blank line): 仿宋 三号,
    first line indented two characters unless ``indent`` is false,
    ``align`` a WD_ALIGN_PARAGRAPH value, ``font`` another font name."""
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    if align is not None:
        paragraph.alignment = align
    if text:
        set_run_font(paragraph.add_run(text), font or BODY_FONT, BODY_SIZE)
    return paragraph


def add_heading(document, text: str):
    """A first-level heading (黑体), kept on the page of what follows it."""
    paragraph = add_paragraph(document, text, font=HEADING_FONT)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def add_title(document, text: str):
    """The document's title: centred, 小标宋 (宋体) 二号 bold on a 36 pt line."""
    paragraph = add_paragraph(document, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.line_spacing = TITLE_LINE_SPACING
    set_run_font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE, bold=True)
    return paragraph


def signature_block(document, issued_on: datetime.date) -> None:
    """The office's name, the date and the seal's place, kept on one page
    with the last lines of the body (GB/T 9704-2012 7.3.5: the seal and the
    date never stand on a page without text).

    The body's last paragraph keeps with the block; the block is one chain
    of keep-with-next, keep-together paragraphs: one blank line after the
    text, where the seal's top begins, the office's name, the date four
    characters in from the right."""
    body = document.paragraphs[-1] if document.paragraphs else None
    if body is not None:
        body.paragraph_format.keep_with_next = True
        body.paragraph_format.keep_together = True
    space = add_paragraph(document, indent=False)
    name = add_paragraph(document, ISSUER, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    name.paragraph_format.right_indent = INDENT
    date = add_paragraph(
        document,
        clock.cn_date(issued_on),
        indent=False,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    date.paragraph_format.right_indent = INDENT * 2
    # Room for the seal, which presses on the name and the date.
    name.paragraph_format.space_before = Pt(28)
    for paragraph in (space, name, date):
        paragraph.paragraph_format.keep_together = True
    space.paragraph_format.keep_with_next = True
    name.paragraph_format.keep_with_next = True


def render_docx(document) -> bytes:
    """The bytes of ``document`` as a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
