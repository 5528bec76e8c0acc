"""起草澄清正名公告 is shown only to whom the drafting view is open: one
predicate (publishing.clarification_access.may_draft_clarification) for the
report inbox's link and the view's own checks."""

import pytest
from django.urls import reverse

from publishing import services
from publishing.clarification_access import may_draft_clarification
from reporting.admin_views import clarification_url
from tests.testkit.factories import HeadFactory, SupervisionCaseFactory

pytestmark = pytest.mark.django_db


class _Report:
    clarification_warranted = True

    def __init__(self, case_id):
        self.case_id = case_id


@pytest.fixture
def notices(site_home):
    return services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")


def test_the_link_is_shown_exactly_where_the_view_opens(notices, admin_user, client):
    case = SupervisionCaseFactory()
    head = HeadFactory(username="head_pub")
    draft = reverse("publishing:clarification_from_case", args=[case.pk])

    # The head sees the case but may not add a notice: no link, and the
    # view would refuse.
    assert not may_draft_clarification(head, case.pk)
    assert clarification_url(_Report(case.pk), head) is None
    client.force_login(head)
    assert client.get(draft).status_code in (302, 403)

    # A user who may add notices (here a superuser) gets the link and the
    # view opens.
    assert may_draft_clarification(admin_user, case.pk)
    assert clarification_url(_Report(case.pk), admin_user) == draft
    client.force_login(admin_user)
    assert client.get(draft).status_code == 200

    # No case, no link.
    assert clarification_url(_Report(None), admin_user) is None
