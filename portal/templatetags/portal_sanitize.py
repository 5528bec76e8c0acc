"""``{{ html|sanitize_html }}``: rich text output through portal.sanitize."""

from django import template

from portal.sanitize import clean_html

register = template.Library()


@register.filter(is_safe=True)
def sanitize_html(value):
    return clean_html(value)
