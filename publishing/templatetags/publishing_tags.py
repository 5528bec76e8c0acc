"""Template helpers of the public publishing pages."""

import re

from django import template

from portal import clock
from portal.numerals import to_chinese

register = template.Library()

_ITEM_RE = re.compile(r"^[（(]\s*[零〇一二三四五六七八九十百0-9０-９]+\s*[）)]")


# The site's one date style (portal.clock): a datetime's day in Beijing time.
register.filter("cn_date", clock.cn_date, expects_localtime=True)


@register.filter
def is_item(paragraph: str) -> bool:
    """True for an enumerated item of an article: （一）…, (2)…"""
    return bool(_ITEM_RE.match(paragraph or ""))


@register.simple_tag
def query_string(params: dict, **changes) -> str:
    """``?year=2025&type=notice&page=2`` from the current filters plus
    ``changes`` (a change to None drops the key)."""
    from urllib.parse import urlencode

    merged = {**(params or {}), **changes}
    merged = {key: value for key, value in merged.items() if value not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or an empty string."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def cn_number(number) -> str:
    """16 → 十六 (for 第十六条, 第五章 labels); anything that is not a whole
    number from 1 to 999 as it is."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return ""
    if not 0 < number < 1000:
        return str(number)
    return to_chinese(number)
