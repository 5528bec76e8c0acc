"""The main menu (portal_tags.menu_pages): on every page, kept in the cache
under the page cache's generation, so a publication, an unpublication or a
view restriction shows in the menu at once and an unchanged menu costs no
query."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from portal.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    """A reader with a session cookie: the page cache never answers them,
    so each page is rendered and its menu read."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    return client


def menu_page(home, title, slug):
    page = HomePage(title=title, slug=slug, show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def menu_queries(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/").content.decode()
    return html, [
        q["sql"]
        for q in captured
        if 'AND "wagtailcore_page"."show_in_menus"' in q["sql"]
    ]


def test_the_menu_is_read_once_and_then_from_the_cache(reader, home_page):
    menu_page(home_page, "政策文件栏目", "column-a")
    html, queries = menu_queries(reader)
    assert "政策文件栏目" in html and len(queries) == 1
    html, queries = menu_queries(reader)
    assert "政策文件栏目" in html and queries == []


def test_a_publication_and_an_unpublication_show_at_once(reader, home_page):
    first = menu_page(home_page, "政策文件栏目", "column-a")
    menu_queries(reader)
    menu_page(home_page, "澄清正名栏目", "column-b")
    html, _ = menu_queries(reader)
    assert "政策文件栏目" in html and "澄清正名栏目" in html
    first.unpublish()
    html, _ = menu_queries(reader)
    assert "政策文件栏目" not in html and "澄清正名栏目" in html


def test_a_view_restriction_takes_the_page_out_of_the_menu(reader, home_page):
    page = menu_page(home_page, "内部栏目", "column-a")
    assert "内部栏目" in menu_queries(reader)[0]
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert "内部栏目" not in menu_queries(reader)[0]


def test_the_column_name_comes_from_the_menu(reader, home_page):
    column = menu_page(home_page, "政策文件栏目", "column-a")
    child = HomePage(title="某项政策", slug="one-policy")
    column.add_child(instance=child)
    child.save_revision().publish()
    html = reader.get(child.url).content.decode()
    assert '<meta name="ColumnName" content="政策文件栏目">' in html
