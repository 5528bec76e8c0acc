"""The daily purge of audit rows older than AUDIT_RETENTION_DAYS (django-q2),
created here rather than by hand so every deployment runs it. Re-running the
migration updates the row in place."""

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

NAME = "audit-purge-expired"
FUNC = "audit.tasks.purge_expired"
HOUR, MINUTE = 3, 30  # Beijing time, after the casework tasks


def next_run():
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    run = now.replace(hour=HOUR, minute=MINUTE, second=0, microsecond=0)
    if run <= now:
        run += datetime.timedelta(days=1)
    return run


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": FUNC,
            "schedule_type": "D",
            "repeats": -1,
            "next_run": next_run(),
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
