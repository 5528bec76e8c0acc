"""/api/v2/pages/?search= uses the same segmentation as /search/."""

import pytest


def test_api_finds_words_inside_phrases(client, search_corpus):
    response = client.get(
        "/api/v2/pages/", {"search": "陈述申辩", "type": "portal.HomePage"}
    )
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert "第十六条" in titles


def test_api_and_public_page_agree(client, search_corpus):
    from search import sources

    api = client.get(
        "/api/v2/pages/", {"search": "第16条", "type": "portal.HomePage"}
    ).json()["items"]
    page = [h.title for h in sources.search("第16条", sources.public_sources())]
    assert page[0] in [item["title"] for item in api]


@pytest.mark.parametrize(
    "query", ["", "容错" * 600, "'; DROP TABLE x; --", "<b>容错</b>", "😀", "，。"]
)
def test_api_bad_input_is_a_normal_answer(client, search_corpus, query):
    response = client.get("/api/v2/pages/", {"search": query})
    assert response.status_code == 200
    assert "items" in response.json()
