"""The numbered documents of Art. 18, generated as .docx.

- 《行政执法监督决定书》 (decision notice): the supervision decision on every
  person concerned, once each has a determination (Art. 17-19);
- 《行政执法监督意见书》 (opinion letter): issued for unlawful or improper
  enforcement acts (Art. 18 para. 2), with the corrections required (Art. 20).

Numbers run per kind and year in the office's style, 历城执监决〔2025〕1号 and
历城执监意〔2025〕1号. Generating again makes a new numbered version; earlier
versions are kept, as every casework record is. Files go to the private
casework storage, never under MEDIA_ROOT.

The layout follows GB/T 9704 for official documents: A4, margins 3.7 cm top,
3.5 cm bottom, 2.8 cm left, 2.6 cm right; title in 小标宋 (here 宋体, bold)
二号; body in 仿宋 三号 (16 pt) on a fixed 28 pt line; first-level headings in
黑体. These are full internal and served documents: they name the persons
concerned in full and must not be published as they are.
"""

from __future__ import annotations

import datetime
import io
import re
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
from casework.history import records_actor
from casework.models import (
    ActFinding,
    CaseDocument,
    CaseOfficer,
    Determination,
    Officer,
    SupervisionCase,
)
from casework.models.investigation import private_storage
from casework.rules.articles import Effect, Outcome, effect, get_item
from casework.rules.provenance import Article, OfficeRule, Reading, cite, sourced
from casework.rules.repeat import RepeatFinding
from casework.services import CaseworkError
from portal import clock

__all__ = [
    "ISSUER",
    "NUMBER_FORMATS",
    "build_document",
    "check_can_generate",
    "chinese_date",
    "document_number",
    "effect_sentence",
    "generate_document",
    "office_document",
    "render_docx",
    "repeat_sentences",
    "signature_block",
]

ISSUER = "历城区人民政府行政执法监督机构"
APPLICATION = "历城区行政执法履职尽责容错纠错平台"
POLICY_TITLE = "《历城区行政执法履职尽责容错纠错实施办法（试行）》"

NUMBER_FORMATS = {
    CaseDocument.Kind.OPINION_LETTER: "历城执监意〔{year}〕{sequence}号",
    CaseDocument.Kind.DECISION_NOTICE: "历城执监决〔{year}〕{sequence}号",
}

REVIEW_RIGHT = (
    "如对本决定不服，可以在收到本决定之日起15日内向区行政执法监督机构"
    "书面提出复核申请（第十九条）。"
)

DISTINCTIONS = (
    ("改革探索与明知故犯", "distinction_reform"),
    ("探索性试验与明令禁止", "distinction_exploration"),
    ("无意过失与谋取私利", "distinction_intent"),
)

# Art. 4 para. 2, in the words of the measures whatever the interface language.
OFFICER_STATUS = {
    Officer.Status.CERTIFIED: "行政执法人员",
    Officer.Status.UNCERTIFIED: "未取得行政执法证件的在编人员",
    Officer.Status.AUXILIARY: "行政执法辅助人员",
}

CHINESE_ORDINALS = "一二三四五六七八九十"

# Fonts: 仿宋 body, 黑体 headings, 宋体 for the title (方正小标宋 where installed).
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
LINE_SPACING = Pt(28)
INDENT = Pt(32)  # two characters of 三号
PAGE_NUMBER_FONT = "宋体"
PAGE_NUMBER_SIZE = Pt(14)  # 四号


def _today() -> datetime.date:
    return timezone.localdate()


def chinese_date(day: datetime.date) -> str:
    """A date as written in official documents: 2025年3月1日 (the site's
    one date style, portal.clock)."""
    return clock.cn_date(day)


def document_number(kind: str, year: int, sequence: int) -> str:
    return NUMBER_FORMATS[CaseDocument.Kind(kind)].format(year=year, sequence=sequence)


def _ordinal(index: int) -> str:
    """一, 二, … for the headings of a document (index from 1, up to 10)."""
    return CHINESE_ORDINALS[index - 1] if 1 <= index <= 10 else str(index)


# --- Permission and completeness --------------------------------------------------


def _case_officers(case: SupervisionCase) -> list[CaseOfficer]:
    return list(
        case.case_officers.select_related(
            "officer", "determination", "statement"
        ).order_by("pk")
    )


def _determination(link: CaseOfficer) -> Determination | None:
    try:
        return link.determination
    except Determination.DoesNotExist:
        return None


def check_can_generate(case: SupervisionCase, kind: str, user) -> None:
    """Raise CaseworkError (Chinese messages) when ``user`` may not generate
    ``kind`` for ``case`` now."""
    if kind not in NUMBER_FORMATS:
        raise CaseworkError(f"未知的文书种类：{kind}")
    if not roles.is_officer(user):
        raise CaseworkError("只有监督机构工作人员可以制发监督文书。")
    if not SupervisionCase.objects.visible_to(user).filter(pk=case.pk).exists():
        raise CaseworkError("您无权办理此案件（可能已回避）。")
    if case.is_archived:
        raise CaseworkError("案件已归档，案卷只读，不能再制发文书。")
    links = _case_officers(case)
    if not links:
        raise CaseworkError("尚未登记被调查人，无从制发监督文书。")
    if kind == CaseDocument.Kind.DECISION_NOTICE:
        missing = [link.officer.name for link in links if _determination(link) is None]
        if missing:
            raise CaseworkError(
                "尚有被调查人未作出认定，不能制发行政执法监督决定书："
                + "、".join(missing)
                + "。"
            )
    elif not ActFinding.calls_for_letter(case.act_finding):
        # The letter concerns the enforcement act, not the officers' outcomes:
        # an act can be unlawful while every officer fulfilled duty (Art. 9(2)).
        raise CaseworkError(
            sourced(
                Article(18),
                "行政执法监督意见书针对发现的违法或不当行政执法行为制发，"
                "本案尚未认定被监督的行政执法行为违法或不当",
            )
        )


# --- Building the .docx (no database writes) --------------------------------------


def _set_run_font(run, name: str, size=None, *, bold: bool = False) -> None:
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
        _set_run_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
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
    _set_run_font(paragraph.add_run("1"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
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
        _set_run_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        _page_number_field(paragraph)
        _set_run_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


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
    """A new .docx in the office's format: GB/T 9704 page and fonts, page
    numbers in the footer, the office and ``title`` in its properties."""
    document = Document()
    _setup(document)
    _page_numbers(document)
    _properties(document, title, created or timezone.now())
    return document


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
    space = _para(document, indent=False)
    name = _para(document, ISSUER, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    name.paragraph_format.right_indent = INDENT
    date = _para(
        document, chinese_date(issued_on), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    date.paragraph_format.right_indent = INDENT * 2
    # Room for the seal, which presses on the name and the date.
    name.paragraph_format.space_before = Pt(28)
    for paragraph in (space, name, date):
        paragraph.paragraph_format.keep_together = True
    space.paragraph_format.keep_with_next = True
    name.paragraph_format.keep_with_next = True


def _para(document, text: str = "", *, indent: bool = True, align=None, font=None):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    if align is not None:
        paragraph.alignment = align
    if text:
        _set_run_font(paragraph.add_run(text), font or BODY_FONT, BODY_SIZE)
    return paragraph


def _heading(document, text: str):
    """A first-level heading (黑体), kept on the page of what follows it."""
    paragraph = _para(document, text, font=HEADING_FONT)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def run_in_label(label: str, text: str) -> str:
    """The label as printed before ``text``: 「认定结果：」, or, where the
    text has a colon of its own (「监督检查发现：…」), a run-in heading
    ending in 。 (「行为概况。」), so no sentence carries two colons."""
    if label.endswith("：") and "：" in _outside_brackets(text):
        return label[:-1] + "。"
    return label


_BRACKETED = re.compile(r"（[^（）]*）|“[^“”]*”|《[^《》]*》")


def _outside_brackets(text: str) -> str:
    """``text`` without its bracketed, quoted and titled parts (a colon in
    「（本机构理解：…）」 is no colon of the sentence)."""
    while True:
        stripped = _BRACKETED.sub("", text)
        if stripped == text:
            return text
        text = stripped


def _labelled(document, label: str, text: str):
    """A body paragraph starting with a bold label: 「认定结果：免责」."""
    label = run_in_label(label, text)
    paragraph = _para(document)
    _set_run_font(paragraph.add_run(label), BODY_FONT, BODY_SIZE, bold=True)
    _set_run_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    if not text:
        # A label introducing the lines below it stays on their page.
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _header(document, kind: str, number: str, case: SupervisionCase) -> None:
    title = _para(document, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    _set_run_font(
        title.add_run(CaseDocument.Kind(kind).label), TITLE_FONT, TITLE_SIZE, bold=True
    )
    _para(document, number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, indent=False)
    _para(document, f"{case.agency.name}：", indent=False)


def _person(link: CaseOfficer) -> str:
    officer = link.officer
    details = [OFFICER_STATUS.get(officer.status, officer.get_status_display())]
    if officer.position:
        details.append(officer.position)
    if officer.certificate_number:
        details.append(f"执法证号{officer.certificate_number}")
    return f"{officer.name}（{'，'.join(details)}）"


MITIGATION_RECOMMENDED = {
    Outcome.LIGHTER: "从轻处理",
    Outcome.REDUCED: "减轻处理",
    Outcome.MITIGATION_LIGHTER: "从轻追究责任",
    Outcome.MITIGATION_REDUCED: "减轻追究责任",
}


def effect_sentence(determination: Determination) -> str:
    """The Art. 18 effect of an outcome, as stated in the documents.

    Reading ``exemption_meaning``: only an exemption is 容错免责; 从轻/减轻 are
    "不予容错免责" and go to the error-liability procedure with the mitigation
    recommended (Art. 18 has only these two outcomes)."""
    outcome = Outcome(determination.outcome)
    kind = effect(outcome)
    if kind == Effect.EXEMPTED:
        return "依据第十八条，予以容错免责，不作为行政执法错误认定。"
    if kind == Effect.NO_LIABILITY:
        return "依据第九条，认定为履职尽责；依照第二条“尽职免责”的原则，不予追究责任。"
    referred = determination.liability_referred_to.strip().rstrip("。")
    handed = (
        f"移送{referred}依照行政执法过错责任追究程序追究行政执法过错责任"
        if referred
        else "依照行政执法过错责任追究程序追究行政执法过错责任"
    )
    if kind == Effect.LIABILITY:
        return f"依据第十八条，不予容错免责，{handed}。"
    return (
        f"依据第十八条，不予容错免责，{handed}，并建议"
        f"{MITIGATION_RECOMMENDED[outcome]}（{cite(Reading('exemption_meaning'))}）。"
    )


def repeat_sentences(determination: Determination) -> list[str]:
    """The person's earlier determinations and the office's Art. 12(5)
    finding, as shown on the determination and in the decision notice."""
    sentences = []
    earlier = determination.prior_determinations or []
    if earlier:
        listed = "；".join(
            f"{row['case']}，{Outcome(row['outcome']).label}，"
            f"{chinese_date(datetime.date.fromisoformat(row['decided_on']))}认定"
            for row in earlier
        )
        sentences.append(f"该人员的既往认定：{listed}。")
    elif determination.prior_exemptions:
        sentences.append(
            "该人员的既往容错免责认定："
            + "、".join(determination.prior_exemptions)
            + "。"
        )
    if determination.repeat_finding:
        finding = RepeatFinding(determination.repeat_finding)
        text = f"关于第十二条第（五）项：{finding.label}"
        if determination.repeat_conduct_on:
            text += f"（本次失误发生于{chinese_date(determination.repeat_conduct_on)}）"
        if determination.repeat_reasons:
            text += f"。理由：{determination.repeat_reasons}"
        sentences.append(text.rstrip("。") + "。")
    return sentences


def _statement_sentence(link: CaseOfficer) -> str | None:
    statement = getattr(link, "statement", None)
    if statement is None:
        return None
    if statement.waived:
        return f"被调查人于{chinese_date(statement.heard_on)}书面放弃陈述申辩。"
    return f"已于{chinese_date(statement.heard_on)}充分听取被调查人的陈述申辩。"


def _officer_section(document, index: int, link: CaseOfficer) -> None:
    determination = _determination(link)
    person = _para(document, f"（{_ordinal(index)}）{_person(link)}")
    person.paragraph_format.keep_with_next = True
    _labelled(document, "涉及问题：", link.get_error_type_display())
    if determination is None:
        _labelled(document, "认定结果：", "尚未作出认定。")
        return
    if statement := _statement_sentence(link):
        _para(document, statement)
    _labelled(document, "查明事实：", determination.facts)
    _labelled(
        document,
        "认定结果：",
        f"{Outcome(determination.outcome).label}"
        f"（{chinese_date(determination.decided_on)}认定）",
    )
    _labelled(document, "认定依据：", f"依据{POLICY_TITLE}")
    for code in determination.basis:
        _para(document, str(get_item(code)) + "。")
    _labelled(document, "“三个区分开来”（第二条）：", "")
    for label, attribute in DISTINCTIONS:
        text = getattr(determination, attribute)
        _para(document, run_in_label(f"{label}：", text) + text)
    for sentence in repeat_sentences(determination):
        _para(document, sentence)
    _labelled(document, "处理：", effect_sentence(determination))


def _corrections_section(document, case: SupervisionCase, heading: str) -> None:
    corrections = list(case.corrections.order_by("pk"))
    _heading(document, heading)
    if not corrections:
        _para(
            document,
            "请你单位认真分析原因、深刻汲取教训，完善制度、健全机制，"
            "防止类似错误再次发生（第二十条）。",
        )
        return
    for index, correction in enumerate(corrections, start=1):
        _labelled(document, f"（{_ordinal(index)}）纠错事由：", correction.reasons)
        _labelled(document, "纠错事项：", correction.items)
        _labelled(document, "纠错要求：", correction.requirements)
        _labelled(document, "整改期限：", f"{chinese_date(correction.deadline)}前")
    _para(
        document,
        "请你单位按照上述要求限期纠正问题、改进工作，认真分析原因、深刻汲取教训，"
        "完善制度、健全机制；因特殊情况难以在规定时间内完成的，可以申请延长整改期限"
        "（第二十条）。请于整改期限届满前将整改情况书面报告本机构"
        f"（{cite(OfficeRule('correction_completion_reported'))}）。",
    )


def build_document(
    case: SupervisionCase,
    kind: str,
    *,
    number: str,
    issued_on: datetime.date,
    created: datetime.datetime | None = None,
):
    """The python-docx Document for ``kind``; reads the case, writes nothing.
    ``created`` is the time recorded in its properties (now by default)."""
    kind = CaseDocument.Kind(kind)
    document = office_document(f"{kind.label}（{number}）", created=created)
    _header(document, kind, number, case)
    links = _case_officers(case)
    if kind == CaseDocument.Kind.OPINION_LETTER:
        links = [link for link in links if _determination(link) is not None]
        purpose = (
            "经审查和调查，发现相关行政执法行为存在违法或不当情形，现提出监督意见如下。"
        )
    else:
        purpose = "经审查和调查，现作出行政执法监督决定如下。"
    _para(
        document,
        f"本机构依据{POLICY_TITLE}，于{chinese_date(case.filed_on)}对"
        f"“{case.title}”一案立案（案件编号：{case.number}）核查。{purpose}",
    )
    if case.joint_investigation and case.joint_counterpart:
        _para(document, f"本案商请{case.joint_counterpart}开展联合调查（第十三条）。")

    _heading(document, "一、被监督的行政执法行为")
    _labelled(document, "执法事项：", case.get_matter_type_display())
    _labelled(document, "执法领域：", case.field.name)
    _labelled(document, "行为概况：", case.summary)
    if case.act_finding:
        _labelled(
            document,
            "行为认定：",
            f"{ActFinding(case.act_finding).label}。{case.act_finding_reasons}",
        )

    decision = kind == CaseDocument.Kind.DECISION_NOTICE
    _heading(document, "二、认定意见" if decision else "二、存在的问题")
    for index, link in enumerate(links, start=1):
        _officer_section(document, index, link)

    if decision:
        if case.corrections.exists():
            _corrections_section(document, case, "三、纠错要求")
            _heading(document, "四、复核")
        else:
            _heading(document, "三、复核")
        _para(document, REVIEW_RIGHT)
    else:
        _corrections_section(document, case, "三、纠错要求")

    signature_block(document, issued_on)
    return document


def render_docx(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Numbering and saving ---------------------------------------------------------


def _file_name(kind: str, case: SupervisionCase, year: int, sequence: int) -> str:
    """An ASCII name: decision_notice-case2025-3-no2025-1.docx."""
    name = f"{kind}-case{case.year}-{case.sequence}-no{year}-{sequence}.docx"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def _save(case: SupervisionCase, kind: str, *, user, issued_on) -> CaseDocument:
    """Number, build and store one document; the row and file in one go."""
    year = issued_on.year
    sequence = (
        CaseDocument.objects.filter(kind=kind, year=year).aggregate(
            top=Max("sequence")
        )["top"]
        or 0
    ) + 1
    number = document_number(kind, year, sequence)
    content = render_docx(
        build_document(case, kind, number=number, issued_on=issued_on)
    )
    record = CaseDocument(
        case=case,
        kind=kind,
        year=year,
        sequence=sequence,
        number=number,
        round=case.decision_round,
        created_by=user,
        file=ContentFile(content, name=_file_name(kind, case, year, sequence)),
    )
    try:
        record.save()
    except Exception:
        # The row was not written: do not leave its file behind.
        if record.file.name and record.file._committed:
            private_storage.delete(record.file.name)
        raise
    return record


@records_actor
@audited(
    AuditAction.CASE_DOCUMENT,
    detail=lambda result, kw: {
        "kind": result.kind,
        "document_number": result.number,
    },
)
def generate_document(case: SupervisionCase, kind: str, *, user) -> CaseDocument:
    """Generate a numbered opinion letter or decision notice for ``case``.

    Raises CaseworkError when the user may not, the case is archived, or the
    determinations the document needs are missing; nothing is saved then.
    """
    attempts = 5
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                # Serialise generation for the case and read it fresh.
                case = SupervisionCase.objects.select_for_update().get(pk=case.pk)
                check_can_generate(case, kind, user)
                return _save(case, kind, user=user, issued_on=_today())
        except IntegrityError:
            # Another document took the number: take the next one.
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
