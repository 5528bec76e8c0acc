"""The portal's own stylesheet in every admin page (Wagtail's
``insert_global_admin_css`` hook, registered by ``portal/wagtail_hooks.py``)."""

from django.templatetags.static import static
from django.utils.html import format_html


def platform_admin_css():
    """The ``<link>`` to the admin platform's stylesheet."""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("portal/admin-platform.css")
    )
