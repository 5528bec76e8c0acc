"""Snippets with the query's words marked, for result lists."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search import segment

SNIPPET_LENGTH = 120


@lru_cache(maxsize=256)
def _pattern(query: str):
    """The query's words as one pattern: segmented once per query, not once
    per title and snippet of its page of results (twenty times)."""
    terms = [t for t in segment.highlight_terms(query) if t]
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def _mark(text: str, pattern) -> str:
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def snippet(text: str, query: str, length: int = SNIPPET_LENGTH) -> SafeString:
    """A window of ``text`` around the first query word, words in ``<mark>``.

    The text is escaped before marking, so HTML in content or query shows as
    text and never as markup.
    """
    text = " ".join((text or "").split())
    pattern = _pattern(query)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > length // 3:
        start = first.start() - length // 3
    window = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + _mark(window, pattern) + suffix)  # noqa: S308 (escaped)


def mark_title(title: str, query: str) -> SafeString:
    """A whole result title with the query's words marked."""
    return mark_safe(_mark(str(title or ""), _pattern(query)))  # noqa: S308 (escaped)
