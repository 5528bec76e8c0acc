"""Who works the report inbox, and the daily purge of unclaimed staged uploads.

Supervision officers and the head triage reports and answer reporters; only
the head may see a real-name reporter's identity (each view is audited).
Agency liaisons and reviewers get nothing here: a report may name officers of
their own agency, and the reporter must stay protected (Art. 22).
"""

from django.db import migrations

OFFICER = "监督机构工作人员"
HEAD = "监督机构负责人"

INBOX = ["view_report", "change_report", "view_reportattachment", "view_reportmessage",
         "add_reportmessage", "view_reportnote", "add_reportnote"]
ROLE_PERMISSIONS = {
    OFFICER: INBOX,
    HEAD: INBOX + ["view_reporter_identity", "view_identityaccess"],
}
PURGE_TASK = "reporting.tasks.purge_staged_uploads"


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

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
                content_type__app_label="reporting", codename__in=codenames
            )
        )
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="reporting: purge staged uploads",
        defaults={"func": PURGE_TASK, "schedule_type": "D", "repeats": -1},
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="reporting")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*perms)
    apps.get_model("django_q", "Schedule").objects.filter(func=PURGE_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("casework", "0002_roles"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
