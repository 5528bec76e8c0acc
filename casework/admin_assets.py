"""The casework stylesheet in every admin page (Wagtail's
``insert_global_admin_css`` hook, registered by ``casework/wagtail_hooks.py``)."""

from django.templatetags.static import static
from django.utils.html import format_html


def casework_admin_css():
    """The ``<link>`` to casework's admin stylesheet."""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("casework/admin.css")
    )
