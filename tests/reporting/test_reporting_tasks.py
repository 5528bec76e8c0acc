"""The reporting channel's schedule and background work, and the equal cost of
wrong and missing receipt codes (counted, not timed)."""

import datetime

import pytest
from django.utils import timezone
from django_q.models import Schedule

from reporting import receipts, services, tasks
from reporting.models import StagedUpload
from reporting.uploads import CheckedFile

pytestmark = pytest.mark.django_db


def test_the_purge_is_scheduled_daily_by_migration():
    schedule = Schedule.objects.get(func="reporting.tasks.purge_staged_uploads")
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1


def test_unclaimed_staged_uploads_are_purged_after_a_day(png_bytes):
    old = services.stage_upload(CheckedFile("旧.png", png_bytes, "image/png"))
    new = services.stage_upload(CheckedFile("新.png", png_bytes, "image/png"))
    StagedUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    old_path = old.file.path
    assert tasks.purge_staged_uploads() == 1
    assert list(StagedUpload.objects.all()) == [new]
    import os

    assert not os.path.exists(old_path)
    # Running again finds nothing more to do.
    assert tasks.purge_staged_uploads() == 0


@pytest.mark.parametrize("exists", [True, False])
def test_a_lookup_costs_one_digest_and_one_query_whether_or_not_the_code_exists(
    exists, real_name_report, monkeypatch, django_assert_num_queries
):
    calls = []
    original = receipts.digest
    monkeypatch.setattr(
        receipts, "digest", lambda code: calls.append(code) or original(code)
    )
    body = "123456789012345"
    code = real_name_report.code if exists else body + receipts.luhn_check_digit(body)
    with django_assert_num_queries(1):
        found = services.find_by_receipt(code)
    assert (found is not None) is exists
    assert len(calls) == 1
