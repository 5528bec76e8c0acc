"""Reports in the staff search: found by words inside them, by those who may
see the inbox only (the search plugin asks Report.objects.visible_to)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import strip_tags

from reporting.models import Report


def found(client, username, query) -> list[str]:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("staff_search:index"), {"q": query})
    assert response.status_code == 200
    return [strip_tags(result["title"]) for result in response.context["results"]]


@pytest.mark.django_db
def test_staff_find_reports_by_words_inside_them_and_liaisons_do_not(client, demo_site):
    report = Report.objects.get(subject__startswith="执法队员在早市检查时")
    assert any(report.number in title for title in found(client, "officer1", "早市"))
    assert not any(
        report.number in title for title in found(client, "liaison_market", "早市")
    )
    assert not any(report.number in t for t in found(client, "reviewer", "早市"))
    # The reporter's name is encrypted, so it is not searchable at all.
    assert not any(report.number in t for t in found(client, "head", "王建国"))
