"""Wagtail API v2 for other government systems: pages, images, documents.

``/api/v2/pages/?search=…`` goes through the default search backend, which
segments Chinese text (search/segment.py) exactly as the public /search/ page
does, so other systems get the same answers. The query is trimmed to the
length the public page accepts, and every ``?search=`` (pages, images,
documents) spends from the public search page's budget
(portal/search_budget.py): the API is no way around its rate limit. Requests
without ``?search=`` are not counted.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from portal.search_budget import allow_search, search_budget

MAX_SEARCH_LENGTH = 100


class SearchRateLimited(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _(
        "You have searched very often in a short time. Please wait a minute and try "
        "again."
    )
    default_code = "search_rate_limited"


class TrimmedSearchFilter(SearchFilter):
    """Wagtail's search filter with an overlong ``?search=`` cut short, under
    the search budget: a search over budget is refused (HTTP 429) before the
    backend is asked."""

    def filter_queryset(self, request, queryset, view):
        if "search" in request.GET and not allow_search(request):
            raise SearchRateLimited()
        raw = request.GET.get("search")
        if raw is not None and len(raw) > MAX_SEARCH_LENGTH:
            params = request.GET.copy()
            params["search"] = raw[:MAX_SEARCH_LENGTH]
            request._request.GET = params
        return super().filter_queryset(request, queryset, view)


class SearchBudgetMixin:
    """An API endpoint whose ``?search=`` spends from the search budget: the
    search filter is TrimmedSearchFilter, and a refusal comes in the API's
    own error format ({"message": ...}) with a Retry-After."""

    def handle_exception(self, exc):
        if isinstance(exc, SearchRateLimited):
            response = Response({"message": str(exc.detail)}, status=exc.status_code)
            budget = search_budget()
            if budget is not None:
                response["Retry-After"] = str(budget.window)
            return response
        return super().handle_exception(exc)


def _trimmed(backends):
    return [
        TrimmedSearchFilter if backend is SearchFilter else backend
        for backend in backends
    ]


class PortalPagesAPIViewSet(SearchBudgetMixin, PagesAPIViewSet):
    filter_backends = _trimmed(PagesAPIViewSet.filter_backends)


class PortalImagesAPIViewSet(SearchBudgetMixin, ImagesAPIViewSet):
    filter_backends = _trimmed(ImagesAPIViewSet.filter_backends)


class PortalDocumentsAPIViewSet(SearchBudgetMixin, DocumentsAPIViewSet):
    filter_backends = _trimmed(DocumentsAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", PortalImagesAPIViewSet)
api_router.register_endpoint("documents", PortalDocumentsAPIViewSet)
