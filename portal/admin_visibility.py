"""What an admin user may see of objects that Wagtail's generic views reach
by ID (issue #14, smaller leaks).

Wagtail's generic views check what a user may *do*, not what they may *see*:
its bulk-action pages list the titles of every object whose ID is in the
address (restricted documents, draft pages) to any admin user, its page
chooser lists draft pages to users with no permission over them, and its
editing-session ping answers 200 for a case a recused officer may not see
but 404 for a case that does not exist. The page chooser's browsing below a
page and its "chosen" answer name pages by ID too. This module holds the one decision
of which objects of a model a request may see, and the views that put
Wagtail's behind it:

- a model with a ``visible_to(user)`` queryset method (supervision cases,
  reports, …): that queryset, the one place each plugin decides it;
- Wagtail documents: none of a collection whose view restriction the request
  does not pass (the document chooser's rule, ``hide_restricted_documents``);
- pages: live pages outside any view restriction the request does not pass,
  plus the pages the user holds a page permission over;
- any other model: no limit here (Wagtail's permission checks apply).

An object the user may not see is answered exactly as one that does not
exist (404), so nobody learns that it exists.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser, editing_sessions
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.api.v2.utils import get_restricted_collection_ids
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction
from wagtail.permission_policies.pages import PagePermissionPolicy

# Every page permission Wagtail knows: holding any of them over a page (or
# an ancestor) is "permission over it".
PAGE_ACTIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")


def _path_prefixes(paths) -> Q | None:
    condition = None
    for prefix in paths:
        part = Q(path__startswith=prefix)
        condition = part if condition is None else condition | part
    return condition


def visible_documents(documents, request):
    """``documents`` without those of a collection the request may not see:
    their titles are private too."""
    restricted = get_restricted_collection_ids(request)
    if restricted:
        documents = documents.exclude(collection__in=restricted)
    return documents


def visible_pages(pages, request):
    """``pages`` the request may see: live pages outside any view restriction
    it does not pass and not below a draft it may not see (the chooser names
    each result's parent), and those the user holds a page permission over
    (editors see their drafts)."""
    user = request.user
    if user.is_active and user.is_superuser:
        return pages
    permitted = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, PAGE_ACTIONS
    )
    hidden_paths = [
        restriction.page.path
        for restriction in PageViewRestriction.objects.select_related("page")
        if not restriction.accept_request(request)
    ]
    hidden_paths += (
        Page.objects.filter(live=False)
        .exclude(pk__in=permitted.values("pk"))
        .values_list("path", flat=True)
    )
    public = Q(live=True)
    hidden = _path_prefixes(hidden_paths)
    if hidden is not None:
        public &= ~hidden
    return pages.filter(public | Q(pk__in=permitted.values("pk")))


def visible_queryset(model, request):
    """The objects of ``model`` the request may see, or None when this module
    sets no limit for the model."""
    if issubclass(model, Page):
        return visible_pages(model._default_manager.all(), request)
    if model is get_document_model():
        return visible_documents(model._default_manager.all(), request)
    visible_to = getattr(model._default_manager, "visible_to", None)
    if callable(visible_to):
        return visible_to(request.user)
    return None


def _model_or_404(app_label: str, model_name: str):
    try:
        return apps.get_model(app_label, model_name)
    except LookupError as e:
        raise Http404 from e


def _pk_or_404(model, object_id):
    # A malformed ID is "no such object", not a server error.
    try:
        return model._meta.pk.to_python(unquote(str(object_id)))
    except (ValidationError, ValueError, TypeError) as e:
        raise Http404 from e


# --- Bulk actions ------------------------------------------------------------------


def _visible_bulk_action(action_class):
    """``action_class`` listing only the objects the request may see; when
    none of the requested IDs is visible, a 404 as for IDs that do not
    exist."""

    class VisibleBulkAction(action_class):
        # Wagtail calls self.get_queryset(model, ids) (a classmethod without
        # the request); as an instance method it sees the request.
        def get_queryset(self, model, object_ids):
            objects = list(super().get_queryset(model, object_ids))
            visible = visible_queryset(model, self.request)
            if visible is None:
                return objects
            seen = set(
                visible.filter(pk__in=[obj.pk for obj in objects]).values_list(
                    "pk", flat=True
                )
            )
            kept = [obj for obj in objects if obj.pk in seen]
            if not kept:
                raise Http404
            return kept

    VisibleBulkAction.__name__ = action_class.__name__
    VisibleBulkAction.__qualname__ = action_class.__qualname__
    return VisibleBulkAction


def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk-action dispatcher, with the objects limited to those
    the request may see."""
    model = _model_or_404(app_label, model_name)
    action_class = bulk_action_registry.get_bulk_action_class(
        app_label, model_name, action
    )
    if action_class is None:
        raise Http404
    return _visible_bulk_action(action_class)(request, model).dispatch(request)


# --- Editing sessions ----------------------------------------------------------------


@require_POST
def editing_session_ping(request, app_label, model_name, object_id, session_id):
    """Wagtail's editing-session ping, answering 404 for an object the user
    may not see exactly as for one that does not exist."""
    model = _model_or_404(app_label, model_name)
    pk = _pk_or_404(model, object_id)
    visible = visible_queryset(model, request)
    if visible is not None and not visible.filter(pk=pk).exists():
        raise Http404
    return editing_sessions.ping(request, app_label, model_name, object_id, session_id)


# --- Page chooser ------------------------------------------------------------------


def _page_ids(values) -> list[int]:
    return [int(value) for value in values if value.isascii() and value.isdigit()]


class VisibleBrowseView(chooser.BrowseView):
    """Browsing below a page the user may not see is a 404, as below a page
    that does not exist: the chooser would show its title as the heading.
    The children listed are limited by the construct_page_chooser_queryset
    hook (portal/wagtail_hooks.py)."""

    def get(self, request, parent_page_id=None):
        if parent_page_id is not None and not (
            visible_pages(Page.objects.filter(pk=parent_page_id), request).exists()
        ):
            raise Http404
        return super().get(request, parent_page_id)


class VisibleChosenMultipleView(chooser.ChosenMultipleView):
    """The titles of the chosen pages, for those the user may see only."""

    def get(self, request):
        ids = _page_ids(request.GET.getlist("id"))
        visible = visible_pages(Page.objects.filter(pk__in=ids), request)
        params = request.GET.copy()
        params.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
        request.GET = params
        return super().get(request)


def urlpatterns():
    """The admin addresses these views take over (bulk actions, the
    editing-session ping, the page chooser's browsing below a page and its
    chosen pages); portal/urls.py puts them before Wagtail's admin URLs,
    under the same admin-access check, with the same paths (so Wagtail's URL
    names still build links to them)."""
    return [
        path(
            "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
            require_admin_access(bulk_action),
            name="portal_bulk_action",
        ),
        path(
            "admin/editing-sessions/ping/<str:app_label>/<str:model_name>/"
            "<str:object_id>/<int:session_id>/",
            require_admin_access(editing_session_ping),
            name="portal_editing_session_ping",
        ),
        path(
            "admin/choose-page/<int:parent_page_id>/",
            require_admin_access(VisibleBrowseView.as_view()),
            name="portal_choose_page_child",
        ),
        path(
            "admin/choose-page/chosen-multiple/",
            require_admin_access(VisibleChosenMultipleView.as_view()),
            name="portal_choose_page_chosen_multiple",
        ),
    ]
