"""The home page: rendered in Chinese with the government site's footer, at a
fixed query count, an unknown address answered with the site's Chinese 404,
and the page listed by the public pages API."""

import pytest

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


def test_api_v2_lists_pages(client, home_page):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert "历城区行政执法履职尽责容错纠错平台" in titles
