"""portal.measures: one reader of published measures, every form (印发通知,
政府令, 人大常委会公告, 决定, bare), into cover fields, chapters, articles and
items; and publishing.importer's Chinese messages for what it could not find."""

import datetime
from pathlib import Path

import pytest
from django.utils import translation

from portal import measures
from portal.measures import Problem, model
from portal.measures.dates import parse_date
from publishing.importer import PolicyParseError, parse_policy, problem_message

ROOT = Path(__file__).resolve().parents[2]
LICHENG = ROOT / "casework/data/licheng_measures_2025.txt"

# Another publisher's habits: ideographic and doubled spaces in headings,
# half-width brackets and punctuation, no covering notice, a validity period
# given in years, and a paragraph that cites another article.
OTHER_MEASURE = """\
济南市某区行政执法公示办法
第一章　总　　则
第一条 为了规范行政执法公示工作,根据有关规定,制定本办法。
第二条　本办法适用于本区行政执法机关。
第二章  公示内容
第三条  行政执法机关应当公示下列信息:
(一)执法主体、人员;
(二) 职责、依据;
（三）救济渠道.
第四条  依照第三条规定公示的信息应当及时更新。

第五条  公示信息涉及个人隐私的,不予公开。
第三章 附 则
第六条  本办法自2024年7月1日起施行,有效期5年。
"""


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2025年2月21日", datetime.date(2025, 2, 21)),
        ("２００５年１１月１日", datetime.date(2005, 11, 1)),
        ("2005年１１月１日", datetime.date(2005, 11, 1)),
        ("二〇〇五年八月二十三日", datetime.date(2005, 8, 23)),
        ("二○○五年八月二十三日", datetime.date(2005, 8, 23)),
        # A Latin 0 or O typed or recognised for 〇.
        ("二0一九年十二月三十一日", datetime.date(2019, 12, 31)),
        ("二O一九年十月一日", datetime.date(2019, 10, 1)),
        ("2025 年 3 月 1 日", datetime.date(2025, 3, 1)),
        ("2025年2月30日", None),
        ("二〇二五年十三月一日", None),
        ("二十五年", None),
    ],
)
def test_dates_in_every_writing(text, date):
    assert parse_date(text) == date


def test_the_licheng_measures():
    policy = parse_policy(LICHENG.read_text(encoding="utf-8"))
    assert policy.title == "历城区行政执法履职尽责容错纠错实施办法（试行）"
    assert policy.document_number == "济历城政发〔2025〕1号"
    assert policy.issuing_body == "济南市历城区人民政府"
    assert policy.issue_date == datetime.date(2025, 2, 21)
    assert policy.effective_date == datetime.date(2025, 3, 1)
    assert policy.expiry_date == datetime.date(2027, 2, 28)
    assert policy.chapters == [
        (1, "总则"),
        (2, "履职尽责"),
        (3, "容错免责"),
        (4, "核查纠错"),
        (5, "附则"),
    ]
    assert [a.number for a in policy.articles] == list(range(1, 25))
    assert policy.form == model.NOTICE
    assert policy.problems == []
    by_number = {a.number: a for a in policy.articles}
    # Items intact, each on its own line, in order.
    assert len(by_number[9].items) == 9
    assert len(by_number[10].items) == 10
    assert len(by_number[11].items) == 3
    assert len(by_number[12].items) == 7
    assert (
        by_number[12].items[4].text.startswith("行政执法工作中，因主观原因在同一问题上")
    )
    assert by_number[16].label == "第十六条"
    assert by_number[16].chapter_title == "核查纠错"
    assert "技术性调查时间不计入办理时间" in by_number[16].body
    assert by_number[24].body == "本规定自2025年3月1日起施行，有效期至2027年2月28日止。"
    assert "（此件公开发布）" not in policy.title
    assert policy.preamble.startswith("济南市历城区人民政府")


def test_another_measure_with_other_spacing_and_punctuation():
    policy = parse_policy(OTHER_MEASURE)
    assert policy.title == "济南市某区行政执法公示办法"
    assert policy.document_number == ""
    assert policy.chapters == [(1, "总则"), (2, "公示内容"), (3, "附则")]
    assert [a.label for a in policy.articles] == [
        "第一条",
        "第二条",
        "第三条",
        "第四条",
        "第五条",
        "第六条",
    ]
    third = policy.articles[2]
    assert [(i.number, i.text) for i in third.items] == [
        (1, "执法主体、人员；"),
        (2, "职责、依据；"),
        (3, "救济渠道。"),
    ]
    assert third.items[0].wording == "执法主体、人员"
    assert third.body.startswith("行政执法机关应当公示下列信息：")
    assert (
        policy.articles[0].body
        == "为了规范行政执法公示工作，根据有关规定，制定本办法。"
    )
    # A paragraph citing 第三条 is not taken for a new article.
    assert policy.articles[3].body == "依照第三条规定公示的信息应当及时更新。"
    assert policy.effective_date == datetime.date(2024, 7, 1)
    assert policy.expiry_date == datetime.date(2029, 6, 30)


def test_a_measure_without_chapters():
    policy = parse_policy(
        "某某规定\n第一条 甲。\n第二条 乙：\n（一）丙；\n（二）丁。\n"
    )
    assert policy.chapters == []
    assert [(a.number, a.chapter_number) for a in policy.articles] == [(1, 0), (2, 0)]
    assert [i.text for i in policy.articles[1].items] == ["丙；", "丁。"]


@pytest.mark.parametrize("text", ["", "只是一段话。", "某规定\n一、甲。\n"])
def test_a_text_without_articles_is_refused_in_chinese(text):
    with pytest.raises(measures.NotAMeasure):
        measures.parse(text)
    with translation.override("zh-hans"), pytest.raises(PolicyParseError) as refused:
        parse_policy(text)
    assert "未找到" in str(refused.value)


@pytest.mark.parametrize(
    ("text", "problems", "message"),
    [
        (
            "某规定\n第一条 甲。\n第三条 丙。\n",
            [Problem("articles", "gap", "二")],
            "缺少第二条",
        ),
        (
            "某规定\n第一条 甲。\n第二条 乙。\n第二条 又一次。\n",
            [Problem("articles", "repeated", "二")],
            "第二条重复",
        ),
        ("第一条 甲。\n", [Problem("title", "missing")], "标题"),
    ],
)
def test_what_cannot_be_found_is_named_not_refused(text, problems, message):
    policy = measures.parse(text)
    assert [p for p in policy.problems if p.field in ("articles", "title")] == problems
    assert policy.articles[0].body == "甲。"
    with translation.override("zh-hans"):
        assert message in problem_message(problems[0])


def test_missing_cover_fields_are_each_named_in_chinese():
    policy = measures.parse("某某规定\n第一条 甲。\n")
    assert {p.field for p in policy.problems} == {"issuing_body", "issue_date"}
    with translation.override("zh-hans"):
        messages = [problem_message(p) for p in policy.problems]
    assert any("发文机关" in m for m in messages)
    assert any("成文日期" in m for m in messages)


def test_article_headings_without_a_space_follow_the_numbering():
    policy = parse_policy(
        "某规定\n第一条为了甲。\n第二条乙。\n第一条规定的情形除外。\n第三条丙。\n"
    )
    assert [a.body for a in policy.articles] == [
        "为了甲。",
        "乙。\n第一条规定的情形除外。",
        "丙。",
    ]


# The forms the fixtures of real measures (publishing/data/measures) do not
# all show with their wrapper: an order with its 令 header and number on two
# lines, a standing committee's 公告 publishing a 条例, a notice issued by an
# office, and the adoption note in brackets under a bare measure's title.
ORDER = """\
山东省人民政府令
第３２９号
《山东省某某办法》已经2019年12月20日省政府第55次常务会议通过，现予公布，自2020年3月1日起施行。
省长　某某某
二〇一九年十二月三十日
山东省某某办法
第一条　为了甲，制定本办法。
第二条　本办法自2020年3月1日起施行。
"""

ANNOUNCEMENT = """\
山东省人民代表大会常务委员会公告
（第五十号）
《山东省某某条例》已于2014年11月27日经山东省第十二届人民代表大会常务委员会第十一次会议通过，现予公布，自2015年5月1日起施行。
山东省人民代表大会常务委员会
2014年11月27日
山东省某某条例
（2014年11月27日山东省第十二届人民代表大会常务委员会第十一次会议通过）
第一章　总　　则
第一条　为了甲，制定本条例。
第二章　附　　则
第二条　本条例自2015年5月1日起施行。
"""

BARE_WITH_NOTE = """\
济南市某某规定
（2008年10月20日济南市人民政府令第230号公布　自二0 0九年一月一日起施行）
第一条　为了甲，制定本规定。
第二条　本规定自2009年1月1日起施行，有效期为五年。
"""


def test_a_government_order_with_its_header_and_number():
    policy = measures.parse(ORDER)
    assert policy.form == model.ORDER
    assert policy.title == "山东省某某办法"
    assert policy.document_number == "山东省人民政府令第329号"
    assert policy.issuing_body == "山东省人民政府"
    assert policy.issue_date == datetime.date(2019, 12, 30)
    assert policy.effective_date == datetime.date(2020, 3, 1)
    assert policy.problems == []
    assert "省长　某某某" in policy.preamble
    assert "山东省人民政府令" not in policy.preamble


def test_a_standing_committee_announcement_of_a_regulation():
    policy = measures.parse(ANNOUNCEMENT)
    assert policy.form == model.ANNOUNCEMENT
    assert policy.title == "山东省某某条例"
    assert policy.document_number == "山东省人民代表大会常务委员会公告第50号"
    assert policy.issuing_body == "山东省人民代表大会常务委员会"
    assert policy.issue_date == datetime.date(2014, 11, 27)
    assert policy.effective_date == datetime.date(2015, 5, 1)
    assert policy.chapters == [(1, "总则"), (2, "附则")]
    assert policy.problems == []


def test_a_bare_measure_with_its_promulgation_note():
    policy = measures.parse(BARE_WITH_NOTE)
    assert policy.form == model.BARE
    assert policy.title == "济南市某某规定"
    assert policy.document_number == "济南市人民政府令第230号"
    assert policy.issuing_body == "济南市人民政府"
    assert policy.issue_date == datetime.date(2008, 10, 20)
    assert policy.effective_date == datetime.date(2009, 1, 1)
    # 有效期为五年 in the sentence that brings it into force.
    assert policy.expiry_date == datetime.date(2013, 12, 31)


def test_a_validity_period_elsewhere_is_not_the_measures():
    policy = measures.parse(
        "某规定\n第一条 许可证有效期为三年。\n第二条 本规定自2024年1月1日起施行。\n"
    )
    assert policy.effective_date == datetime.date(2024, 1, 1)
    assert policy.expiry_date is None


def test_a_decision_written_as_points():
    policy = measures.parse(
        "某市人民政府关于废止部分规章的决定\n"
        "经清理，决定废止以下规章：\n"
        "一、某某规定。\n二、某某办法。\n"
        "本决定自公布之日起施行。\n"
        "抄送：市委各部门。\n"
    )
    assert policy.form == model.DECISION
    assert policy.issuing_body == "某市人民政府"
    assert [(a.number, a.label, a.body) for a in policy.articles] == [
        (1, "一、", "某某规定。"),
        (2, "二、", "某某办法。"),
    ]
    assert policy.lead == "经清理，决定废止以下规章："
    assert policy.preamble == ""
    assert policy.closing == "本决定自公布之日起施行。"
    assert "抄送" not in policy.closing + policy.articles[-1].body


def test_a_line_wrapped_in_the_middle_of_a_paragraph_is_joined():
    policy = measures.parse(
        "某规定\n第一条 下列情形：\n（一）第一行\n续行；\n（二）第二项。\n"
        "有前款情形的，从轻。\n"
    )
    article = policy.articles[0]
    assert [i.text for i in article.items] == ["第一行续行；", "第二项。"]
    assert article.paragraphs[-1] == "有前款情形的，从轻。"


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("第16条", "第十六条"),
        ("第 16 条", "第十六条"),
        ("第一十六条", "第十六条"),
        ("第一百0五条", "第一百零五条"),
        ("第３章", "第三章"),
        ("第二节", "第二节"),
        ("第十十条", "第十十条"),
    ],
)
def test_references_in_one_spelling(text, token):
    match = measures.REFERENCE_RE.fullmatch(text)
    assert measures.reference_token(match) == token


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("济历城政发〔2025〕1号", "济历城政发〔2025〕1号"),
        ("济某发【2014】１５号", "济某发〔2014〕15号"),
        ("济某发[2014]15号", "济某发〔2014〕15号"),
        ("济某发（2014）15号", "济某发〔2014〕15号"),
        ("〔2014〕15号", "〔2014〕15号"),
        ("（第15号）", "第15号"),
        ("第十五号", "第15号"),
        ("济南市人民政府令第２３０号", "济南市人民政府令第230号"),
    ],
)
def test_document_numbers_in_every_common_shape(line, number):
    policy = measures.parse(
        f"济南市某局\n{line}\n某某办法\n2014年3月1日\n第一条 甲。\n"
    )
    assert policy.document_number == number
    assert policy.title == "某某办法"
    # An order's header names who issued it; otherwise the body named alone.
    body = "济南市人民政府" if "令" in line else "济南市某局"
    assert policy.issuing_body == body
