"""Enforcement of the second factor and of the idle timeout.

Installed right after django_otp's OTPMiddleware (which gives ``request.user``
its ``is_verified()``), itself right after AuthenticationMiddleware:

- a session idle for longer than STAFF_IDLE_TIMEOUT seconds is signed out
  before anything else looks at it;
- in the admin, a user who signed in with a password but has not entered a
  code is sent to the code (or enrolment) step; admin JSON and the admin API
  answer 403 with a JSON body; nothing else of the admin opens;
- outside the admin, such a user counts as anonymous, so a password alone
  opens no private page or document either.
"""

from __future__ import annotations

import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from staffauth.signals import LAST_SEEN_SESSION_KEY

# Admin views that work without a verified second factor: signing in and out,
# password reset, the assets the sign-in pages load, and the steps themselves.
OPEN_ADMIN_VIEWS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "staffauth:verify",
        "staffauth:enrol",
    }
)
# The idle clock is written at most this often (seconds): one session write
# a minute instead of one per request.
LAST_SEEN_RESOLUTION = 60


def admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def wants_json(request) -> bool:
    return (
        request.path_info.startswith(admin_prefix() + "api/")
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "application/json" in request.headers.get("accept", "")
    )


def _anonymous_unless_verified(user):
    if user.is_authenticated and not user.is_verified():
        anonymous = AnonymousUser()
        anonymous.otp_device = None
        anonymous.is_verified = lambda: False
        return anonymous
    return user


class StaffSignInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_admin = request.path_info.startswith(admin_prefix())
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self._check_idle(request, in_admin)
            if response is not None:
                return response
        if in_admin:
            if not self._is_open(request):
                user = request.user
                if user.is_authenticated and not user.is_verified():
                    return self._second_factor_required(request)
        else:
            request.user = SimpleLazyObject(
                functools.partial(_anonymous_unless_verified, request.user)
            )
            auser = getattr(request, "auser", None)
            if auser is not None:

                async def verified_auser():
                    return _anonymous_unless_verified(await auser())

                request.auser = verified_auser
        return self.get_response(request)

    @staticmethod
    def _is_open(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in OPEN_ADMIN_VIEWS

    def _check_idle(self, request, in_admin):
        session = request.session
        if SESSION_KEY not in session:
            return None
        now = int(time.time())
        last_seen = session.get(LAST_SEEN_SESSION_KEY)
        if last_seen is not None and now - last_seen > settings.STAFF_IDLE_TIMEOUT:
            logout(request)
            if in_admin and not self._is_open(request):
                return self._signed_out_for_idleness(request)
            return None
        if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_SESSION_KEY] = now
        return None

    def _signed_out_for_idleness(self, request):
        minutes = max(1, settings.STAFF_IDLE_TIMEOUT // 60)
        message = _(
            "You were signed out after %(minutes)d minutes without activity. "
            "Please sign in again."
        ) % {"minutes": minutes}
        if wants_json(request):
            return JsonResponse({"error": "signed_out", "message": message}, status=401)
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        response = HttpResponseRedirect(f"{reverse('wagtailadmin_login')}?{query}")
        # MessageMiddleware comes later in the chain and has not run yet:
        # store the message on this response the way it would.
        storage = default_storage(request)
        storage.add(messages.WARNING, message)
        storage.update(response)
        return response

    @staticmethod
    def _second_factor_required(request):
        url = reverse("staffauth:verify")
        if wants_json(request):
            return JsonResponse(
                {
                    "error": "second_factor_required",
                    "message": _("Enter the code from your authenticator app first."),
                    "verify_url": url,
                },
                status=403,
            )
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(f"{url}?{query}")
