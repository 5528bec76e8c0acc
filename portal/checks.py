"""System checks for the portal's own security pieces."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string


@register(Tags.security)
def csrf_middleware_installed(app_configs, **kwargs):
    """Django's security.W003 looks for its own class by name; the portal runs a
    subclass (portal/csrf.py), so W003 is silenced and this check stands in."""
    for path in settings.MIDDLEWARE:
        try:
            middleware = import_string(path)
        except ImportError:
            continue
        if isinstance(middleware, type) and issubclass(middleware, CsrfViewMiddleware):
            return []
    return [
        Error(
            "No CSRF middleware in MIDDLEWARE.",
            hint="Add portal.csrf.FetchMetadataCsrfViewMiddleware.",
            id="portal.E001",
        )
    ]
