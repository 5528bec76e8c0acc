import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_chinese_with_the_government_footer(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "历城区行政执法履职尽责容错纠错平台" in html
    assert "主办单位：济南市历城区人民政府" in html
    assert "网站标识码：3701120000" in html
    assert "鲁ICP备" in html
    assert "党政机关" in html
    assert "跳到主要内容" in html  # skip link for keyboard users


def test_home_page_query_count_is_fixed(
    client, home_page, django_assert_max_num_queries
):
    client.get("/")  # warm the site-root cache
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_unknown_page_is_a_chinese_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_search_page_keeps_the_query_and_handles_hostile_input(client, home_page):
    for query in ["容错", "<script>alert(1)</script>", "' OR 1=1 --", "😀" * 300]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
    html = client.get("/search/", {"q": "<b>x</b>"}).content.decode()
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_api_v2_lists_pages(client, home_page):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert "历城区行政执法履职尽责容错纠错平台" in titles


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def test_load_demo_is_idempotent():
    call_command("load_demo", "--allow-production", verbosity=0)
    first = table_counts()
    call_command("load_demo", "--allow-production", verbosity=0)
    second = table_counts()
    changed = {t: (first[t], second[t]) for t in first if first[t] != second[t]}
    # Log-like tables may grow; content tables may not.
    changed = {
        t: v
        for t, v in changed.items()
        # SQLite's FTS5 shadow tables reshuffle segments on every rewrite.
        if not t.endswith(("_fts_data", "_fts_idx"))
    }
    assert changed == {}


def test_load_demo_refuses_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing with DEBUG off"):
        call_command("load_demo", verbosity=0)
