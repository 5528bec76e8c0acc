"""The legal review step of the 政务公开发布审核 workflow becomes an
AnonymizationApprovalTask: a clarification notice whose latest revision still
identifies someone cannot be approved (Art. 22).

The workflow's step is switched to the new task, with the same name and
groups; reviews in progress move with it. The old GroupApprovalTask stays,
inactive and renamed, because finished reviews (the history) point at it.
Reversing puts the old task back.
"""

import django.db.models.deletion
from django.db import migrations, models

WORKFLOW = "政务公开发布审核"
TASK = "法制审核"
RETIRED = "法制审核（已由匿名化核对取代）"


def switch(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    NewTask = apps.get_model("publishing", "AnonymizationApprovalTask")

    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is None:
        return
    new_type, _ = ContentType.objects.get_or_create(
        app_label="publishing", model="anonymizationapprovaltask"
    )
    for link in WorkflowTask.objects.filter(workflow=workflow):
        old = GroupApprovalTask.objects.filter(pk=link.task_id).first()
        if old is None or old.name != TASK:
            continue
        new = NewTask.objects.create(name=TASK, active=True, content_type=new_type)
        new.groups.set(old.groups.all())
        link.task_id = new.pk
        link.save()
        TaskState.objects.filter(task_id=old.pk, status="in_progress").update(
            task_id=new.pk
        )
        old.name = RETIRED
        old.active = False
        old.save()


def switch_back(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    NewTask = apps.get_model("publishing", "AnonymizationApprovalTask")

    old = GroupApprovalTask.objects.filter(name=RETIRED).first()
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if old is None or workflow is None:
        return
    new_ids = list(NewTask.objects.values_list("pk", flat=True))
    WorkflowTask.objects.filter(workflow=workflow, task_id__in=new_ids).update(
        task_id=old.pk
    )
    TaskState.objects.filter(task_id__in=new_ids, status="in_progress").update(
        task_id=old.pk
    )
    TaskState.objects.filter(task_id__in=new_ids).delete()
    old.name = TASK
    old.active = True
    old.save()
    NewTask.objects.filter(pk__in=new_ids).delete()



class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('publishing', '0002_groups_workflow_schedules'),
        ('wagtailcore', '0098_apitoken'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='AnonymizationApprovalTask',
            fields=[
                ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
                ('groups', models.ManyToManyField(help_text='Pages/snippets at this step in a workflow will be moderated or approved by these groups of users', to='auth.group', verbose_name='groups')),
            ],
            options={
                'verbose_name': 'Legal review with anonymization check',
                'verbose_name_plural': 'Legal reviews with anonymization check',
            },
            bases=('wagtailcore.task',),
        ),
        migrations.RunPython(switch, switch_back),
    ]
