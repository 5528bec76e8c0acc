"""audit.access.get_visible_or_404: a record the user may not see is a 404
like one that does not exist, and the attempt is logged as denied."""

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.test import RequestFactory

from audit.access import get_visible_or_404
from audit.models import Action, AuditEvent, Outcome

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/admin/things/1/")
    request.user = user
    return request


def test_a_visible_record_is_returned_and_nothing_is_logged(django_user_model):
    group = Group.objects.create(name="可见")
    request = _request(django_user_model.objects.create(username="u1"))
    found = get_visible_or_404(request, Group.objects.all(), group.pk, Action.CASE_VIEW)
    assert found == group
    assert not AuditEvent.objects.exists()


def test_a_hidden_or_missing_record_is_a_404_logged_as_denied(django_user_model):
    group = Group.objects.create(name="不可见")
    user = django_user_model.objects.create(username="u2")
    for pk in (group.pk, group.pk + 1000):
        with pytest.raises(Http404):
            get_visible_or_404(
                _request(user), Group.objects.none(), pk, Action.REPORT_VIEW
            )
    events = AuditEvent.objects.order_by("pk")
    assert [(e.action, e.outcome, e.object_id) for e in events] == [
        (Action.REPORT_VIEW, Outcome.DENIED, str(group.pk)),
        (Action.REPORT_VIEW, Outcome.DENIED, str(group.pk + 1000)),
    ]
    assert all(e.content_type.model_class() is Group and e.user == user for e in events)
