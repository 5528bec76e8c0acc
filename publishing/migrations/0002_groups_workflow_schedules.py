"""Who publishes, and how: the editor (编辑) and legal reviewer (法制审核)
groups, the moderation workflow every public page goes through (editors
draft, a legal reviewer approves, then it publishes), and the schedules of
the publishing tasks (statistics snapshot, scheduled publishing).

Re-running it updates rows in place; reversing removes what it created.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

EDITOR = "编辑"
LEGAL_REVIEWER = "法制审核"
WORKFLOW = "政务公开发布审核"
TASK = "法制审核"

PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page", "lock_page", "unlock_page"],
    LEGAL_REVIEWER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
MODEL_PERMISSIONS = {
    EDITOR: [("wagtailadmin", "admin", "access_admin"),
             ("wagtailimages", "image", "add_image"),
             ("wagtaildocs", "document", "add_document"),
             ("publishing", "statisticssnapshot", "view_statisticssnapshot")],
    LEGAL_REVIEWER: [("wagtailadmin", "admin", "access_admin"),
                     ("wagtailimages", "image", "add_image"),
                     ("wagtaildocs", "document", "add_document"),
                     ("publishing", "statisticssnapshot", "view_statisticssnapshot")],
}
SCHEDULES = {
    # name: (function, schedule type, minutes, first run hour)
    "publishing-statistics": ("publishing.tasks.refresh_statistics", "D", None, 3),
    "publishing-scheduled-pages": ("publishing.tasks.publish_scheduled_pages", "I", 5, None),
}


def _first_run(hour):
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    if hour is None:
        return now
    run = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return run if run > now else run + datetime.timedelta(days=1)


def create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Schedule = apps.get_model("django_q", "Schedule")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS}
    for name, triples in MODEL_PERMISSIONS.items():
        for app_label, model, codename in triples:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                groups[name].permissions.add(permission)

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        page_type = ContentType.objects.get_for_model(Page)
        for name, codenames in PAGE_PERMISSIONS.items():
            for codename in codenames:
                permission = Permission.objects.get(
                    content_type=page_type, codename=codename
                )
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=root, permission=permission
                )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK, active=True, content_type=task_type
        )
    task.groups.add(groups[LEGAL_REVIEWER])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )
    if root is not None:
        # Wagtail's own migrations assign a "Moderators approval" workflow to
        # the root; public content here goes to the legal reviewer instead.
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    for name, (func, kind, minutes, hour) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": kind,
                "minutes": minutes,
                "repeats": -1,
                "next_run": _first_run(hour),
            },
        )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=SCHEDULES).delete()
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    default = Workflow.objects.filter(name="Moderators approval").first()
    for link in WorkflowPage.objects.filter(workflow__name=WORKFLOW):
        if default is not None and link.page.depth == 1:
            link.workflow = default
            link.save()
        else:
            link.delete()
    apps.get_model("wagtailcore", "WorkflowTask").objects.filter(
        workflow__name=WORKFLOW
    ).delete()
    Workflow.objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore", "GroupApprovalTask").objects.filter(name=TASK).delete()
    apps.get_model("auth", "Group").objects.filter(name__in=PAGE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, remove)]
