"""The admin as the office's own platform (issue #17): its name, in one place
(settings.WAGTAIL_SITE_NAME), for the templates under templates/wagtailadmin/."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def platform_name() -> str:
    return settings.WAGTAIL_SITE_NAME
