"""The public search's postings: written beside the index, read in one query.

Index side: for every object a database backend indexes, :func:`write`
stores one :class:`~search.models.Posting` per word of its segmented search
fields, with a BM25-style weight (the word's count, fields weighted by their
``boost``, saturated and normalised by the object's length) and the year of
the object's date.

Query side: :func:`ranked` turns the query's word groups
(:func:`search.segment.query_groups`) into one SQL statement that, on
PostgreSQL and SQLite alike,

- matches: the postings of the query's words (index-only scans of
  ``search_posting_term_object``), a document matching a group when it has
  every word of one of the group's alternatives and the query when it
  matches every group; its score is the sum of its words' weights;
- keeps what each source's permission queryset shows (``IN (SELECT pk …)``
  of the source's own queryset, so no permission is restated here);
- counts the visible matches per source and year (the facets) and returns
  the requested page, best first, from the same materialised rows.

Only the page's objects are then loaded, one query per source on the page.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models, transaction
from modelsearch.index import RelatedFields, SearchField, class_is_indexed
from modelsearch.utils import get_descendants_content_types_pks

from search import segment
from search.models import MAX_TERM_LENGTH, Posting

#: BM25 saturation and length normalisation, and the length (in words) of a
#: typical indexed object.
K1 = 1.2
B = 0.75
TYPICAL_LENGTH = 150
#: Rows per INSERT when writing postings.
BATCH = 2000


# --- index side ---------------------------------------------------------------
def _field_values(obj, fields, boost=1.0):
    """(boost, raw value) of every search field of ``obj``, related ones
    included."""
    for search_field in fields:
        if isinstance(search_field, SearchField):
            yield (search_field.boost or 1.0) * boost, search_field.get_value(obj)
        elif isinstance(search_field, RelatedFields):
            related = search_field.get_value(obj)
            if related is None:
                continue
            if isinstance(related, models.Manager):
                related = related.all()
            elif callable(related):
                related = [related()]
            else:
                related = [related]
            for sub in related:
                yield from _field_values(sub, search_field.fields, boost)


def weights(obj, prepare) -> dict[str, float]:
    """Word -> weight in ``obj``; ``prepare`` turns a field value into
    segmented text (the backend's indexer, so both index the same words)."""
    counts: Counter = Counter()
    length = 0
    for boost, value in _field_values(obj, type(obj).get_search_fields()):
        words = prepare(value).split() if value is not None else []
        length += len(words)
        for word in words:
            counts[word] += boost
    norm = K1 * (1 - B + B * length / TYPICAL_LENGTH)
    return {
        word: round((K1 + 1) * count / (count + norm), 6)
        for word, count in counts.items()
        if len(word) <= MAX_TERM_LENGTH
    }


def indexed_year(obj) -> int | None:
    """The year the search's year filter files ``obj`` under: that of its
    ``search_date`` (the sources' display contract), else of its first
    publication."""
    value = getattr(obj, "search_date", None)
    if value is None:
        value = getattr(obj, "first_published_at", None)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.year if value else None


def has_integer_pk(model) -> bool:
    return isinstance(
        model._meta.pk.target_field if model._meta.pk.is_relation else model._meta.pk,
        (models.AutoField, models.BigAutoField, models.IntegerField),
    )


def _source_models() -> tuple[set, set]:
    """(models of sources the postings answer for, models of the others)."""
    from search import sources

    served, others = set(), set()
    for source in [*sources.public_sources(), *sources.staff_sources()]:
        (served if applies_to(source) else others).add(source.model)
    return served, others


def serves(model) -> bool:
    """Whether ``model``'s objects get postings: every indexed model but
    those only searched through other paths (the staff search's cases, with
    their Elasticsearch document and per-user text check), so that a model
    registered later as a source is already served."""
    served, others = _source_models()
    if any(issubclass(model, m) for m in served):
        return True
    return not any(issubclass(model, m) for m in others)


def write(model, objs, prepare, using=None) -> int:
    """Replace the postings of ``objs`` (instances of ``model``)."""
    objs = list(objs)
    if not objs or not has_integer_pk(model) or not model.get_search_fields():
        return 0
    if not serves(model):
        return 0
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    rows = []
    for obj in objs:
        year = indexed_year(obj)
        rows.extend(
            Posting(
                term=word,
                content_type_id=content_type.pk,
                object_id=obj.pk,
                weight=weight,
                year=year,
            )
            for word, weight in weights(obj, prepare).items()
        )
    alias = using or connection.alias
    with transaction.atomic(using=alias):
        Posting.objects.using(alias).filter(
            content_type_id=content_type.pk, object_id__in=[o.pk for o in objs]
        )._raw_delete(alias)
        Posting.objects.using(alias).bulk_create(rows, batch_size=BATCH)
    return len(rows)


def delete(obj, using=None) -> None:
    model = type(obj)
    if not has_integer_pk(model) or obj.pk is None:
        return
    alias = using or connection.alias
    Posting.objects.using(alias).filter(
        content_type_id__in=get_descendants_content_types_pks(model),
        object_id=obj.pk,
    )._raw_delete(alias)


def delete_stale(model, using=None) -> None:
    """Postings of ``model``'s objects that no longer exist."""
    if not has_integer_pk(model):
        return
    alias = using or connection.alias
    Posting.objects.using(alias).filter(
        content_type_id__in=get_descendants_content_types_pks(model)
    ).exclude(
        object_id__in=model._default_manager.using(alias).values("pk")
    )._raw_delete(alias)


def reset(using=None) -> None:
    alias = using or connection.alias
    Posting.objects.using(alias).all()._raw_delete(alias)


def refresh_statistics(using=None) -> None:
    """After a full rebuild: the planner's statistics of the postings table
    (ANALYZE) and, on PostgreSQL outside a transaction, its visibility map
    (VACUUM), without which the covering index is read through the heap.

    Measured on the bench database (3.2 million postings, freshly written):
    the ranking statement of 容错免责 took 117 ms through bitmap heap scans,
    52 ms through index-only scans once vacuumed. Autovacuum gets there
    too, some minutes after a rebuild; this gets there at once."""
    target = connections[using or connection.alias]
    table = target.ops.quote_name(Posting._meta.db_table)
    vacuum = target.vendor == "postgresql" and not target.in_atomic_block
    with target.cursor() as cursor:
        cursor.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE {table}")


# --- query side ---------------------------------------------------------------
def applies_to(source) -> bool:
    """Whether postings can answer for ``source``: an indexed model with
    integer keys, and no Elasticsearch document or per-user text check of
    its own."""
    return (
        class_is_indexed(source.model)
        and has_integer_pk(source.model)
        and source.options.get("document") is None
        and source.options.get("match_text") is None
    )


# The statements below are assembled from the quoted table name, "%s"
# placeholders, integers and SQL compiled by Django (the sources' querysets);
# every value the user typed is a parameter.


def match_sql(
    groups: list[segment.QueryGroup], types: list[int], operator: str = "and"
) -> tuple[str, list]:
    """(ct, oid, year, score) of every object of these content types that
    matches all groups (any group, when ``operator`` is "or": the API's
    ``search_operator``), read in one pass over the postings of every word
    of the query.

    Each word's weight in the object is one column of the aggregate (NULL
    where the object lacks the word), so an alternative's score is the sum
    of its words' columns (NULL unless it has them all), a group's the
    greatest of its alternatives' (-1 when none matches) and the object's
    the sum of its groups', kept when every group matched. One scan and one
    aggregate, however many groups and alternatives the query has: a long
    word and its parts (执法人员; 执法 人员) are read together, not once
    each and merged."""
    table = connection.ops.quote_name(Posting._meta.db_table)
    alternatives = [
        [
            tuple(dict.fromkeys(w for w in alternative if len(w) <= MAX_TERM_LENGTH))
            for alternative in group.alternatives
        ]
        for group in groups
    ]
    words = list(
        dict.fromkeys(w for group in alternatives for alt in group for w in alt)
    )
    if not words:
        return "SELECT content_type_id ct, object_id oid, year, weight score" + (  # noqa: S608
            f" FROM {table} WHERE 1 = 0"
        ), []
    column = {word: f"w{i}" for i, word in enumerate(words)}
    # SQLite's scalar MAX is PostgreSQL's GREATEST (with -1 for "no match",
    # both agree whatever their NULL handling).
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    group_scores = []
    for group in alternatives:
        sums = [
            "COALESCE(" + " + ".join(column[w] for w in alt) + ", -1)"
            for alt in group
            if alt
        ] or ["-1"]
        group_scores.append(
            sums[0] if len(sums) == 1 else f"{greatest}({', '.join(sums)})"
        )
    per_word = ", ".join(
        f"MAX(CASE WHEN term = %s THEN weight END) {column[w]}" for w in words
    )
    marks = ", ".join(["%s"] * len(words))
    type_marks = ", ".join(["%s"] * len(types))
    scored = ", ".join(f"{score} g{i}" for i, score in enumerate(group_scores))
    if operator == "or":
        # A group that did not match (-1) adds nothing to the score.
        matched = " OR ".join(f"g{i} >= 0" for i in range(len(group_scores)))
        total = " + ".join(f"{greatest}(g{i}, 0)" for i in range(len(group_scores)))
    else:
        matched = " AND ".join(f"g{i} >= 0" for i in range(len(group_scores)))
        total = " + ".join(f"g{i}" for i in range(len(group_scores)))
    sql = (
        f"SELECT ct, oid, year, {total} score FROM ("  # noqa: S608
        f"SELECT ct, oid, year, {scored} FROM ("
        f"SELECT content_type_id ct, object_id oid, year, {per_word}"
        f" FROM {table} WHERE term IN ({marks}) AND content_type_id IN ({type_marks})"
        " GROUP BY content_type_id, object_id, year) w) g"
        f" WHERE {matched}"
    )
    return sql, [*words, *words, *types]


@dataclass
class Ranked:
    """What one statement answered: counts per (source key, year) of every
    visible match, and the requested page as (source, pk, score)."""

    counts: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)

    def total(self, key=None, year=None) -> int:
        return sum(
            n
            for (k, y), n in self.counts.items()
            if key in (None, k) and (year is None or y == year)
        )


def _visible_sql(queryset) -> tuple[str, list]:
    query = queryset.order_by().values_list("pk").query
    sql, params = query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


def ranked(
    text: str,
    sources: list,
    querysets: dict,
    *,
    key: str | None = None,
    year: int | None = None,
    offset: int = 0,
    limit: int = 10,
    counts: bool = True,
    operator: str = "and",
) -> Ranked:
    """One statement: facets (unless ``counts`` is False) and one page of
    the visible matches of ``text``, filtered by source ``key`` and
    ``year``. ``querysets`` maps each source key to its permission
    queryset; ``operator`` "or" matches an object with any word group of
    the query instead of every one."""
    groups = segment.query_groups(text)
    if not groups or not sources:
        return Ranked()
    # Sources numbered in key order: ties break by key, then newest object.
    ordered = sorted(sources, key=lambda s: s.key)
    selects, params = [], []
    for number, source in enumerate(ordered):
        # Each source matches its own content types (the posting index is
        # ordered by word, then type), so the planner sees how many rows
        # each permission filter gets and joins them by hash.
        match, match_params = match_sql(
            groups, get_descendants_content_types_pks(source.model), operator
        )
        visible, visible_params = _visible_sql(querysets[source.key])
        selects.append(
            f"SELECT {number} src, ct, oid, year, score FROM ({match}) m{number}"  # noqa: S608
            f" WHERE oid IN ({visible})"
        )
        params += [*match_params, *visible_params]
    filters, filter_params = [], []
    if key is not None:
        numbers = [n for n, s in enumerate(ordered) if s.key == key]
        filters.append(f"src = {numbers[0] if numbers else -1}")
    if year is not None:
        filters.append("year = %s")
        filter_params.append(year)
    where = f"WHERE {' AND '.join(filters)}" if filters else ""
    page = (
        f"SELECT 1 kind, src, oid, CAST(NULL AS BIGINT) n, score FROM hits"  # noqa: S608
        f" {where}"
        f" ORDER BY score DESC, src, oid DESC LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    body = f"SELECT * FROM ({page}) page"  # noqa: S608
    if counts:
        body = (
            "SELECT 0 kind, src, CAST(year AS BIGINT) oid, COUNT(*) n,"  # noqa: S608
            " CAST(NULL AS DOUBLE PRECISION) score FROM hits"
            f" GROUP BY src, year UNION ALL {body}"
        )
    sql = f"WITH hits AS MATERIALIZED ({' UNION ALL '.join(selects)}) {body}"
    result = Ranked()
    # No parallel workers for this statement (PostgreSQL): with two cores
    # and two web workers, the helpers of one search took the CPU of the
    # next request. Measured on the bench database under wrk -c8: 14 -> 20-22
    # req/s, p50 530 -> 340 ms; one client alone gives up some (p95 of the
    # 20 common terms 150 -> 184 ms in process). SET LOCAL lasts until the
    # transaction ends: the request's own, or this one.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, [*params, *filter_params])
        for kind, src, value, n, score in cursor.fetchall():
            source = ordered[src]
            if kind == 0:
                result.counts[(source.key, value)] = n
            else:
                result.rows.append((source, value, score))
    result.rows.sort(key=lambda r: (-r[2], r[0].key, -r[1]))
    return result
