"""Wagtail API v2 for other government systems: pages, images, documents.

``/api/v2/pages/?search=…`` is answered by the engine of the public /search/
page (registered on the ``register_api_page_search`` hook, portal/hooks.py):
the same segmentation, ranking and permission querysets, so another system
finds exactly the pages an anonymous visitor finds there, and in the same
order. A hit on a part of a page counts as a hit on the page: a policy
document is found by the text of its articles, appears once, where its best
article ranks, and each page in a search response carries
``matching_articles``, the parts that matched (``[{"number": 16, "label":
"第十六条", "anchor": "art-16"}]``; empty when the page itself matched). The
API's own filters (``type``, ``child_of``, ``descendant_of``, field filters
…) then narrow that set; an explicit ``?order=`` orders it instead of the
rank. ``search_operator=or`` finds pages with any word of the query rather
than every one. With no engine registered (the search plugin left out),
Wagtail's search backend answers as it does by default.

The query is trimmed to the length the public page accepts, and every
``?search=`` (pages, images, documents) spends from the public search page's
budget (portal/search_budget.py): the API is no way around its rate limit.
Requests without ``?search=`` are not counted.
"""

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from wagtail import hooks
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from portal.hooks import API_PAGE_SEARCH
from portal.search_budget import allow_search, search_budget

MAX_SEARCH_LENGTH = 100
SEARCH_OPERATORS = ("and", "or")
#: The field of each page in a page search response naming what matched.
MATCHES_FIELD = "matching_articles"


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


def page_search_engine():
    """The function registered to answer the API's page search, or None."""
    registered = hooks.get_hooks(API_PAGE_SEARCH)
    return registered[0] if registered else None


class PageSearchFilter(TrimmedSearchFilter):
    """``?search=`` on the pages endpoint through the public search's engine
    (see the module docstring). The pages it finds, each once, best first,
    narrowed by the queryset the other filters left; what matched in each
    page is kept on the view (``search_matches``) for the response. Under
    the same budget and trimming as every API search."""

    def filter_queryset(self, request, queryset, view):
        engine = page_search_engine()
        if "search" not in request.GET or engine is None:
            return super().filter_queryset(request, queryset, view)
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError(
                "filtering by tag with a search query is not supported"
            )
        operator = (request.GET.get("search_operator") or "and").lower()
        if operator not in SEARCH_OPERATORS:
            raise BadRequestError(_('search_operator must be "and" or "or".'))
        if not allow_search(request):
            raise SearchRateLimited()
        # As the public page reads its query (search/views.py clean_query).
        text = " ".join(request.GET["search"].split())[:MAX_SEARCH_LENGTH]
        found = engine(text, operator)
        view.search_matches = {hit.page_id: list(hit.matches) for hit in found}
        if not found:
            return queryset.none()
        queryset = queryset.filter(pk__in=[hit.page_id for hit in found])
        if "order" in request.GET:
            # The client's order (OrderingFilter ran before this filter).
            return queryset
        rank = Case(
            *(When(pk=hit.page_id, then=Value(n)) for n, hit in enumerate(found)),
            output_field=IntegerField(),
        )
        return queryset.order_by(rank, "pk")


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


def _trimmed(backends, search_filter=TrimmedSearchFilter):
    return [
        search_filter if backend is SearchFilter else backend for backend in backends
    ]


class PortalPagesAPIViewSet(SearchBudgetMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint; a search lists each page with what of it
    matched (``matching_articles``)."""

    filter_backends = _trimmed(PagesAPIViewSet.filter_backends, PageSearchFilter)

    search_matches = None
    listed = ()

    def paginate_queryset(self, queryset):
        # Kept (and evaluated once, by the serializer) to pair each item of
        # the response with its page, whatever ?fields= left in the item.
        self.listed = super().paginate_queryset(queryset)
        return self.listed

    def listing_view(self, request):
        response = super().listing_view(request)
        if self.search_matches is not None:
            for page, item in zip(self.listed, response.data["items"], strict=True):
                item[MATCHES_FIELD] = self.search_matches.get(page.pk, [])
        return response


class PortalImagesAPIViewSet(SearchBudgetMixin, ImagesAPIViewSet):
    filter_backends = _trimmed(ImagesAPIViewSet.filter_backends)


class PortalDocumentsAPIViewSet(SearchBudgetMixin, DocumentsAPIViewSet):
    filter_backends = _trimmed(DocumentsAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", PortalImagesAPIViewSet)
api_router.register_endpoint("documents", PortalDocumentsAPIViewSet)
