"""``/api/v2/pages/?search=`` answered by the public /search/ page's engine
(portal/api.py, search.sources.ranked_pages): a policy document is found by
the text of its articles, the pages come in the engine's rank order, each
with ``matching_articles``, and the API shows exactly what an anonymous
visitor finds on /search/.

The site is built once for the module (the publishing demo, the measures of
publishing/data/measures/ when there are any, and a private and a draft
measure) inside a transaction rolled back at the end; each test runs in a
savepoint of it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search import sources

ROOT = Path(__file__).resolve().parents[2]
MEASURES_DIR = ROOT / "publishing" / "data" / "measures"
FALLBACK_ISSUER = "济南市历城区人民政府"

#: (query, article number of the demo measure the query must find).
ARTICLE_FINDS = [
    ("回避", 16),
    ("听证主持人", 14),
    ("澄清", 22),
    ("紧急避险", 9),
]

#: Queries on which the API and /search/ must agree: words of the demo
#: measure's articles (procedures, roles, items), some of several words,
#: some article references. Append freely.
AGREEMENT_QUERIES = [
    "回避",
    "听证主持人",
    "澄清",
    "紧急避险",
    "陈述申辩",
    "委托鉴定",
    "复核申请",
    "行政执法监督意见书",
    "三个区分开来",
    "容错免责",
    "延长整改期限",
    "易错风险点",
    "纪检监察机关 联合调查",
    "信访举报 匿名举报",
    "第十六条",
    "第16条",
    "第二十二条 澄清",
    "行政裁量基准",
    "法制审核",
    "正当防卫 不可抗力",
    "先行先试",
    "调查人员 利害关系",
    "移送公安机关",
    "程序瑕疵",
    "诬告陷害",
    "立案 核实 认定",
    "行政执法证件",
    "书面审查 询问取证",
]

#: Queries for the measures under publishing/data/measures/, by file name:
#: used when that file is there. Append freely.
MEASURE_QUERIES = {
    "01_shandong-admin-enforcement-supervision-regulation.txt": [
        "行政执法监督",
        "第二条",
    ],
}

PRIVATE_MEASURE = """济历城政办发〔2031〕21号

历城区涉密测绘成果管理办法（试行）
第一章  总  则

第一条  为了加强涉密测绘成果管理，制定本办法。
第二条  涉密测绘成果实行登记台账制度，专人保管。
"""
DRAFT_MEASURE = """济历城政办发〔2031〕22号

历城区夜间经济街区管理办法（试行）
第一章  总  则

第一条  为了规范夜间经济街区管理，制定本办法。
第二条  夜间经济街区实行外摆经营备案制度。
"""
PRIVATE_QUERY, PRIVATE_ARTICLE = "测绘成果 登记台账", 2
DRAFT_QUERY, DRAFT_ARTICLE = "外摆经营", 2


def _measure_files() -> list[Path]:
    return sorted(MEASURES_DIR.glob("*.txt")) if MEASURES_DIR.is_dir() else []


def _first_words(text: str, size: int = 6) -> str:
    """The first run of Chinese characters of an article (cut to ``size``):
    a query for a measure nobody wrote queries for yet."""
    match = re.search(r"[\u4e00-\u9fff]{2,}", text)
    return match.group(0)[:size] if match else ""


def _build_site():
    from wagtail.models import PageViewRestriction

    from publishing import services
    from publishing.models import PublicationIndexPage
    from tests.testkit.sites import build_public_site

    home = build_public_site()
    policies = PublicationIndexPage.objects.get(slug=services.POLICY_INDEX_SLUG)

    def import_text(text):
        result = services.import_policy_text(
            text, parent=policies, issuing_body=FALLBACK_ISSUER
        )
        page = result.page
        if not page.live:
            # A text the parser found incomplete is left as a draft for an
            # editor: published here as the editor would.
            page.get_latest_revision().publish()
            page.refresh_from_db()
        return page

    measure_queries, refused = [], []
    for path in _measure_files():
        try:
            page = import_text(path.read_text(encoding="utf-8"))
        except services.PublishingError as exc:
            refused.append((path.name, str(exc)))
            continue
        measure_queries += MEASURE_QUERIES.get(path.name, [])
        # And, for any measure, the opening words of two of its articles.
        articles = list(page.articles.all())
        picked = dict.fromkeys(
            [articles[1 % len(articles)], articles[len(articles) // 2]]
        )
        for article in picked:
            words = _first_words(article.body)
            if words:
                measure_queries.append(words)
    private = import_text(PRIVATE_MEASURE)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    draft = import_text(DRAFT_MEASURE)
    draft.unpublish()
    return {
        "home": home,
        "policies": policies,
        "notices": PublicationIndexPage.objects.get(slug="notices"),
        "private": private,
        "draft": draft,
        "measure_queries": list(dict.fromkeys(measure_queries)),
        "refused": refused,
    }


@pytest.fixture(scope="module")
def policy_site(django_db_setup, django_db_blocker):
    from django.core.cache import cache

    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        site = _build_site()
        yield site
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def site(policy_site, db, settings):
    settings.SEARCH_RATE_LIMIT = 0
    return policy_site


def api_search(client, query, **params):
    """Every item the API lists for ``query`` (all its pages of results)."""
    items, offset = [], 0
    while True:
        response = client.get(
            "/api/v2/pages/",
            {"search": query, "limit": 50, "offset": offset, **params},
        )
        assert response.status_code == 200, response.content
        data = response.json()
        items += data["items"]
        offset += 50
        if offset >= data["meta"]["total_count"]:
            return items


def page_search(client, query):
    """(page path, [article anchors]) of what /search/ shows for ``query``,
    every page of results, limited to page sources, each page once in order
    of its first appearance."""
    keys = {s.key for s in sources.page_sources(sources.public_sources())}
    found: dict[str, list[str]] = {}
    number = 1
    while True:
        response = client.get("/search/", {"q": query, "page": number})
        assert response.status_code == 200
        for row in response.context["results"]:
            if row["key"] not in keys:
                continue
            parts = urlsplit(row["url"])
            anchors = found.setdefault(parts.path, [])
            if parts.fragment:
                anchors.append(parts.fragment)
        if not response.context["page_obj"].has_next():
            return list(found.items())
        number += 1


def _api_pages(items):
    return [
        (
            urlsplit(item["meta"]["html_url"]).path,
            [m["anchor"] for m in item["matching_articles"]],
        )
        for item in items
    ]


@pytest.mark.parametrize(("query", "number"), ARTICLE_FINDS)
def test_a_policy_is_found_by_its_articles(client, site, query, number):
    items = api_search(client, query, type="publishing.PolicyDocumentPage")
    demo = [i for i in items if "容错纠错实施办法" in i["title"]]
    assert len(demo) == 1, [i["title"] for i in items]
    matches = demo[0]["matching_articles"]
    assert {"number": number, "label": _label(number), "anchor": f"art-{number}"} in (
        matches
    )


def _label(number):
    from portal.numerals import to_chinese

    return f"第{to_chinese(number)}条"


@pytest.mark.parametrize("query", AGREEMENT_QUERIES)
def test_api_and_search_page_agree(client, site, query):
    api = _api_pages(api_search(client, query))
    assert api, "the agreement means something only when the query finds pages"
    assert api == page_search(client, query)


def test_at_least_twenty_agreement_queries():
    assert len(set(AGREEMENT_QUERIES)) >= 20


def test_api_and_search_page_agree_on_the_measures(client, site):
    """The same for the measures of publishing/data/measures/ (a file the
    importer refuses, such as a decision without articles, is left out)."""
    if not _measure_files():
        pytest.skip("no measures in publishing/data/measures/")
    queries = site["measure_queries"]
    assert queries, site["refused"]
    empty = []
    for query in queries:
        api = _api_pages(api_search(client, query))
        assert api == page_search(client, query), query
        if not api:
            empty.append(query)
    assert len(empty) <= len(queries) // 5, empty


def test_non_policy_pages_have_an_empty_list(client, site):
    items = api_search(client, "澄清正名", type="publishing.ClarificationNoticePage")
    assert items
    assert all(item["matching_articles"] == [] for item in items)


def test_no_matching_articles_without_a_search(client, site):
    response = client.get("/api/v2/pages/", {"limit": 5})
    assert response.status_code == 200
    assert all("matching_articles" not in i for i in response.json()["items"])


def test_rank_order_and_explicit_order(client, site):
    ranked = api_search(client, "容错免责")
    expected = [path for path, _anchors in page_search(client, "容错免责")]
    assert [urlsplit(i["meta"]["html_url"]).path for i in ranked] == expected
    by_title = api_search(client, "容错免责", order="title")
    assert {i["id"] for i in by_title} == {i["id"] for i in ranked}
    titles = [i["title"] for i in by_title]
    assert titles == sorted(titles) or len(titles) < 2


def test_the_api_s_own_filters_still_apply(client, site):
    everything = api_search(client, "澄清")
    assert len({i["meta"]["type"] for i in everything}) > 1
    notices = api_search(client, "澄清", child_of=site["notices"].pk)
    assert notices
    assert {i["meta"]["type"] for i in notices} == {
        "publishing.ClarificationNoticePage"
    }
    # The same pages in the same (rank) order as without the filter.
    ids = {i["id"] for i in notices}
    assert [i["id"] for i in notices] == [i["id"] for i in everything if i["id"] in ids]


def test_search_operator(client, site):
    both = {i["id"] for i in api_search(client, "回避 听证主持人")}
    either = {
        i["id"] for i in api_search(client, "回避 听证主持人", search_operator="or")
    }
    alone = {i["id"] for i in api_search(client, "听证主持人")}
    assert both <= either
    assert alone <= either
    response = client.get(
        "/api/v2/pages/", {"search": "回避", "search_operator": "xor"}
    )
    assert response.status_code == 400
    assert "search_operator" in response.json()["message"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "，。！？",
        "😀",
        "😀😀 🎉",
        "容错" * 600,
        "'; DROP TABLE wagtailcore_page; --",
        "1' OR '1'='1",
        "\x00回避",
        "<script>alert(1)</script>",
        "%",
        "_",
    ],
)
def test_bad_input_is_an_empty_or_normal_answer(client, site, query):
    response = client.get("/api/v2/pages/", {"search": query})
    assert response.status_code == 200
    assert isinstance(response.json()["items"], list)


def test_private_and_draft_policies_are_not_found(client, site):
    from wagtail.models import PageViewRestriction

    for query, page in (
        (PRIVATE_QUERY, site["private"]),
        (DRAFT_QUERY, site["draft"]),
    ):
        assert page.pk not in {i["id"] for i in api_search(client, query)}
        assert page.url is None or page.url not in [
            path for path, _a in page_search(client, query)
        ]
    # Control: the same words find the pages once they are public.
    PageViewRestriction.objects.filter(page=site["private"]).delete()
    site["draft"].get_latest_revision().publish()
    for query, page, number in (
        (PRIVATE_QUERY, site["private"], PRIVATE_ARTICLE),
        (DRAFT_QUERY, site["draft"], DRAFT_ARTICLE),
    ):
        found = {i["id"]: i for i in api_search(client, query)}
        assert page.pk in found, query
        assert [m["number"] for m in found[page.pk]["matching_articles"]] == [number]


def _count(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200
    return len(queries), len(response.json()["items"])


def test_query_count_does_not_grow_with_the_results(client, site):
    query = "行政执法"
    _count(client, search=query, limit=1)  # warm the site root paths and menu
    one, listed_one = _count(client, search=query, limit=1)
    many, listed_many = _count(client, search=query, limit=20)
    assert listed_one == 1
    assert listed_many > 5
    assert many == one
    typed = "publishing.PolicyDocumentPage"
    typed_one, _n = _count(client, search=query, limit=1, type=typed)
    typed_many, listed_typed = _count(client, search=query, limit=20, type=typed)
    assert listed_typed > 1
    assert typed_many == typed_one
    # Measured: 18 on SQLite (each source's public() reads the view
    # restrictions, then its index lookup and load), 16 on PostgreSQL (one
    # ranking statement, one load per source with hits); with the API's own
    # view restrictions, site, count and page of results.
    assert many <= 20
