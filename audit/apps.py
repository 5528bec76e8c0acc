from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit log of sensitive views and decisions (issue #8)."""

    name = "audit"
    label = "audit"
    verbose_name = _("Audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created

        from audit import checks, database, log  # noqa: F401

        connection_created.connect(database.register_sqlite_functions)
        request_finished.connect(log.flush_after_request)
