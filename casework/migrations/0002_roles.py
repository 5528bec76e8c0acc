"""The casework roles of DESIGN.md as groups, with their model permissions.

Object-level rules (recusal, own agency) are enforced in the queryset layer;
these permissions only open the admin areas each role works in.
"""

from django.db import migrations

OFFICER = "监督机构工作人员"
HEAD = "监督机构负责人"
LIAISON = "执法机关联络员"
REVIEWER = "复核人员"

CASE_MODELS = [
    "supervisioncase", "caseofficer", "assignment", "activity", "attachment",
    "statement", "transfer", "hearing", "extension", "determination",
    "notification", "casedocument", "review", "correction", "correctionprogress",
    "correctionextension", "recusal",
]
# calendarday: the head maintains the holiday calendar, officers read it.
REFERENCE_MODELS = ["agency", "officer", "enforcementfield", "calendarday"]

ROLE_PERMISSIONS = {
    OFFICER: [f"{action}_{model}" for model in CASE_MODELS for action in ("add", "change", "view")]
    + [f"view_{model}" for model in REFERENCE_MODELS]
    + ["determine_case"],
    HEAD: [f"{action}_{model}" for model in CASE_MODELS + REFERENCE_MODELS for action in ("add", "change", "view")]
    + ["approve_requests", "determine_case", "decide_review"],
    LIAISON: ["view_supervisioncase", "view_transfer", "change_transfer", "view_correction",
              "add_correctionprogress", "view_correctionprogress", "add_correctionextension",
              "add_attachment", "view_attachment"],
    REVIEWER: ["view_supervisioncase", "view_review", "change_review", "decide_review",
               "view_determination"],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="casework", codename__in=codenames
        )
        group.permissions.add(admin_access, *perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
