"""The interpretation desk (issue #17): the 政策解读编辑 group (editors who
draft interpretations and submit them, without publishing) and the 法制审核人员
group (legal reviewers who approve or request changes, and so publish), and
the 政策解读法制审核 workflow, one group-approval step for the legal reviewers.

Both groups only get into the admin here; their page permissions and the
workflow's assignment belong to the interpretation index page, which the
office (or ``load_demo``) creates: publishing.editorial.open_interpretation_desk.
Re-running it changes nothing; reversing removes what it created unless
reviews already ran through the workflow (their history points at it).
"""

from django.db import migrations

EDITOR = "政策解读编辑"
LEGAL_REVIEWER = "法制审核人员"
WORKFLOW = "政策解读法制审核"
TASK = "政策解读法制审核"


def create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name in (EDITOR, LEGAL_REVIEWER):
        groups[name] = Group.objects.get_or_create(name=name)[0]
        groups[name].permissions.add(admin_access)

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK, active=True, content_type=task_type
        )
    task.groups.add(groups[LEGAL_REVIEWER])
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )


def remove(apps, schema_editor):
    TaskState = apps.get_model("wagtailcore", "TaskState")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is not None and TaskState.objects.filter(task_id=task.pk).exists():
        return
    apps.get_model("wagtailcore", "WorkflowPage").objects.filter(
        workflow__name=WORKFLOW
    ).delete()
    apps.get_model("wagtailcore", "WorkflowTask").objects.filter(
        workflow__name=WORKFLOW
    ).delete()
    Workflow.objects.filter(name=WORKFLOW).delete()
    GroupApprovalTask.objects.filter(name=TASK).delete()
    apps.get_model("auth", "Group").objects.filter(
        name__in=(EDITOR, LEGAL_REVIEWER)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0003_anonymization_approval_task"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, remove)]
