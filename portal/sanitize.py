"""Rich text is cleaned in one place, against one allow-list.

Wagtail's Draftail editor only produces the features a field enables, but
rich text also arrives around the editor: ``import_policy``, the API, a
shell, an old revision, a database restore. So the portal never trusts
stored HTML:

- on save, every ``RichTextField`` of every model is cleaned in Wagtail's
  storage format (``clean_db_html``), so what the API hands out is clean too;
- on output, Wagtail's ``wagtailcore/shared/richtext.html`` (used by the
  ``|richtext`` filter and by ``RichTextBlock`` in StreamFields) is
  overridden in ``templates/`` to pass through ``clean_html``: public pages,
  the admin preview and revision views all render through it.

Allowed is what Draftail's features produce: paragraphs, headings, bold,
italic, lists, links, line breaks, rules, code, super/subscript, strike,
blockquote and Wagtail images. Never allowed: ``<script>``, ``<style>``,
``<iframe>``, ``<object>``, forms, event-handler or ``style`` attributes,
and any URL whose scheme is not http, https, mailto or tel (``javascript:``,
``data:``, ``vbscript:`` ...). Relative URLs (internal links) stay.
"""

from __future__ import annotations

import re

import nh3
from django.db.models.signals import pre_save
from django.utils.safestring import SafeString, mark_safe

TEXT_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "sub",
    "sup",
    "code",
    "blockquote",
    "ol",
    "ul",
    "li",
    "hr",
    "a",
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Front-end HTML: after Wagtail expanded its link and image entities.
OUTPUT_TAGS = TEXT_TAGS | {"img"}
OUTPUT_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "class"},
}

# Storage format: internal links are <a linktype="page" id="…">, images
# <embed embedtype="image" id="…" format="…" alt="…"/>.
DB_TAGS = TEXT_TAGS | {"embed"}
DB_ATTRIBUTES = {
    # Draftail's block keys anchor inline comments; keep them.
    "*": {"data-block-key"},
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt"},
}
# html5ever writes <embed ...>; Wagtail's rewriter looks for <embed .../>.
_EMBED = re.compile(r"<embed(\b[^>]*?)\s*/?>")


def _clean(html: str, tags, attributes) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def clean_html(html) -> SafeString:
    """Front-end rich text HTML, safe to put in a page."""
    if not html:
        return mark_safe("")
    cleaned = _clean(str(html), OUTPUT_TAGS, OUTPUT_ATTRIBUTES)
    return mark_safe(cleaned)  # noqa: S308 (allow-listed by nh3 above)


def clean_db_html(html: str) -> str:
    """Rich text in Wagtail's storage format, without anything the editor
    could not have produced."""
    if not html:
        return html
    return _EMBED.sub(r"<embed\1/>", _clean(html, DB_TAGS, DB_ATTRIBUTES))


_rich_text_fields: dict[type, tuple[str, ...]] = {}


def _fields_of(model) -> tuple[str, ...]:
    from wagtail.fields import RichTextField

    if model not in _rich_text_fields:
        _rich_text_fields[model] = tuple(
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, RichTextField)
        )
    return _rich_text_fields[model]


def clean_rich_text_fields(sender, instance, raw=False, **kwargs):
    """pre_save: clean every RichTextField of the instance (fixtures loaded
    raw are left as they are, like Django leaves them)."""
    if raw:
        return
    for name in _fields_of(sender):
        value = getattr(instance, name)
        if isinstance(value, str) and value:
            setattr(instance, name, clean_db_html(value))


def connect() -> None:
    pre_save.connect(clean_rich_text_fields, dispatch_uid="portal_sanitize_rich_text")
