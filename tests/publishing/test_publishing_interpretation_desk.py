"""The interpretation desk (issue #17): the editor and legal-reviewer demo
logins, their permissions, and the 政策解读法制审核 workflow on the
interpretation index."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import GroupPagePermission, Page

from portal.demo import DEMO_ADMIN_PASSWORD
from publishing.editorial import (
    EDITOR_GROUP,
    LEGAL_REVIEWER_GROUP,
    WORKFLOW,
)
from publishing.models import (
    InterpretationPage,
    PolicyDocumentPage,
    PublicationIndexPage,
)

pytestmark = pytest.mark.django_db


def test_demo_logins_of_the_interpretation_desk(demo_site):
    users = get_user_model().objects
    editor = users.get(username="editor")
    reviewer = users.get(username="legal_reviewer")
    for user, group in ((editor, EDITOR_GROUP), (reviewer, LEGAL_REVIEWER_GROUP)):
        assert user.check_password(DEMO_ADMIN_PASSWORD)
        assert [g.name for g in user.groups.all()] == [group]
        assert not user.is_superuser and not user.is_staff
        assert user.has_perm("wagtailadmin.access_admin")
        # Same second factor as every demo login (staffauth demo hook).
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1

    interpretations = PublicationIndexPage.objects.get(slug="interpretations")
    policies = PublicationIndexPage.objects.get(slug="policies")
    policy = policies.get_children().get().specific
    assert interpretations.get_workflow().name == WORKFLOW
    assert policy.get_workflow().name == "政务公开发布审核"

    as_editor = interpretations.permissions_for_user(editor)
    assert as_editor.can_add_subpage() and not as_editor.can_publish_subpage()
    child = interpretations.get_children().first()
    assert child.permissions_for_user(editor).can_edit()
    assert not child.permissions_for_user(editor).can_publish()
    assert not child.permissions_for_user(editor).can_unpublish()
    assert not policy.permissions_for_user(editor).can_edit()
    assert not policies.permissions_for_user(editor).can_add_subpage()

    # The reviewer edits only what waits for their review, and publishes
    # by approving it (Wagtail publishes as the approver).
    assert [
        p.permission.codename
        for p in GroupPagePermission.objects.filter(group__name=LEGAL_REVIEWER_GROUP)
    ] == ["publish_page"]
    task = interpretations.get_workflow().tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [LEGAL_REVIEWER_GROUP]
    assert child.permissions_for_user(reviewer).can_publish()
    for page in (interpretations, child, policy, Page.objects.get(depth=2)):
        assert not page.permissions_for_user(reviewer).can_edit()
    assert not policy.permissions_for_user(reviewer).can_publish()

    before = (
        GroupPagePermission.objects.count(),
        users.count(),
        TOTPDevice.objects.count(),
    )
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)
    after = (
        GroupPagePermission.objects.count(),
        users.count(),
        TOTPDevice.objects.count(),
    )
    assert after == before


# --- From an article to its interpretation ----------------------------------


@pytest.fixture
def desk(public_site):
    users = get_user_model().objects
    return {
        "policy": PolicyDocumentPage.objects.live().get(),
        "index": PublicationIndexPage.objects.get(slug="interpretations"),
        "editor": users.get(username="editor"),
        "reviewer": users.get(username="legal_reviewer"),
    }


def write_url(policy, number):
    return reverse("publishing:write_interpretation", args=(policy.pk, number))


def test_write_link_beside_each_article_only_for_desk_editors(
    client, desk, django_assert_num_queries
):
    policy = desk["policy"]
    client.get(policy.url)
    with CaptureQueriesContext(connection) as anonymous:
        html = client.get(policy.url).content.decode()
    anonymous_count = len(anonymous)  # read now: a request empties the log
    assert "撰写本条解读" not in html
    assert "/admin/" not in html

    client.force_login(desk["reviewer"])
    html = client.get(policy.url).content.decode()
    assert "撰写本条解读" not in html

    client.force_login(desk["editor"])
    client.get(policy.url)
    with CaptureQueriesContext(connection) as signed_in:
        html = client.get(policy.url).content.decode()
    signed_in_count = len(signed_in)
    article_16 = html.split('id="art-16"')[1].split('id="art-17"')[0]
    assert f'href="{write_url(policy, 16)}"' in article_16
    assert html.count("撰写本条解读") == policy.articles.count()
    # Beside Art. 22, its published interpretation and the link to write one.
    article_22 = html.split('id="art-22"')[1].split('id="art-23"')[0]
    assert "相关解读" in article_22 and "撰写本条解读" in article_22

    # Neither count grows with the number of published interpretations.
    for n in range(3):
        page = InterpretationPage(
            title=f"解读{n}",
            slug=f"extra-{n}",
            policy=policy,
            article_numbers="16",
            body="<p>解读正文</p>",
        )
        desk["index"].add_child(instance=page)
        page.save_revision().publish()
    client.get(policy.url)  # the menu, read again after the purge
    with django_assert_num_queries(signed_in_count):
        html = client.get(policy.url).content.decode()
    assert "解读2" in html.split('id="art-16"')[1].split('id="art-17"')[0]
    client.logout()
    client.get(policy.url)  # the anonymous reader's text, read again
    with django_assert_num_queries(anonymous_count):
        client.get(policy.url)


def test_write_view_opens_the_new_interpretation_prefilled(client, desk):
    policy = desk["policy"]
    client.force_login(desk["editor"])
    response = client.get(write_url(policy, 16))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == f"《{policy.title}》第十六条解读"
    assert form["article_numbers"].value() == "16"
    assert form["policy"].value() == policy.pk
    assert form["slug"].value() == f"{policy.slug}-art-16"
    html = response.content.decode()
    # The form posts to Wagtail's own create view, under the index.
    add_url = reverse(
        "wagtailadmin_pages:add",
        args=("publishing", "interpretationpage", desk["index"].pk),
    )
    assert f'action="{add_url}"' in html
    assert "提交给政策解读法制审核" in html
    assert "发布" not in [b.strip() for b in re.findall(r">([^<]*)</button>", html)]


def test_write_view_refuses_who_may_not_write_and_unknown_articles(client, desk):
    policy = desk["policy"]
    response = client.get(write_url(policy, 16))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(desk["reviewer"])
    refused = client.get(write_url(policy, 16), follow=True)
    assert refused.redirect_chain == [("/admin/", 302)]
    assert "没有权限" in refused.content.decode()
    client.force_login(desk["editor"])
    assert client.get(write_url(policy, 99)).status_code == 404
    assert client.get(write_url(desk["index"], 1)).status_code == 404
    assert client.post(write_url(policy, 16)).status_code == 405
    policy.unpublish()
    assert client.get(write_url(policy, 16)).status_code == 404


def test_dashboard_shows_the_desk_to_editors_only(client, desk):
    client.force_login(desk["editor"])
    html = client.get("/admin/").content.decode()
    assert "撰写政策解读" in html
    assert f'href="{desk["policy"].url}"' in html
    client.force_login(desk["reviewer"])
    assert "撰写政策解读" not in client.get("/admin/").content.decode()


def test_desk_editors_add_interpretations_only(client, desk):
    client.force_login(desk["editor"])
    index_pk = desk["index"].pk
    add = "/admin/pages/add/publishing/{}/" + f"{index_pk}/"
    response = client.get(add.format("policydocumentpage"), follow=True)
    assert "政策解读编辑在此只能新建政策解读。" in response.content.decode()
    assert client.get(add.format("clarificationnoticepage")).status_code == 302
    assert client.get(add.format("interpretationpage")).status_code == 200


# --- Review: request changes with a comment, resubmit, approve ----------------


def test_review_round_trip_publishes_and_links_both_ways(client, desk):
    policy, index = desk["policy"], desk["index"]
    editor, reviewer = desk["editor"], desk["reviewer"]
    page = InterpretationPage(
        title="第十六条解读",
        slug="art-16-reading",
        policy=policy,
        article_numbers="16",
        body="<p>初稿</p>",
        live=False,
        owner=editor,
    )
    index.add_child(instance=page)
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    assert workflow.name == WORKFLOW
    workflow.start(page, editor)

    # The reviewer's menu: the workflow's actions, no direct 发布.
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.force_login(reviewer)
    menu = client.get(edit_url).content.decode()
    assert "请求修改" in menu and "带评论批准" in menu
    assert 'name="action-publish"' not in menu

    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(
        task_state, reviewer, "reject", comment="请补充负责人决定回避的规定。"
    )
    page.refresh_from_db()
    assert not page.live

    # The editor opening the page reads who asked for what.
    client.force_login(editor)
    text = client.get(edit_url).content.decode()
    assert "尹若兰于" in text and "要求修改：“请补充负责人决定回避的规定。”" in text
    assert "重新提交给政策解读法制审核" in text

    page.body = "<p>修改稿：回避由行政执法监督机构负责人决定。</p>"
    page.save_revision(user=editor)
    page.current_workflow_state.resume(user=editor)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve", comment="同意")
    page.refresh_from_db()
    assert page.live and "修改稿" in page.body

    client.logout()
    html = client.get(policy.url).content.decode()
    article_16 = html.split('id="art-16"')[1].split('id="art-17"')[0]
    assert f'href="{page.url}"' in article_16
    html = client.get(page.url).content.decode()
    assert f'href="{policy.url}#art-16"' in html
