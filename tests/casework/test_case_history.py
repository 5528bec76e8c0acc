"""django-simple-history records who acted on a case: the service layer's
acting user outside a request, the signed-in user in the admin."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
D = datetime.date


def test_history_records_the_acting_user_without_a_request(case, investigator):
    record = case.history.order_by("history_date").first()
    assert record.history_user == investigator
    link = case.case_officers.first()
    assert link.history.first().history_user == investigator


def test_history_records_the_request_user_in_the_admin(
    client, verifying_case, investigator, clock
):
    client.force_login(investigator)
    clock.set(D(2025, 9, 3))
    url = reverse("casework_case:action", args=[verifying_case.pk, "activity"])
    response = client.post(
        url,
        {"kind": "inquiry", "occurred_on": "2025-09-03", "summary": "询问当事人"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = verifying_case.activities.get()
    assert activity.history.get().history_user == investigator
