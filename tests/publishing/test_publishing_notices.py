"""Clarification notices (Art. 22): anonymized before anything is published,
drafted from a case, moved through the editor → legal reviewer workflow."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page, Workflow, WorkflowPage
from wagtail.test.utils.form_data import nested_form_data

from casework.models import ErrorType
from publishing import services
from publishing.models import AnonymizationApprovalTask, ClarificationNoticePage
from tests.testkit.factories import (
    AgencyFactory,
    OfficerFactory,
    SupervisionCaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LEAKY = "经查，举报反映欧阳明华（电话138-1234-5678）驾驶鲁A12345违规执法的问题不属实。"


def _notice(parent, body=LEAKY, names="欧阳明华", **kwargs):
    page = ClarificationNoticePage(
        title="关于某执法人员被举报问题的澄清正名公告",
        body=body,
        party_names=names,
        agency_name="区市场监督管理局",
        date=datetime.date(2025, 10, 1),
        live=False,
        **kwargs,
    )
    parent.add_child(instance=page)
    return page


@pytest.fixture
def notices(site_home):
    return services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")


def test_a_notice_that_identifies_someone_cannot_be_published(notices):
    page = _notice(notices)
    leaks = page.leaks()
    assert [leak.kind for leak in leaks["body"]] == ["name", "mobile", "plate"]
    revision = page.save_revision()
    with pytest.raises(ValidationError) as caught:
        revision.publish()
    assert "欧阳明华" in str(caught.value)
    assert not ClarificationNoticePage.objects.get(pk=page.pk).live


def test_an_anonymized_notice_publishes_and_never_shows_the_names(notices, client):
    page = _notice(notices)
    from publishing.anonymize import redact

    page.body = redact(page.body, ["欧阳明华"])
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "欧阳某" in html
    assert "欧阳明华" not in html
    assert "138" not in html
    api = client.get(
        "/api/v2/pages/", {"type": "publishing.ClarificationNoticePage", "fields": "*"}
    ).content.decode()
    assert "欧阳明华" not in api


def _edit_data(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "date": "2025-10-01",
        "issuing_body": page.issuing_body,
        "agency_name": page.agency_name,
        "body": page.body,
        "party_names": page.party_names,
        "change_note": "",
        "comments": {
            "TOTAL_FORMS": 0,
            "INITIAL_FORMS": 0,
            "MIN_NUM_FORMS": 0,
            "MAX_NUM_FORMS": 1000,
        },
    }
    data.update(overrides)
    return nested_form_data(data)


def test_the_editor_is_shown_the_offending_spans_and_publishing_is_refused(
    notices, admin_user, client
):
    page = _notice(notices)
    page.save_revision()
    client.force_login(admin_user)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    screen = client.get(edit_url).content.decode()
    assert "<mark>欧阳明华</mark>" in screen
    assert "<mark>鲁A12345</mark>" in screen

    response = client.post(edit_url, {**_edit_data(page), "action-publish": "publish"})
    assert response.status_code == 200
    assert "当事人姓名“欧阳明华”" in response.content.decode()
    assert not ClarificationNoticePage.objects.get(pk=page.pk).live

    # A draft may still be saved as it is ...
    response = client.post(edit_url, _edit_data(page, change_note="草稿"))
    assert response.status_code == 302
    # ... and “anonymize when saving” fixes it, after which it publishes.
    response = client.post(
        edit_url, {**_edit_data(page, redact_now="on"), "action-publish": "publish"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ClarificationNoticePage.objects.get(pk=page.pk)
    assert page.live
    assert "欧阳某" in page.body
    assert "电话***-****-****" in page.body
    assert page.leaks() == {}


def test_draft_from_a_case_is_anonymized_and_remembers_the_names(notices):
    agency = AgencyFactory(name="区市场监督管理局")
    officer = OfficerFactory(name="欧阳明华", agency=agency)
    case = SupervisionCaseFactory(
        agency=agency, officers=[(officer, ErrorType.PROCEDURE)]
    )
    assert services.case_party_names(case) == ["欧阳明华"]
    page = services.draft_clarification_from_case(case)
    assert not page.live
    assert page.source_case == case
    assert page.party_names == "欧阳明华"
    assert "欧阳某" in page.title and "欧阳明华" not in page.body
    assert case.agency.name in page.body
    assert page.leaks() == {}
    assert page.get_parent().specific == notices
    second = services.draft_clarification_from_case(case)
    assert second.slug != page.slug


def test_the_workflow_migration(db):
    root = Page.get_first_root_node()
    workflow = Workflow.objects.get(name="政务公开发布审核")
    assert WorkflowPage.objects.get(page=root).workflow == workflow
    # publishing/0003 switched the step to the anonymization-aware task.
    task = AnonymizationApprovalTask.objects.get(name="法制审核")
    assert list(task.groups.values_list("name", flat=True)) == ["法制审核"]
    assert [t.specific for t in workflow.tasks] == [task]
    editor = Group.objects.get(name="编辑")
    codenames = set(
        editor.page_permissions.values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_page", "change_page", "lock_page", "unlock_page"}
    reviewer = Group.objects.get(name="法制审核")
    assert "publish_page" in set(
        reviewer.page_permissions.values_list("permission__codename", flat=True)
    )
    from django_q.models import Schedule

    assert set(
        Schedule.objects.filter(name__startswith="publishing-").values_list(
            "func", flat=True
        )
    ) == {
        "publishing.tasks.refresh_statistics",
        "publishing.tasks.publish_scheduled_pages",
    }


def test_editor_drafts_legal_reviewer_approves_then_it_publishes(notices):
    editor = UserFactory(roles=[], is_staff=True)
    editor.groups.add(Group.objects.get(name="编辑"))
    reviewer = UserFactory(roles=[], is_staff=True)
    reviewer.groups.add(Group.objects.get(name="法制审核"))
    page = _notice(
        notices, body="经查，举报反映张某的问题不属实，予以澄清。", names="张三"
    )
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(reviewer).can_publish()

    page.save_revision(user=editor)
    workflow = page.get_workflow()
    state = workflow.start(page, editor)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(page, reviewer)
    assert not task.get_actions(page, editor)
    task.on_action(task_state, reviewer, "approve")
    page = ClarificationNoticePage.objects.get(pk=page.pk)
    assert page.live
    assert page.first_published_at is not None


def test_scheduled_publishing_publishes_when_the_time_comes(notices):
    from django.utils import timezone

    from publishing.tasks import publish_scheduled_pages

    page = _notice(notices, body="经查，举报不属实。", names="")
    page.go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision = page.save_revision(approved_go_live_at=page.go_live_at)
    assert revision.approved_go_live_at is not None
    publish_scheduled_pages()
    assert ClarificationNoticePage.objects.get(pk=page.pk).live


def test_periodic_report_figure_counts_notices_first_published_in_the_period(notices):
    from wagtail import hooks

    page = _notice(notices, body="经查，举报不属实。", names="")
    page.save_revision().publish()
    today = datetime.date.today()
    figures = []
    for fn in hooks.get_hooks("register_periodic_report_figures"):
        figures += fn(
            today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
        )
    assert ("澄清正名公告发布数", 1) in figures
    figures = []
    for fn in hooks.get_hooks("register_periodic_report_figures"):
        figures += fn(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert ("澄清正名公告发布数", 0) in figures


def test_bulk_publishing_refuses_a_notice_that_identifies_someone(
    notices, admin_user, client
):
    leaky = _notice(notices)
    leaky.save_revision()
    clean = _notice(notices, body="经查，举报不属实。", names="")
    clean.save_revision()
    client.force_login(admin_user)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = f"?id={leaky.pk}&id={clean.pk}&next=/admin/"
    response = client.post(url + query, {}, follow=True)
    assert response.status_code == 200
    assert "欧阳明华" in response.content.decode()
    assert not ClarificationNoticePage.objects.get(pk=leaky.pk).live
    assert not ClarificationNoticePage.objects.get(pk=clean.pk).live

    response = client.post(f"{url}?id={clean.pk}&next=/admin/", {})
    assert response.status_code == 302
    assert ClarificationNoticePage.objects.get(pk=clean.pk).live
