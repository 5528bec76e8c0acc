"""The reporting channel's schedule and background work: the daily purge of
unclaimed staged uploads."""

import datetime

import pytest
from django.utils import timezone
from django_q.models import Schedule

from reporting import services, tasks
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
