from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import clock


class SecondFactorReset(models.Model):
    """A record of one user's second factor being reset (recovery after a
    lost phone). It also carries the permission to do so: superusers hold it
    implicitly, groups get it through the admin or STAFF_OTP_RESET_GROUPS."""

    class Via(models.TextChoices):
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Management command")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text too, so the record survives the account's deletion.
    username = models.CharField(_("username"), max_length=150)
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reset by"),
    )
    reset_at = models.DateTimeField(_("reset at"), default=timezone.now)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    devices_removed = models.PositiveSmallIntegerField(_("devices removed"))

    class Meta:
        default_permissions = ()
        permissions = [
            ("reset_second_factor", "Can reset another user's second factor"),
        ]
        ordering = ["-reset_at"]
        verbose_name = _("second factor reset")
        verbose_name_plural = _("second factor resets")

    def __str__(self):
        return f"{self.username} @ {clock.cn_datetime(self.reset_at)}"
