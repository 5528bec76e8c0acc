import logging
import threading
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from portal.health import classify
from portal.health import report as health_report

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answers /healthz before anything else runs.

    It sits first so that probes from a load balancer are not redirected to
    HTTPS, rejected by ALLOWED_HOSTS, or made to open a session.
    """

    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.rstrip("/") != self.path:
            return self.get_response(request)
        status, body = health_report(request)
        response = JsonResponse(
            body, status=status, json_dumps_params={"ensure_ascii": False}
        )
        response["Cache-Control"] = "no-store"
        return response


#: What "the database cannot be reached" looks like from Django: connection
#: refused, too many connections, the server gone mid-request, a SQLite file
#: that cannot be opened. Integrity and programming errors are bugs, not
#: outages, and stay 500s.
DATABASE_DOWN = (OperationalError, InterfaceError)
_MARK = "_portal_database_down"


def _mark_database_down(sender, request=None, **kwargs):
    """Django turns an exception raised in a middleware (the session saved
    after the view, the user loaded for the admin) into a 500 before an
    outer middleware sees it; this receiver notes the cause on the request so
    that DatabaseUnavailableMiddleware can answer 503 instead."""
    import sys

    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_DOWN):
        setattr(request, _MARK, exc)


got_request_exception.connect(_mark_database_down, dispatch_uid="portal_db_down")


class _LogThrottle:
    """One log line per ``interval`` seconds per process, with the number of
    failures folded into it, so an outage under load does not flood the log."""

    def __init__(self, interval: float = 10.0):
        self.interval = interval
        self.lock = threading.Lock()
        self.last = float("-inf")
        self.suppressed = 0

    def log(self, code: str, path: str) -> None:
        with self.lock:
            now = time.monotonic()
            if now - self.last < self.interval:
                self.suppressed += 1
                return
            self.last, folded, self.suppressed = now, self.suppressed, 0
        # The classification only: the driver's message names hosts and users.
        logger.error(
            "database unavailable (%s), answering 503 for %s"
            " (%d more 503s since the last report)",
            code,
            path,
            folded,
        )


class DatabaseUnavailableMiddleware:
    """With the database down, every page (public and admin) answers 503 with
    a friendly Chinese page and ``Retry-After``, instead of a 500.

    The page is rendered without a request context: no context processor,
    no Wagtail site setting, nothing that would touch the database again.
    Sits right after HealthCheckMiddleware, so /healthz still says why.
    """

    retry_after = 30
    throttle = _LogThrottle()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, _MARK, None)
        if exc is not None and response.status_code >= 500:
            return self.unavailable(request, exc)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request, exc) -> HttpResponse:
        code, _reason = classify(exc)
        self.throttle.log(code, request.path)
        retry = getattr(settings, "DATABASE_UNAVAILABLE_RETRY_AFTER", self.retry_after)
        html = render_to_string(
            "503.html",
            {
                "site_name": settings.WAGTAIL_SITE_NAME,
                "retry_after": retry,
            },
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(retry)
        response["Cache-Control"] = "no-store"
        response["Content-Language"] = "zh-Hans"
        return response
