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

from django.utils.translation import gettext as _

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
                    _(
                        "This person has earlier determinations: please find whether"
                        " this is a repeated slip or error, and give reasons"
                    ),
                )
            )
        if ART12_5 in codes:
            errors.append(
                sourced(
                    Article(12, 5),
                    _(
                        "Citing Art. 12(5) needs a finding of which of its cases"
                        " applies, with reasons"
                    ),
                )
            )
        return errors
    try:
        found = RepeatFinding(finding)
    except ValueError:
        return [_("Please choose the finding on Art. 12(5).")]
    if (found.applies or earlier) and not reasons.strip():
        errors.append(
            sourced(
                Reading("art12_5_limbs"),
                _("Whether Art. 12(5) applies needs written reasons"),
            )
        )
    if not found.applies:
        if ART12_5 in codes:
            errors.append(
                sourced(
                    Article(12, 5),
                    _("Art. 12(5) was found not to apply; it cannot be cited"),
                )
            )
        return errors
    if Outcome(outcome) not in ALLOWED_WHEN_FOUND:
        errors.append(
            sourced(
                Article(12, 5),
                _(
                    "The case “%(finding)s” was found, which excludes tolerance;"
                    " the outcome cannot be “%(outcome)s”. It can be no tolerance,"
                    " or liability pursued more lightly or reduced under Art. 11"
                )
                % {"finding": found.label, "outcome": Outcome(outcome).label},
            )
        )
    if ART12_5 not in codes:
        errors.append(
            sourced(
                Article(12, 5),
                _("The item was found to apply; the basis must cite it"),
            )
        )
    if found is RepeatFinding.AFTER_EXEMPTION:
        exemptions = [e for e in earlier if e.exempted]
        if not exemptions:
            errors.append(
                sourced(
                    Article(12, 5),
                    _(
                        "This person has no earlier exemption, so this is not a case"
                        " of “recurring after an exemption was granted”"
                    ),
                )
            )
        elif conduct_on is None:
            errors.append(
                sourced(
                    Reading("art12_5_limbs"),
                    _(
                        "Please enter the date of this slip or error, to tell whether"
                        " it came after the earlier exemption decision"
                    ),
                )
            )
        elif not any(e.decided_on < conduct_on for e in exemptions):
            first = min(e.decided_on for e in exemptions)
            errors.append(
                sourced(
                    Reading("art12_5_limbs"),
                    _(
                        "This slip occurred on %(year)s-%(month)s-%(day)s, not after"
                        " the earlier exemption decision (%(first_year)s-"
                        "%(first_month)s-%(first_day)s), so it does not “recur”"
                        " after an exemption"
                    )
                    % {
                        "year": conduct_on.year,
                        "month": conduct_on.month,
                        "day": conduct_on.day,
                        "first_year": first.year,
                        "first_month": first.month,
                        "first_day": first.day,
                    },
                )
            )
    return errors
