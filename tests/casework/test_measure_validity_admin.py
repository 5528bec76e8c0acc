"""Art. 24: the measure's validity is data the head enters when a notice
extending it, or a successor measure, is issued (办法施行期 in the admin); the
filing check reads what was entered, officers read it, nobody types SQL."""

import datetime

import pytest
from django.urls import reverse

from casework.models import MeasureValidity

D = datetime.date
EXTENSION = {
    "title": "关于延长历城区行政执法履职尽责容错纠错实施办法（试行）有效期的通知",
    "document_number": "济历城政发〔2027〕1号",
    "effective_from": "2027-03-01",
    "effective_until": "2029-02-28",
    "basis": "延期通知第一条",
}


def enable_filing_check(settings):
    settings.CASEWORK_OFFICE_RULES = {
        **settings.CASEWORK_OFFICE_RULES,
        "filing_within_validity": True,
    }


def test_art24_head_enters_an_extension_and_filing_after_expiry_is_accepted(
    client, head, make_case, clock, refused, settings
):
    enable_filing_check(settings)
    clock.set(D(2027, 3, 2))
    assert "不在任何有效办法的施行期内" in refused(make_case, filed_on=D(2027, 3, 1))

    client.force_login(head)
    response = client.post(reverse("measurevalidity:add"), EXTENSION)
    assert response.status_code == 302
    extension = MeasureValidity.objects.get(document_number="济历城政发〔2027〕1号")
    assert extension.effective_until == D(2029, 2, 28)
    # Who entered it and when is in the record's history.
    assert extension.history.get().history_user == head

    assert make_case(filed_on=D(2027, 3, 1)).filed_on == D(2027, 3, 1)


def test_a_period_ending_before_it_begins_is_refused_in_chinese_and_kept(client, head):
    client.force_login(head)
    before = MeasureValidity.objects.count()
    response = client.post(
        reverse("measurevalidity:add"),
        {**EXTENSION, "effective_until": "2027-02-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "有效期至不能早于施行日期。" in page
    # What was typed is still in the form.
    assert EXTENSION["document_number"] in page
    assert MeasureValidity.objects.count() == before


def test_officers_read_the_periods_but_do_not_enter_them(client, investigator):
    client.force_login(investigator)
    index = client.get(reverse("measurevalidity:index"))
    assert index.status_code == 200
    assert "济历城政发〔2025〕1号" in index.content.decode()
    response = client.post(reverse("measurevalidity:add"), EXTENSION)
    assert response.status_code == 302
    assert not MeasureValidity.objects.filter(
        document_number=EXTENSION["document_number"]
    ).exists()


@pytest.mark.parametrize("user", ["head", "investigator"])
def test_the_admin_screen_speaks_chinese(client, request, user):
    client.force_login(request.getfixturevalue(user))
    page = client.get(reverse("measurevalidity:index")).content.decode()
    assert "办法施行期" in page
    for english in ("measure validit", "in force from", "in force until"):
        assert english not in page
