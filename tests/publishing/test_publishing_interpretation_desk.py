"""The interpretation desk (issue #17): the editor and legal-reviewer demo
logins, their permissions, and the 政策解读法制审核 workflow on the
interpretation index."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import GroupPagePermission, Page

from portal.management.commands.load_demo import DEMO_ADMIN_PASSWORD
from publishing.editorial import EDITOR_GROUP, LEGAL_REVIEWER_GROUP, WORKFLOW
from publishing.models import PublicationIndexPage

pytestmark = pytest.mark.django_db


def test_demo_logins_of_the_interpretation_desk(home_page):
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

    # The reviewer publishes only by approving in the workflow.
    assert not GroupPagePermission.objects.filter(group__name=LEGAL_REVIEWER_GROUP)
    task = interpretations.get_workflow().tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [LEGAL_REVIEWER_GROUP]
    for page in (interpretations, child, policy, Page.objects.get(depth=2)):
        assert not page.permissions_for_user(reviewer).can_publish()
        assert not page.permissions_for_user(reviewer).can_edit()

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
