"""The project's one Chinese numeral helper (portal/numerals.py), both ways,
with the variants published and scanned measures write."""

import pytest

from portal.numerals import LARGEST, parse, to_chinese


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "零"),
        (1, "一"),
        (10, "十"),
        (16, "十六"),
        (20, "二十"),
        (24, "二十四"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (116, "一百一十六"),
        (230, "二百三十"),
        (1000, "一千"),
        (1005, "一千零五"),
        (1050, "一千零五十"),
        (2025, "二千零二十五"),
        (9999, "九千九百九十九"),
    ],
)
def test_to_chinese_writes_numbers_as_they_are_read(number, text):
    assert to_chinese(number) == text
    assert parse(text) == number


def test_every_number_reads_back():
    assert all(parse(to_chinese(n)) == n for n in range(LARGEST + 1))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("16", 16),
        ("１６", 16),  # full-width digits
        (" 十二 ", 12),
        ("一十六", 16),  # the formal form
        ("两百", 200),
        ("一百〇五", 105),
        ("一百○五", 105),  # a white circle typed for 〇
        ("一百0五", 105),  # a Latin zero inside a Chinese numeral
        ("一百O五", 105),  # the letter O recognised for 〇
        ("二千零二十五", 2025),
    ],
)
def test_parse_reads_the_variants_of_published_texts(text, number):
    assert parse(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "",
        "第",
        "十十",
        "二二",
        "三十五六",
        "百",
        "一百十",
        "二百零",
        "零五",
        "十零",
        "1六",
    ],
)
def test_parse_refuses_what_is_not_one_numeral(text):
    with pytest.raises(ValueError, match="not a number"):
        parse(text)


@pytest.mark.parametrize("bad", [-1, LARGEST + 1, 1.5, True, "3"])
def test_to_chinese_refuses_what_it_cannot_write(bad):
    with pytest.raises((TypeError, ValueError)):
        to_chinese(bad)


def test_the_report_headings_and_document_ordinals_use_it():
    from casework.documents import _ordinal

    assert [_ordinal(n) for n in (1, 10, 11, 20)] == ["一", "十", "十一", "二十"]
