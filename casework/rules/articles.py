"""The items of Art. 9-12 as data, and the determination outcomes they support.

A determination (认定) cites the exact items it rests on (Art. 9-12). The items
are not retyped here: they are parsed from the policy text shipped in
``casework/data``, so the wording cited in a decision is the wording published.

Outcomes and the items they may rest on (at least one item of the first article
named, any further items only from the articles named):

- DUTY_FULFILLED 履职尽责, no liability: Art. 9;
- EXEMPT 免责 (Art. 10 "予以免责"): Art. 10;
- LIGHTER / REDUCED 从轻、减轻处理 (Art. 10 "应当"): Art. 10, then also Art. 11;
- MITIGATION_LIGHTER / MITIGATION_REDUCED 从轻、减轻追究责任 (Art. 11 "可以"):
  Art. 11, then also Art. 10 and 12;
- NO_TOLERANCE 不予容错: Art. 12, then also Art. 10.

Art. 11 mitigates a liability that is being pursued ("积极配合问责追责调查" is
one of its items), so it may be cited together with the Art. 12 item that
excludes tolerance (reading ``art11_after_art12``); Art. 12 items never support
a tolerant outcome. Where Art. 10 facts and an Art. 12 item meet, the Art. 12
item decides, and the no-tolerance determination may state the Art. 10 facts
beside it (reading ``art12_item_decides``).

Reading ``exemption_meaning`` (本机构理解, Art. 12(5), 18, 22): 容错免责 is the
exemption (EXEMPT, 予以免责) and nothing else. 从轻/减轻 under Art. 10 and 11
keep a liability, so under Art. 18 they are "不予容错免责": they count as an
enforcement error and go to the error-liability procedure with the mitigation
recommended. :func:`effect` states this once for documents, statistics and
reporter feedback.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from django.utils.translation import gettext as _

from portal import measures, numerals

__all__ = [
    "OUTCOME_GROUPS",
    "POLICY_FILE",
    "ArticleItem",
    "Effect",
    "Outcome",
    "basis_articles",
    "chinese_numeral_to_int",
    "effect",
    "get_item",
    "int_to_chinese_numeral",
    "is_error",
    "is_exemption",
    "load_policy_items",
    "parse_code",
    "parse_items",
    "policy_text",
    "validate_basis",
]

POLICY_FILE = "licheng_measures_2025.txt"
"""The policy text, in the ``casework/data`` directory."""

#: The characters of the numerals the measure writes: 一 to 九 and 十.
_NUMERAL_CHARS = "一二三四五六七八九十"


def chinese_numeral_to_int(text: str) -> int:
    """The value of a Chinese numeral from 一 (1) to 九十九 (99).

    Accepts the forms used in article and item numbers: 九, 十, 十一, 二十, 二十四
    (and the formal 一十一); read by ``portal.numerals``, the project's one
    numeral helper. Raises ValueError for anything else.
    """
    value = text.strip()
    error = ValueError(f"not a Chinese numeral from 一 to 九十九: {text!r}")
    if not value or any(char not in _NUMERAL_CHARS for char in value):
        raise error
    try:
        number = numerals.parse(value)
    except ValueError:
        raise error from None
    if not 1 <= number <= 99:
        raise error
    return number


def int_to_chinese_numeral(number: int) -> str:
    """The Chinese numeral for 1-99, as written in article numbers (十二, 二十四)."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"number must be an int, got {number!r}")
    if not 1 <= number <= 99:
        raise ValueError(f"number must be between 1 and 99, got {number}")
    return numerals.to_chinese(number)


@dataclass(frozen=True, slots=True)
class ArticleItem:
    """One numbered item (项) of an article, e.g. Art. 12(5)."""

    article: int
    number: int
    wording: str

    @property
    def code(self) -> str:
        """The short reference used in data and forms: ``"12(5)"``."""
        return f"{self.article}({self.number})"

    @property
    def label(self) -> str:
        """The reference as written in a decision: ``"第十二条第（五）项"``."""
        article = int_to_chinese_numeral(self.article)
        number = int_to_chinese_numeral(self.number)
        return f"第{article}条第（{number}）项"

    def __str__(self) -> str:
        return f"{self.label}：{self.wording}"


def parse_items(text: str) -> dict[int, list[ArticleItem]]:
    """The numbered items （一）（二）… of every article of ``text``, by article.

    The text is read by ``portal.measures``, the project's one reader of
    measures: articles are 第X条 (Chinese or Arabic number), items are
    paragraphs starting with （一） or (一), with any spacing, full- or
    half-width brackets; a line wrapped in the middle of an item is joined to
    it. The separator ending an item (；or 。) is dropped from its wording.

    Only articles that list items appear in the result. Raises ValueError when
    an article appears twice or its items are not numbered 1, 2, 3… in order,
    since a determination citing Art. N(k) must mean exactly one item.
    """
    try:
        measure = measures.parse(text)
    except measures.NotAMeasure:
        return {}
    for problem in measure.problems:
        if problem.field == measures.model.ARTICLES and problem.code == "repeated":
            number = numerals.parse(problem.detail)
            raise ValueError(f"article {number} appears twice in the text")
    result: dict[int, list[ArticleItem]] = {}
    for article in measure.articles:
        for expected, item in enumerate(article.items, start=1):
            if item.number != expected:
                raise ValueError(
                    f"article {article.number}: expected item {expected}, "
                    f"found item {item.number}"
                )
            result.setdefault(article.number, []).append(
                ArticleItem(article.number, item.number, item.wording)
            )
    return dict(sorted(result.items()))


@functools.cache
def policy_text() -> str:
    """The policy text shipped with the casework package."""
    return (resources.files("casework") / "data" / POLICY_FILE).read_text(
        encoding="utf-8"
    )


@functools.cache
def load_policy_items() -> Mapping[int, tuple[ArticleItem, ...]]:
    """The items of the policy text (Art. 9-12), read-only and parsed once.

    Raises ValueError if any of Art. 9-12 lists no items: the outcomes below
    rest on them, so a damaged text must fail loudly rather than accept nothing.
    """
    items = parse_items(policy_text())
    missing = [a for a in _OUTCOME_ARTICLES if a not in items]
    if missing:
        raise ValueError(f"the policy text lists no items for articles {missing}")
    return MappingProxyType({a: tuple(v) for a, v in items.items()})


_CODE_RE = re.compile(r"^\s*(\d+)\s*[（(]\s*(\d+)\s*[）)]\s*$")


def parse_code(code: str) -> tuple[int, int]:
    """``"12(5)"`` (or ``"12（5）"``) as ``(12, 5)``; ValueError if malformed."""
    match = _CODE_RE.match(code) if isinstance(code, str) else None
    if not match:
        raise ValueError(f"not an item code like '9(1)': {code!r}")
    return int(match[1]), int(match[2])


def get_item(
    code: str, items: Mapping[int, Iterable[ArticleItem]] | None = None
) -> ArticleItem:
    """The item a code refers to; KeyError if the policy has no such item."""
    article, number = parse_code(code)
    items = load_policy_items() if items is None else items
    for item in items.get(article, ()):
        if item.number == number:
            return item
    raise KeyError(code)


class Outcome(enum.StrEnum):
    """The result of a determination for one person or agency (Art. 9-12)."""

    DUTY_FULFILLED = "duty_fulfilled"
    """Art. 9: duty fulfilled, no liability."""
    LIGHTER = "lighter"
    """Art. 10: shall be handled more lightly (从轻处理)."""
    REDUCED = "reduced"
    """Art. 10: shall be handled with reduced severity (减轻处理)."""
    EXEMPT = "exempt"
    """Art. 10: exempt (予以免责); not an enforcement error (Art. 18)."""
    MITIGATION_LIGHTER = "mitigation_lighter"
    """Art. 11: liability may be pursued more lightly (从轻追究责任)."""
    MITIGATION_REDUCED = "mitigation_reduced"
    """Art. 11: liability may be reduced (减轻追究责任)."""
    NO_TOLERANCE = "no_tolerance"
    """Art. 12: no tolerance; error liability is pursued (Art. 18)."""

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` pairs, e.g. for a model field's choices."""
        return [(member.value, member.label) for member in cls]


OUTCOME_LABELS: Mapping[Outcome, str] = MappingProxyType(
    {
        Outcome.DUTY_FULFILLED: "履职尽责",
        Outcome.LIGHTER: "从轻处理",
        Outcome.REDUCED: "减轻处理",
        Outcome.EXEMPT: "免责",
        Outcome.MITIGATION_LIGHTER: "从轻追究责任",
        Outcome.MITIGATION_REDUCED: "减轻追究责任",
        Outcome.NO_TOLERANCE: "不予容错",
    }
)


@dataclass(frozen=True, slots=True)
class _Basis:
    required: int
    allowed: frozenset[int]


_BASIS: Mapping[Outcome, _Basis] = MappingProxyType(
    {
        Outcome.DUTY_FULFILLED: _Basis(9, frozenset({9})),
        Outcome.EXEMPT: _Basis(10, frozenset({10})),
        Outcome.LIGHTER: _Basis(10, frozenset({10, 11})),
        Outcome.REDUCED: _Basis(10, frozenset({10, 11})),
        Outcome.MITIGATION_LIGHTER: _Basis(11, frozenset({10, 11, 12})),
        Outcome.MITIGATION_REDUCED: _Basis(11, frozenset({10, 11, 12})),
        Outcome.NO_TOLERANCE: _Basis(12, frozenset({10, 12})),
    }
)
_OUTCOME_ARTICLES = (9, 10, 11, 12)


def _article_label(article: int) -> str:
    return f"第{int_to_chinese_numeral(article)}条"


def basis_articles(outcome: str) -> tuple[int, tuple[int, ...]]:
    """The article an ``outcome`` must rest on and every article whose items
    may support it (the table above), the required one first; ValueError for
    an unknown outcome. The determination form brings these items forward."""
    basis = _BASIS[Outcome(outcome)]
    others = sorted(basis.allowed - {basis.required})
    return basis.required, (basis.required, *others)


def validate_basis(
    outcome: str,
    item_codes: Iterable[str],
    *,
    items: Mapping[int, Iterable[ArticleItem]] | None = None,
) -> list[str]:
    """Why the cited items cannot support ``outcome``; empty when they can.

    Art. 9-12: every outcome rests on at least one item of its own article, and
    may cite only the articles in the table of this module; Art. 12 items
    exclude tolerance and never support a tolerant outcome. ``items`` defaults
    to the policy's items. Returns messages in Chinese, for the form.
    """
    try:
        outcome = Outcome(outcome)
    except ValueError:
        return [_("Unknown outcome: %(outcome)s") % {"outcome": outcome}]
    items = load_policy_items() if items is None else items
    basis = _BASIS[outcome]
    required = _article_label(basis.required)
    codes = list(dict.fromkeys(item_codes))
    if not codes:
        return [
            _("The outcome “%(outcome)s” must cite the case of %(article)s it rests on")
            % {"outcome": outcome.label, "article": required}
        ]

    errors: list[str] = []
    cited: list[ArticleItem] = []
    for code in codes:
        try:
            cited.append(get_item(code, items))
        except ValueError:
            errors.append(
                _("Unrecognised article item code: %(code)s") % {"code": code}
            )
        except KeyError:
            article, number = parse_code(code)
            if 1 <= article <= 99 and 1 <= number <= 99:
                errors.append(
                    _("%(article)s has no item (%(item)s)")
                    % {
                        "article": _article_label(article),
                        "item": int_to_chinese_numeral(number),
                    }
                )
            else:
                errors.append(
                    _("Unrecognised article item code: %(code)s") % {"code": code}
                )
    if errors:
        return errors

    for item in cited:
        if item.article in basis.allowed:
            continue
        if item.article == 12:
            errors.append(
                _(
                    "%(item)s is a case excluding tolerance and cannot support"
                    " “%(outcome)s”"
                )
                % {"item": item.label, "outcome": outcome.label}
            )
        else:
            allowed = "、".join(_article_label(a) for a in sorted(basis.allowed))
            errors.append(
                _(
                    "%(item)s cannot support “%(outcome)s” (only %(allowed)s can be"
                    " cited)"
                )
                % {"item": item.label, "outcome": outcome.label, "allowed": allowed}
            )
    if not any(item.article == basis.required for item in cited):
        errors.append(
            _("The outcome “%(outcome)s” must cite at least one case of %(article)s")
            % {"outcome": outcome.label, "article": required}
        )
    return errors


class Effect(enum.StrEnum):
    """What an outcome does under Art. 18 (reading ``exemption_meaning``)."""

    NO_LIABILITY = "no_liability"
    """Art. 9: duty fulfilled; no liability, not an enforcement error."""
    EXEMPTED = "exempted"
    """容错免责 (Art. 10 予以免责): not an enforcement error (Art. 18 para. 1)."""
    LIABILITY_MITIGATED = "liability_mitigated"
    """不予容错免责 with 从轻/减轻 recommended: error liability (Art. 18 para. 3)."""
    LIABILITY = "liability"
    """不予容错 (Art. 12): error liability (Art. 18 para. 3)."""


_EFFECTS: Mapping[Outcome, Effect] = MappingProxyType(
    {
        Outcome.DUTY_FULFILLED: Effect.NO_LIABILITY,
        Outcome.EXEMPT: Effect.EXEMPTED,
        Outcome.LIGHTER: Effect.LIABILITY_MITIGATED,
        Outcome.REDUCED: Effect.LIABILITY_MITIGATED,
        Outcome.MITIGATION_LIGHTER: Effect.LIABILITY_MITIGATED,
        Outcome.MITIGATION_REDUCED: Effect.LIABILITY_MITIGATED,
        Outcome.NO_TOLERANCE: Effect.LIABILITY,
    }
)


def effect(outcome: str) -> Effect:
    """The Art. 18 effect of ``outcome``; ValueError for an unknown outcome."""
    return _EFFECTS[Outcome(outcome)]


OUTCOME_GROUPS: tuple[tuple[str, tuple[Outcome, ...]], ...] = (
    ("履职尽责", (Outcome.DUTY_FULFILLED,)),
    ("免责", (Outcome.EXEMPT,)),
    ("减轻", (Outcome.REDUCED, Outcome.MITIGATION_REDUCED)),
    ("从轻", (Outcome.LIGHTER, Outcome.MITIGATION_LIGHTER)),
    ("不予容错", (Outcome.NO_TOLERANCE,)),
)
"""The five outcome categories the office counts (Art. 9-12), Art. 11
mitigation with the Art. 10 outcome of the same effect: one list for the
periodic report (casework.reports) and the public statistics page
(publishing.statistics), so the two never disagree."""


def is_exemption(outcome: str) -> bool:
    """Whether ``outcome`` is 容错免责 (reading ``exemption_meaning``): only
    予以免责. What Art. 12(5) looks back to, what Art. 22 feeds back as
    "经认定予以容错免责" and what statistics count as exempted."""
    return effect(outcome) == Effect.EXEMPTED


def is_error(outcome: str) -> bool:
    """Whether the outcome counts as an enforcement error (Art. 18).

    Art. 18 has two outcomes: 容错免责, not an enforcement error, and 不予容错免责,
    which goes to the error-liability procedure. Under the reading
    ``exemption_meaning`` only an exemption (and a finding that the duty was
    fulfilled, Art. 9) is not an error; 从轻/减轻 (Art. 10, 11) keep the liability,
    with the mitigation recommended. Raises ValueError for an unknown outcome.
    """
    return effect(outcome) in {Effect.LIABILITY, Effect.LIABILITY_MITIGATED}
