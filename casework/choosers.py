"""A chooser for supervision cases (used e.g. to attach a report to a case),
listing only the cases the user may see."""

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from casework.models import SupervisionCase


class CaseSearchForm(BaseFilterForm):
    q = forms.CharField(label=_("case number or case title"), required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()[:100]
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(
                Q(number__icontains=query) | Q(title__icontains=query)
            )
        return objects


def _visible(request):
    return SupervisionCase.objects.visible_to(request.user)


class VisibleCasesMixin:
    def get_object_list(self):
        return _visible(self.request).select_related("agency")


class ChooseView(VisibleCasesMixin, chooser_views.ChooseView):
    filter_form_class = CaseSearchForm


class ChooseResultsView(VisibleCasesMixin, chooser_views.ChooseResultsView):
    filter_form_class = CaseSearchForm


class ChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        try:
            return _visible(self.request).get(pk=int(pk))
        except (SupervisionCase.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


class ChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        try:
            ids = [int(pk) for pk in pks]
        except (ValueError, TypeError):
            raise Http404 from None
        return _visible(self.request).filter(pk__in=ids)


class NoCreateView(chooser_views.CreateView):
    """Cases are filed through casework.services (立案, Art. 13-14), never
    from a chooser: without this, Wagtail's create view answered a POST with
    a 500 (it has no form to validate)."""

    def can_create(self):
        return False


class CaseChooserViewSet(ChooserViewSet):
    model = SupervisionCase
    icon = "folder-open-inverse"
    choose_one_text = _("Choose a case")
    choose_another_text = _("Choose another case")
    edit_item_text = _("View case")
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = NoCreateView
    per_page = 20


case_chooser_viewset = CaseChooserViewSet("casework_case_chooser")
