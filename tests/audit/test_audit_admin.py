"""The 审计日志 listing: superusers and the supervision head only, read-only,
filterable, exported to CSV (itself audited), with a fixed query count."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from audit import record
from audit.models import Action, AuditEvent, Outcome
from casework.models import SupervisionCase

pytestmark = pytest.mark.django_db

LIST = "/admin/audit/"


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="x" * 12)


def rows(n: int, case=None, user=None):
    for i in range(n):
        record(
            Action.CASE_VIEW if i % 2 else Action.CASE_FILE_DOWNLOAD,
            user=user,
            obj=case,
            outcome=Outcome.DENIED if i % 3 == 0 else Outcome.SUCCESS,
            detail={"attachment": i},
        )


def test_only_superusers_and_the_head_read_the_log(
    client, head, investigator, outsider, superuser, case
):
    rows(3, case=case, user=investigator)
    for user in (head, superuser):
        client.force_login(user)
        response = client.get(LIST)
        assert response.status_code == 200
        assert case.number in response.content.decode()
    for user in (investigator, outsider):
        client.force_login(user)
        response = client.get(LIST)
        assert response.status_code in (302, 403)
        assert case.number not in response.content.decode()
        assert client.get(LIST, {"export": "csv"}).status_code in (302, 403)
    client.logout()
    assert client.get(LIST).status_code == 302


def test_the_viewer_groups_come_from_the_plugins_and_the_settings(
    head, investigator, settings, monkeypatch
):
    """The head's group is casework's (its register_audit_viewer_groups
    hook), not the portal's; a deployment may add a group in the setting."""
    from wagtail import hooks

    from audit.permissions import audit_viewer_groups, can_read_audit_log
    from casework.roles import HEAD, OFFICER
    from portal.hooks import AUDIT_VIEWER_GROUPS

    settings.AUDIT_VIEWER_GROUPS = []
    assert audit_viewer_groups() == [HEAD]
    settings.AUDIT_VIEWER_GROUPS = [OFFICER]
    assert audit_viewer_groups() == [OFFICER, HEAD]
    assert can_read_audit_log(investigator)
    settings.AUDIT_VIEWER_GROUPS = []
    monkeypatch.setitem(hooks._hooks, AUDIT_VIEWER_GROUPS, [])
    assert audit_viewer_groups() == []
    fresh = type(head).objects.get(pk=head.pk)  # no cached answer
    assert not can_read_audit_log(fresh)


def test_there_is_no_add_edit_or_delete_view(client, superuser):
    event = record(Action.CASE_VIEW)
    client.force_login(superuser)
    for url in (
        f"{LIST}new/",
        f"{LIST}add/",
        f"{LIST}edit/{event.pk}/",
        f"{LIST}{event.pk}/",
        f"{LIST}delete/{event.pk}/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"username": "x"}).status_code == 404
    assert AuditEvent.objects.get(pk=event.pk).username == ""


def test_filters_by_user_action_outcome_date_and_object(
    client, head, investigator, case, superuser
):
    rows(4, case=case, user=investigator)
    record(Action.REPORT_VIEW, user=head)
    client.force_login(superuser)

    def listed(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return response.context["object_list"]

    assert {e.username for e in listed(username="INV1")} == {"inv1"}
    assert {e.action for e in listed(action="report.view")} == {"report.view"}
    assert {e.outcome for e in listed(outcome="denied")} == {"denied"}
    today = timezone.localdate()
    assert len(listed(timestamp_from=today.isoformat())) >= 5
    tomorrow = today + datetime.timedelta(days=1)
    assert len(listed(timestamp_from=tomorrow.isoformat())) == 0
    from django.contrib.contenttypes.models import ContentType

    case_type = ContentType.objects.get_for_model(SupervisionCase)
    by_object = listed(content_type=case_type.pk, object_id=str(case.pk))
    assert by_object and {e.object_id for e in by_object} == {str(case.pk)}
    assert listed(object_repr=case.number[-4:])


def test_csv_export_is_itself_audited(client, head, investigator, case):
    rows(3, case=case, user=investigator)
    client.force_login(head)
    response = client.get(LIST, {"export": "csv", "outcome": "success"})
    content = b"".join(response.streaming_content).decode("utf-8")
    lines = list(csv.reader(io.StringIO(content)))
    assert len(lines) == 1 + AuditEvent.objects.filter(outcome="success").count() - 1
    exported = AuditEvent.objects.filter(action=Action.AUDIT_EXPORT).get()
    assert exported.username == "head" and exported.outcome == "success"
    assert exported.detail["filters"] == {"outcome": "success"}
    assert exported.detail["format"] == "csv"


def test_the_list_has_a_fixed_query_count(
    client, superuser, investigator, case, django_assert_max_num_queries
):
    client.force_login(superuser)
    rows(5, case=case, user=investigator)
    client.get(LIST)  # warm the content type cache
    with django_assert_max_num_queries(30) as few:
        assert client.get(LIST).status_code == 200
    rows(60, case=case, user=investigator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
