"""The reporting stylesheet in every admin page (Wagtail's
``insert_global_admin_css`` hook, registered by ``reporting/wagtail_hooks.py``)."""

from django.templatetags.static import static
from django.utils.html import format_html


def reporting_admin_css():
    """The ``<link>`` to reporting's admin stylesheet."""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("reporting/admin.css")
    )
