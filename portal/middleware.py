from django.http import JsonResponse

from portal.health import run_checks


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
        healthy, checks = run_checks()
        response = JsonResponse(
            {"status": "ok" if healthy else "unavailable", "checks": checks},
            status=200 if healthy else 503,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Cache-Control"] = "no-store"
        return response
