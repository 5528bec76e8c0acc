"""The numbered documents of Art. 18 (casework.documents), opened as .docx.

Each test builds its own case through casework.services, the way the office
would: filing, two investigators, statements heard, then determinations.
"""

import datetime
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from casework import documents, roles, services
from casework.models import (
    Agency,
    CaseDocument,
    CaseSource,
    EnforcementField,
    ErrorType,
    LiaisonAssignment,
    MatterType,
    Officer,
    Recusal,
    SupervisionCase,
)
from casework.models.investigation import private_storage
from casework.rules.articles import Outcome, get_item
from casework.services import CaseworkError

pytestmark = pytest.mark.django_db

AGENCY = "历城区综合行政执法局"
EXEMPT_NAME = "张明远"
NO_TOLERANCE_NAME = "李晓华"
EXEMPT_FACTS = "因上级部署调整，执法人员按原口径作出处罚，事后依据变化。"
NO_TOLERANCE_FACTS = "执法人员在明知法律规定的情况下，未履行告知程序即作出处罚。"
DISTINCTIONS = {
    "distinction_reform": "属改革探索中的失误，并非明知故犯。",
    "distinction_exploration": "上级尚无明确限制，不属明令禁止后我行我素。",
    "distinction_intent": "系推动发展的无意过失，未谋取私利。",
}
REVIEW_RIGHT = (
    "如对本决定不服，可以在收到本决定之日起15日内向区行政执法监督机构"
    "书面提出复核申请（第十九条）。"
)
EXEMPT_EFFECT = "依据第十八条，予以容错免责，不作为行政执法错误认定。"
NO_TOLERANCE_EFFECT = (
    "依据第十八条，不予容错免责，移送区纪委监委依照行政执法过错责任追究程序"
    "追究行政执法过错责任。"
)


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def make_user(username: str, *groups: str) -> User:
    user = User.objects.create_user(username, first_name=username)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def people():
    agency = Agency.objects.create(name=AGENCY, kind=Agency.Kind.DEPARTMENT)
    field = EnforcementField.objects.create(name="城市管理")
    liaison = make_user("liaison", roles.LIAISON)
    LiaisonAssignment.objects.create(user=liaison, agency=agency)
    return {
        "agency": agency,
        "field": field,
        "lead": make_user("lead", roles.OFFICER),
        "second": make_user("second", roles.OFFICER),
        "head": make_user("head", roles.HEAD),
        "reviewer": make_user("reviewer", roles.REVIEWER),
        "liaison": liaison,
        "exempt": Officer.objects.create(
            name=EXEMPT_NAME, agency=agency, position="执法队员"
        ),
        "no_tolerance": Officer.objects.create(
            name=NO_TOLERANCE_NAME, agency=agency, certificate_number="37010012345"
        ),
    }


@pytest.fixture
def case(people):
    """A case in the 认定 stage, both persons heard, nobody determined yet."""
    lead = people["lead"]
    case = services.file_case(
        user=lead,
        title="某餐饮店占道经营处罚案",
        agency=people["agency"],
        field=people["field"],
        matter_type=MatterType.PENALTY,
        source=CaseSource.REPORT,
        summary="对某餐饮店占道经营行为作出罚款二千元的行政处罚。",
        officers=[
            (people["exempt"], ErrorType.LEGAL_BASIS),
            (people["no_tolerance"], ErrorType.PROCEDURE),
        ],
    )
    services.assign_investigator(case, lead, user=lead, is_lead=True)
    services.assign_investigator(case, people["second"], user=lead)
    case = services.transition(case, "verifying", user=lead)
    for link in case.case_officers.all():
        services.record_statement(
            link, user=lead, heard_on=services.today(), content="本人陈述申辩。"
        )
    return services.transition(case, "determined", user=lead)


def link_of(case, name):
    return case.case_officers.get(officer__name=name)


def determine_exempt(case, user):
    return services.determine(
        link_of(case, EXEMPT_NAME),
        user=user,
        outcome=Outcome.EXEMPT,
        basis=["10(2)"],
        facts=EXEMPT_FACTS,
        **DISTINCTIONS,
    )


def determine_no_tolerance(case, user):
    return services.determine(
        link_of(case, NO_TOLERANCE_NAME),
        user=user,
        outcome=Outcome.NO_TOLERANCE,
        basis=["12(1)"],
        facts=NO_TOLERANCE_FACTS,
        liability_referred_to="区纪委监委",
        **DISTINCTIONS,
    )


@pytest.fixture
def determined(case, people):
    determine_exempt(case, people["lead"])
    determine_no_tolerance(case, people["lead"])
    return case


def find_act(case, user, finding="unlawful"):
    """Art. 18 para. 2: the finding on the enforcement act itself."""
    return services.record_act_finding(
        case,
        user=user,
        finding=finding,
        reasons="未履行处罚告知程序即作出处罚决定。",
        found_on=services.today(),
    )


def open_docx(record: CaseDocument):
    with record.file.open("rb") as handle:
        return docx.Document(handle)


def text_of(record: CaseDocument) -> str:
    return "\n".join(p.text for p in open_docx(record).paragraphs)


def stored_documents() -> set[Path]:
    root = Path(settings.CASEWORK_PRIVATE_ROOT) / "documents"
    return set(root.rglob("*")) if root.exists() else set()


# --- Numbering ----------------------------------------------------------------------


def test_decision_notices_are_numbered_per_year_and_regeneration_keeps_versions(
    determined, people
):
    year = services.today().year
    first = documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    second = documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["second"]
    )

    assert first.number == f"历城执监决〔{year}〕1号"
    assert second.number == f"历城执监决〔{year}〕2号"
    assert (first.year, first.sequence) == (year, 1)
    assert (second.year, second.sequence) == (year, 2)
    assert first.created_by == people["lead"]
    assert second.created_by == people["second"]
    # Both versions stay in the case file, each with its own .docx.
    assert list(determined.documents.order_by("sequence")) == [first, second]
    assert first.file.name != second.file.name
    assert f"历城执监决〔{year}〕1号" in text_of(first)
    assert f"历城执监决〔{year}〕2号" in text_of(second)


def test_opinion_letters_have_their_own_series(determined, people):
    year = services.today().year
    find_act(determined, people["lead"])
    documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    letter = documents.generate_document(
        determined, CaseDocument.Kind.OPINION_LETTER, user=people["lead"]
    )
    assert letter.number == f"历城执监意〔{year}〕1号"
    assert letter.kind == CaseDocument.Kind.OPINION_LETTER


def test_numbers_restart_in_a_new_year(determined, people, monkeypatch):
    year = services.today().year
    documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    new_year = datetime.date(year + 1, 1, 5)
    monkeypatch.setattr(documents, "_today", lambda: new_year)
    record = documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    assert record.number == f"历城执监决〔{year + 1}〕1号"
    assert chinese_date(new_year) in text_of(record)


def test_number_taken_meanwhile_retries_and_leaves_no_stray_file(
    determined, people, monkeypatch
):
    """A concurrent generation taking the same number makes the insert fail:
    the attempt is rolled back, its file removed, and the next attempt saves."""
    year = services.today().year
    real_render = documents.render_docx
    calls = []

    def render_while_another_takes_the_number(document):
        calls.append(1)
        if len(calls) == 1:
            CaseDocument.objects.create(
                case=determined,
                kind=CaseDocument.Kind.DECISION_NOTICE,
                year=year,
                sequence=1,
                number=f"历城执监决〔{year}〕1号",
                file="documents/elsewhere.docx",
            )
        return real_render(document)

    monkeypatch.setattr(documents, "render_docx", render_while_another_takes_the_number)
    before = stored_documents()
    record = documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    assert len(calls) == 2
    # The competing row lived in the rolled-back attempt; one row, one file.
    assert CaseDocument.objects.filter(case=determined).count() == 1
    assert record.number == f"历城执监决〔{year}〕1号"
    assert stored_documents() - before == {Path(record.file.path)}


# --- Content ------------------------------------------------------------------------


def test_decision_notice_states_each_determination_and_the_review_right(
    determined, people
):
    record = documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    text = text_of(record)
    exempt_item = get_item("10(2)")
    no_tolerance_item = get_item("12(1)")

    assert "行政执法监督决定书" in text
    assert f"{AGENCY}：" in text
    assert determined.number in text
    assert determined.title in text
    assert "行政处罚" in text  # matter type label
    assert "城市管理" in text  # enforcement field
    assert determined.summary in text
    assert EXEMPT_NAME in text
    assert NO_TOLERANCE_NAME in text
    assert Outcome.EXEMPT.label in text
    assert Outcome.NO_TOLERANCE.label in text
    # The exact wording of the items relied on, as published.
    assert f"第十条第（二）项：{exempt_item.wording}" in text
    assert exempt_item.wording.startswith("因国家政策调整")
    assert f"第十二条第（一）项：{no_tolerance_item.wording}" in text
    assert EXEMPT_FACTS in text
    assert NO_TOLERANCE_FACTS in text
    for answer in DISTINCTIONS.values():
        assert answer in text
    assert EXEMPT_EFFECT in text
    assert NO_TOLERANCE_EFFECT in text
    assert REVIEW_RIGHT in text
    assert "历城区人民政府行政执法监督机构" in text
    assert chinese_date(services.today()) in text


def test_decision_notice_layout_follows_the_official_document_format(
    determined, people
):
    record = documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    document = open_docx(record)
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7
    # Word stores lengths in twentieths of a point: compare to within 0.01 cm.
    for actual, expected in (
        (section.top_margin, 3.7),
        (section.bottom_margin, 3.5),
        (section.left_margin, 2.8),
        (section.right_margin, 2.6),
    ):
        assert abs(actual - Cm(expected)) < Cm(0.01)

    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"

    title = document.paragraphs[0]
    assert title.text == "行政执法监督决定书"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.runs[0]
    assert title_run.bold
    assert title_run.font.size > Pt(16)
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert document.paragraphs[1].text == record.number

    issuer, date = [p for p in document.paragraphs if p.text.strip()][-2:]
    assert issuer.text == "历城区人民政府行政执法监督机构"
    assert date.text == chinese_date(services.today())
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_opinion_letter_states_the_correction_requirements(determined, people):
    deadline = services.today() + datetime.timedelta(days=30)
    services.order_correction(
        determined,
        user=people["lead"],
        reasons="未履行处罚告知程序",
        items="撤销原处罚决定并重新作出",
        requirements="重新履行告知程序，组织全体执法人员学习程序规定",
        deadline=deadline,
    )
    find_act(determined, people["lead"])
    record = documents.generate_document(
        determined, CaseDocument.Kind.OPINION_LETTER, user=people["lead"]
    )
    text = text_of(record)
    assert "行政执法监督意见书" in text
    assert f"{AGENCY}：" in text
    assert "未履行处罚告知程序" in text
    assert "撤销原处罚决定并重新作出" in text
    assert "重新履行告知程序，组织全体执法人员学习程序规定" in text
    assert f"{chinese_date(deadline)}前" in text
    assert "整改情况书面报告" in text
    # Art. 20 says nothing of a written report: that part is the office's rule,
    # cited as such after the article's own requirements.
    assert "可以申请延长整改期限（第二十条）。" in text
    assert (
        "请于整改期限届满前将整改情况书面报告本机构"
        "（依本机构工作规则：纠错对象书面报告整改完成情况）。"
    ) in text
    assert NO_TOLERANCE_EFFECT in text
    assert f"第十二条第（一）项：{get_item('12(1)').wording}" in text
    assert REVIEW_RIGHT not in text


def test_opinion_letter_may_precede_the_last_determination(case, people):
    determine_no_tolerance(case, people["lead"])
    find_act(case, people["lead"])
    record = documents.generate_document(
        case, CaseDocument.Kind.OPINION_LETTER, user=people["lead"]
    )
    text = text_of(record)
    assert NO_TOLERANCE_NAME in text
    assert EXEMPT_NAME not in text


# --- Refusals -----------------------------------------------------------------------


def assert_refused(case, kind, user, *fragments):
    count = CaseDocument.objects.count()
    files = stored_documents()
    with pytest.raises(CaseworkError) as excinfo:
        documents.generate_document(case, kind, user=user)
    message = " ".join(excinfo.value.messages)
    for fragment in fragments:
        assert fragment in message
    assert CaseDocument.objects.count() == count
    assert stored_documents() == files


def test_decision_notice_needs_every_determination(case, people):
    determine_exempt(case, people["lead"])
    assert_refused(
        case, CaseDocument.Kind.DECISION_NOTICE, people["lead"], NO_TOLERANCE_NAME
    )


def test_art18_opinion_letter_follows_the_act_finding_not_the_outcomes(case, people):
    """Art. 18 para. 2: the letter is for an unlawful or improper ACT. No
    finding, or a finding that the act is lawful: no letter, whatever the
    outcomes. An unlawful act: the letter, even where every officer fulfilled
    duty (Art. 9(2)). (Was test_opinion_letter_needs_an_unlawful_or_improper_act,
    which tied the letter to the officers' outcomes.)"""
    assert_refused(case, CaseDocument.Kind.OPINION_LETTER, people["lead"], "第十八条")
    determine_no_tolerance(case, people["lead"])
    find_act(case, people["lead"], "lawful")
    assert_refused(case, CaseDocument.Kind.OPINION_LETTER, people["lead"], "第十八条")
    for name in (EXEMPT_NAME, NO_TOLERANCE_NAME):
        services.determine(
            link_of(case, name),
            user=people["lead"],
            outcome=Outcome.DUTY_FULFILLED,
            basis=["9(1)"],
            facts="已按照法定程序履行职责。",
            **DISTINCTIONS,
        )
    assert_refused(case, CaseDocument.Kind.OPINION_LETTER, people["lead"], "第十八条")
    # The decision notice is due: every person has a determination.
    documents.generate_document(
        case, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    find_act(case, people["lead"], "improper")
    letter = documents.generate_document(
        case, CaseDocument.Kind.OPINION_LETTER, user=people["lead"]
    )
    assert "不当。未履行处罚告知程序" in text_of(letter)


def test_liaison_cannot_generate(determined, people):
    liaison = people["liaison"]
    # The liaison sees the case (own agency) but does not issue documents.
    assert SupervisionCase.objects.visible_to(liaison).filter(pk=determined.pk)
    for kind in CaseDocument.Kind.values:
        assert_refused(determined, kind, liaison, "监督机构工作人员")


def test_recused_officer_cannot_generate(determined, people):
    second = people["second"]
    recusal = services.request_recusal(
        determined, second, user=second, kind=Recusal.Kind.DECLARED, reason="亲属关系"
    )
    services.decide_recusal(recusal, user=people["head"], approve=True)
    assert_refused(
        determined, CaseDocument.Kind.DECISION_NOTICE, second, "无权办理此案件"
    )


def test_unknown_kind_is_refused(determined, people):
    assert_refused(determined, "summons", people["lead"], "未知的文书种类")


def test_archived_case_is_read_only(determined, people):
    lead, today = people["lead"], services.today()
    documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=lead
    )
    case = services.transition(determined, "notified", user=people["head"])
    services.record_notification(
        case,
        user=lead,
        recipient=AGENCY,
        is_party=False,
        method="in_person",
        served_on=today,
    )
    review = services.request_review(
        case,
        user=lead,
        applicant=NO_TOLERANCE_NAME,
        decision_received_on=today,
        requested_on=today,
        grounds="认为认定过重。",
    )
    # The head signed the decision, so a separate reviewer decides (Art. 19).
    services.decide_review(
        review, user=people["reviewer"], result="upheld", reasons="事实清楚。"
    )
    find_act(case, lead, "lawful")
    case = services.transition(case, "archived", user=lead)
    assert case.is_archived

    for kind in CaseDocument.Kind.values:
        assert_refused(case, kind, lead, "已归档")


# --- Storage ------------------------------------------------------------------------


def test_documents_are_stored_privately(determined, people):
    record = documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    path = Path(record.file.path).resolve()
    private_root = Path(settings.CASEWORK_PRIVATE_ROOT).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert path.is_file()
    assert path.is_relative_to(private_root)
    assert not path.is_relative_to(media_root)
    assert path.suffix == ".docx"
    assert path.name.isascii()
    assert record.file.storage is private_storage


def test_private_storage_has_no_public_url(determined, people):
    record = documents.generate_document(
        determined, CaseDocument.Kind.DECISION_NOTICE, user=people["lead"]
    )
    assert private_storage.base_url is None
    with pytest.raises(ValueError):
        private_storage.url(record.file.name)


def test_duty_fulfilled_cites_what_arts_2_and_9_say_not_art_18(case, people):
    """Art. 9 says only 应当认定为履职尽责; no liability rests on Art. 2's
    尽职免责. "不作为行政执法错误认定" is Art. 18's effect of 容错免责 alone."""
    services.determine(
        link_of(case, EXEMPT_NAME),
        user=people["lead"],
        outcome=Outcome.DUTY_FULFILLED,
        basis=["9(1)"],
        facts="已按照法定程序履行职责。",
        **DISTINCTIONS,
    )
    determination = link_of(case, EXEMPT_NAME).determination
    sentence = documents.effect_sentence(determination)
    assert (
        sentence
        == "依据第九条，认定为履职尽责；依照第二条“尽职免责”的原则，不予追究责任。"
    )
    assert "不作为行政执法错误认定" not in sentence
    assert (
        "尽职免责"
        in Path(settings.BASE_DIR, "casework/data/licheng_measures_2025.txt")
        .read_text(encoding="utf-8")
        .split("第三条")[0]
    )
