"""Wagtail API v2 for other government systems: pages, images, documents.

``/api/v2/pages/?search=…`` goes through the default search backend, which
segments Chinese text (search/segment.py) exactly as the public /search/ page
does, so other systems get the same answers. The query is trimmed to the
length the public page accepts.
"""

from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

MAX_SEARCH_LENGTH = 100


class TrimmedSearchFilter(SearchFilter):
    """Wagtail's search filter with an overlong ``?search=`` cut short."""

    def filter_queryset(self, request, queryset, view):
        raw = request.GET.get("search")
        if raw is not None and len(raw) > MAX_SEARCH_LENGTH:
            params = request.GET.copy()
            params["search"] = raw[:MAX_SEARCH_LENGTH]
            request._request.GET = params
        return super().filter_queryset(request, queryset, view)


class PortalPagesAPIViewSet(PagesAPIViewSet):
    filter_backends = [
        TrimmedSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
