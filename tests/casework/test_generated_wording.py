"""What the generated documents and the case timeline say, and how (#17):
the .docx properties and page numbers, no doubled punctuation in any
document kind or timeline entry, the periodic report's stage table in the
order of Art. 14, one statement of the report's period everywhere."""

import datetime
import inspect
import io
import re
import zipfile

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn
from openpyxl import load_workbook

from casework import documents, reports, services, timeline
from casework.demo import load_casework_demo
from casework.models import (
    CaseDocument,
    DeadlineWarning,
    StageChange,
    SupervisionCase,
)
from casework.rules.articles import Outcome
from casework.rules.stages import Stage

# A sentence must not carry two punctuation marks in a row (「。。」,
# 「：。」), nor two colons in one clause (「行为概况：监督检查发现：」).
DOUBLED = re.compile(r"[。，、；：！？][。，、；：！？]")
TWO_COLONS = re.compile(r"：[^：。；！？\n]*：")
BRACKETED = re.compile(r"（[^（）]*）|“[^“”]*”|《[^《》]*》")
MACHINE = [
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "an ISO date"),
    (re.compile(r"\d{1,2}:\d{2}:\d{2}"), "a time with seconds"),
    (re.compile(r"（空）"), "（空）"),
    (re.compile(r"[A-Za-z_]{3,}"), "an untranslated word"),
    (re.compile(r"系统 预警|预警.{0,2}预警"), "预警 twice"),
    (re.compile(r"季度季度|年度年度|月月度"), "the period kind twice"),
]

SUMMARY_WITH_COLON = "监督检查发现：某街道对商户未安装报警装置问题仅作口头提醒。"
REFERRED_TO = "区纪委监委（第十八条）"


def outside_brackets(text: str) -> str:
    while (stripped := BRACKETED.sub("", text)) != text:
        text = stripped
    return text


def wording_problems(text: str) -> list[str]:
    problems = []
    for line in text.splitlines():
        if DOUBLED.search(line):
            problems.append(f"doubled punctuation: {line}")
        if TWO_COLONS.search(outside_brackets(line)):
            problems.append(f"two colons in a clause: {line}")
        for pattern, what in MACHINE:
            if pattern.search(line):
                problems.append(f"{what}: {line}")
    return problems


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


@pytest.fixture
def colon_case(notified_case, investigator, clock):
    """The notified case with a summary quoting its source (「…发现：」),
    a referral naming its article, and an act found unlawful (so the
    opinion letter may be issued)."""
    SupervisionCase.objects.filter(pk=notified_case.pk).update(
        summary=SUMMARY_WITH_COLON
    )
    case = SupervisionCase.objects.get(pk=notified_case.pk)
    for link in case.case_officers.select_related("determination"):
        determination = link.determination
        determination.liability_referred_to = REFERRED_TO
        determination.outcome = Outcome.MITIGATION_LIGHTER
        determination.save()
    services.record_act_finding(
        case,
        user=investigator,
        finding="unlawful",
        reasons="未履行处罚告知程序：未告知陈述申辩权利。",
        found_on=services.today(),
    )
    return SupervisionCase.objects.get(pk=case.pk)


def case_docx(case, kind) -> bytes:
    number = documents.document_number(kind, 2025, 1)
    return documents.render_docx(
        documents.build_document(
            case, kind, number=number, issued_on=datetime.date(2025, 9, 30)
        )
    )


@pytest.fixture
def september_report(colon_case, clock):
    clock.set(datetime.date(2025, 10, 6))
    return reports.generate_report("quarter", 2025, 3)


def all_kinds(case, report) -> dict[str, bytes]:
    with report.docx.open("rb") as handle:
        report_content = handle.read()
    return {
        "decision_notice": case_docx(case, CaseDocument.Kind.DECISION_NOTICE),
        "opinion_letter": case_docx(case, CaseDocument.Kind.OPINION_LETTER),
        "periodic_report": report_content,
    }


# --- Properties, page numbers, punctuation ------------------------------------------


def test_every_kind_names_the_office_title_and_real_time(colon_case, september_report):
    before = timezone.now() - datetime.timedelta(minutes=5)
    for kind, content in all_kinds(colon_case, september_report).items():
        properties = docx.Document(io.BytesIO(content)).core_properties
        assert properties.author == documents.ISSUER, kind
        assert properties.last_modified_by == documents.ISSUER, kind
        assert properties.title, kind
        assert properties.comments == "", kind
        created = properties.created.replace(tzinfo=datetime.UTC)
        assert created >= before.replace(microsecond=0), (kind, created)
        assert properties.modified == properties.created, kind
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            app = package.read("docProps/app.xml").decode()
            core = package.read("docProps/core.xml").decode()
            assert "docProps/thumbnail.jpeg" not in package.namelist()
        assert f"<Company>{documents.ISSUER}</Company>" in app, kind
        assert "python-docx" not in core + app, kind
        assert "2013" not in core, kind
    report_properties = docx.Document(
        io.BytesIO(all_kinds(colon_case, september_report)["periodic_report"])
    ).core_properties
    assert report_properties.title == september_report.title


def test_every_kind_numbers_its_pages_in_the_official_style(
    colon_case, september_report
):
    for kind, content in all_kinds(colon_case, september_report).items():
        document = docx.Document(io.BytesIO(content))
        assert document.settings.odd_and_even_pages_header_footer, kind
        section = document.sections[0]
        for footer in (section.footer, section.even_page_footer):
            paragraph = footer.paragraphs[0]
            xml = paragraph._p.xml
            instructions = [node.text for node in paragraph._p.iter(qn("w:instrText"))]
            assert instructions == [" PAGE "], kind
            assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
            assert paragraph.text == "— 1 —", (kind, paragraph.text)
        # Odd pages on the right, even pages on the left (GB/T 9704-2012 7.5).
        assert section.footer.paragraphs[0].alignment == 2  # RIGHT
        assert section.even_page_footer.paragraphs[0].alignment == 0  # LEFT


def test_no_doubled_punctuation_in_any_kind(colon_case, september_report):
    for kind, content in all_kinds(colon_case, september_report).items():
        text = docx_text(content)
        assert wording_problems(text) == [], kind
    letter = docx_text(all_kinds(colon_case, september_report)["opinion_letter"])
    # The summary's own colon stays; the label before it ends in 。.
    assert f"行为概况。{SUMMARY_WITH_COLON}" in letter
    assert f"移送{REFERRED_TO}依照行政执法过错责任追究程序" in letter


def test_signature_area_is_kept_with_the_last_lines(colon_case):
    document = documents.build_document(
        colon_case,
        CaseDocument.Kind.DECISION_NOTICE,
        number="历城执监决〔2025〕1号",
        issued_on=datetime.date(2025, 9, 30),
    )
    *_body, last_text, space, name, date = document.paragraphs
    assert name.text == documents.ISSUER
    assert date.text == "2025年9月30日"
    assert last_text.text == documents.REVIEW_RIGHT
    for paragraph in (last_text, space, name):
        assert paragraph.paragraph_format.keep_with_next, paragraph.text
    for paragraph in (last_text, space, name, date):
        assert paragraph.paragraph_format.keep_together, paragraph.text


# --- The periodic report --------------------------------------------------------------


def test_stage_table_follows_art14(september_report):
    # The one case is in 反馈: by count it would come first.
    figures = reports.collect_figures(datetime.date(2025, 9, 1), services.today())
    (section,) = [
        s for s in figures["sections"] if s["title"].startswith("案件所处阶段")
    ]
    assert [label for label, _count in section["rows"]] == [
        label for _value, label in Stage.choices()
    ]
    assert [label for label, _ in section["rows"]] == [
        "立案",
        "核实",
        "认定",
        "反馈",
        "纠错",
        "归档",
    ]
    counts = dict(section["rows"])
    assert counts == {"立案": 0, "核实": 0, "认定": 0, "反馈": 1, "纠错": 0, "归档": 0}


def test_report_period_agrees_on_list_page_and_docx(client, head, colon_case, clock):
    """A report of a running quarter counts up to the day it was made; the
    list, the report page and the .docx all say so, and name it once."""
    today = datetime.date(2025, 11, 20)
    clock.set(today)
    report = reports.generate_report("quarter", 2025, 4, user=head, today=today)
    expected = "2025年10月1日至2025年12月31日（报告期未结束，统计至2025年11月20日）"
    assert reports.period_text(report) == expected
    with report.docx.open("rb") as handle:
        text = docx_text(handle.read())
    assert f"现将{expected}全区" in text
    with report.xlsx.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()))["主要数据"]
    assert sheet["A2"].value == "报告期" and sheet["B2"].value == expected
    client.force_login(head)
    listing = client.get(reverse("casework_reports:index")).content.decode()
    assert expected in listing
    assert "2025年第四季度报告" in listing
    assert "季度季度" not in listing
    detail = client.get(reverse("casework_reports:detail", args=[report.pk]))
    assert expected in detail.content.decode()
    # A finished period reads plainly.
    done = reports.generate_report("quarter", 2025, 3, user=head, today=today)
    assert reports.period_text(done) == "2025年7月1日至2025年9月30日"


def test_report_headings_count_in_chinese(september_report):
    with september_report.docx.open("rb") as handle:
        text = docx_text(handle.read())
    headings = re.findall(r"^([一二三四五六七八九十]+)、", text, flags=re.MULTILINE)
    assert headings == ["一", "二", "三", "四", "五", "六", "七", "八", "九"]
    assert "特此报告。" in text


# --- The timeline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", list(timeline.CASE_LOOKUPS), ids=lambda model: model.__name__
)
def test_every_record_kind_has_its_own_wording(model):
    """Every kind the timeline merges has its noun and its own sentence when
    made, not the generic fallback 「新增…」."""
    assert model in timeline.NOUNS
    assert f"model is m.{model.__name__}:" in inspect.getsource(timeline._created)


def test_demo_timelines_read_as_sentences(db):
    """Every entry of every demo case (which between them hold every kind of
    record), as the office and as the agency see them."""
    load_casework_demo(home=None, stdout=io.StringIO())
    seen = set()
    problems = []
    for case in SupervisionCase.objects.all():
        for agency_view in (False, True):
            for event in timeline.build_timeline(case, agency_view=agency_view):
                seen.add(event.what)
                problems += wording_problems(f"{event.who} {event.text}")
                # 「修改…」 only for edits, with what changed listed.
                assert not event.text.startswith(("新增", "预警")), event.text
                if event.text.startswith("修改"):
                    assert event.changes, event.text
                for _label, old, new in event.changes:
                    problems += wording_problems(old) + wording_problems(new)
    assert problems == []
    assert {
        "被调查人",
        "调查人员指派",
        "调查活动",
        "听证",
        "延长调查期限申请",
        "送达记录",
        "监督文书",
        "复核申请",
        "纠错要求",
        "陈述申辩",
        "认定",
        "整改进展报告",
        "回避",
        "移交执法机关",
    } <= seen


def test_hearing_entries_name_each_date_once(verifying_case, head, investigator):
    verifying_case.is_major_complex = True
    verifying_case.save()
    day = services.today()
    hearing = services.schedule_hearing(
        verifying_case,
        user=head,
        scheduled_on=day,
        host_name="蒋明哲",
        host_legal_qualification="法律职业资格",
        host_professional_qualification="城市管理",
    )
    services.record_hearing(
        hearing, user=investigator, held_on=day, minutes="听证会公开举行。"
    )
    texts = [
        (event.text, event.changes)
        for event in timeline.build_timeline(verifying_case)
        if event.what == "听证"
    ]
    date = f"{day.year}年{day.month}月{day.day}日"
    held, scheduled = texts
    assert held[0] == f"举行听证：{date}"
    assert [label for label, _old, _new in held[1]] != [] and all(
        date not in new for _label, _old, new in held[1]
    )
    assert scheduled[0] == f"安排听证：{date}，主持人蒋明哲"


def test_warning_entry_reads_once(case):
    warning = DeadlineWarning.objects.create(
        case=case,
        period="decision",
        label="调查终结期限",
        article="第十七条",
        level=DeadlineWarning.Level.RED,
        due=services.today(),
        issued_on=services.today(),
    )
    (event,) = [e for e in timeline.build_timeline(case) if e.action == "预警"]
    assert event.who == "系统"
    assert event.text == f"发出红色预警（已逾期）：{warning.message}"
    assert wording_problems(event.text) == []


def test_extension_request_is_the_requesters_entry(verifying_case, investigator):
    """Outside a request (a task, the demo) the service records its user as
    the author of the history, as every other service does."""
    services.request_extension(
        verifying_case, user=investigator, days=10, reason="需调取外地证据。"
    )
    (event,) = [
        e
        for e in timeline.build_timeline(verifying_case)
        if e.what == "延长调查期限申请"
    ]
    assert event.who == investigator.get_full_name()
    assert event.text == "申请延长调查期限：10日，需调取外地证据。"


def test_a_step_back_reads_as_one(case, investigator):
    """认定 → 核实 is a return for more investigation, never 推进."""
    StageChange.objects.create(
        case=case, from_stage="filed", to_stage="verifying", created_by=investigator
    )
    StageChange.objects.create(
        case=case,
        from_stage="verifying",
        to_stage="filed",
        note="补充立案材料。",
        created_by=investigator,
    )
    events = {
        e.summary.split("（")[0]: e
        for e in timeline.build_timeline(case)
        if e.what == "案件阶段"
    }
    forward, back = events["立案 → 核实"], events["核实 → 立案"]
    assert (forward.action, forward.headline) == ("推进", "推进案件阶段")
    assert (back.action, back.headline) == ("退回", "退回案件阶段")
