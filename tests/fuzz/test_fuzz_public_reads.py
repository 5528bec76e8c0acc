"""Fuzzing everything public that reads input: the search page, the feeds,
the pages API, ``?version=`` on published pages and the index pages'
filters. Whatever the parameters, the answer is a page, a 4xx, never a 500.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from fuzzwire import any_text, nasty_text, numberish, urlencode
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

SEARCH_TYPES = ["policy", "article", "interpretation", "notice", "case", ""]
FEEDS = [
    "/feeds/notices/rss/",
    "/feeds/notices/atom/",
    "/feeds/interpretations/rss/",
    "/feeds/interpretations/atom/",
]


def get(client, path: str, pairs) -> int:
    # A fresh rate-limit budget for each example: the limit is not the
    # subject here (tests/search covers it), what is behind it is.
    cache.clear()
    response = client.get(f"{path}?{urlencode(pairs)}")
    assert response.status_code < 500, (path, pairs)
    return response.status_code


def pairs_of(names, values):
    """Query parameters: known names (repeated or missing) and stray ones."""
    return st.lists(
        st.tuples(st.one_of(st.sampled_from(names), nasty_text), values),
        max_size=6,
    )


@given(
    q=any_text,
    extra=pairs_of(
        ["q", "type", "year", "page"],
        st.one_of(numberish, st.sampled_from(SEARCH_TYPES), any_text),
    ),
)
def test_search(client, site, examples, q, extra):
    examples()
    status = get(client, "/search/", [("q", q), *extra])
    assert status in (200, 429)


@given(
    path=st.sampled_from(FEEDS),
    extra=pairs_of(["page", "type", "format"], any_text),
)
def test_feeds(client, site, examples, path, extra):
    examples()
    assert get(client, path, extra) == 200


API_PARAMS = st.one_of(
    st.tuples(st.just("search"), any_text),
    st.tuples(
        st.just("type"),
        st.one_of(
            st.sampled_from(
                [
                    "publishing.ClarificationNoticePage",
                    "publishing.PolicyDocumentPage",
                    "publishing.InterpretationPage",
                    "wagtailcore.Page",
                    "auth.User",
                    "reporting.Report",
                    "publishing.",
                    ".",
                ]
            ),
            nasty_text,
        ),
    ),
    st.tuples(
        st.just("fields"),
        st.one_of(
            st.sampled_from(
                [
                    "*",
                    "-title",
                    "party_names",
                    "body,party_names",
                    "_,title",
                    "owner",
                    "parent(title)",
                    "body(",
                    "((((",
                    "-*",
                    "*,-id",
                ]
            ),
            nasty_text,
        ),
    ),
    st.tuples(
        st.just("order"),
        st.one_of(st.sampled_from(["-date", "random", "id", "title", "-"]), nasty_text),
    ),
    st.tuples(st.sampled_from(["offset", "limit", "id", "child_of"]), numberish),
    st.tuples(
        st.sampled_from(
            ["search_operator", "locale", "translation_of", "descendant_of", "site"]
        ),
        st.one_of(st.sampled_from(["and", "or", "en", "zh-hans", "1"]), nasty_text),
    ),
    st.tuples(nasty_text, any_text),
)


@given(params=st.lists(API_PARAMS, max_size=6))
def test_pages_api(client, site, examples, params):
    examples()
    get(client, "/api/v2/pages/", params)
    # The detail endpoint takes the same parameters.
    get(client, f"/api/v2/pages/{site['notice'].pk}/", params)


@given(version=numberish, extra=pairs_of(["version", "page"], numberish))
def test_page_version(client, site, examples, version, extra):
    examples()
    for page in (site["notice"], site["interpretation"], site["policy"]):
        status = get(client, page.url, [("version", version), *extra])
        assert status in (200, 404)


def test_page_version_shows_an_earlier_published_revision(client, site):
    """The fuzzer's counterpart: a good ``?version=`` still works."""
    notice = site["notice"]
    first = site["notice_first_revision"]
    response = client.get(f"{notice.url}?version={first.pk}")
    assert response.status_code == 200
    assert "特此公告" not in response.content.decode()
    assert client.get(f"{notice.url}?version=%C2%B2").status_code == 404


@given(
    extra=pairs_of(
        ["year", "type", "page"],
        st.one_of(numberish, st.sampled_from(["notice", "interpretation", "policy"])),
    )
)
def test_index_pages(client, site, examples, extra):
    examples()
    for index in site["indexes"]:
        assert get(client, index.url, extra) == 200


def test_index_page_filters_still_filter(client, site):
    index = site["notice"].get_parent()
    shown = client.get(f"{index.url}?year=2025").content.decode()
    assert site["notice"].title in shown
    hidden = client.get(f"{index.url}?year=2024").content.decode()
    assert site["notice"].title not in hidden
    # Superscript digits pass str.isdigit() but are no year: ignored.
    assert client.get(f"{index.url}?year=%C2%B2%C2%B2%C2%B2%C2%B2").status_code == 200
