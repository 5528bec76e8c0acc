"""Art. 12(5): repeated mistakes, as a finding the office records.

第十二条第（五）项 excludes tolerance for "因主观原因在同一问题上重复出现失误、错误
或者给予容错免责处理后再次出现同样失误、错误的". Two limbs (reading
``art12_5_limbs``):

- SAME_PROBLEM: the mistake is repeated on the same problem for subjective
  reasons;
- AFTER_EXEMPTION: the same mistake is made again after an exemption was given,
  so the new error occurred after the earlier exemption decision.

The system shows the person's earlier determinations (the error type is a hint,
not the test); whether a limb applies is the office's finding, with reasons.
Where it applies no Art. 10 outcome and no exemption is possible, and the
determination rests on Art. 12(5); Art. 11 mitigation stays open (reading
``art11_after_art12``). Nobody overrides the finding: it is the finding.

Pure: the caller passes plain values.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from casework.rules.articles import Outcome
from casework.rules.provenance import Article, OfficeRule, Reading, sourced

__all__ = [
    "ALLOWED_WHEN_FOUND",
    "ART12_5",
    "EarlierDetermination",
    "RepeatFinding",
    "finding_problems",
]

ART12_5 = "12(5)"


class RepeatFinding(enum.StrEnum):
    """The office's finding on Art. 12(5) for one person."""

    NOT_APPLICABLE = "not_applicable"
    SAME_PROBLEM = "same_problem"
    AFTER_EXEMPTION = "after_exemption"

    @property
    def label(self) -> str:
        return FINDING_LABELS[self]

    @property
    def applies(self) -> bool:
        return self is not RepeatFinding.NOT_APPLICABLE

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


FINDING_LABELS: Mapping[RepeatFinding, str] = MappingProxyType(
    {
        RepeatFinding.NOT_APPLICABLE: "不适用第十二条第（五）项",
        RepeatFinding.SAME_PROBLEM: "因主观原因在同一问题上重复出现失误、错误",
        RepeatFinding.AFTER_EXEMPTION: "给予容错免责处理后再次出现同样失误、错误",
    }
)

ALLOWED_WHEN_FOUND = frozenset(
    {Outcome.NO_TOLERANCE, Outcome.MITIGATION_LIGHTER, Outcome.MITIGATION_REDUCED}
)
"""Where a limb applies: no tolerance, or Art. 11 mitigation of the liability."""


@dataclass(frozen=True, slots=True)
class EarlierDetermination:
    """One earlier determination of the same person, shown to the office."""

    case_number: str
    outcome: str
    error_type: str
    decided_on: datetime.date
    exempted: bool


def finding_problems(
    *,
    outcome: str,
    basis: Iterable[str],
    finding: str,
    reasons: str,
    conduct_on: datetime.date | None,
    earlier: Iterable[EarlierDetermination],
    finding_required: bool,
) -> list[str]:
    """Why this Art. 12(5) finding cannot stand with ``outcome`` and ``basis``.

    ``finding_required`` is the office rule ``repeat_finding_required``: the
    office answers the question whenever the person has earlier
    determinations. Messages in Chinese, each naming its source.
    """
    earlier = list(earlier)
    codes = set(basis)
    errors: list[str] = []
    if not finding:
        if earlier and finding_required:
            errors.append(
                sourced(
                    OfficeRule("repeat_finding_required"),
                    "该人员有既往认定，请认定其是否属于重复出现失误、错误的情形并说明理由",
                )
            )
        if ART12_5 in codes:
            errors.append(
                sourced(
                    Article(12, 5),
                    "引用第十二条第（五）项的，须认定属于其中哪一种情形并说明理由",
                )
            )
        return errors
    try:
        found = RepeatFinding(finding)
    except ValueError:
        return ["请选择第十二条第（五）项的认定。"]
    if (found.applies or earlier) and not reasons.strip():
        errors.append(
            sourced(
                Reading("art12_5_limbs"),
                "是否属于第十二条第（五）项的情形，须写明认定理由",
            )
        )
    if not found.applies:
        if ART12_5 in codes:
            errors.append(
                sourced(
                    Article(12, 5),
                    "已认定不属于第十二条第（五）项情形，不能再引用该项",
                )
            )
        return errors
    if Outcome(outcome) not in ALLOWED_WHEN_FOUND:
        errors.append(
            sourced(
                Article(12, 5),
                f"已认定属于“{found.label}”的情形，不予容错，"
                f"不能认定为“{Outcome(outcome).label}”；可以认定不予容错，"
                "或者依第十一条从轻、减轻追究责任",
            )
        )
    if ART12_5 not in codes:
        errors.append(sourced(Article(12, 5), "已认定属于该项情形，认定依据须引用该项"))
    if found is RepeatFinding.AFTER_EXEMPTION:
        exemptions = [e for e in earlier if e.exempted]
        if not exemptions:
            errors.append(
                sourced(
                    Article(12, 5),
                    "该人员没有既往的容错免责认定，不属于“给予容错免责处理后再次出现”的情形",
                )
            )
        elif conduct_on is None:
            errors.append(
                sourced(
                    Reading("art12_5_limbs"),
                    "请填写本次失误、错误发生的日期，以判断是否发生在前次免责决定之后",
                )
            )
        elif not any(e.decided_on < conduct_on for e in exemptions):
            first = min(e.decided_on for e in exemptions)
            errors.append(
                sourced(
                    Reading("art12_5_limbs"),
                    f"本次失误发生于{conduct_on.year}年{conduct_on.month}月"
                    f"{conduct_on.day}日，不晚于前次免责决定"
                    f"（{first.year}年{first.month}月{first.day}日），"
                    "不属于免责后“再次出现”的情形",
                )
            )
    return errors
