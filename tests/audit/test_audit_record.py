"""audit.record and audit.audited: who, what, where from; a success lives and
dies with the caller's transaction, a denied or failed attempt survives it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import RequestFactory

from audit import audited, record
from audit.log import flush_pending
from audit.models import Action, AuditEvent, Outcome
from casework.models import SupervisionCase

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_request_gives_user_address_path_and_one_request_id(
    settings, case, investigator, events
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.1"]
    request = RequestFactory().get(
        f"/admin/casework/cases/{case.pk}/?secret=1&q=张三",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    request.user = investigator
    first = record(Action.CASE_VIEW, request=request, obj=case)
    second = record(Action.CASE_FILE_DOWNLOAD, request=request, obj=case)
    first.refresh_from_db()
    assert first.user == investigator and first.username == "inv1"
    assert first.client_address == "198.51.100.7"
    assert first.path == f"/admin/casework/cases/{case.pk}/"
    assert first.method == "GET"
    assert first.object_repr == case.number
    assert first.content_type.model_class() is SupervisionCase
    assert first.object_id == str(case.pk)
    assert first.request_id and first.request_id == second.request_id
    assert first.timestamp is not None


def test_a_bad_forwarded_address_and_an_anonymous_user_are_left_blank():
    request = RequestFactory().get("/x/", REMOTE_ADDR="not-an-address")
    request.user = AnonymousUser()
    event = record(Action.REPORT_VIEW, request=request)
    assert (event.client_address, event.user_id, event.username) == ("", None, "")


def test_detail_never_carries_identity_codes_or_secrets():
    event = record(
        Action.REPORT_VIEW,
        detail={
            "name": "王建国",
            "reporter_contact": "139",
            "receipt_code": "2025",
            "password": "x",
            "api_token": "t",
            "attachment": 3,
        },
    )
    assert AuditEvent.objects.get(pk=event.pk).detail == {"attachment": 3}


def test_unknown_actions_and_outcomes_are_refused():
    with pytest.raises(ValueError):
        record("case.delete_everything")
    with pytest.raises(ValueError):
        record(Action.CASE_VIEW, outcome="maybe")


def test_a_success_rolls_back_with_its_transaction():
    with pytest.raises(Boom), transaction.atomic():
        record(Action.CASE_VIEW)
        raise Boom
    assert not AuditEvent.objects.exists()


def test_a_denied_attempt_survives_the_rollback_of_its_transaction(events):
    with pytest.raises(Boom), transaction.atomic():
        record(Action.CASE_VIEW, outcome=Outcome.DENIED, object_id=7)
        # Held back while the transaction is open...
        assert not AuditEvent.objects.exists()
        raise Boom
    # ...and written once it is over (at the end of a request, or here).
    assert flush_pending() == 1
    (event,) = events()
    assert (event.outcome, event.object_id) == ("denied", "7")
    assert flush_pending() == 0


def test_a_denied_attempt_in_a_committed_transaction_is_written_once(
    django_capture_on_commit_callbacks, events
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record(Action.CASE_VIEW, outcome=Outcome.DENIED)
    flush_pending()
    assert len(events(outcome="denied")) == 1


@audited(Action.CASE_STAGE)
def _decide(case, *, user, fail=None):
    SupervisionCase.objects.filter(pk=case.pk).update(title="已决定")
    if fail:
        raise fail
    return case


def test_audited_writes_the_decision_and_its_row_together(case, head, events):
    _decide(case, user=head)
    (event,) = events(action=Action.CASE_STAGE)
    assert (event.outcome, event.user, event.object_id) == (
        "success",
        head,
        str(case.pk),
    )
    # The caller's rollback takes the decision and its success row.
    with pytest.raises(Boom), transaction.atomic():
        _decide(case, user=head)
        raise Boom
    assert len(events(action=Action.CASE_STAGE)) == 1


def test_audited_records_a_refusal_as_denied_and_a_crash_as_error(case, head, events):
    title = case.title
    with pytest.raises(ValidationError):
        _decide(case, user=head, fail=ValidationError("不允许"))
    with pytest.raises(Boom):
        _decide(case, user=head, fail=Boom())
    denied, error = events(action=Action.CASE_STAGE)
    assert denied.outcome == "denied" and denied.detail == {"reasons": ["不允许"]}
    assert error.outcome == "error" and error.detail == {"error": "Boom"}
    assert SupervisionCase.objects.get(pk=case.pk).title == title
    # Inside a caller's transaction that rolls back, the refusal still stays.
    with pytest.raises(ValidationError), transaction.atomic():
        _decide(case, user=head, fail=ValidationError("不允许"))
    flush_pending()
    assert len(events(action=Action.CASE_STAGE, outcome="denied")) == 2


def test_events_held_back_in_a_rolled_back_test_stay_out_of_the_next(events):
    """Held-back events belong to the test transaction they were made in: a
    test that ends inside a caller's transaction does not leak them (and
    their vanished users) into the next test."""
    earlier_test = transaction.atomic()
    earlier_test._from_testcase = True
    earlier_test.__enter__()
    try:
        with transaction.atomic():
            record(Action.CASE_VIEW, outcome=Outcome.DENIED)
    finally:
        earlier_test.__exit__(Boom, Boom(), None)
    assert flush_pending() == 0
    assert not events()
