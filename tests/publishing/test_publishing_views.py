"""The public pages (policy text, interpretations, notices, indexes,
statistics, version history) and the admin view that drafts a clarification
notice from a case."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publishing.anonymize import find_leaks
from publishing.models import (
    ClarificationNoticePage,
    InterpretationPage,
    PolicyDocumentPage,
    PublicationIndexPage,
)
from tests.testkit.factories import (
    LiaisonFactory,
    SupervisionCaseFactory,
    SupervisionOfficerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(demo_site):
    return PolicyDocumentPage.objects.get(document_number="济历城政发〔2025〕1号")


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- policy documents ----------------------------------------------------------


def test_policy_page_has_every_article_addressable_with_items_intact(client, policy):
    html = html_of(client, policy.url)
    anchors = re.findall(r'<section class="article" id="(art-\d+)"', html)
    assert anchors == [f"art-{n}" for n in range(1, 25)]
    article_10 = html.split('id="art-10"')[1].split('id="art-11"')[0]
    assert article_10.count('class="article__item"') == 10
    assert "（十）其他应当从轻、减轻处理或者予以免责情形。" in article_10
    for chapter in ["第一章　总则", "第三章　容错免责", "第五章　附则"]:
        assert chapter in html
    assert "济历城政发〔2025〕1号" in html
    assert "2027年2月28日" in html
    assert f"validity--{policy.validity()}" in html


def test_policy_and_interpretations_link_both_ways(client, policy):
    html = html_of(client, policy.url)
    interpretation = InterpretationPage.objects.get(slug="interpretation-clarification")
    article_22 = html.split('id="art-22"')[1].split('id="art-23"')[0]
    assert f'href="{interpretation.url}"' in article_22
    other = html_of(client, interpretation.url)
    assert f'href="{policy.url}#art-22"' in other


def test_policy_page_query_count_does_not_grow_with_interpretations(
    client, policy, django_assert_max_num_queries
):
    client.get(policy.url)
    with CaptureQueriesContext(connection) as before:
        client.get(policy.url)
    index_page = InterpretationPage.objects.first().get_parent()
    for n in range(5):
        page = InterpretationPage(
            title=f"解读{n}",
            slug=f"extra-{n}",
            policy=policy,
            article_numbers="9, 16",
            body="<p>解读正文</p>",
        )
        index_page.add_child(instance=page)
        page.save_revision().publish()
    client.get(policy.url)  # the menu, read again after the purge
    with CaptureQueriesContext(connection) as after:
        html = html_of(client, policy.url)
    assert "解读4" in html
    assert len(after) == len(before)


# --- version history -----------------------------------------------------------


def test_public_version_history_and_earlier_version(client, policy):
    old_revision_id = policy.live_revision_id
    draft = policy.get_latest_revision_as_object()
    draft.title = "历城区行政执法履职尽责容错纠错实施办法（试行）（修订）"
    draft.change_note = "修订标题"
    draft.save_revision().publish()
    policy.refresh_from_db()

    html = html_of(client, policy.url)
    assert "版本记录" in html
    assert "修订标题" in html
    assert f"?version={old_revision_id}" in html

    old = html_of(client, f"{policy.url}?version={old_revision_id}")
    assert "您正在查看历史版本" in old
    assert '<meta name="robots" content="noindex">' in old
    assert "（修订）</h1>" not in old

    # A draft revision was never public.
    unpublished = policy.get_latest_revision_as_object()
    unpublished.title = "未发布的草稿"
    revision = unpublished.save_revision()
    for bad in [str(revision.pk), "abc", "9" * 30, "-1"]:
        assert client.get(f"{policy.url}?version={bad}").status_code == 404


# --- indexes -----------------------------------------------------------------


def test_index_filters_and_pagination_never_fail(client, demo_site):
    notices = PublicationIndexPage.objects.get(slug="notices")
    interpretations = PublicationIndexPage.objects.get(slug="interpretations")
    html = html_of(client, interpretations.url)
    assert html.count('class="publication-list__item"') == 3
    html = html_of(client, interpretations.url + "?year=1999")
    assert "没有符合筛选条件的内容" in html
    for query in [
        "?page=abc",
        "?page=999",
        "?year=<script>",
        "?type=nothing",
        "?year=20255",
    ]:
        assert client.get(notices.url + query).status_code == 200
    html = html_of(client, interpretations.url + "?type=interpretation&year=2025")
    assert html.count('class="publication-list__item"') == 3


def test_index_query_count_is_fixed(client, demo_site):
    index_page = PublicationIndexPage.objects.get(slug="interpretations")
    client.get(index_page.url)
    with CaptureQueriesContext(connection) as before:
        client.get(index_page.url)
    for n in range(25):
        page = InterpretationPage(
            title=f"新解读{n}", slug=f"new-{n}", body="<p>正文</p>"
        )
        index_page.add_child(instance=page)
        page.save_revision().publish()
    client.get(index_page.url)  # the menu, read again after the purge
    with CaptureQueriesContext(connection) as after:
        html = html_of(client, index_page.url)
    assert 'aria-label="分页"' in html
    assert len(after) == len(before)


# --- notices and statistics ------------------------------------------------------


def test_notice_page_is_anonymized_and_keeps_the_case_internal(client, demo_site):
    notice = ClarificationNoticePage.objects.live().get()
    html = html_of(client, notice.url)
    assert notice.party_names
    for name in notice.party_names.splitlines():
        assert name not in html
    assert notice.source_case.number not in html
    assert not find_leaks(html, notice.party_names.splitlines())
    assert "第二十二条" in html


def test_transparency_page_shows_tables_and_hides_small_groups(client, demo_site):
    from publishing.models import TransparencyStatisticsPage

    page = TransparencyStatisticsPage.objects.get()
    html = html_of(client, page.url)
    assert "按办理环节统计的案件数" in html
    assert html.count("<table") >= 3
    assert "<script" not in html.split("<main")[1]
    # The demo has 13 cases: some stages hold fewer than five.
    assert "少于5" in html


# --- drafting a clarification notice from a case (admin) -----------------------


def url_for(case):
    return reverse("publishing:clarification_from_case", args=[case.pk])


def test_reporting_links_to_the_view_by_name():
    assert url_for(type("Case", (), {"pk": 7})) == (
        "/admin/publishing/clarification-from-case/7/"
    )


@pytest.fixture
def editor_officer(demo_site):
    """A supervision officer who is also an editor: sees cases, adds pages."""
    user = SupervisionOfficerFactory(username="pub-editor-officer")
    user.groups.add(Group.objects.get(name="编辑"))
    return user


def test_draft_notice_from_case(client, editor_officer):
    case = SupervisionCaseFactory(filed_by=editor_officer)
    names = [link.officer.name for link in case.case_officers.all()]
    client.force_login(editor_officer)

    response = client.get(url_for(case))
    assert response.status_code == 200
    html = response.content.decode()
    for name in names:
        assert name in html  # listed for the editor as names to redact
        assert name[0] + "某" in html  # and masked in the preview

    response = client.post(url_for(case))
    notice = ClarificationNoticePage.objects.get(source_case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[notice.pk])
    assert not notice.live
    assert notice.get_parent().slug == "notices"
    assert notice.agency_name == case.agency.name
    assert sorted(notice.party_names.splitlines()) == sorted(names)
    latest = notice.get_latest_revision_as_object()
    assert not find_leaks(f"{latest.title}\n{latest.body}", names)

    # The page now lists the draft, and a second draft gets its own slug.
    assert notice.title in client.get(url_for(case)).content.decode()
    client.post(url_for(case))
    assert ClarificationNoticePage.objects.filter(source_case=case).count() == 2


def test_only_users_who_see_the_case_and_may_add_notices(client, home_page):
    officer = SupervisionOfficerFactory(username="pub-officer")
    case = SupervisionCaseFactory(filed_by=officer)

    client.force_login(LiaisonFactory(username="pub-liaison"))  # another agency
    assert client.get(url_for(case)).status_code in (302, 403, 404)

    liaison_editor = LiaisonFactory(username="pub-liaison-editor")
    liaison_editor.groups.add(Group.objects.get(name="编辑"))
    client.force_login(liaison_editor)
    assert client.get(url_for(case)).status_code == 404
    assert client.post(url_for(case)).status_code == 404

    client.force_login(officer)  # sees the case, may not add pages
    assert client.post(url_for(case)).status_code in (302, 403)
    assert not ClarificationNoticePage.objects.filter(source_case=case).exists()

    client.logout()
    response = client.get(url_for(case))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_unknown_case_and_wrong_method(client, editor_officer):
    client.force_login(editor_officer)
    assert (
        client.get(
            reverse("publishing:clarification_from_case", args=[999999])
        ).status_code
        == 404
    )
    case = SupervisionCaseFactory(filed_by=editor_officer)
    assert client.put(url_for(case)).status_code == 405


def test_index_pages_merge_types_in_date_order_page_by_page(demo_site):
    """The lazy merged list pages exactly like sorting everything would."""
    import datetime

    from publishing.models import PolicyDocumentPage

    index_page = PublicationIndexPage.objects.get(slug="interpretations")
    for n in range(7):
        page = InterpretationPage(
            title=f"日期解读{n}",
            slug=f"dated-{n}",
            body="<p>正文</p>",
            date=datetime.date(2024, 1 + n, 1 + n),
        )
        index_page.add_child(instance=page)
        page.save_revision().publish()
    entries = index_page.entries()
    everything = []
    for model in (PolicyDocumentPage, InterpretationPage, ClarificationNoticePage):
        everything += [
            (p.date, p.pk) for p in model.objects.child_of(index_page).live().public()
        ]
    everything.sort(key=lambda row: (row[0] is not None, row[0], row[1]), reverse=True)
    assert len(entries) == len(everything) >= 10
    paged = []
    for start in range(0, len(entries), 4):
        paged += [(date, page.pk) for date, page, _kind in entries[start : start + 4]]
    assert paged == everything
    assert entries[0][1].pk == everything[0][1]
