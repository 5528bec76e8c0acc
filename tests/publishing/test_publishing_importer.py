"""publishing.importer: a measure's plain text into chapters, articles, items."""

import datetime
from pathlib import Path

import pytest

from publishing.importer import PolicyParseError, chinese_number, parse_policy

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


def test_chinese_numbers():
    assert [
        chinese_number(n) for n in ["一", "十", "十六", "二十四", "一百零二", "12"]
    ] == [1, 10, 16, 24, 102, 12]
    with pytest.raises(ValueError):
        chinese_number("甲")
    # A malformed heading number is named to the person importing, in
    # Chinese, not read as 20 (portal.numerals reads one numeral or none).
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(PolicyParseError) as refused:
        chinese_number("十十")
    assert str(refused.value) == "编号“十十”无法识别，请核对原文。"


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
    by_number = {a.number: a for a in policy.articles}
    # Items intact, each on its own line, in order.
    assert len(by_number[9].items) == 9
    assert len(by_number[10].items) == 10
    assert len(by_number[11].items) == 3
    assert len(by_number[12].items) == 7
    assert (
        by_number[12]
        .items[4]
        .startswith("（五）行政执法工作中，因主观原因在同一问题上")
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
    assert third.items == [
        "（一）执法主体、人员；",
        "（二）职责、依据；",
        "（三）救济渠道。",
    ]
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
    assert policy.articles[1].items == ["（一）丙；", "（二）丁。"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "未找到"),
        ("只是一段话。", "未找到"),
        ("某规定\n第一条 甲。\n第三条 丙。\n", "缺少第二条"),
        ("第一条 甲。\n", "标题"),
    ],
)
def test_texts_that_are_not_measures_are_refused_in_chinese(text, message):
    with pytest.raises(PolicyParseError, match=message):
        parse_policy(text)


def test_article_headings_without_a_space_follow_the_numbering():
    policy = parse_policy(
        "某规定\n第一条为了甲。\n第二条乙。\n第一条规定的情形除外。\n第三条丙。\n"
    )
    assert [a.body for a in policy.articles] == [
        "为了甲。",
        "乙。\n第一条规定的情形除外。",
        "丙。",
    ]
