"""The names Wagtail's own migrations give its default data, in Chinese
(issue #17): staff meet them in the admin (the page explorer's "Root", the
groups "Editors" and "Moderators", the workflow and task "Moderators
approval"). The office's own groups and workflow (publishing) are untouched;
a name someone already changed is left as it is. Reversible."""

from django.db import migrations

ROOT_TITLE = ("Root", "根页面")
GROUPS = [("Editors", "页面编辑（系统默认）"), ("Moderators", "页面审核（系统默认）")]
WORKFLOW = ("Moderators approval", "页面审核（系统默认）")


def _rename(apps, backwards: bool):
    def pair(names):
        return (names[1], names[0]) if backwards else names

    old, new = pair(ROOT_TITLE)
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=old).update(
        title=new, draft_title=new
    )
    Group = apps.get_model("auth", "Group")
    for names in GROUPS:
        old, new = pair(names)
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    old, new = pair(WORKFLOW)
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    _rename(apps, backwards=False)


def backwards(apps, schema_editor):
    _rename(apps, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_site_identification_and_contact"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
