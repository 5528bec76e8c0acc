"""The segmented database backend, against Wagtail's stock one."""

import pytest
from django.core.management import call_command
from wagtail.search.backends import get_search_backend
from wagtail.search.query import PlainText

from portal.models import HomePage

SENTENCE = "行政执法人员在履行职责过程中符合容错免责情形的"


@pytest.fixture
def sentence_page(home_page):
    page = HomePage(title="容错免责情形说明", intro=f"<p>{SENTENCE}</p>", live=True)
    home_page.add_child(instance=page)
    return page


def found(backend, query, page):
    return page.pk in {p.pk for p in backend.search(query, HomePage)}


@pytest.mark.parametrize("query", ["容错", "执法人员", "行政", "免责情形", "履行职责"])
def test_words_inside_a_phrase_are_found(sentence_page, query):
    backend = get_search_backend()
    assert type(backend).__name__ in {
        "SegmentedSQLiteSearchBackend",
        "SegmentedPostgresSearchBackend",
    }
    assert found(backend, query, sentence_page)


def test_the_stock_backend_finds_only_whole_clauses(sentence_page, settings):
    """The problem of issue #6, measured: the stock backend indexes the clause
    as one token (both share the index table: rebuild it the stock way)."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }
    call_command("update_index", verbosity=0)
    stock = get_search_backend()
    assert type(stock).__module__.startswith("modelsearch.")
    assert not found(stock, "容错", sentence_page)
    assert not found(stock, "执法人员", sentence_page)
    assert found(stock, SENTENCE, sentence_page)


def test_titles_are_segmented(sentence_page):
    backend = get_search_backend()
    results = backend.search("情形", HomePage.objects.filter(pk=sentence_page.pk))
    assert [p.pk for p in results] == [sentence_page.pk]


def test_misses_stay_misses(sentence_page):
    backend = get_search_backend()
    assert not found(backend, "区块链", sentence_page)
    assert not found(backend, "容错 区块链", sentence_page)


def test_or_operator_and_query_objects(sentence_page):
    backend = get_search_backend()
    assert found(backend, PlainText("区块链 容错", operator="or"), sentence_page)
    assert not found(backend, PlainText("区块链 容错", operator="and"), sentence_page)


@pytest.mark.parametrize("query", ["", "   ", "，。！", "😀😀", "的 了"])
def test_queries_without_words_return_nothing(sentence_page, query):
    assert list(get_search_backend().search(query, HomePage)) == []


def test_autocomplete_is_segmented(sentence_page):
    results = get_search_backend().autocomplete("容错", HomePage)
    assert sentence_page.pk in {p.pk for p in results}


def test_update_index_rebuilds_with_segmentation_and_shows_progress(sentence_page):
    from io import StringIO

    from wagtail.search.models import IndexEntry

    IndexEntry.objects.all().delete()
    assert not found(get_search_backend(), "容错", sentence_page)
    out = StringIO()
    call_command("update_index", stdout=out)
    assert "HomePage" in out.getvalue() or "homepage" in out.getvalue().lower()
    assert found(get_search_backend(), "容错", sentence_page)


def test_postgres_uses_the_simple_configuration(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (run with DATABASE_URL=postgres://…)")
    assert get_search_backend().config == "simple"
