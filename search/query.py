"""User input to Wagtail search query objects, through :mod:`search.segment`."""

from __future__ import annotations

import copy
from functools import reduce

from wagtail.search.query import And, MatchAll, Or, Phrase, PlainText, SearchQuery

from search import segment


def _all_of(words: tuple[str, ...]) -> SearchQuery:
    return reduce(lambda a, b: a & b, (PlainText(w) for w in words))


def _group_query(group: segment.QueryGroup) -> SearchQuery:
    options = [_all_of(alternative) for alternative in group.alternatives]
    return options[0] if len(options) == 1 else Or(options)


def build_query(text: str, operator: str | None = None) -> SearchQuery | None:
    """The query for a string a user typed, or None when no word is left
    (empty, punctuation only, emoji only…): the caller shows no results."""
    groups = segment.query_groups(text)
    if not groups:
        return None
    parts = [_group_query(group) for group in groups]
    if len(parts) == 1:
        return parts[0]
    return Or(parts) if (operator or "and").lower() == "or" else And(parts)


def segment_query(query, operator: str | None = None):
    """Any query Wagtail accepts, with its text segmented the portal's way.

    Strings become :func:`build_query` trees; a :class:`PlainText` keeps its
    operator; a :class:`Phrase` keeps the order of its words; the compound
    queries (And, Or, Not, Boost…) are rebuilt around segmented children.
    Returns None when nothing searchable is left.
    """
    if query is None or isinstance(query, MatchAll):
        return query
    if isinstance(query, str):
        return build_query(query, operator)
    if isinstance(query, PlainText):
        return build_query(query.query_string, query.operator)
    if isinstance(query, Phrase):
        words = segment.index_tokens(query.query_string)
        return Phrase(" ".join(words)) if words else None
    if isinstance(query, (And, Or)):
        children = [segment_query(q, operator) for q in query.subqueries]
        children = [c for c in children if c is not None]
        if not children:
            return None
        return type(query)(children) if len(children) > 1 else children[0]
    subquery = getattr(query, "subquery", None)
    if subquery is not None:
        inner = segment_query(subquery, operator)
        if inner is None:
            return None
        query = copy.copy(query)
        query.subquery = inner
    return query
