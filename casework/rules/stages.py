"""The six stages of a supervision case and the guards on moving between them.

Art. 14: 立案 → 核实 → 认定 → 反馈 → 纠错 → 归档. Permitted transitions:

- filed → verifying: the investigation starts;
- verifying → determined: the investigation is complete (guarded, Art. 15, 16);
- determined → verifying: the determination sends the case back for further
  investigation, possible only before anyone is notified;
- determined → notified: every person concerned has a determination and the
  decision is being served (guarded, Art. 17);
- notified → correcting: the decision requires corrections (Art. 20);
- notified → archived: no correction is required (guarded, Art. 19);
- correcting → archived: every correction is verified complete (Art. 20);
- notified / correcting → determined: a review changed the result (Art. 19), so
  the case is determined again and the new decision served again.

Archived is final. The guards read a :class:`CaseFacts` snapshot that the
service layer builds from the database, so the rules stay free of the ORM.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType

from django.utils.translation import gettext as _

from casework.rules.provenance import Article, OfficeRule, sourced

__all__ = [
    "MIN_INVESTIGATORS",
    "STAGE_LABELS",
    "TRANSITIONS",
    "CaseFacts",
    "Stage",
    "available_stages",
    "check_transition",
    "next_stages",
]

MIN_INVESTIGATORS = 2
"""Art. 16: an investigation is carried out by no fewer than two people."""


class Stage(enum.StrEnum):
    """A stage of the procedure (Art. 14), in order."""

    FILED = "filed"
    VERIFYING = "verifying"
    DETERMINED = "determined"
    NOTIFIED = "notified"
    CORRECTING = "correcting"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` pairs, e.g. for a model field's choices."""
        return [(member.value, member.label) for member in cls]


STAGE_LABELS: Mapping[Stage, str] = MappingProxyType(
    {
        Stage.FILED: "立案",
        Stage.VERIFYING: "核实",
        Stage.DETERMINED: "认定",
        Stage.NOTIFIED: "反馈",
        Stage.CORRECTING: "纠错",
        Stage.ARCHIVED: "归档",
    }
)

TRANSITIONS: Mapping[Stage, tuple[Stage, ...]] = MappingProxyType(
    {
        Stage.FILED: (Stage.VERIFYING,),
        Stage.VERIFYING: (Stage.DETERMINED,),
        Stage.DETERMINED: (Stage.NOTIFIED, Stage.VERIFYING),
        Stage.NOTIFIED: (Stage.CORRECTING, Stage.ARCHIVED, Stage.DETERMINED),
        Stage.CORRECTING: (Stage.ARCHIVED, Stage.DETERMINED),
        Stage.ARCHIVED: (),
    }
)
"""The stages each stage may move to, the usual next step first (Art. 14)."""


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the transition guards need to know about one case, as plain values.

    "Officers" are the persons concerned by the case (被调查人); where the case
    concerns an agency as such, the service counts it as one more party.

    - ``active_investigator_count``: assigned investigators not recused (Art. 16);
    - ``officers_with_statement``: officers whose statement and defense
      (陈述申辩) is recorded (Art. 16);
    - ``officers_determined``: officers with a determination (Art. 9-12);
    - ``pending_appraisal``: a commissioned appraisal is still running (Art. 16);
    - ``hearing_pending``: a hearing was ordered and not yet held (Art. 14);
    - ``transfer_pending``: the case is with the agency for self-investigation
      and its result is not yet filed (Art. 15);
    - ``notifications_done``: the decision has been served on every unit and
      party (Art. 17);
    - ``correction_required``: the decision requires corrections (Art. 20);
    - ``corrections_open``: correction items not yet verified complete (Art. 20);
    - ``review_pending``: a review request awaits its decision (Art. 19);
    - ``review_window_open``: a review may still be requested (Art. 19);
    - ``review_changed_result``: a review decision changed the result (Art. 19);
    - ``archive_missing``: names of the documents the archive still lacks;
    - ``act_finding_missing``: whether the enforcement act under review is
      lawful, unlawful or improper is not yet recorded (office rule
      ``act_finding_before_archive``);
    - ``opinion_letter_missing``: the act was found unlawful or improper and
      the opinion letter is not yet issued (Art. 18 para. 2).

    ``review_window_open`` is only set where the office rule
    ``archive_after_review_window`` is on: the measure does not bar archiving
    during the window, the office does.
    """

    stage: Stage
    active_investigator_count: int = 0
    officers_total: int = 0
    officers_with_statement: int = 0
    officers_determined: int = 0
    pending_appraisal: bool = False
    hearing_pending: bool = False
    transfer_pending: bool = False
    notifications_done: bool = False
    correction_required: bool = False
    corrections_open: int = 0
    review_pending: bool = False
    review_window_open: bool = False
    review_changed_result: bool = False
    archive_missing: tuple[str, ...] = ()
    act_finding_missing: bool = False
    opinion_letter_missing: bool = False

    def __post_init__(self) -> None:
        # Frozen: normalise through object.__setattr__, once, at construction.
        object.__setattr__(self, "stage", Stage(self.stage))
        if isinstance(self.archive_missing, str):
            raise TypeError("archive_missing must be a list of names, not a str")
        object.__setattr__(self, "archive_missing", tuple(self.archive_missing))
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type == "int":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise TypeError(f"{field.name} must be an int, got {value!r}")
                if value < 0:
                    raise ValueError(f"{field.name} must be >= 0, got {value}")


def _verification_complete(facts: CaseFacts) -> list[str]:
    """Leaving 核实 (Art. 14-16)."""
    errors = []
    if facts.active_investigator_count < MIN_INVESTIGATORS:
        errors.append(
            sourced(
                Article(16),
                _(
                    "An investigation needs at least two investigators; there are"
                    " %(count)s who have not recused themselves"
                )
                % {"count": facts.active_investigator_count},
            )
        )
    if facts.officers_total < 1:
        errors.append(
            _("No person concerned is registered; there is nobody to determine")
        )
    missing = facts.officers_total - facts.officers_with_statement
    if missing > 0:
        errors.append(
            sourced(
                Article(16),
                _(
                    "The statements and defence of the persons concerned must be"
                    " fully heard; %(missing)s are not yet recorded"
                )
                % {"missing": missing},
            )
        )
    # Art. 14-16 provide appraisals, hearings and transfers but do not say
    # they must end before the determination: the office waits for their
    # results rather than deciding without them.
    complete_first = OfficeRule("complete_before_determination")
    if facts.pending_appraisal:
        errors.append(
            sourced(
                complete_first,
                _("The commissioned appraisal (evaluation, testing) is not finished"),
            )
        )
    if facts.hearing_pending:
        errors.append(
            sourced(complete_first, _("The hearing decided on has not been held yet"))
        )
    if facts.transfer_pending:
        errors.append(
            sourced(
                complete_first,
                _(
                    "The case was transferred to the enforcement agency; its handling"
                    " result has not been filed yet"
                ),
            )
        )
    return errors


def _determination_complete(facts: CaseFacts) -> list[str]:
    """Moving to 反馈: a decision for everyone concerned (Art. 17, 18)."""
    errors = []
    if facts.officers_total < 1:
        errors.append(
            _("No person concerned is registered; there is nobody to determine")
        )
    missing = facts.officers_total - facts.officers_determined
    if missing > 0:
        errors.append(
            _("%(missing)s persons concerned have no determination yet")
            % {"missing": missing}
        )
    return errors


def _notified(facts: CaseFacts) -> list[str]:
    if facts.notifications_done:
        return []
    return [
        sourced(
            Article(17),
            _(
                "The decision has not yet been notified to all the units and"
                " parties concerned"
            ),
        )
    ]


def _start_correction(facts: CaseFacts) -> list[str]:
    """Moving to 纠错: the served decision requires corrections (Art. 20)."""
    errors = _notified(facts)
    if not facts.correction_required:
        errors.append(
            _(
                "The decision requires no correction; the case need not enter the"
                " correction stage and can be archived directly"
            )
        )
    return errors


def _archivable(facts: CaseFacts) -> list[str]:
    """Any move to 归档: no review can still change the result (Art. 19)."""
    errors = []
    if facts.review_pending:
        errors.append(
            sourced(
                Article(19),
                _("A review request has no review decision yet; it must be decided"),
            )
        )
    if facts.review_window_open:
        errors.append(
            sourced(
                OfficeRule("archive_after_review_window"),
                _(
                    "The 15-day window to request a review from receipt of the"
                    " decision has not expired; the case can be archived after it"
                ),
            )
        )
    if facts.archive_missing:
        errors.append(
            _("The archive file is incomplete; missing: %(missing)s")
            % {"missing": "、".join(facts.archive_missing)}
        )
    if facts.act_finding_missing:
        errors.append(
            sourced(
                OfficeRule("act_finding_before_archive"),
                _(
                    "It is not yet found whether the supervised enforcement act is"
                    " unlawful or improper"
                ),
            )
        )
    if facts.opinion_letter_missing:
        errors.append(
            sourced(
                Article(18),
                _(
                    "The supervised enforcement act was found unlawful or improper;"
                    " an administrative law enforcement supervision opinion must be"
                    " issued and has not been"
                ),
            )
        )
    return errors


def _archive_without_correction(facts: CaseFacts) -> list[str]:
    """反馈 → 归档: served, and no correction required (Art. 17, 20)."""
    errors = _notified(facts)
    if facts.correction_required:
        errors.append(
            sourced(
                Article(20),
                _(
                    "The decision requires corrections; the case must first enter"
                    " the correction stage"
                ),
            )
        )
    return errors + _archivable(facts)


def _archive_after_correction(facts: CaseFacts) -> list[str]:
    """纠错 → 归档: every correction verified complete (Art. 20, 21)."""
    errors = []
    if facts.corrections_open:
        errors.append(
            sourced(
                Article(20),
                _("%(open)s corrections are not yet verified complete")
                % {"open": facts.corrections_open},
            )
        )
    return errors + _archivable(facts)


def _reopen(facts: CaseFacts) -> list[str]:
    """Back to 认定 when a review changed the result (Art. 19)."""
    if facts.review_changed_result:
        return []
    return [
        sourced(
            OfficeRule("reopen_only_by_review"),
            _(
                "A new determination is made only when a review decision changes"
                " the result"
            ),
        )
    ]


def _no_guard(facts: CaseFacts) -> list[str]:
    return []


_GUARDS: Mapping[tuple[Stage, Stage], Callable[[CaseFacts], list[str]]] = (
    MappingProxyType(
        {
            (Stage.FILED, Stage.VERIFYING): _no_guard,
            (Stage.VERIFYING, Stage.DETERMINED): _verification_complete,
            (Stage.DETERMINED, Stage.VERIFYING): _no_guard,
            (Stage.DETERMINED, Stage.NOTIFIED): _determination_complete,
            (Stage.NOTIFIED, Stage.CORRECTING): _start_correction,
            (Stage.NOTIFIED, Stage.ARCHIVED): _archive_without_correction,
            (Stage.NOTIFIED, Stage.DETERMINED): _reopen,
            (Stage.CORRECTING, Stage.ARCHIVED): _archive_after_correction,
            (Stage.CORRECTING, Stage.DETERMINED): _reopen,
        }
    )
)


def next_stages(stage: str) -> list[Stage]:
    """The stages a case in ``stage`` may move to (Art. 14); ValueError if unknown."""
    return list(TRANSITIONS[Stage(stage)])


def check_transition(facts: CaseFacts, target: str) -> list[str]:
    """Why the case cannot move to ``target``; an empty list means it may.

    Checks that the move is a permitted transition (Art. 14), then that case's
    guard: Art. 15 and 16 for leaving 核实, Art. 17 for serving the decision,
    Art. 19 for archiving and reopening, Art. 20 for corrections. Messages are
    in Chinese, for the user.
    """
    try:
        target = Stage(target)
    except ValueError:
        return [_("Unknown case stage: %(stage)s") % {"stage": target}]
    source = facts.stage
    if target == source:
        return [
            _("The case is already at the “%(stage)s” stage") % {"stage": source.label}
        ]
    if target not in TRANSITIONS[source]:
        if not TRANSITIONS[source]:
            return [
                _("The case is %(stage)s; its stage can no longer change")
                % {"stage": source.label}
            ]
        allowed = "、".join(
            _("“%(stage)s”") % {"stage": s.label} for s in TRANSITIONS[source]
        )
        return [
            _(
                "A case cannot move directly from the “%(source)s” stage to the"
                " “%(target)s” stage (it can move to %(allowed)s)"
            )
            % {"source": source.label, "target": target.label, "allowed": allowed}
        ]
    return _GUARDS[(source, target)](facts)


def available_stages(facts: CaseFacts) -> list[Stage]:
    """The stages the case may move to now, all guards passed."""
    return [s for s in TRANSITIONS[facts.stage] if not check_transition(facts, s)]


def _check_guards_complete(pairs: Iterable[tuple[Stage, Stage]]) -> None:
    # Every permitted transition must have a guard, even an empty one, so that
    # adding a transition without deciding its guard fails at import.
    expected = {(s, t) for s, targets in TRANSITIONS.items() for t in targets}
    if set(pairs) != expected:
        raise RuntimeError("TRANSITIONS and _GUARDS disagree")


_check_guards_complete(_GUARDS)
