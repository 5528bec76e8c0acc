"""The numbered documents of Art. 18, generated as .docx.

- 《行政执法监督决定书》 (decision notice): the supervision decision on every
  person concerned, once each has a determination (Art. 17-19);
- 《行政执法监督意见书》 (opinion letter): issued for unlawful or improper
  enforcement acts (Art. 18 para. 2), with the corrections required (Art. 20).

Numbers run per kind and year in the office's style, 历城执监决〔2025〕1号 and
历城执监意〔2025〕1号. Generating again makes a new numbered version; earlier
versions are kept, as every casework record is. Files go to the private
casework storage, never under MEDIA_ROOT.

The layout (GB/T 9704: page, fonts, page numbers, the office's signature)
is the portal's, portal.documents; this module writes the content. These
are full internal and served documents: they name the persons concerned in
full and must not be published as they are.
"""

from __future__ import annotations

import datetime
import re

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
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
from portal.documents import (
    BODY_FONT,
    BODY_SIZE,
    ISSUER,
    add_heading,
    add_paragraph,
    add_title,
    office_document,
    render_docx,
    set_run_font,
    signature_block,
)
from portal.history import records_actor

__all__ = [
    "ISSUER",
    "NUMBER_FORMATS",
    "build_document",
    "check_can_generate",
    "chinese_date",
    "document_number",
    "effect_sentence",
    "generate_document",
    "render_docx",
    "repeat_sentences",
    "run_in_label",
]

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
    paragraph = add_paragraph(document)
    set_run_font(paragraph.add_run(label), BODY_FONT, BODY_SIZE, bold=True)
    set_run_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    if not text:
        # A label introducing the lines below it stays on their page.
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _header(document, kind: str, number: str, case: SupervisionCase) -> None:
    add_title(document, CaseDocument.Kind(kind).label)
    add_paragraph(document, number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(document, indent=False)
    add_paragraph(document, f"{case.agency.name}：", indent=False)


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
    person = add_paragraph(document, f"（{_ordinal(index)}）{_person(link)}")
    person.paragraph_format.keep_with_next = True
    _labelled(document, "涉及问题：", link.get_error_type_display())
    if determination is None:
        _labelled(document, "认定结果：", "尚未作出认定。")
        return
    if statement := _statement_sentence(link):
        add_paragraph(document, statement)
    _labelled(document, "查明事实：", determination.facts)
    _labelled(
        document,
        "认定结果：",
        f"{Outcome(determination.outcome).label}"
        f"（{chinese_date(determination.decided_on)}认定）",
    )
    _labelled(document, "认定依据：", f"依据{POLICY_TITLE}")
    for code in determination.basis:
        add_paragraph(document, str(get_item(code)) + "。")
    _labelled(document, "“三个区分开来”（第二条）：", "")
    for label, attribute in DISTINCTIONS:
        text = getattr(determination, attribute)
        add_paragraph(document, run_in_label(f"{label}：", text) + text)
    for sentence in repeat_sentences(determination):
        add_paragraph(document, sentence)
    _labelled(document, "处理：", effect_sentence(determination))


def _corrections_section(document, case: SupervisionCase, heading: str) -> None:
    corrections = list(case.corrections.order_by("pk"))
    add_heading(document, heading)
    if not corrections:
        add_paragraph(
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
    add_paragraph(
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
    add_paragraph(
        document,
        f"本机构依据{POLICY_TITLE}，于{chinese_date(case.filed_on)}对"
        f"“{case.title}”一案立案（案件编号：{case.number}）核查。{purpose}",
    )
    if case.joint_investigation and case.joint_counterpart:
        add_paragraph(
            document, f"本案商请{case.joint_counterpart}开展联合调查（第十三条）。"
        )

    add_heading(document, "一、被监督的行政执法行为")
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
    add_heading(document, "二、认定意见" if decision else "二、存在的问题")
    for index, link in enumerate(links, start=1):
        _officer_section(document, index, link)

    if decision:
        if case.corrections.exists():
            _corrections_section(document, case, "三、纠错要求")
            add_heading(document, "四、复核")
        else:
            add_heading(document, "三、复核")
        add_paragraph(document, REVIEW_RIGHT)
    else:
        _corrections_section(document, case, "三、纠错要求")

    signature_block(document, issued_on)
    return document


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
