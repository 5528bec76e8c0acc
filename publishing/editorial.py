"""The interpretation desk (issue #17): who writes policy interpretations
(政策解读编辑), who reviews them (法制审核人员), and the workflow between them
(政策解读法制审核). Migration 0004 creates the groups and the workflow; this
module gives them their place in the page tree and tells who may write.

Editors may add and edit interpretations under the interpretation index and
submit them for review; they cannot publish. Legal reviewers hold no page
permission: as members of the workflow's approval step they open the editor
of a page waiting for them, request changes or approve with a comment, and
approval publishes it.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

EDITOR_GROUP = "政策解读编辑"
LEGAL_REVIEWER_GROUP = "法制审核人员"
WORKFLOW = "政策解读法制审核"

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")


@transaction.atomic
def open_interpretation_desk(index_page) -> None:
    """Give the editors their page permissions on ``index_page`` (the
    interpretation index) and send what is published under it through the
    政策解读法制审核 workflow. Idempotent."""
    editors = Group.objects.get(name=EDITOR_GROUP)
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=editors,
            page=index_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    workflow = Workflow.objects.get(name=WORKFLOW)
    WorkflowPage.objects.update_or_create(
        page=index_page, defaults={"workflow": workflow}
    )
