"""search.segment: one segmentation for index and query (no database)."""

import pytest

from search import query as search_query
from search import segment


def test_tokenizer_is_loaded_once_with_the_user_dictionary():
    assert segment.get_tokenizer() is segment.get_tokenizer()
    words = segment.query_words("履职尽责容错免责澄清正名纪检监察行政执法监督意见书")
    assert words == [
        "履职尽责",
        "容错免责",
        "澄清正名",
        "纪检监察",
        "行政执法监督意见书",
    ]


def test_index_text_contains_the_words_inside_a_phrase():
    tokens = segment.index_tokens("行政执法人员在履行职责过程中符合容错免责情形的")
    for word in ("行政", "执法", "执法人员", "容错", "免责", "容错免责", "情形"):
        assert word in tokens
    assert "的" not in tokens and "在" not in tokens


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("第16条", "第十六条"),
        ("第 16 条", "第十六条"),
        ("第十六条", "第十六条"),
        ("第2条", "第二条"),
        ("第20条", "第二十条"),
        ("第二十二条规定", "第二十二条"),
        ("第3章", "第三章"),
        # Every way of writing the number gives the one token.
        ("第一十六条", "第十六条"),
        ("第１１６条", "第一百一十六条"),
        ("第一百0五条", "第一百零五条"),
        ("第两百条", "第二百条"),
    ],
)
def test_article_references_are_one_word(text, token):
    assert token in segment.index_tokens(text)
    assert segment.query_words(text)[0] == token


def test_mixed_chinese_english_and_numbers():
    assert segment.query_words("2025 容错 ABC") == ["2025", "容错", "abc"]
    assert segment.query_words("２０２５年") == ["2025", "年"]  # full-width digits


def test_long_words_also_match_their_parts_and_synonyms():
    (group,) = segment.query_groups("容错免责")
    assert group.alternatives == (("容错免责",), ("容错", "免责"))
    (group,) = segment.query_groups("纪委")
    assert ("纪检监察",) in group.alternatives


@pytest.mark.parametrize("text", ["", "   ", "，。、！？", "😀🎉", "的了在", "\x00"])
def test_input_without_words(text):
    assert segment.query_groups(text) == []
    assert search_query.build_query(text) is None


def test_sql_and_html_are_just_words():
    words = segment.query_words("'; DROP TABLE x; -- <script>")
    assert words == ["drop", "table", "x", "script"]


def test_long_queries_are_capped():
    text = " ".join(f"词{i}" for i in range(100))
    assert len(segment.query_groups(text)) == segment.MAX_QUERY_GROUPS


def test_build_query_shape():
    from wagtail.search.query import And, Or, PlainText

    query = search_query.build_query("容错免责 情形")
    assert isinstance(query, And)
    first, second = query.subqueries
    assert isinstance(first, Or) and isinstance(second, PlainText)
    assert isinstance(search_query.build_query("容错 情形", "or"), Or)


def test_highlight_terms_longest_first():
    terms = segment.highlight_terms("容错免责")
    assert terms[0] == "容错免责" and {"容错", "免责"} <= set(terms)


def test_snippet_escapes_and_marks():
    from search.highlight import mark_title, snippet

    text = "前言" * 80 + "<b>符合容错免责情形</b>" + "结尾" * 80
    html = snippet(text, "容错")
    assert "<mark>容错</mark>" in html and "&lt;b&gt;" in html and "<b>" not in html
    assert html.startswith("…") and html.endswith("…")
    assert (
        str(mark_title("<i>容错</i>", "容错")) == "&lt;i&gt;<mark>容错</mark>&lt;/i&gt;"
    )
