"""The case chooser (casework_case_chooser, used by pages and forms that
link a case) lists, finds and hands out only the cases the user may see:
another agency's case, a recused person's case and a crafted id are not
offered, and bad ids are a 404, never a 500."""

import pytest
from django.urls import reverse

from casework import services
from casework.models import ErrorType, Recusal
from tests.testkit.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_case_chooser_lists_only_visible_cases(
    client, case, make_case, other_agency, liaison, head
):
    other = make_case(
        agency=other_agency,
        officers=[(OfficerFactory(agency=other_agency), ErrorType.OTHER)],
        title="另一机关的案件",
    )
    client.force_login(liaison)
    html = client.get(reverse("casework_case_chooser:choose")).json()["html"]
    assert case.number in html
    assert other.number not in html
    # A direct id of an invisible case is not handed out either.
    chosen = client.get(reverse("casework_case_chooser:chosen", args=[other.pk]))
    assert chosen.status_code == 404
    assert (
        client.get(reverse("casework_case_chooser:chosen", args=[case.pk])).status_code
        == 200
    )
    client.force_login(head)
    html = client.get(
        reverse("casework_case_chooser:choose_results"), {"q": "另一机关"}
    ).content.decode()
    assert "历城执监" in html
    assert other.number in html
    assert case.number not in html


def test_case_chooser_hides_a_case_from_the_recused(client, case, head, investigator):
    recusal = services.request_recusal(
        case,
        investigator,
        user=investigator,
        kind=Recusal.Kind.DECLARED,
        reason="与被调查人系同学",
    )
    services.decide_recusal(recusal, user=head, approve=True)
    client.force_login(investigator)
    html = client.get(reverse("casework_case_chooser:choose")).json()["html"]
    assert case.number not in html


def test_chooser_multiple_and_bad_ids_do_not_leak_or_crash(
    client, case, make_case, other_agency, other_liaison, head
):
    client.force_login(other_liaison)
    url = reverse("casework_case_chooser:chosen_multiple")
    response = client.get(url, {"id": [case.pk]})
    assert case.number not in response.content.decode()
    assert case.title not in response.content.decode()
    assert client.get(url, {"id": ["abc"]}).status_code == 404
    assert (
        client.get(reverse("casework_case_chooser:chosen", args=["abc"])).status_code
        == 404
    )
    # Staff choose a visible case: the response links to the case page.
    client.force_login(head)
    chosen = client.get(reverse("casework_case_chooser:chosen", args=[case.pk]))
    assert chosen.status_code == 200
    assert reverse("casework_case:detail", args=[case.pk]) in chosen.content.decode()
