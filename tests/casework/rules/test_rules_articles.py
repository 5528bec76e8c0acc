"""Items of Art. 9-12, determination outcomes and their basis (Art. 9-12, 18)."""

import pytest

from casework.rules.articles import (
    ArticleItem,
    Outcome,
    chinese_numeral_to_int,
    get_item,
    int_to_chinese_numeral,
    is_error,
    load_policy_items,
    parse_code,
    parse_items,
    validate_basis,
)

# A small text in the policy's own shape, for the parser's edge cases.
SAMPLE = """\
第一章  总  则
第一条  为了规范行政执法行为，制定本办法。
第二条  行政执法人员符合下列情形的：

（一）第一种情形的；

（二）第二种情形的。
第二章  其他
"""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("二十四", 24),
        ("一十一", 11),
        ("九十九", 99),
        (" 十二 ", 12),
    ],
)
def test_chinese_numeral_to_int(text, value):
    assert chinese_numeral_to_int(text) == value


@pytest.mark.parametrize(
    "text", ["", "零", "百", "十十", "二二", "一百", "三十五六", "5"]
)
def test_chinese_numeral_rejects(text):
    with pytest.raises(ValueError):
        chinese_numeral_to_int(text)


def test_int_to_chinese_numeral_round_trip():
    for n in range(1, 100):
        assert chinese_numeral_to_int(int_to_chinese_numeral(n)) == n
    assert int_to_chinese_numeral(10) == "十"
    assert int_to_chinese_numeral(24) == "二十四"
    with pytest.raises(ValueError):
        int_to_chinese_numeral(100)


def test_policy_item_counts():
    items = load_policy_items()
    assert {article: len(its) for article, its in items.items()} == {
        9: 9,
        10: 10,
        11: 3,
        12: 7,
    }
    for article, its in items.items():
        assert [i.number for i in its] == list(range(1, len(its) + 1))
        assert all(i.article == article and i.wording for i in its)


def test_policy_items_are_read_only_and_cached():
    items = load_policy_items()
    assert load_policy_items() is items
    with pytest.raises(TypeError):
        items[13] = ()  # type: ignore[index]
    assert isinstance(items[9], tuple)


def test_exact_wording():
    items = load_policy_items()
    assert items[12][4].wording == (
        "行政执法工作中，因主观原因在同一问题上重复出现失误、错误"
        "或者给予容错免责处理后再次出现同样失误、错误的"
    )
    assert items[9][0].wording == (
        "已经按照法定职责、法定程序、岗位职责，履行行政执法职责的"
    )
    assert items[10][9].wording == "其他应当从轻、减轻处理或者予以免责情形"
    assert items[11][1].wording == "积极配合问责追责调查，并主动承担责任的"


def test_item_without_blank_line_before_it():
    # In the text Art. 10(9) follows 10(8) on the very next line.
    item = load_policy_items()[10][7]
    assert item.wording.endswith("在整改过程中不执行整改要求，仍然造成事故发生的")
    assert "（九）" not in item.wording


def test_bracketed_words_are_not_items():
    # Art. 16 mentions 委托鉴定（评估、检测）; Art. 16 lists no items.
    assert 16 not in load_policy_items()


def test_code_and_label():
    item = ArticleItem(12, 5, "…")
    assert item.code == "12(5)"
    assert item.label == "第十二条第（五）项"
    assert ArticleItem(9, 1, "x").label == "第九条第（一）项"
    assert ArticleItem(10, 10, "x").label == "第十条第（十）项"
    assert str(ArticleItem(9, 1, "x")) == "第九条第（一）项：x"


def test_get_item():
    assert get_item("12(5)").wording.startswith("行政执法工作中")
    assert get_item("9（1）") == load_policy_items()[9][0]
    with pytest.raises(KeyError):
        get_item("9(10)")


@pytest.mark.parametrize(
    ("code", "parsed"),
    [("9(1)", (9, 1)), ("12（5）", (12, 5)), (" 10 ( 10 ) ", (10, 10))],
)
def test_parse_code(code, parsed):
    assert parse_code(code) == parsed


@pytest.mark.parametrize("code", ["9", "9-1", "(1)", "九(一)", ""])
def test_parse_code_rejects(code):
    with pytest.raises(ValueError):
        parse_code(code)


def test_parse_sample():
    items = parse_items(SAMPLE)
    assert items == {
        2: [ArticleItem(2, 1, "第一种情形的"), ArticleItem(2, 2, "第二种情形的")]
    }


@pytest.mark.parametrize(
    "variant",
    [
        # half-width brackets
        SAMPLE.replace("（", "(").replace("）", ")"),
        # mixed brackets, spaces inside and before them
        SAMPLE.replace("（一）", "  ( 一 ）").replace("（二）", "（二)  "),
        # ideographic spaces, no space after the article number
        SAMPLE.replace("（", "\u3000\u3000（").replace("第二条  ", "第二条"),
        # spaced article number, Windows line ends, BOM, no blank lines
        "\ufeff" + SAMPLE.replace("第二条", "第 二 条").replace("\n\n", "\n"),
        SAMPLE.replace("\n", "\r\n"),
    ],
)
def test_parse_variants(variant):
    assert parse_items(variant) == parse_items(SAMPLE)


def test_parse_arabic_article_numbers():
    assert list(parse_items(SAMPLE.replace("第二条", "第2条"))) == [2]


def test_parse_two_digit_articles_and_items():
    lines = ["第二十四条  符合下列情形的："]
    lines += [f"（{int_to_chinese_numeral(n)}）情形{n}；" for n in range(1, 13)]
    items = parse_items("\n".join(lines))
    assert [i.number for i in items[24]] == list(range(1, 13))
    assert items[24][10] == ArticleItem(24, 11, "情形11")
    assert items[24][10].label == "第二十四条第（十一）项"


def test_wrapped_item_lines_are_joined():
    text = "第三条  情形：\n（一）第一行\n  续行；\n\n本条其余文字。\n（二）第二项。"
    assert parse_items(text)[3] == [
        ArticleItem(3, 1, "第一行续行"),
        ArticleItem(3, 2, "第二项"),
    ]


def test_items_outside_articles_are_ignored():
    text = "通知：\n（一）甲；\n（二）乙。\n" + SAMPLE
    assert parse_items(text) == parse_items(SAMPLE)


def test_items_after_a_chapter_heading_belong_to_no_article():
    text = SAMPLE + "（一）不属于任何条\n"
    assert parse_items(text) == parse_items(SAMPLE)


def test_items_out_of_order_are_rejected():
    with pytest.raises(ValueError, match="expected item 2, found item 3"):
        parse_items(SAMPLE.replace("（二）", "（三）"))


def test_duplicate_article_is_rejected():
    with pytest.raises(ValueError, match="article 2 appears twice"):
        parse_items(SAMPLE + "第二条  又一次。\n")


@pytest.mark.parametrize(
    ("outcome", "codes"),
    [
        (Outcome.DUTY_FULFILLED, ["9(1)"]),
        (Outcome.DUTY_FULFILLED, ["9(2)", "9(9)"]),
        (Outcome.EXEMPT, ["10(5)"]),
        (Outcome.LIGHTER, ["10(1)"]),
        (Outcome.LIGHTER, ["10(1)", "11(1)"]),
        (Outcome.REDUCED, ["10(4)", "11(2)"]),
        (Outcome.MITIGATION_LIGHTER, ["11(1)"]),
        (Outcome.MITIGATION_REDUCED, ["11(2)", "12(4)"]),
        (Outcome.NO_TOLERANCE, ["12(5)"]),
        ("no_tolerance", ("12(1)", "12(7)")),
        (Outcome.EXEMPT, iter(["10(1)", "10(1)"])),
    ],
)
def test_valid_basis(outcome, codes):
    assert validate_basis(outcome, codes) == []


@pytest.mark.parametrize(
    ("outcome", "codes", "messages"),
    [
        (Outcome.EXEMPT, [], ["认定为“免责”须引用所依据的第十条所列情形"]),
        (
            Outcome.EXEMPT,
            ["10(1)", "12(5)"],
            ["第十二条第（五）项属于不予容错的情形，不能作为“免责”的依据"],
        ),
        (
            Outcome.EXEMPT,
            ["11(1)"],
            [
                "第十一条第（一）项不能作为“免责”的依据（只能引用第十条）",
                "认定为“免责”须至少引用第十条所列的一项情形",
            ],
        ),
        (
            Outcome.DUTY_FULFILLED,
            ["10(1)"],
            [
                "第十条第（一）项不能作为“履职尽责”的依据（只能引用第九条）",
                "认定为“履职尽责”须至少引用第九条所列的一项情形",
            ],
        ),
        (
            Outcome.LIGHTER,
            ["11(1)"],
            ["认定为“从轻处理”须至少引用第十条所列的一项情形"],
        ),
        (
            Outcome.MITIGATION_LIGHTER,
            ["10(1)"],
            ["认定为“从轻追究责任”须至少引用第十一条所列的一项情形"],
        ),
        (
            Outcome.MITIGATION_LIGHTER,
            ["9(1)", "11(1)"],
            [
                "第九条第（一）项不能作为“从轻追究责任”的依据"
                "（只能引用第十条、第十一条、第十二条）",
            ],
        ),
        (
            Outcome.MITIGATION_REDUCED,
            ["12(2)"],
            ["认定为“减轻追究责任”须至少引用第十一条所列的一项情形"],
        ),
        (
            Outcome.NO_TOLERANCE,
            ["12(1)", "11(2)"],
            ["第十一条第（二）项不能作为“不予容错”的依据（只能引用第十条、第十二条）"],
        ),
        (
            Outcome.NO_TOLERANCE,
            ["12(8)", "13(1)", "bad"],
            [
                "第十二条没有第（八）项",
                "第十三条没有第（一）项",
                "无法识别的条款项编号：bad",
            ],
        ),
        (Outcome.NO_TOLERANCE, ["100(1)"], ["无法识别的条款项编号：100(1)"]),
        ("pardon", ["10(1)"], ["未知的认定结果：pardon"]),
    ],
)
def test_invalid_basis(outcome, codes, messages):
    assert validate_basis(outcome, codes) == messages


def test_validate_basis_with_given_items():
    items = {9: [ArticleItem(9, 1, "x")], 12: [ArticleItem(12, 1, "y")]}
    assert validate_basis(Outcome.DUTY_FULFILLED, ["9(1)"], items=items) == []
    assert validate_basis(Outcome.DUTY_FULFILLED, ["9(2)"], items=items) == [
        "第九条没有第（二）项"
    ]


def test_is_error():
    # Art. 18: an exemption is not an enforcement error; no tolerance is.
    assert not is_error(Outcome.EXEMPT)
    assert not is_error("duty_fulfilled")
    assert is_error(Outcome.NO_TOLERANCE)
    for outcome in (
        Outcome.LIGHTER,
        Outcome.REDUCED,
        Outcome.MITIGATION_LIGHTER,
        Outcome.MITIGATION_REDUCED,
    ):
        assert is_error(outcome)
    with pytest.raises(ValueError):
        is_error("pardon")


def test_outcome_labels_and_choices():
    assert Outcome.EXEMPT == "exempt"
    assert Outcome.NO_TOLERANCE.label == "不予容错"
    choices = Outcome.choices()
    assert len(choices) == len(Outcome)
    assert ("duty_fulfilled", "履职尽责") in choices
