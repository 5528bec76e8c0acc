"""The schedules of the casework tasks (django-q2) and the permissions of the
oversight models.

Schedules live here rather than being entered in the admin, so every
deployment runs the same checks: the daily deadline check (Art. 15, 17, 19,
20), risk point detection (Art. 21) and the periodic reports to the district
government (Art. 19), each at night, Beijing time. Re-running the migration
updates the rows in place.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

OFFICER = "监督机构工作人员"
HEAD = "监督机构负责人"
LIAISON = "执法机关联络员"

# name: (function, hour, minute)
SCHEDULES = {
    "casework-deadline-check": ("casework.tasks.check_deadlines", 1, 0),
    "casework-risk-points": ("casework.tasks.detect_risk_points", 1, 30),
    "casework-periodic-reports": ("casework.tasks.generate_due_reports", 2, 0),
}

ROLE_PERMISSIONS = {
    OFFICER: ["view_deadlinewarning", "view_periodicreport", "add_periodicreport",
              "view_riskpoint", "change_riskpoint", "view_riskwarning",
              "add_riskwarning", "change_riskwarning"],
    HEAD: ["view_deadlinewarning", "view_periodicreport", "add_periodicreport",
           "view_riskpoint", "change_riskpoint", "view_riskwarning",
           "add_riskwarning", "change_riskwarning", "change_oversightsettings"],
    LIAISON: ["view_riskwarning", "change_riskwarning", "view_riskpoint"],
}


def next_run(hour: int, minute: int) -> datetime.datetime:
    zone = ZoneInfo("Asia/Shanghai")
    now = datetime.datetime.now(zone)
    run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if run <= now:
        run += datetime.timedelta(days=1)
    return run


def create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, hour, minute) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "D",
                "repeats": -1,
                "next_run": next_run(hour, minute),
            },
        )
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="casework", codename__in=codenames
            )
        )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_oversight"),
        ("casework", "0002_roles"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
