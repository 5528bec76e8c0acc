"""``?search=`` on the public API spends from the public search page's budget
(issue #14): the API is no way around /search/'s rate limit, and API use
without a search is not counted."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

LIMIT = 3


@pytest.fixture(autouse=True)
def _budget(settings, db):
    settings.SEARCH_RATE_LIMIT = LIMIT
    settings.SEARCH_RATE_WINDOW = 60
    cache.clear()
    yield
    cache.clear()


def _api_search(client, endpoint="pages", **extra):
    return client.get(f"/api/v2/{endpoint}/", {"search": "容错"}, **extra)


def assert_refused(response):
    assert response.status_code == 429
    message = "您在短时间内搜索过于频繁，请稍候一分钟再试。"
    assert response.json() == {"message": message}
    assert response["Retry-After"] == "60"


def test_api_searches_over_the_budget_are_refused(client):
    for _ in range(LIMIT):
        assert _api_search(client).status_code == 200
    assert_refused(_api_search(client))


def test_the_api_and_the_search_page_share_one_budget(client):
    for _ in range(LIMIT - 1):
        assert client.get(reverse("search"), {"q": "容错"}).status_code == 200
    assert _api_search(client).status_code == 200
    assert_refused(_api_search(client))
    assert client.get(reverse("search"), {"q": "容错"}).status_code == 429


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_every_api_endpoint_s_search_counts(client, endpoint):
    for _ in range(LIMIT):
        assert _api_search(client, endpoint).status_code == 200
    assert_refused(_api_search(client, endpoint))
    assert_refused(_api_search(client, "pages"))


def test_api_use_without_a_search_is_not_counted_nor_refused(client):
    for _ in range(LIMIT * 3):
        assert client.get("/api/v2/pages/").status_code == 200
    # The budget is untouched by the listings above ...
    for _ in range(LIMIT):
        assert _api_search(client).status_code == 200
    assert_refused(_api_search(client))
    # ... and, once it is spent, listings still answer.
    listing = client.get("/api/v2/pages/", {"limit": 5})
    assert listing.status_code == 200
    assert "items" in listing.json()


def test_another_client_keeps_its_own_budget(client):
    for _ in range(LIMIT):
        _api_search(client)
    assert_refused(_api_search(client))
    assert _api_search(client, REMOTE_ADDR="198.51.100.7").status_code == 200
