from django.db import migrations, models


def grant_measure_validity(apps, schema_editor):
    """The head enters an extension notice or a successor measure when it is
    issued (Art. 24: the validity is data); officers read the periods. Deleting
    one is left to superusers: filings were checked against it."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grants = {
        "监督机构负责人": [
            "add_measurevalidity",
            "change_measurevalidity",
            "view_measurevalidity",
        ],
        "监督机构工作人员": ["view_measurevalidity"],
    }
    for name, codenames in grants.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="casework", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("casework", "0006_deadline_engine")]

    operations = [
        # The order check speaks the office's language in the admin form.
        migrations.AlterConstraint(
            model_name="measurevalidity",
            name="measure_validity_order",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("effective_until__isnull", True),
                    ("effective_until__gte", models.F("effective_from")),
                    _connector="OR",
                ),
                name="measure_validity_order",
                violation_error_message="The period cannot end before it begins.",
            ),
        ),
        migrations.RunPython(grant_measure_validity, migrations.RunPython.noop),
    ]
