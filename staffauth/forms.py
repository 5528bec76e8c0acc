from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from staffauth import devices


class StaffLoginForm(LoginForm):
    """Wagtail's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM) with labels in
    the admin's language: Wagtail declares its password field without a
    label, so Django shows the field name, "Password", in English."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or (when ``allow_backup``)
    one of the user's one-time backup codes."""

    otp_token = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, allow_backup: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_backup = allow_backup
        field = self.fields["otp_token"]
        field.error_messages["required"] = self._format_message()
        if allow_backup:
            field.help_text = _(
                "The 6-digit code shown in your authenticator app, or one of "
                "your 8-character backup codes."
            )
        else:
            field.help_text = _("The 6-digit code shown in your authenticator app.")
            field.widget.attrs["inputmode"] = "numeric"

    def clean_otp_token(self):
        token = devices.normalize(self.cleaned_data["otp_token"])
        if devices.TOTP_PATTERN.match(token):
            return token
        if self.allow_backup and devices.BACKUP_PATTERN.match(token):
            return token
        raise forms.ValidationError(self._format_message(), code="format")

    def _format_message(self):
        if self.allow_backup:
            return _("Enter the 6-digit code or an 8-character backup code.")
        return _("Enter the 6-digit code.")
