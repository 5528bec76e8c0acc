"""Admin lists of records that open on a detail page of their own.

Some plugin records are never edited through a form: a supervision case or
a report from the public is shown on its detail page, where each step is an
action of its own. Their Wagtail admin list has the same needs in every
plugin, met here once:

- only the records the user may see, through the model's
  ``objects.visible_to(user)`` (the one decision point for who sees what);
- each row, and every admin link to a record (choosers, history), opens the
  detail page, not an edit form; no per-row "more" menu;
- a spreadsheet export is written to the audit log (audit.export).

A plugin's viewset mixes in :class:`DetailPageViewSetMixin` before
``ModelViewSet``, registers a URL named ``detail`` in ``get_urlpatterns``
and uses an index view derived from :class:`VisibleRecordsIndexView`.
"""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.views.generic import IndexView

from audit.export import audit_export

__all__ = ["DetailPageViewSetMixin", "VisibleRecordsIndexView"]


class VisibleRecordsIndexView(IndexView):
    """The admin list of the records the user may see, each opening its
    detail page; exports are audited as ``export_audit_action``."""

    # Set by DetailPageViewSetMixin: the URL name of a record's detail page.
    detail_url_name: str | None = None
    # Related objects the list shows (select_related).
    list_select_related: tuple[str, ...] = ()
    # The audit.models.Action recorded for a spreadsheet export.
    export_audit_action: str | None = None

    def get_base_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(
            *self.list_select_related
        )

    def get_edit_url(self, instance):
        return reverse(self.detail_url_name, args=[instance.pk])

    def get_list_more_buttons(self, instance):
        return []

    def render_to_response(self, context, **response_kwargs):
        if self.is_export and self.export_audit_action:
            audit_export(self, self.export_audit_action, context["object_list"])
        return super().render_to_response(context, **response_kwargs)


class DetailPageViewSetMixin:
    """For a ModelViewSet whose records have a detail page (URL name
    ``detail``) instead of an edit form: admin links to a record, from
    anywhere in the admin, and the index view's rows go there."""

    @property
    def url_finder_class(self):
        return type(
            f"{self.model.__name__}URLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("detail")},
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            detail_url_name=self.get_url_name("detail"), **kwargs
        )
