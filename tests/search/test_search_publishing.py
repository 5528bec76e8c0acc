"""Search over publishing's real pages and articles (its register_search_sources
hook): the demo's policy text, and a measure these tests have never seen,
imported with ``import_policy``."""

from io import StringIO

import pytest
from django.core.management import call_command
from test_search_quality import ARTICLE_WORDS, TARGET_MRR, TARGET_RECALL

from search import sources

NEW_MEASURE = """济历城政办发〔2031〕9号
2031年1月5日

历城区包容审慎监管实施办法（试行）
第一章  总  则

第一条  为了优化营商环境，推行包容审慎监管，根据有关规定，制定本办法。
第二条  对市场主体首次出现且危害后果轻微并及时改正的违法行为，推行首违不罚清单制度。
第二章  措  施

第三条  对新技术、新产业、新业态、新模式实行触发式监管，设置合理观察期。
第四条  市场主体纠正失信行为、消除不良影响的，可以申请信用修复。
第五条  本办法自2031年1月1日起施行。
"""
NEW_QUERIES = [
    ("首违不罚", "第二条"),
    ("不罚", "第二条"),
    ("触发式监管", "第三条"),
    ("观察期", "第三条"),
    ("新业态", "第三条"),
    ("信用修复", "第四条"),
    ("失信行为", "第四条"),
    ("第4条", "第四条"),
]


def publishing_sources():
    found = [s for s in sources.public_sources() if s.key == "article"]
    if not found or found[0].model._meta.app_label != "publishing":
        pytest.fail("publishing registers no 'article' search source")
    return sources.public_sources()


def rank_of(query, label, measure=None):
    titles = [h.title for h in sources.search(query, publishing_sources())]
    for rank, title in enumerate(titles, 1):
        if title.endswith(label) and (measure is None or measure in title):
            return rank
    return None


def test_policy_articles_by_words_inside_them(demo_site, capsys):
    queries = [(q, e) for q, e in ARTICLE_WORDS if all(x.startswith("第") for x in e)]
    recalls, reciprocal = [], []
    for query, expected in queries:
        ranks = [rank_of(query, label) for label in expected]
        recalls.append(sum(1 for r in ranks if r and r <= 10) / len(expected))
        found = [r for r in ranks if r]
        reciprocal.append(1 / min(found) if found else 0.0)
    recall, mrr = sum(recalls) / len(queries), sum(reciprocal) / len(queries)
    with capsys.disabled():
        print(
            f"\npublishing articles: {len(queries)} queries, recall@10 {recall:.3f}, "
            f"MRR {mrr:.3f}"
        )
    assert recall >= TARGET_RECALL
    assert mrr >= TARGET_MRR


def test_a_new_measure_is_findable_after_import_policy(demo_site, tmp_path):
    path = tmp_path / "measure.txt"
    path.write_text(NEW_MEASURE, encoding="utf-8")
    call_command(
        "import_policy",
        str(path),
        "--issuing-body",
        "济南市历城区人民政府办公室",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    for query, label in NEW_QUERIES:
        rank = rank_of(query, label, measure="包容审慎监管")
        assert rank is not None and rank <= 3, (query, label, rank)


def test_article_results_link_to_their_anchor(client, demo_site):
    from django.core.cache import cache

    cache.clear()
    response = client.get("/search/", {"q": "陈述申辩"})
    assert response.status_code == 200
    urls = [r["url"] for r in response.context["results"] if r["key"] == "article"]
    assert urls and urls[0].endswith("#art-16")
