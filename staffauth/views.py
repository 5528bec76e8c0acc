"""The second sign-in step (code or enrolment), the lockout page and the
reset of another user's second factor.

The code and enrolment views are admin URLs (``register_admin_urls``), so
Wagtail's ``require_admin_access`` already requires a signed-in user with
admin access; StaffSignInMiddleware lets an unverified user reach only them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.account import get_user_login_form

from staffauth import devices
from staffauth.forms import CodeForm
from staffauth.models import SecondFactorReset


def _next_url(request) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME
    )
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def _lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout(request, original_response=None, credentials=None):
    """The page shown when django-axes locks a username, from every address
    (AXES_LOCKOUT_CALLABLE): the sign-in page with the reason, in Chinese."""
    message = _(
        "Too many failed sign-in attempts. This account is locked for "
        "%(minutes)d minutes, on every device. Try again later or ask the "
        "system administrator."
    ) % {"minutes": _lockout_minutes()}
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse({"error": "locked_out", "message": message}, status=status)
    form_class = get_user_login_form()
    response = TemplateResponse(
        request,
        "staffauth/lockout.html",
        {
            "form": form_class(request),
            "lockout_message": message,
            "next": _next_url(request),
            "show_password_reset": False,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response.render()


def _locked_out_response(request, user):
    """Sign out and show the lockout page when the user is locked out."""
    credentials = _credentials(user)
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return lockout(request, None, credentials)
    return None


def _record_failure(request, user):
    """A wrong code counts as a failed sign-in (django-axes): a password
    alone does not buy unlimited guesses at the code."""
    credentials = _credentials(user)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return lockout(request, None, credentials)
    return None


def _complete_sign_in(request, device):
    otp_login(request, device)
    # A new session key for the now fully signed-in session.
    request.session.cycle_key()
    AxesProxyHandler.reset_attempts(
        ip_address=get_client_ip_address(request),
        username=request.user.get_username(),
    )


def _step_context(request, **extra):
    return {"next": _next_url(request), **extra}


@sensitive_post_parameters("otp_token")
def verify(request):
    """Second step of sign-in: a code from the authenticator, or a backup code."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if (response := _locked_out_response(request, user)) is not None:
        return response
    if not devices.has_second_factor(user):
        return redirect(_with_next(reverse("staffauth:enrol"), request))
    # Backup codes are offered (in the help text, the accepted format and the
    # hint below the form) only while the user has some left.
    backup_codes_left = devices.backup_codes_left(user)
    form = CodeForm(request.POST or None, allow_backup=backup_codes_left > 0)
    if request.method == "POST":
        device = None
        if form.is_valid():
            device = devices.verify(user, form.cleaned_data["otp_token"])
            if device is None:
                form.add_error(
                    "otp_token",
                    _("The code is wrong or has already been used. Try again."),
                )
        if device is not None:
            _complete_sign_in(request, device)
            return HttpResponseRedirect(_next_url(request))
        if (response := _record_failure(request, user)) is not None:
            return response
    return TemplateResponse(
        request,
        "staffauth/verify.html",
        _step_context(request, form=form, backup_codes_left=backup_codes_left),
    )


@sensitive_post_parameters("otp_token")
def enrol(request):
    """First sign-in without a device: scan the QR code (or type the secret)
    into an authenticator app and confirm with a code."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if (response := _locked_out_response(request, user)) is not None:
        return response
    if devices.has_second_factor(user):
        return redirect(_with_next(reverse("staffauth:verify"), request))
    device = devices.pending_totp(user)
    form = CodeForm(request.POST or None, allow_backup=False)
    if request.method == "POST":
        codes = None
        if form.is_valid():
            codes = devices.confirm_enrolment(device, form.cleaned_data["otp_token"])
            if codes is None:
                form.add_error(
                    "otp_token",
                    _(
                        "The code does not match. Check that the time on your "
                        "phone is correct and enter the current code."
                    ),
                )
        if codes is not None:
            _complete_sign_in(request, TOTPDevice.objects.get(pk=device.pk))
            # Shown once, in this response only (never cached, never stored
            # anywhere but as the device's tokens).
            response = TemplateResponse(
                request,
                "staffauth/backup_codes.html",
                _step_context(request, codes=codes),
            )
            response["Cache-Control"] = "no-store"
            return response
        if (response := _record_failure(request, user)) is not None:
            return response
    response = TemplateResponse(
        request,
        "staffauth/enrol.html",
        _step_context(
            request,
            form=form,
            qr_svg=devices.qr_svg(device),
            secret=devices.secret_base32(device),
            issuer=settings.OTP_TOTP_ISSUER,
        ),
    )
    response["Cache-Control"] = "no-store"
    return response


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}"


def reset(request, user_id: int):
    """Reset another user's second factor (lost phone): superusers and
    holders of ``staffauth.reset_second_factor``."""
    if not request.user.has_perm("staffauth.reset_second_factor"):
        raise PermissionDenied
    target = get_object_or_404(devices.resettable_users(request.user), pk=user_id)
    if request.method == "POST":
        record = devices.reset(target, by=request.user, via=SecondFactorReset.Via.ADMIN)
        messages.success(
            request,
            _(
                "The second factor of %(user)s was reset (%(count)d devices "
                "removed). They will set up a new one at their next sign-in."
            )
            % {"user": target.get_username(), "count": record.devices_removed},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "staffauth/reset_confirm.html",
        {
            "target": target,
            "has_second_factor": devices.has_second_factor(target),
            "backup_codes_left": devices.backup_codes_left(target),
            "resets": SecondFactorReset.objects.filter(user=target).select_related(
                "reset_by"
            )[:5],
        },
    )
