"""The public pages' queries at any number of publications (issue #15): the
home lists read each type's newest few in one query, with the public
condition inside it; a publication is routed as its own type in one query;
a policy page's interpretations leave out private ones."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from publishing import services
from publishing.home_sections import (
    HOME_ITEMS,
    latest_publications,
    newest_publications,
)
from publishing.models import (
    ClarificationNoticePage,
    InterpretationPage,
    PolicyDocumentPage,
)
from publishing.pagequeries import specific_child

pytestmark = pytest.mark.django_db


def _notice(parent, n, date):
    page = ClarificationNoticePage(
        title=f"澄清公告{n}",
        slug=f"notice-{n}",
        body="经核查，反映的问题查无实据，予以澄清。",
        date=date,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _policy(parent, n, date):
    page = PolicyDocumentPage(
        title=f"政策文件{n}", slug=f"policy-{n}", issuing_body="区政府", date=date
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def notices(site_home):
    parent = services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")
    start = datetime.date(2025, 3, 1)
    made = [
        _notice(parent, n, start + datetime.timedelta(days=n))
        for n in range(HOME_ITEMS + 3)
    ]
    return parent, made


def _latest(home):
    """The home lists as read from the database (the cache's miss), with
    their number of queries; the cached path gives the same lists."""
    newest_publications(home)  # content types cached, as in a server
    with CaptureQueriesContext(connection) as queries:
        found = newest_publications(home)
    assert latest_publications(None, home) == found
    return found, len(queries)


def test_home_lists_are_kept_until_a_publication(site_home, notices):
    parent, made = notices
    latest_publications(None, site_home)
    with CaptureQueriesContext(connection) as queries:
        found = latest_publications(None, site_home)
    assert len(queries) == 0
    assert found["notice"][0][1].pk == made[-1].pk
    newer = _notice(parent, 99, made[-1].date + datetime.timedelta(days=1))
    found = latest_publications(None, site_home)
    assert found["notice"][0][1].pk == newer.pk
    # Unpublished, it leaves the list at once.
    newer.unpublish()
    assert latest_publications(None, site_home)["notice"][0][1].pk == made[-1].pk


def test_home_lists_the_newest_of_each_type_in_one_query(site_home, notices):
    _parent, made = notices
    found, count = _latest(site_home)
    assert count == 1
    expected = [p.pk for p in reversed(made)][:HOME_ITEMS]
    assert [page.pk for _date, page in found["notice"]] == expected
    assert [date for date, _page in found["notice"]] == [
        p.date for p in reversed(made)
    ][:HOME_ITEMS]
    # Ten times the notices: the same single query.
    parent, _made = notices
    for n in range(100, 130):
        _notice(parent, n, datetime.date(2024, 1, 1))
    _found, larger = _latest(site_home)
    assert larger == count


def test_home_lists_leave_out_private_and_unpublished_pages(site_home, notices):
    _parent, made = notices
    newest, second = made[-1], made[-2]
    PageViewRestriction.objects.create(
        page=newest, restriction_type=PageViewRestriction.LOGIN
    )
    second.unpublish()
    found, count = _latest(site_home)
    shown = [page.pk for _date, page in found["notice"]]
    assert count == 1
    assert newest.pk not in shown and second.pk not in shown
    assert len(shown) == HOME_ITEMS
    # A restriction on the index hides every notice under it.
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=newest.get_parent().pk),
        restriction_type=PageViewRestriction.LOGIN,
    )
    found, _count = _latest(site_home)
    assert found["notice"] == []


def test_undated_policies_come_after_the_dated_ones(site_home):
    parent = services.index_page(services.POLICY_INDEX_SLUG, "政策文件")
    undated = [_policy(parent, n, None) for n in range(2)]
    dated = [
        _policy(parent, 10 + n, datetime.date(2020 + n, 1, 1))
        for n in range(HOME_ITEMS)
    ]
    found, count = _latest(site_home)
    assert count == 1
    shown = [page.pk for _date, page in found["policy"]]
    assert shown == [p.pk for p in reversed(dated)]
    # With fewer dated ones, the undated follow them, newest key first.
    for page in dated[2:]:
        page.unpublish()
    found, _count = _latest(site_home)
    shown = [page.pk for _date, page in found["policy"]]
    assert shown == [dated[1].pk, dated[0].pk, undated[1].pk, undated[0].pk]


def test_a_publication_is_routed_as_its_own_type_in_one_query(site_home, notices):
    parent, made = notices
    with CaptureQueriesContext(connection) as queries:
        child = specific_child(parent, made[0].slug, [ClarificationNoticePage])
    assert len(queries) == 1
    assert type(child) is ClarificationNoticePage
    assert child.pk == made[0].pk and child.body == made[0].body
    assert child.url_path == made[0].url_path
    assert specific_child(parent, "no-such-notice", [ClarificationNoticePage]) is None


def test_publication_pages_answer_and_unknown_or_unpublished_ones_are_404(
    client, site_home, notices
):
    parent, made = notices
    response = client.get(made[0].url)
    assert response.status_code == 200
    assert made[0].title in response.content.decode()
    assert client.get(parent.url + "no-such-notice/").status_code == 404
    made[1].unpublish()
    assert client.get(parent.url + made[1].slug + "/").status_code == 404


def test_a_policy_page_leaves_out_private_interpretations(client, policy_page):
    parent = services.index_page(services.INTERPRETATION_INDEX_SLUG, "政策解读")
    shown, hidden = [
        InterpretationPage(
            title=title,
            slug=slug,
            policy=policy_page,
            article_numbers="16",
            body="<p>正文</p>",
        )
        for title, slug in (("公开的解读", "open"), ("内部的解读", "internal"))
    ]
    for page in (shown, hidden):
        parent.add_child(instance=page)
        page.save_revision().publish()
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    html = client.get(policy_page.url).content.decode()
    assert "公开的解读" in html
    assert "内部的解读" not in html
