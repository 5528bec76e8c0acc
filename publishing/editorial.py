"""The interpretation desk (issue #17): who writes policy interpretations
(政策解读编辑), who reviews them (法制审核人员), and the workflow between them
(政策解读法制审核). Migration 0004 creates the groups and the workflow; this
module gives them their place in the page tree and tells who may write.

Editors may add and edit interpretations under the interpretation index and
submit them for review; they cannot publish. Legal reviewers, members of the
workflow's approval step, open the editor of a page waiting for them (and
only then: they hold no edit permission), request changes or approve with a
comment, and approval publishes it. Wagtail publishes the approved revision
as the approver, so they hold the publish permission on the index (which
also offers them publishing and unpublishing in the page listing).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage
from wagtail.permissions import page_permission_policy

from portal.clock import cn_datetime

EDITOR_GROUP = "政策解读编辑"
LEGAL_REVIEWER_GROUP = "法制审核人员"
WORKFLOW = "政策解读法制审核"

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
# Wagtail publishes an approved page as the approving user and checks that
# they may publish it: the reviewers' one page permission.
LEGAL_REVIEWER_PAGE_PERMISSIONS = ("publish_page",)


@transaction.atomic
def open_interpretation_desk(index_page) -> None:
    """Give the editors their page permissions on ``index_page`` (the
    interpretation index) and send what is published under it through the
    政策解读法制审核 workflow. Idempotent."""
    grants = {
        EDITOR_GROUP: EDITOR_PAGE_PERMISSIONS,
        LEGAL_REVIEWER_GROUP: LEGAL_REVIEWER_PAGE_PERMISSIONS,
    }
    for name, codenames in grants.items():
        group = Group.objects.get(name=name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=index_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    workflow = Workflow.objects.get(name=WORKFLOW)
    WorkflowPage.objects.update_or_create(
        page=index_page, defaults={"workflow": workflow}
    )


def writable_index(user, page_model, preferred_slug: str = ""):
    """The first index page under which ``user`` may add a ``page_model``
    page (the one with ``preferred_slug`` first), or None."""
    from publishing.models import PublicationIndexPage

    candidates = sorted(
        PublicationIndexPage.objects.order_by("path"),
        key=lambda page: page.slug != preferred_slug,
    )
    for index_page in candidates:
        if page_model not in index_page.creatable_subpage_models():
            continue
        if index_page.permissions_for_user(user).can_add_subpage():
            return index_page
    return None


def interpretation_index_for(user):
    """Where ``user`` writes interpretations; None if they may not."""
    from publishing.models import InterpretationPage
    from publishing.services import INTERPRETATION_INDEX_SLUG

    if not (user.is_authenticated and user.is_active):
        return None
    if not user.is_superuser and not any(
        # Wagtail's page permissions of the user, cached for the request
        # (the admin reads them anyway): no query for staff who add no page.
        grant.permission.codename == "add_page"
        for grant in page_permission_policy.get_cached_permissions_for_user(user)
    ):
        return None
    return writable_index(user, InterpretationPage, INTERPRETATION_INDEX_SLUG)


def interpretations_only_for_desk_editors(request, parent_page, page_class):
    """Hook ``before_create_page``: under the interpretation index, a user
    whose permission to add pages there comes only from the 政策解读编辑 group
    adds interpretations, not policy documents or notices."""
    from publishing.models import InterpretationPage

    user = request.user
    if page_class is InterpretationPage or user.is_superuser:
        return None
    ancestors = parent_page.get_ancestors(inclusive=True)
    from_other_groups = (
        GroupPagePermission.objects.filter(
            group__in=user.groups.all(),
            page__in=ancestors,
            permission__codename="add_page",
        )
        .exclude(group__name=EDITOR_GROUP)
        .exists()
    )
    if from_other_groups or not user.groups.filter(name=EDITOR_GROUP).exists():
        return None
    messages.error(
        request, _("Interpretation editors can only create interpretations here.")
    )
    return redirect("wagtailadmin_explore", parent_page.pk)


def reviewer_comment_on_open(request, page):
    """Hook ``before_edit_page``: when a legal reviewer requested changes,
    the editor who opens the page reads at once who asked for what and when
    (Wagtail keeps the comment in the workflow history), and how to send
    the page back."""
    if request.method != "GET":
        return None
    state = page.current_workflow_state
    if state is None or state.status != state.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != task_state.STATUS_REJECTED:
        return None
    reviewer = task_state.finished_by
    who = (reviewer.get_full_name() or reviewer.get_username()) if reviewer else ""
    values = {
        "who": who,
        "when": cn_datetime(task_state.finished_at),
        "comment": task_state.comment,
        "task": task_state.task.name,
    }
    if task_state.comment:
        text = _(
            "%(who)s asked for changes on %(when)s: “%(comment)s” Once changed, "
            "choose “Resubmit to %(task)s” in the menu at the foot of the page."
        )
    else:
        text = _(
            "%(who)s asked for changes on %(when)s. Once changed, choose “Resubmit to "
            "%(task)s” in the menu at the foot of the page."
        )
    text %= values
    messages.warning(request, text)
    return None


class InterpretationDeskPanel(Component):
    """Dashboard panel for those who write interpretations: the policy
    documents to open (each article there offers 撰写本条解读) and the way
    to their drafts."""

    name = "publishing_interpretation_desk"
    order = 130
    template_name = "publishing/admin/interpretation_desk_panel.html"

    def __init__(self, index_page):
        self.index_page = index_page

    def get_context_data(self, parent_context=None):
        from publishing.models import PolicyDocumentPage

        policies = PolicyDocumentPage.objects.live().public().order_by("-date", "pk")
        return {
            "index_page": self.index_page,
            "policies": list(policies),
        }


def interpretation_desk_panel(request, panels):
    """Hook ``construct_homepage_panels``."""
    index_page = interpretation_index_for(request.user)
    if index_page is not None:
        panels.append(InterpretationDeskPanel(index_page))


def publish_by_approval_only(menu_items, request, context):
    """Hook ``construct_page_action_menu``: under the 政策解读法制审核
    workflow a page is published by the legal reviewer's approval, so the
    editor's menu offers no direct 发布 to anyone but a superuser (the
    reviewers' publish permission exists for the approval's sake)."""
    page = context.get("page") or context.get("parent_page")
    if page is None or request.user.is_superuser:
        return
    workflow = page.get_workflow()
    if workflow is None or workflow.name != WORKFLOW:
        return
    menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
