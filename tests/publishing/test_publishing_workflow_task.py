"""The legal review step refuses to approve a clarification notice whose
draft, saved while it waited for review, names someone again (Art. 22): a
Chinese message listing what identifies whom, never an error page."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import GroupApprovalTask, TaskState, Workflow

from publishing import services
from publishing.models import AnonymizationApprovalTask, ClarificationNoticePage
from tests.testkit.factories import UserFactory

pytestmark = pytest.mark.django_db

CLEAN = "经查，举报反映张某的问题不属实，予以澄清正名。"
LEAKY = "经查，举报反映张三（电话13812345678）的问题不属实，予以澄清正名。"


@pytest.fixture
def people(db):
    editor = UserFactory(roles=[], is_staff=True)
    editor.groups.add(Group.objects.get(name="编辑"))
    reviewer = UserFactory(roles=[], is_staff=True)
    reviewer.groups.add(Group.objects.get(name="法制审核"))
    return editor, reviewer


@pytest.fixture
def in_review(site_home, people):
    """A clean notice submitted for legal review, then edited by the editor
    while it waits: the saved draft names the officer and a phone number."""
    editor, _ = people
    notices = services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")
    page = ClarificationNoticePage(
        title="关于张某被举报问题的澄清正名公告",
        body=CLEAN,
        party_names="张三",
        agency_name="区市场监督管理局",
        date=datetime.date(2025, 10, 1),
        live=False,
    )
    notices.add_child(instance=page)
    page.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    page = ClarificationNoticePage.objects.get(pk=page.pk)
    page.body = LEAKY
    page.save_revision(user=editor)
    return page, state.current_task_state


def approve_url(page, task_state):
    return reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )


def test_the_workflow_uses_the_anonymization_aware_task(db):
    workflow = Workflow.objects.get(name="政务公开发布审核")
    task = AnonymizationApprovalTask.objects.get(name="法制审核")
    assert [t.specific for t in workflow.tasks] == [task]
    assert task.active
    assert list(task.groups.values_list("name", flat=True)) == ["法制审核"]
    retired = GroupApprovalTask.objects.exclude(
        pk__in=AnonymizationApprovalTask.objects.values("pk")
    ).get(name__startswith="法制审核")
    assert not retired.active


def test_dashboard_approval_of_a_leaky_draft_is_refused_with_the_reason(
    client, in_review, people
):
    page, task_state = in_review
    _, reviewer = people
    client.force_login(reviewer)
    response = client.post(approve_url(page, task_state), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "wagtailadmin_pages:edit", args=(page.pk,)
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    shown += [response.content.decode()]
    refusal = next(text for text in shown if "未能审核通过" in text)
    assert "张三" in refusal and "13812345678" in refusal
    page = ClarificationNoticePage.objects.get(pk=page.pk)
    assert not page.live and page.first_published_at is None
    assert TaskState.objects.get(pk=task_state.pk).status == "in_progress"


def test_approve_with_comment_in_the_modal_is_refused_too(client, in_review, people):
    page, task_state = in_review
    _, reviewer = people
    client.force_login(reviewer)
    response = client.post(
        approve_url(page, task_state),
        {"comment": "同意发布"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload["step"] == "success"
    assert payload["redirect"] == reverse(
        "publishing:approval_refused", args=(page.pk,)
    )
    assert not ClarificationNoticePage.objects.get(pk=page.pk).live
    refused = client.get(payload["redirect"], follow=True)
    assert "13812345678" in refused.content.decode()


def test_once_anonymized_the_same_review_approves_and_publishes(
    client, in_review, people
):
    page, task_state = in_review
    editor, reviewer = people
    page.body = CLEAN
    page.save_revision(user=editor)
    client.force_login(reviewer)
    response = client.post(approve_url(page, task_state))
    assert response.status_code == 302
    page = ClarificationNoticePage.objects.get(pk=page.pk)
    assert page.live and "张三" not in page.body
    assert TaskState.objects.get(pk=task_state.pk).status == "approved"


def test_the_refusal_page_shows_names_only_to_who_may_edit(client, in_review):
    page, _ = in_review
    outsider = UserFactory(roles=[], is_staff=True)
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = client.get(reverse("publishing:approval_refused", args=(page.pk,)))
    assert response.status_code in (302, 403)
    assert "张三" not in response.content.decode()


def test_other_pages_approve_as_before(site_home, people):
    """A policy interpretation has nothing to anonymize: approval proceeds."""
    from publishing.models import InterpretationPage

    editor, reviewer = people
    index = services.index_page("interpretations", "政策解读")
    page = InterpretationPage(title="解读", body="<p>张三</p>", live=False)
    index.add_child(instance=page)
    page.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    task_state = state.current_task_state
    assert task_state.task.specific.on_action(task_state, reviewer, "approve") is None
    assert InterpretationPage.objects.get(pk=page.pk).live
