"""The site's own Chinese 404 and 500 pages while DEBUG is on.

With DEBUG, Django answers a missing page with its English debug page that
lists every URL pattern, and an error with the traceback page. The demo
(``./scripts/run``) runs with DEBUG, since the demo-only commands refuse to
run without it, and should look like the site. This middleware, active only
while DEBUG is on and ``DEBUG_TECHNICAL_ERRORS`` is off, renders the
templates the production handlers render (templates/404.html, 500.html);
the error itself still goes to the log with its traceback. A developer who
wants Django's pages sets ``DEBUG_TECHNICAL_ERRORS=1``.

Without DEBUG, Django's own handlers serve the same templates and this
middleware does nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    SuspiciousOperation,
)
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.views import defaults

logger = logging.getLogger("django.request")

#: Exceptions Django turns into 400/403 pages of its own, DEBUG or not (or
#: into its debug page with the status, which a developer wants to see).
_CLIENT_ERRORS = (
    PermissionDenied,
    BadRequest,
    SuspiciousOperation,
    MultiPartParserError,
)


def _active() -> bool:
    return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_ERRORS", False)


class SiteErrorPagesMiddleware:
    """Place it before DatabaseUnavailableMiddleware in MIDDLEWARE (outside
    it): that one sees an exception first, so an outage is still the 503
    page, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and _active()
            and getattr(request, "resolver_match", None) is None
        ):
            # No URL pattern matched (Resolver404, before any view ran): the
            # debug page listing the URL patterns is all there is.
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not _active():
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, _CLIENT_ERRORS):
            return None
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=(type(exception), exception, exception.__traceback__),
            extra={"status_code": 500, "request": request},
        )
        return defaults.server_error(request)
