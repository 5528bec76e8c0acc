"""Smaller leaks of issue #14: Wagtail's bulk-action pages, page chooser and
editing-session ping show an admin user only what they may see
(portal/admin_visibility.py), and answer an object they may not see exactly
as one that does not exist. Run as low-privilege roles of the access-matrix
world (tests/security/conftest.py)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from wagtail.admin.models import EditingSession
from wagtail.models import Page

NO_SUCH_ID = 987654

DOCUMENT_ACTIONS = ("delete", "add_tags", "add_to_collection")
PAGE_ACTIONS = ("delete", "publish", "unpublish", "move")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    if "json" in response.get("Content-Type", ""):
        # The choosers answer JSON, with Chinese \u-escaped: decode it.
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def pages(world):
    """A live page and a draft one under the site root."""
    root = Page.get_first_root_node()
    live = root.add_child(instance=Page(title="公开的办事指南页", slug="guide"))
    live.save_revision().publish()
    draft = root.add_child(
        instance=Page(title="未发布的内部草稿页", slug="draft", live=False)
    )
    draft.save_revision()
    return live, draft


# --- Bulk actions --------------------------------------------------------------


@pytest.mark.parametrize("role", ["liaison_a", "officer_recused", "editor"])
@pytest.mark.parametrize("action", DOCUMENT_ACTIONS)
def test_bulk_action_hides_a_restricted_document(world, role, action):
    client = _client(getattr(world, role))
    url = f"/admin/bulk/wagtaildocs/document/{action}/"
    private = client.get(url, {"id": world.private_doc.pk})
    missing = client.get(url, {"id": NO_SUCH_ID})
    assert (private.status_code, missing.status_code) == (404, 404)
    assert world.private_doc.title not in _text(private)
    # With a document they may see, that one alone is listed.
    both = client.get(url, {"id": [world.private_doc.pk, world.public_doc.pk]})
    assert both.status_code == 200
    assert world.public_doc.title in _text(both)
    assert world.private_doc.title not in _text(both)


@pytest.mark.parametrize("role", ["head", "superuser"])
def test_bulk_action_lists_a_restricted_document_to_who_may_see_it(world, role):
    client = _client(getattr(world, role))
    response = client.get(
        "/admin/bulk/wagtaildocs/document/delete/", {"id": world.private_doc.pk}
    )
    assert response.status_code == 200
    assert world.private_doc.title in _text(response)


@pytest.mark.parametrize("role", ["liaison_a", "officer_recused", "reviewer"])
@pytest.mark.parametrize("action", PAGE_ACTIONS)
def test_bulk_action_hides_a_draft_page(world, pages, role, action):
    live, draft = pages
    client = _client(getattr(world, role))
    url = f"/admin/bulk/wagtailcore/page/{action}/"
    hidden = client.get(url, {"id": draft.pk})
    missing = client.get(url, {"id": NO_SUCH_ID})
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert draft.title not in _text(hidden)
    both = client.get(url, {"id": [draft.pk, live.pk]})
    assert both.status_code == 200
    assert draft.title not in _text(both)


def test_bulk_action_lists_a_draft_page_to_its_editor(world, pages):
    _live, draft = pages
    response = _client(world.editor).get(
        "/admin/bulk/wagtailcore/page/publish/", {"id": draft.pk}
    )
    assert response.status_code == 200
    assert draft.title in _text(response)


def test_bulk_action_on_a_case_answers_as_for_a_missing_one(world):
    # Cases have no bulk actions: 404 alike for every ID, seen or not.
    client = _client(world.officer_recused)
    for pk in (world.case_a.pk, NO_SUCH_ID):
        response = client.get(
            "/admin/bulk/casework/supervisioncase/delete/", {"id": pk}
        )
        assert response.status_code == 404


def test_bulk_action_pages_need_the_admin(world, pages):
    _live, draft = pages
    response = Client().get("/admin/bulk/wagtailcore/page/delete/", {"id": draft.pk})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- Page chooser -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["liaison_a", "officer_recused", "reviewer"])
def test_page_chooser_hides_draft_pages(world, pages, role):
    live, draft = pages
    client = _client(getattr(world, role))
    browse = client.get("/admin/choose-page/")
    search = client.get("/admin/choose-page/search/", {"q": "页"})
    for response in (browse, search):
        assert response.status_code == 200
        assert draft.title not in _text(response)
    assert live.title in _text(browse)


@pytest.mark.parametrize("role", ["liaison_a", "officer_recused"])
def test_page_chooser_does_not_name_a_draft_by_id(world, pages, role):
    """Browsing below the draft, its live child's search result (which names
    the parent) and the "chosen" answer all keep the draft's title."""
    live, draft = pages
    child = draft.add_child(instance=Page(title="草稿下的公开子页", slug="child"))
    child.save_revision().publish()
    client = _client(getattr(world, role))
    below = client.get(f"/admin/choose-page/{draft.pk}/")
    missing = client.get(f"/admin/choose-page/{NO_SUCH_ID}/")
    assert (below.status_code, missing.status_code) == (404, 404)
    assert draft.title not in _text(below)
    search = client.get("/admin/choose-page/search/", {"q": "子页"})
    assert search.status_code == 200
    assert draft.title not in _text(search)
    chosen = client.get(
        "/admin/choose-page/chosen-multiple/", {"id": [draft.pk, live.pk, "x"]}
    )
    assert chosen.status_code == 200
    assert draft.title not in _text(chosen)
    assert [item["id"] for item in chosen.json()["result"]] == [live.pk]


def test_page_chooser_shows_drafts_to_their_editor(world, pages):
    _live, draft = pages
    response = _client(world.editor).get("/admin/choose-page/")
    assert draft.title in _text(response)


def test_page_chooser_hides_view_restricted_pages(world, pages):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    live, _draft = pages
    restriction = PageViewRestriction.objects.create(
        page=live, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name="监督机构负责人"))
    assert live.title not in _text(_client(world.liaison_a).get("/admin/choose-page/"))
    assert live.title in _text(_client(world.head).get("/admin/choose-page/"))


# --- Editing-session ping -----------------------------------------------------------


def _ping(client, model: str, pk) -> int:
    return client.post(f"/admin/editing-sessions/ping/{model}/{pk}/0/").status_code


def test_ping_answers_a_recused_officer_as_for_a_missing_case(world):
    client = _client(world.officer_recused)
    assert _ping(client, "casework/supervisioncase", world.case_a.pk) == 404
    assert _ping(client, "casework/supervisioncase", NO_SUCH_ID) == 404
    # Nothing recorded about a case they may not see.
    assert not EditingSession.objects.filter(user=world.officer_recused).exists()
    # Their own cases still answer.
    assert _ping(client, "casework/supervisioncase", world.case_b.pk) == 200


def test_ping_answers_a_hidden_report_as_a_missing_one(world):
    client = _client(world.officer_recused)
    # The report linked to case A is case A's.
    assert _ping(client, "reporting/report", world.report_linked.pk) == 404
    assert _ping(client, "reporting/report", NO_SUCH_ID) == 404
    assert _ping(client, "reporting/report", world.report_unlinked.pk) == 200


def test_ping_still_answers_who_may_see_the_case(world):
    assert (
        _ping(
            _client(world.officer_assigned), "casework/supervisioncase", world.case_a.pk
        )
        == 200
    )


@pytest.mark.parametrize("object_id", ["abc", "1.5", "%00"])
def test_ping_with_a_malformed_id_is_a_404(world, object_id):
    client = _client(world.officer_assigned)
    assert _ping(client, "casework/supervisioncase", object_id) == 404


def test_ping_of_a_restricted_document_is_a_404(world):
    client = _client(world.liaison_a)
    assert _ping(client, "wagtaildocs/document", world.private_doc.pk) == 404
    assert _ping(client, "wagtaildocs/document", NO_SUCH_ID) == 404
