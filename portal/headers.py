"""Security headers the framework does not send by itself.

Content-Security-Policy: the public site has no inline script or style at all
(templates load ``site.js``, ``reporting.js`` and the stylesheets from
/static/), so its policy allows only the site's own files and forbids being
framed. Its one addition is 'wasm-unsafe-eval': the reporting forms' proof of
work runs scrypt as WebAssembly in a worker (a file of this site); it allows
compiling WebAssembly, not eval() of JavaScript. The Wagtail admin ships
inline styles and scripts of its own and shows previews in a same-origin
frame, so it gets a looser policy that still keeps out other origins. The
policies live in settings (CSP_PUBLIC, CSP_ADMIN) so a deployment can tighten
them without code.
"""

from django.conf import settings


def _admin_prefix() -> str:
    return getattr(settings, "CSP_ADMIN_PATH_PREFIX", "/admin/")


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 500:
            # Django's technical error page is all inline style and script.
            return response
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(_admin_prefix())
            policy = settings.CSP_ADMIN if admin else settings.CSP_PUBLIC
            if request.is_secure():
                policy = f"{policy}; upgrade-insecure-requests"
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
