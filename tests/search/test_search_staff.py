"""Staff search in the admin over cases: the casework permissions decide."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail import hooks

from casework.models import Recusal, SupervisionCase
from casework.search_documents import staff_search_sources


@pytest.fixture
def staff_sources(demo_site):
    with hooks.register_temporarily(
        "register_staff_search_sources", staff_search_sources
    ):
        yield


def titles(client, username, query):
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("staff_search:index"), {"q": query})
    assert response.status_code == 200
    return response, [strip_tags(r["title"]) for r in response.context["results"]]


def test_officer_finds_cases_by_words_inside_their_text(client, staff_sources):
    case = SupervisionCase.objects.order_by("pk").first()
    word = case.title[:2]
    _, found = titles(client, "head", word)
    assert any(case.number in t for t in found)


def test_liaison_finds_only_their_agency(client, staff_sources):
    liaison = get_user_model().objects.get(username="liaison_market")
    visible = set(
        SupervisionCase.objects.visible_to(liaison).values_list("number", flat=True)
    )
    others = SupervisionCase.objects.exclude(number__in=visible)
    assert visible and others.exists()
    for case in others[:3]:
        _, found = titles(client, "liaison_market", case.number)
        assert not any(case.number in t for t in found)
    case = SupervisionCase.objects.filter(number__in=visible).first()
    response, found = titles(client, "liaison_market", case.title)
    assert any(case.number in t for t in found)
    # No summary shown, and the summary cannot be probed either.
    assert all(not r["snippet"] for r in response.context["results"])


def test_liaison_cannot_probe_summaries(client, staff_sources):
    liaison = get_user_model().objects.get(username="liaison_market")
    case = SupervisionCase.objects.visible_to(liaison).exclude(summary="").first()
    from search import segment

    title_words = set(segment.index_tokens(f"{case.number} {case.title}"))
    summary_only = [
        w
        for w in segment.query_words(case.summary)
        if w not in title_words and len(w) > 1
    ]
    assert summary_only
    _, found = titles(client, "liaison_market", summary_only[0])
    assert not any(case.number in t for t in found)


def test_recused_investigator_finds_nothing_of_the_case(client, staff_sources):
    recusal = (
        Recusal.objects.filter(status=Recusal.Status.APPROVED)
        .select_related("case", "person")
        .first()
    )
    assert recusal is not None
    case = recusal.case
    _, found = titles(client, recusal.person.username, case.number)
    assert not any(case.number in t for t in found)
    _, found = titles(client, "head", case.number)
    assert any(case.number in t for t in found)


def test_staff_search_page_and_menu(client, staff_sources):
    response, found = titles(client, "head", "")
    assert found == []
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("staff_search:index") in response.content.decode()


def test_anonymous_users_are_sent_to_login(client, staff_sources):
    response = client.get(reverse("staff_search:index"), {"q": "案件"})
    assert response.status_code == 302
