"""The anonymization panel and the publishing gates decide with one function
(publishing.anonymize.notice_leaks): a notice the gate refuses is never shown
as clean in the panel, whatever the editor typed since the last save."""

import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from publishing import services
from publishing.anonymize import notice_leaks
from publishing.guards import unanonymized_notices
from publishing.models import ClarificationNoticePage

pytestmark = pytest.mark.django_db

CLEAN = "经查，举报反映某执法人员违规执法的问题不属实，特此澄清。"
TYPED = "经查，举报反映张建国（联系电话13812345678）违规执法的问题不属实。"
CLEAN_PANEL = "未发现姓名"


@pytest.fixture
def clean_notice(site_home):
    index = services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")
    page = ClarificationNoticePage(
        title="关于某执法人员被举报问题的澄清正名公告",
        body=CLEAN,
        party_names="",
        agency_name="区市场监督管理局",
        date=datetime.date(2025, 10, 1),
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision()
    return page


def _data(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "date": "2025-10-01",
        "issuing_body": page.issuing_body,
        "agency_name": page.agency_name,
        "body": page.body,
        "party_names": page.party_names,
        "change_note": "",
        "comments": {
            "TOTAL_FORMS": 0,
            "INITIAL_FORMS": 0,
            "MIN_NUM_FORMS": 0,
            "MAX_NUM_FORMS": 1000,
        },
    }
    data.update(overrides)
    return nested_form_data(data)


def test_the_panel_shows_what_the_gate_refuses(clean_notice, admin_user, client):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:edit", args=[clean_notice.pk])
    assert CLEAN_PANEL in client.get(url).content.decode()

    # A name and a phone number typed into the saved, clean notice: the gate
    # refuses publishing, and the panel on the same page says why (it used
    # to read the saved text and say 未发现…).
    data = _data(clean_notice, body=TYPED, party_names="张建国")
    html = client.post(url, {**data, "action-publish": "publish"}).content.decode()
    assert "当事人姓名“张建国”" in html  # the gate's message
    assert "<mark>张建国</mark>" in html and "<mark>13812345678</mark>" in html
    assert CLEAN_PANEL not in html
    assert not ClarificationNoticePage.objects.get(pk=clean_notice.pk).live

    # Saved as a draft (allowed), the bulk gate and the model's gate refuse
    # the same spans the panel lists.
    assert client.post(url, data).status_code == 302
    page = ClarificationNoticePage.objects.get(pk=clean_notice.pk)
    latest = page.get_latest_revision_as_object()
    decided = notice_leaks({"title": latest.title, "body": latest.body}, "张建国")
    assert [leak.text for leak in decided["body"]] == ["张建国", "13812345678"]
    assert latest.leaks() == decided
    [(_notice, spans)] = unanonymized_notices([page])
    assert "张建国" in spans and "13812345678" in spans
    assert "<mark>13812345678</mark>" in client.get(url).content.decode()


def test_an_unlisted_name_is_not_found_by_either(clean_notice):
    # Names are found only when the editor lists them (party_names); the
    # phone number is found anyway, by both.
    decided = notice_leaks({"body": TYPED}, "")
    assert [leak.kind for leak in decided["body"]] == ["mobile"]
