"""The public search's postings (search/postings.py): kept with the index,
filtered by the sources' permission querysets, counted exactly, and the
search page's queries flat in data size."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from search import sources
from search.models import Posting

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the postings answer the public search on PostgreSQL; SQLite keeps FTS5",
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def notices(section, count, word, year=2025):
    from django.utils.html import escape

    from portal.models import HomePage

    pages = []
    for n in range(count):
        page = HomePage(
            title=f"关于{section.title}第{n}号{word}事项的公告",
            intro=f"<p>{escape(f'经调查，{word}问题已处理完毕，编号{n}。')}</p>",
            live=True,
            first_published_at=timezone.make_aware(
                datetime.datetime(year, 3, 1 + n % 28, 9)
            ),
        )
        section.add_child(instance=page)
        pages.append(page)
    return pages


def titles(query):
    return [h.title for h in sources.search(query, sources.public_sources())]


def test_postings_are_written_with_the_index_and_removed_with_the_object(
    search_corpus,
):
    from portal.models import HomePage

    page = notices(search_corpus["notice"], 1, "燃气管道")[0]
    rows = Posting.objects.filter(object_id=page.pk)
    assert rows.filter(term="燃气").exists()
    assert rows.filter(year=2025).count() == rows.count()

    page.title = "关于供暖管网事项的公告"
    page.intro = "<p>供暖问题已处理。</p>"
    page.save_revision().publish()
    assert "燃气" not in set(rows.values_list("term", flat=True))
    assert titles("供暖管网") == ["关于供暖管网事项的公告"]

    HomePage.objects.get(pk=page.pk).delete()
    assert not Posting.objects.filter(object_id=page.pk).exists()
    assert titles("供暖管网") == []


def test_only_what_the_source_queryset_shows_is_found(search_corpus):
    hidden, restricted, shown = notices(search_corpus["notice"], 3, "防汛物资")
    hidden.unpublish()
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    # Indexed all three: the permission queryset, not the index, decides.
    assert Posting.objects.filter(term="防汛", object_id__in=[hidden.pk]).exists()
    assert titles("防汛物资") == [shown.title]


def test_counts_and_pages_cover_every_match(client, search_corpus, monkeypatch):
    """Facets count every visible match (none is cut at a candidate limit),
    and each page is a different slice of them."""
    monkeypatch.setattr(sources, "MAX_CANDIDATES", 5)
    notices(search_corpus["notice"], 14, "占道经营", year=2025)
    notices(search_corpus["interpretation"], 3, "占道经营", year=2026)
    url = reverse("search")
    context = client.get(url, {"q": "占道经营"}).context
    assert context["total_unfiltered"] == 17
    assert {t["key"]: t["count"] for t in context["types"]}["notice"] == 14
    assert context["years"] == [(2026, 3), (2025, 14)]
    seen = []
    for number in (1, 2):
        page = client.get(url, {"q": "占道经营", "page": number}).context
        seen += [str(r["title"]) for r in page["results"]]
    assert len(seen) == len(set(seen)) == 17
    in_2026 = client.get(url, {"q": "占道经营", "year": 2026}).context
    assert in_2026["paginator"].count == 3
    assert {t["key"]: t["count"] for t in in_2026["types"]}["notice"] == 0
    past_the_end = client.get(url, {"q": "占道经营", "page": 99}).context
    assert past_the_end["page_obj"].number == 2
    assert len(past_the_end["results"]) == 7


def test_the_search_page_queries_are_flat_in_data_size(
    client, search_corpus, django_assert_num_queries
):
    url = reverse("search")
    notices(search_corpus["notice"], 2, "渣土运输")
    notices(search_corpus["interpretation"], 1, "渣土运输")
    client.get(url, {"q": "渣土运输"})  # site root paths and settings cached
    small = count_queries(client, url, "渣土运输")
    notices(search_corpus["notice"], 25, "渣土运输")
    notices(search_corpus["interpretation"], 8, "渣土运输")
    client.get(url, {"q": "渣土运输"})  # the menu, read again after the purge
    large = count_queries(client, url, "渣土运输")
    assert small == large
    with django_assert_num_queries(large):
        response = client.get(url, {"q": "渣土运输"})
    assert response.context["total_unfiltered"] == 36


def count_queries(client, url, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": query})
    assert response.status_code == 200
    return len(captured)


def test_rebuild_command_restores_the_postings(search_corpus):
    from django.contrib.contenttypes.models import ContentType

    from portal.models import HomePage

    served = Posting.objects.filter(
        content_type=ContentType.objects.get_for_model(HomePage)
    )
    before = set(served.values_list("term", "object_id", "weight", "year"))
    Posting.objects.all().delete()
    assert titles("陈述申辩") == []
    call_command("search_postings", stdout=io.StringIO())
    after = set(served.values_list("term", "object_id", "weight", "year"))
    assert before and after == before
    assert titles("陈述申辩")[0] == "第十六条"


def test_a_word_once_in_a_long_text_ranks_last(search_corpus):
    from portal.models import HomePage

    section = search_corpus["notice"]
    filler = "经调查核实，相关部门已依法处理并公开结果。" * 20
    for title, intro in (
        ("关于道路养护的公告", f"{filler}涉及渣土车辆。"),
        ("关于渣土车辆的公告", filler),
        ("关于市容的公告", "渣土车辆已清理。"),
    ):
        section.add_child(instance=HomePage(title=title, intro=f"<p>{intro}</p>"))
    found = titles("渣土车辆")
    # Once in a long body ranks below in the title or in a short text.
    assert found[-1] == "关于道路养护的公告"
    assert set(found[:2]) == {"关于渣土车辆的公告", "关于市容的公告"}


def test_a_rebuild_leaves_the_planner_statistics_fresh(search_corpus):
    """Inside a transaction (this test), ANALYZE: the planner sees the rows
    the rebuild wrote."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call_command("search_postings", stdout=io.StringIO())
    statements = [q["sql"] for q in captured if "ANALYZE" in q["sql"]]
    assert statements == [f'ANALYZE "{Posting._meta.db_table}"']
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stats WHERE tablename = %s AND attname = 'term'",
            [Posting._meta.db_table],
        )
        assert cursor.fetchone()[0] == 1


def test_update_index_ends_with_fresh_statistics(search_corpus):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call_command("update_index", stdout=io.StringIO())
    table = Posting._meta.db_table
    assert [q["sql"] for q in captured if "ANALYZE" in q["sql"]] == [
        f'ANALYZE "{table}"'
    ]
    assert titles("陈述申辩")[0] == "第十六条"


def test_result_urls_read_the_site_root_paths_once(search_corpus, monkeypatch):
    from wagtail.models import Site

    notices(search_corpus["notice"], 6, "渣土运输")
    calls = []
    original = Site.get_site_root_paths

    def counted():
        calls.append(1)
        return original()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counted))
    results = sources.RankedResults("渣土运输", sources.public_sources()).prefetch(
        0, 10
    )
    urls = [hit.url for hit in results[0:6]]
    assert len(urls) == 6 and all(url.startswith("/") for url in urls)
    assert len(calls) == 1


def test_scores_are_the_groups_best_alternatives_summed(search_corpus):
    """The one-pass statement (postings.match_sql) against the rule it
    implements, computed here from the rows: an object matches when every
    group of the query has an alternative whose words it all has; its score
    is the sum, over the groups, of the best such alternative's weights."""
    from django.contrib.contenttypes.models import ContentType

    from portal.models import HomePage
    from search import postings, segment

    section = search_corpus["notice"]
    for title, intro in (
        ("关于容错免责的说明", "容错免责情形依法认定。"),
        ("关于容错与免责的说明", "容错机制；免责条件另行规定。"),
        ("关于容错的说明", "只谈容错。"),
        ("关于执法人员回避的说明", "行政执法人员应当回避。"),
        ("关于人员与执法的说明", "执法检查，人员到位，依法回避。"),
    ):
        section.add_child(instance=HomePage(title=title, intro=f"<p>{intro}</p>"))
    public = sources.public_sources()
    querysets = {s.key: s.queryset() for s in public}
    page_type = ContentType.objects.get_for_model(HomePage).pk
    visible = {
        pk for qs in querysets.values() for pk in qs.values_list("pk", flat=True)
    }
    for query in ("容错免责", "执法人员 回避", "容错 说明"):
        groups = segment.query_groups(query)
        words = {w for g in groups for alt in g.alternatives for w in alt}
        weights: dict = {}
        for oid, term, weight in Posting.objects.filter(
            term__in=words, content_type_id=page_type
        ).values_list("object_id", "term", "weight"):
            weights.setdefault(oid, {})[term] = weight
        expected = {}
        for oid, have in weights.items():
            best = [
                max(
                    (
                        sum(have[w] for w in alt)
                        for alt in g.alternatives
                        if set(alt) <= set(have)
                    ),
                    default=None,
                )
                for g in groups
            ]
            if oid in visible and all(b is not None for b in best):
                expected[oid] = sum(best)
        assert len(expected) >= 2, query
        ranked = postings.ranked(query, public, querysets, limit=1000, counts=False)
        got = {
            pk: score for source, pk, score in ranked.rows if source.model is HomePage
        }
        assert set(got) == set(expected), query
        for oid, score in expected.items():
            assert got[oid] == pytest.approx(score), (query, oid)
    # The parts written apart match the long word (容错、免责 for 容错免责).
    assert "关于容错与免责的说明" in titles("容错免责")
    assert "关于容错的说明" not in titles("容错免责")


def test_the_ranking_statement_runs_without_parallel_workers(client, search_corpus):
    """Two cores, two web workers: the statement's parallel helpers would
    take the CPU of the next request (search/postings.py, ``ranked``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("search"), {"q": "容错"})
    statements = [q["sql"] for q in captured.captured_queries]
    ranking = next(i for i, sql in enumerate(statements) if "WITH hits" in sql)
    assert "max_parallel_workers_per_gather = 0" in statements[ranking - 1]
    assert statements[ranking - 1].startswith("SET LOCAL")
