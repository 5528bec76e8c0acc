"""One reader of published measures, for the whole project.

A measure (办法, 规定, 细则, 条例, 决定…) is published as plain text in one of
a few forms: attached to a covering notice (关于印发…的通知, with its
document number 济历城政发〔2025〕1号), promulgated by a government order
(山东省人民政府令 第N号, a promulgation paragraph, the governor's name and
the date, in Chinese numerals in older ones), announced by a people's
congress standing committee (公告), headed by its adoption and amendment
history, or bare. Its body is 第X章 chapters, 第X节 sections, 第X条 articles,
their paragraphs and （一） items; a decision may instead be written as
points 一、二、.

:func:`parse` reads all of them into a :class:`~portal.measures.model.Measure`.
It does not refuse a text for a field it cannot find: it records a
:class:`~portal.measures.model.Problem` naming the field, so that the text
can still be imported as a draft for an editor. It refuses (:class:`NotAMeasure`)
only a text with no article and no point at all.

Pure Python, no framework: ``casework.rules`` (the items of Art. 9-12), the
policy importer of ``publishing`` and the search's tokeniser
(:data:`~portal.measures.text.REFERENCE_RE`) all read measures through it.
"""

from __future__ import annotations

from . import model
from .cover import read_cover, read_validity
from .dates import parse_date
from .model import Article, Item, Measure, Problem
from .structure import first_points, is_heading, read_articles, read_points
from .text import REFERENCE_RE, normalize_line, reference_token

__all__ = [
    "REFERENCE_RE",
    "Article",
    "Item",
    "Measure",
    "NotAMeasure",
    "Problem",
    "model",
    "parse",
    "parse_date",
    "reference_token",
]


class NotAMeasure(ValueError):
    """The text has no article (第X条) and no point (一、二、): nothing in it
    can be imported as a measure."""


def parse(text: str) -> Measure:
    """Read a measure's plain text. Never raises for a missing field (see
    ``Measure.problems``); raises :class:`NotAMeasure` for a text without
    articles or points."""
    lines = [normalize_line(raw) for raw in (text or "").splitlines()]
    measure = Measure()
    start = next((i for i, line in enumerate(lines) if is_heading(line)), None)
    if start is not None:
        cover = [line for line in lines[:start] if line]
        read_cover(cover, measure)
        read_articles(lines[start:], measure)
    else:
        start = first_points(lines)
        if start is None:
            raise NotAMeasure("no article or point")
        cover = [line for line in lines[:start] if line]
        read_cover(cover, measure)
        extra, _trailer = read_points(lines[start:], measure)
        measure.lead = "\n".join(filter(None, [measure.lead, *extra]))
        if measure.form != model.DECISION and measure.title.endswith("决定"):
            measure.form = model.DECISION
    read_validity(measure, "\n".join(cover))
    if not measure.articles:
        raise NotAMeasure("no article or point")
    _record_missing(measure)
    return measure


def _record_missing(measure: Measure) -> None:
    for name in (model.TITLE, model.ISSUING_BODY, model.ISSUE_DATE):
        if not getattr(measure, name):
            measure.problems.append(Problem(name, "missing"))
