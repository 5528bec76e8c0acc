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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from portal import clock, numerals
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

REVIEW_RIGHT = gettext_lazy(
    "If you disagree with this decision, you may request a review in writing from"
    " the district administrative law enforcement supervision office within 15"
    " days of receiving it (Art. 19)."
)

DISTINCTIONS = (
    (gettext_lazy("reform exploration vs. knowing violation"), "distinction_reform"),
    (
        gettext_lazy("exploratory trial vs. express prohibition"),
        "distinction_exploration",
    ),
    (
        gettext_lazy("unintentional fault vs. seeking private gain"),
        "distinction_intent",
    ),
)

# Art. 4 para. 2, in the words of the measures whatever the interface language.
OFFICER_STATUS = {
    Officer.Status.CERTIFIED: "行政执法人员",
    Officer.Status.UNCERTIFIED: "未取得行政执法证件的在编人员",
    Officer.Status.AUXILIARY: "行政执法辅助人员",
}


def _today() -> datetime.date:
    return timezone.localdate()


def chinese_date(day: datetime.date) -> str:
    """A date as written in official documents: 2025年3月1日 (the site's
    one date style, portal.clock)."""
    return clock.cn_date(day)


def document_number(kind: str, year: int, sequence: int) -> str:
    return NUMBER_FORMATS[CaseDocument.Kind(kind)].format(year=year, sequence=sequence)


def _ordinal(index: int) -> str:
    """一, 二, … 十一 … for the headings of a document (index from 1)."""
    return numerals.to_chinese(index) if 1 <= index <= numerals.LARGEST else str(index)


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
        raise CaseworkError(_("Unknown document kind: %(kind)s") % {"kind": kind})
    if not roles.is_officer(user):
        raise CaseworkError(
            _("Only staff of the supervision office can issue supervision documents.")
        )
    if not SupervisionCase.objects.visible_to(user).filter(pk=case.pk).exists():
        raise CaseworkError(
            _("You may not handle this case (you may have recused yourself).")
        )
    if case.is_archived:
        raise CaseworkError(
            _(
                "The case is archived; its file is read-only and no more documents"
                " can be issued."
            )
        )
    links = _case_officers(case)
    if not links:
        raise CaseworkError(
            _(
                "No person concerned is registered; there is nobody to issue a"
                " supervision document about."
            )
        )
    if kind == CaseDocument.Kind.DECISION_NOTICE:
        missing = [link.officer.name for link in links if _determination(link) is None]
        if missing:
            raise CaseworkError(
                _(
                    "Some persons concerned have no determination yet; the supervision"
                    " decision cannot be issued: %(names)s."
                )
                % {"names": "、".join(missing)}
            )
    elif not ActFinding.calls_for_letter(case.act_finding):
        # The letter concerns the enforcement act, not the officers' outcomes:
        # an act can be unlawful while every officer fulfilled duty (Art. 9(2)).
        raise CaseworkError(
            sourced(
                Article(18),
                _(
                    "A supervision opinion is issued on an enforcement act found"
                    " unlawful or improper; this case has no such finding yet"
                ),
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
    add_paragraph(
        document, _("%(addressee)s:") % {"addressee": case.agency.name}, indent=False
    )


def _person(link: CaseOfficer) -> str:
    officer = link.officer
    details = [OFFICER_STATUS.get(officer.status, officer.get_status_display())]
    if officer.position:
        details.append(officer.position)
    if officer.certificate_number:
        details.append(
            _("enforcement certificate no. %(number)s")
            % {"number": officer.certificate_number}
        )
    return f"{officer.name}（{'，'.join(details)}）"


MITIGATION_RECOMMENDED = {
    Outcome.LIGHTER: gettext_lazy("lighter handling"),
    Outcome.REDUCED: gettext_lazy("reduced handling"),
    Outcome.MITIGATION_LIGHTER: gettext_lazy("liability pursued more lightly"),
    Outcome.MITIGATION_REDUCED: gettext_lazy("liability reduced"),
}


def effect_sentence(determination: Determination) -> str:
    """The Art. 18 effect of an outcome, as stated in the documents.

    Reading ``exemption_meaning``: only an exemption is 容错免责; 从轻/减轻 are
    "不予容错免责" and go to the error-liability procedure with the mitigation
    recommended (Art. 18 has only these two outcomes)."""
    outcome = Outcome(determination.outcome)
    kind = effect(outcome)
    if kind == Effect.EXEMPTED:
        return _(
            "Under Art. 18, tolerance and exemption granted; not determined to be an"
            " enforcement error."
        )
    if kind == Effect.NO_LIABILITY:
        return _(
            "Under Art. 9, determined to have fulfilled the duty; under the principle"
            " of “exemption for duty done” of Art. 2, no liability is pursued."
        )
    referred = determination.liability_referred_to.strip().rstrip("。")
    handed = (
        _(
            "referred to %(body)s to pursue the enforcement fault liability under the"
            " enforcement fault liability procedure"
        )
        % {"body": referred}
        if referred
        else _(
            "the enforcement fault liability is pursued under the enforcement fault"
            " liability procedure"
        )
    )
    if kind == Effect.LIABILITY:
        return _("Under Art. 18, no tolerance and exemption; %(handling)s.") % {
            "handling": handed
        }
    return _(
        "Under Art. 18, no tolerance and exemption; %(handling)s, and %(mitigation)s"
        " is recommended (%(source)s)."
    ) % {
        "handling": handed,
        "mitigation": MITIGATION_RECOMMENDED[outcome],
        "source": cite(Reading("exemption_meaning")),
    }


def repeat_sentences(determination: Determination) -> list[str]:
    """The person's earlier determinations and the office's Art. 12(5)
    finding, as shown on the determination and in the decision notice."""
    sentences = []
    earlier = determination.prior_determinations or []
    if earlier:
        listed = "；".join(
            _("%(case)s, %(outcome)s, determined on %(date)s")
            % {
                "case": row["case"],
                "outcome": Outcome(row["outcome"]).label,
                "date": chinese_date(datetime.date.fromisoformat(row["decided_on"])),
            }
            for row in earlier
        )
        sentences.append(
            _("This person's earlier determinations: %(listed)s.") % {"listed": listed}
        )
    elif determination.prior_exemptions:
        sentences.append(
            _("This person's earlier exemptions: %(listed)s.")
            % {"listed": "、".join(determination.prior_exemptions)}
        )
    if determination.repeat_finding:
        finding = RepeatFinding(determination.repeat_finding)
        text = _("On Art. 12(5): %(finding)s") % {"finding": finding.label}
        if determination.repeat_conduct_on:
            text += _(" (this slip occurred on %(date)s)") % {
                "date": chinese_date(determination.repeat_conduct_on)
            }
        if determination.repeat_reasons:
            text += _(". Reasons: %(reasons)s") % {
                "reasons": determination.repeat_reasons
            }
        sentences.append(text.rstrip("。") + "。")
    return sentences


def _statement_sentence(link: CaseOfficer) -> str | None:
    statement = getattr(link, "statement", None)
    if statement is None:
        return None
    if statement.waived:
        return _(
            "On %(date)s the person concerned waived the statement and defence in"
            " writing."
        ) % {"date": chinese_date(statement.heard_on)}
    return _(
        "The statement and defence of the person concerned were fully heard on"
        " %(date)s."
    ) % {"date": chinese_date(statement.heard_on)}


def _officer_section(document, index: int, link: CaseOfficer) -> None:
    determination = _determination(link)
    person = add_paragraph(
        document,
        _("(%(ordinal)s) %(person)s")
        % {"ordinal": _ordinal(index), "person": _person(link)},
    )
    person.paragraph_format.keep_with_next = True
    _labelled(document, _("Issue: "), link.get_error_type_display())
    if determination is None:
        _labelled(document, _("Outcome: "), _("No determination yet."))
        return
    if statement := _statement_sentence(link):
        add_paragraph(document, statement)
    _labelled(document, _("Facts found: "), determination.facts)
    _labelled(
        document,
        _("Outcome: "),
        _("%(outcome)s (determined on %(date)s)")
        % {
            "outcome": Outcome(determination.outcome).label,
            "date": chinese_date(determination.decided_on),
        },
    )
    _labelled(
        document, _("Basis: "), _("Under %(measure)s") % {"measure": POLICY_TITLE}
    )
    for code in determination.basis:
        add_paragraph(document, str(get_item(code)) + "。")
    _labelled(document, _("The “three distinctions” (Art. 2): "), "")
    for label, attribute in DISTINCTIONS:
        text = getattr(determination, attribute)
        label = _("%(label)s: ") % {"label": label}
        add_paragraph(document, run_in_label(label, text) + text)
    for sentence in repeat_sentences(determination):
        add_paragraph(document, sentence)
    _labelled(document, _("Handling: "), effect_sentence(determination))


def _corrections_section(document, case: SupervisionCase, heading: str) -> None:
    corrections = list(case.corrections.order_by("pk"))
    add_heading(document, heading)
    if not corrections:
        add_paragraph(
            document,
            _(
                "Your unit is asked to analyse the causes carefully, learn the"
                " lessons, improve its rules and mechanisms and prevent similar"
                " errors (Art. 20)."
            ),
        )
        return
    for index, correction in enumerate(corrections, start=1):
        _labelled(
            document,
            _("(%(ordinal)s) Grounds for correction: ") % {"ordinal": _ordinal(index)},
            correction.reasons,
        )
        _labelled(document, _("Items to correct: "), correction.items)
        _labelled(document, _("Correction requirements: "), correction.requirements)
        _labelled(
            document,
            _("Correction deadline: "),
            _("by %(date)s") % {"date": chinese_date(correction.deadline)},
        )
    add_paragraph(
        document,
        _(
            "Your unit is asked to correct the problems and improve its work within"
            " the time set as required above, analyse the causes carefully, learn"
            " the lessons and improve its rules and mechanisms; where special"
            " circumstances make completion in time difficult, a longer correction"
            " deadline may be requested (Art. 20). Please report the rectification"
            " to this office in writing before the deadline (%(source)s)."
        )
        % {"source": cite(OfficeRule("correction_completion_reported"))},
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
    document = office_document(
        _("%(kind)s (%(number)s)") % {"kind": kind.label, "number": number},
        created=created,
    )
    _header(document, kind, number, case)
    links = _case_officers(case)
    if kind == CaseDocument.Kind.OPINION_LETTER:
        links = [link for link in links if _determination(link) is not None]
        purpose = _(
            "Review and investigation found the enforcement act concerned unlawful"
            " or improper; the supervision opinion is as follows."
        )
    else:
        purpose = _(
            "After review and investigation, the supervision decision is as follows."
        )
    add_paragraph(
        document,
        _(
            "Under %(measure)s, this office filed the case “%(title)s” on %(date)s"
            " (case number: %(number)s) for verification. %(purpose)s"
        )
        % {
            "measure": POLICY_TITLE,
            "date": chinese_date(case.filed_on),
            "title": case.title,
            "number": case.number,
            "purpose": purpose,
        },
    )
    if case.joint_investigation and case.joint_counterpart:
        add_paragraph(
            document,
            _("This case is investigated jointly with %(counterpart)s (Art. 13).")
            % {"counterpart": case.joint_counterpart},
        )

    add_heading(document, _("1. The supervised enforcement act"))
    _labelled(document, _("Enforcement matter: "), case.get_matter_type_display())
    _labelled(document, _("Enforcement field: "), case.field.name)
    _labelled(document, _("The act in brief: "), case.summary)
    if case.act_finding:
        _labelled(
            document,
            _("Finding on the act: "),
            _("%(finding)s. %(reasons)s")
            % {
                "finding": ActFinding(case.act_finding).label,
                "reasons": case.act_finding_reasons,
            },
        )

    decision = kind == CaseDocument.Kind.DECISION_NOTICE
    add_heading(
        document,
        _("2. Determinations") if decision else _("2. Problems found"),
    )
    for index, link in enumerate(links, start=1):
        _officer_section(document, index, link)

    if decision:
        if case.corrections.exists():
            _corrections_section(document, case, _("3. Correction requirements"))
            add_heading(document, _("4. Review"))
        else:
            add_heading(document, _("3. Review"))
        add_paragraph(document, str(REVIEW_RIGHT))
    else:
        _corrections_section(document, case, _("3. Correction requirements"))

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
