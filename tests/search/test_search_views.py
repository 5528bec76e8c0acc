"""The public /search/ page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from search import views


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def get(client, **params):
    return client.get(reverse("search"), params)


def test_results_snippets_and_query_kept(client, search_corpus):
    response = get(client, q="陈述申辩")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="陈述申辩"' in html
    assert "第十六条" in html
    assert "<mark>陈述申辩</mark>" in html
    assert "政策条文" in html
    assert 'role="status"' in html


def test_type_and_year_filters(client, search_corpus):
    everything = get(client, q="澄清").context
    assert {h["key"] for h in everything["results"]} >= {"notice"}
    notices_2026 = get(client, q="澄清", type="notice", year="2026").context
    titles = [str(r["title"]) for r in notices_2026["results"]]
    assert len(titles) == 1 and "王某" in titles[0]
    assert (2025, 1) in notices_2026["years"] or (2026, 1) in notices_2026["years"]


def test_unknown_filters_are_ignored(client, search_corpus):
    response = get(client, q="回避", type="<script>", year="99999999", page="x")
    assert response.status_code == 200
    assert response.context["active_type"] is None
    assert response.context["active_year"] is None


def test_pagination(client, search_corpus, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 3)
    first = get(client, q="行政执法").context
    assert first["paginator"].count > 3
    second = get(client, q="行政执法", page=2).context
    assert second["page_obj"].number == 2
    first_titles = {str(r["title"]) for r in first["results"]}
    assert not first_titles & {str(r["title"]) for r in second["results"]}


def test_empty_state_suggests_words(client, search_corpus):
    html = get(client, q="区块链").content.decode()
    assert "没有找到" in html or "Nothing matched" in html
    for word in views.SUGGESTIONS:
        assert word in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "容错" * 500,
        "' OR 1=1; DROP TABLE wagtailsearch_indexentry; --",
        '"容错" AND (免责 OR NOT x) NEAR/3 *',
        "<script>alert('x')</script>容错",
        "😀🔥 容错 🎉",
        "\x00\x01",
    ],
)
def test_bad_input_gives_a_normal_page(client, search_corpus, query):
    response = get(client, q=query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert len(response.context["search_query"]) <= views.MAX_QUERY_LENGTH


def test_rate_limited_per_client(client, search_corpus, settings):
    settings.SEARCH_RATE_LIMIT = 3
    for _ in range(3):
        assert get(client, q="回避").status_code == 200
    response = get(client, q="回避")
    assert response.status_code == 429
    assert "请稍" in response.content.decode() or "too" in response.content.decode()
    other = client.get(reverse("search"), {"q": "回避"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def _queries(client, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert get(client, q=query).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_results(client, search_corpus):
    _queries(client, "回避")  # warm the site and content-type caches
    # Both hit the articles only: one result, and more than a page of them.
    few = _queries(client, "司法局")
    many = _queries(client, "行政执法机关")
    assert get(client, q="司法局").context["paginator"].count == 1
    assert get(client, q="行政执法机关").context["paginator"].count > views.PER_PAGE
    # The page without a query costs the site template's own queries; a
    # search adds at most three per source (the view restrictions that
    # PageQuerySet.public() reads, the ranked index lookup, the page of
    # objects), however many results there are.
    baseline = _queries(client, "")
    assert few == many <= baseline + 3 * 3


@pytest.mark.django_db
def test_search_page_keeps_the_query_and_handles_hostile_input(client, home_page):
    for query in ["容错", "<script>alert(1)</script>", "' OR 1=1 --", "😀" * 300]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
    html = client.get("/search/", {"q": "<b>x</b>"}).content.decode()
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
