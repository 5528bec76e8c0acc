"""Where each rule of the casework engine comes from.

Every refusal, warning and automatic effect names one of three sources:

- :class:`Article` — the measure itself, cited by article and, where the text
  lists items, by item. Cited only where the article's text says it.
- :class:`OfficeRule` — a choice the measure leaves to the office
  (本机构工作规则). Each is described once in :data:`OFFICE_RULES` (title,
  default, reason, the article whose silence leaves the room); its current value
  is the setting ``CASEWORK_OFFICE_RULES[key]``. Messages say "依本机构工作规则"
  and never cite an article.
- :class:`Reading` — the office's reading of words the text leaves open
  (本机构理解), listed in :data:`READINGS` with the article it reads. The
  district justice bureau interprets the measure (Art. 23): a reading gives way
  as soon as the bureau rules.

Pure: no ORM, no settings. ``casework.office_rules`` reads the current values.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.rules.articles import int_to_chinese_numeral, parse_items
from portal import measures

__all__ = [
    "INTERPRETATION_NOTE",
    "OFFICE_RULES",
    "READINGS",
    "Article",
    "OfficeRule",
    "OfficeRuleSpec",
    "Reading",
    "ReadingSpec",
    "article_exists",
    "cite",
    "sourced",
]

INTERPRETATION_NOTE = _(
    "This measure is interpreted by the district justice bureau (Art. 23). Where"
    " the bureau has interpreted it, its interpretation prevails and the office's"
    " reading lapses."
)


@dataclass(frozen=True, slots=True)
class Article:
    """Art. ``number``, item ``item`` of the measure (item None: the article)."""

    number: int
    item: int | None = None

    @property
    def label(self) -> str:
        text = f"第{int_to_chinese_numeral(self.number)}条"
        if self.item is not None:
            text += f"第（{int_to_chinese_numeral(self.item)}）项"
        return text

    @property
    def code(self) -> str:
        return str(self.number) if self.item is None else f"{self.number}({self.item})"


@dataclass(frozen=True, slots=True)
class OfficeRule:
    """An office rule (本机构工作规则), by its key in :data:`OFFICE_RULES`."""

    key: str

    @property
    def spec(self) -> OfficeRuleSpec:
        return OFFICE_RULES[self.key]


@dataclass(frozen=True, slots=True)
class Reading:
    """A reading (本机构理解), by its key in :data:`READINGS`."""

    key: str

    @property
    def spec(self) -> ReadingSpec:
        return READINGS[self.key]


Source = Article | OfficeRule | Reading


@dataclass(frozen=True, slots=True)
class OfficeRuleSpec:
    """One office rule: what it decides, its default and why.

    ``leaves_room`` is the article whose silence leaves the choice to the
    office; ``kind`` says what the head can change: ``"switch"`` (on/off),
    ``"number"`` (a count of days or requests) or ``"fixed"`` (a working
    method the engine is built on, listed so it is seen, not switched).
    ``title_message`` and ``reason_message`` are catalogue messages (lazy);
    ``title`` and ``reason`` give them in the active language as plain str.
    """

    key: str
    title_message: str
    default: bool | int | str
    reason_message: str
    leaves_room: Article
    kind: str = "switch"

    @property
    def title(self) -> str:
        return str(self.title_message)

    @property
    def reason(self) -> str:
        return str(self.reason_message)


@dataclass(frozen=True, slots=True)
class ReadingSpec:
    """One reading: the words it reads, where, and how the office reads them.

    ``text_message`` is a catalogue message; where it quotes the measure the
    quotation is ``quote``, kept out of the catalogue (it is the law's own
    words) and put in for ``%(quote)s``. ``title`` and ``text`` are plain str
    in the active language.
    """

    key: str
    title_message: str
    articles: tuple[Article, ...]
    text_message: str
    quote: str = ""

    @property
    def title(self) -> str:
        return str(self.title_message)

    @property
    def text(self) -> str:
        if self.quote:
            return str(self.text_message) % {"quote": self.quote}
        return str(self.text_message)


def _rules(*specs: OfficeRuleSpec) -> Mapping[str, OfficeRuleSpec]:
    return MappingProxyType({spec.key: spec for spec in specs})


OFFICE_RULES: Mapping[str, OfficeRuleSpec] = _rules(
    OfficeRuleSpec(
        "calendar_days",
        _("Periods are counted in calendar days"),
        "自然日",
        _(
            "The measure's periods do not say working or calendar days; where a "
            "law means working days it says so (e.g. Art. 85 of the Administrative "
            "Penalty Law), so the office counts calendar days: the first day is "
            "not counted, and an end on a statutory holiday moves to the first "
            "working day after it (Art. 201 to 203 of the Civil Code)."
        ),
        Article(17),
        kind="fixed",
    ),
    OfficeRuleSpec(
        "extension_requests_max",
        _("Number of requests to extend the time limit"),
        1,
        _(
            "Art. 17 caps extensions at 30 days in total but not the number of "
            "requests. By default the office approves one extension per case, so "
            "the head reviews every complication at once; changing the number does "
            "not change the 30-day cap."
        ),
        Article(17),
        kind="number",
    ),
    OfficeRuleSpec(
        "review_decider_independent",
        _("The review decider is not who investigated, determined or signed"),
        True,
        _(
            "Art. 19 does not say who decides a review. A review means something "
            "only when made by someone who did not investigate, determine or sign, "
            "and it avoids reviewing one's own work."
        ),
        Article(19),
    ),
    OfficeRuleSpec(
        "reopened_decision_days",
        _("Time limit (days) to determine again after a review changed the result"),
        30,
        _(
            "Art. 19 sets no time limit to determine again after a review changed "
            "the result. The office follows the 30 days of Art. 17, counted from "
            "the day the determination restarts."
        ),
        Article(19),
        kind="number",
    ),
    OfficeRuleSpec(
        "archive_after_review_window",
        _("Archive only after the review request window has expired"),
        True,
        _(
            "Art. 19 allows a review to be requested within 15 days of receiving "
            "the decision but sets no time for archiving. Archived within the "
            "window, a review request would land on an archived file, so the "
            "office archives after the window has expired."
        ),
        Article(19),
    ),
    OfficeRuleSpec(
        "decision_signed_by_head",
        _("The supervision decision is signed by the head"),
        True,
        _(
            "Art. 14, Art. 17 and Art. 18 do not say who signs the supervision "
            "decision. The head of the supervision office signs it, in line with "
            "the head approving extensions under Art. 17."
        ),
        Article(17),
    ),
    OfficeRuleSpec(
        "hearing_approved_by_head",
        _("Holding a hearing is approved by the head"),
        True,
        _(
            "Art. 14 allows a hearing for a major, complex case but does not say "
            "who decides it. A hearing affects the progress of the case and the "
            "parties' rights, so the head approves it."
        ),
        Article(14),
    ),
    OfficeRuleSpec(
        "recusal_decided_by_head",
        _("The recusal of an investigator is decided by the head"),
        True,
        _(
            "Art. 16 requires investigators with an interest to recuse themselves "
            "but does not say who decides. The head decides, and an approved "
            "recusal at once ends all the person's access to the case."
        ),
        Article(16),
    ),
    OfficeRuleSpec(
        "no_self_approval",
        _("No one approves a request they made or that concerns them"),
        True,
        _(
            "The measure does not provide for recusal in approvals. Approving "
            "one's own extension, recusal or correction-extension request would "
            "make the approval meaningless."
        ),
        Article(17),
    ),
    OfficeRuleSpec(
        "correction_extension_by_head",
        _("Extending the correction deadline is approved by the head"),
        True,
        _(
            "Art. 20 allows the corrected party to request a longer correction "
            "deadline but does not say who approves. The head approves."
        ),
        Article(20),
    ),
    OfficeRuleSpec(
        "repeat_finding_required",
        _(
            "For a person with earlier determinations, find whether the slip or "
            "error recurred and give reasons"
        ),
        True,
        _(
            "Whether Art. 12(5) applies is a finding the case handlers make on the "
            "facts; the system can only point out earlier determinations. Where "
            "there are earlier determinations, the office requires the "
            "determination to state whether it applies and why, so that it is not "
            "overlooked."
        ),
        Article(12, 5),
    ),
    OfficeRuleSpec(
        "act_finding_before_archive",
        _("Before archiving, find whether the supervised enforcement act was lawful"),
        True,
        _(
            "Art. 18 para. 2 requires an opinion letter for an unlawful or "
            "improper enforcement act but does not say when the finding is made. "
            "Only a finding before archiving that the act was lawful, unlawful or "
            "improper settles whether the letter is due."
        ),
        Article(18),
    ),
    OfficeRuleSpec(
        "complete_before_determination",
        _(
            "Determine only after appraisals, hearings and transfers that were "
            "started are finished"
        ),
        True,
        _(
            "Art. 14 to 16 provide hearings, transfers and commissioned appraisals "
            "but do not say that the determination waits for them to end. "
            "Determining before their results are in would mean concluding without "
            "looking at them, so the office determines after they are finished."
        ),
        Article(16),
        kind="fixed",
    ),
    OfficeRuleSpec(
        "reopen_only_by_review",
        _("A decision once made is changed only by review"),
        True,
        _(
            "Art. 19 lets those who disagree with a decision request a review but "
            "does not let the office determine again on its own. The office "
            "determines again only when a review decision changes or revokes the "
            "original decision, to keep decisions certain."
        ),
        Article(19),
        kind="fixed",
    ),
    OfficeRuleSpec(
        "risk_point_closed_by_head",
        _("Error-prone risk points are closed by the head"),
        True,
        _(
            "Art. 21 requires error-prone risk points to be identified and warned "
            "of, but does not say who confirms the rectification and ends the "
            "follow-up. The head closes them, so that the analysis of causes and "
            "the check of the rectification of every risk point are reviewed."
        ),
        Article(21),
        kind="fixed",
    ),
    OfficeRuleSpec(
        "filing_within_validity",
        _("The filing date lies within the period of a measure in force"),
        True,
        _(
            "Art. 24 sets the period of this measure but does not say what becomes "
            "of cases open when it expires. The office does not file cases under a "
            "measure that has expired or is not yet in force."
        ),
        Article(24),
    ),
    OfficeRuleSpec(
        "validity_warning_days",
        _("Days before the measure's expiry to give notice"),
        60,
        _(
            "Art. 24 sets the period of validity until 28 February 2027. Notice in "
            "advance helps to ask in time for its renewal or a new measure and to "
            "clear the cases still open on the day it expires; reports after the "
            "expiry say under which measure they report."
        ),
        Article(24),
        kind="number",
    ),
    OfficeRuleSpec(
        "report_first_review_days",
        _("Days from receipt of a report to its preliminary review"),
        15,
        _(
            "Art. 22 requires reports and petitions to be handled properly and "
            "their results fed back, but does not say how soon after receipt a "
            "report is dealt with. The office completes a preliminary review "
            "within 15 days of receiving a report (filing for verification, "
            "joining an existing case or giving the reasons for not filing), after "
            "which the reporter can look it up with the receipt code."
        ),
        Article(22),
        kind="number",
    ),
    OfficeRuleSpec(
        "correction_completion_reported",
        _("The corrected party reports completion of the correction in writing"),
        "书面报告",
        _(
            "Art. 20 requires the corrected party to complete the correction "
            "within the set period and Art. 21 requires the office to follow the "
            "rectification, but neither says how completion is confirmed. The "
            "office requires the corrected party to report the rectification in "
            "writing before the deadline, takes the date it reports completion as "
            "the test of whether the deadline was kept, and verifies and follows "
            "up on that basis."
        ),
        Article(20),
        kind="fixed",
    ),
)
"""Every office rule, by key; values live in ``settings.CASEWORK_OFFICE_RULES``."""


def _readings(*specs: ReadingSpec) -> Mapping[str, ReadingSpec]:
    return MappingProxyType({spec.key: spec for spec in specs})


READINGS: Mapping[str, ReadingSpec] = _readings(
    ReadingSpec(
        "hearing_for_major_cases",
        _("Hearings are for major, complex cases"),
        (Article(14),),
        _(
            "Art. 14 para. 2: “%(quote)s”. The article authorises hearings only "
            "for major, complex cases and provides none for other cases; the "
            "office reads it as: hearings are held only for cases found major and "
            "complex at filing or during handling; other cases are investigated in "
            "the ways of Art. 16, with the statements and defence of the persons "
            "concerned fully heard."
        ),
        quote="重大复杂的案件，可以召开听证会",
    ),
    ReadingSpec(
        "exemption_meaning",
        _("“Tolerance and exemption” means granting exemption"),
        (Article(12, 5), Article(18), Article(22)),
        _(
            "“Tolerance and exemption” means the same in Art. 12(5), Art. 18 and "
            "Art. 22: exemption granted. Lighter or reduced handling under Art. 10 "
            "and Art. 11 keeps the liability and is “no tolerance and exemption” "
            "in the sense of Art. 18, handled under the enforcement fault "
            "liability procedure with a recommendation of lighter or reduced "
            "liability; only an exemption granted is not determined to be an "
            "enforcement error."
        ),
    ),
    ReadingSpec(
        "art12_5_limbs",
        _("The two cases of Art. 12(5)"),
        (Article(12, 5),),
        _(
            "Art. 12(5) covers two cases: first, the same slip or error recurring "
            "on the same matter for subjective reasons; second, the same slip or "
            "error recurring after tolerance and exemption was granted, i.e. the "
            "new slip occurring after the earlier exemption decision. The system "
            "lists the person's earlier determinations for reference; the same "
            "problem type is only a hint, not the test; whether it applies is "
            "determined by the case handlers, with reasons."
        ),
    ),
    ReadingSpec(
        "art11_after_art12",
        _(
            "Without tolerance, liability may still be pursued more lightly or "
            "reduced under Art. 11"
        ),
        (Article(11), Article(12)),
        _(
            "Art. 11(2) “%(quote)s” presupposes that liability is pursued, so the "
            "cases of Art. 12 exclude tolerance and exemption and the handling of "
            "Art. 10, but not lighter or reduced liability under Art. 11."
        ),
        quote="积极配合问责追责调查，并主动承担责任",
    ),
    ReadingSpec(
        "art12_item_decides",
        _("Where a case of Art. 12 meets facts of Art. 10, Art. 12 decides"),
        (Article(10), Article(12)),
        _(
            "Where the same facts show both a case listed in Art. 10 and one "
            "listed in Art. 12, Art. 12's “no tolerance” decides the result; the "
            "determination of no tolerance may also state the facts listed in Art. "
            "10."
        ),
    ),
    ReadingSpec(
        "transfer_pauses_decision_period",
        _("A transfer pauses the office's time limit"),
        (Article(15), Article(17)),
        _(
            "The 30 days of Art. 17 run from filing, while Art. 15 gives the "
            "agency 30 days to handle a transferred case and 7 days to file the "
            "result. Read literally side by side, every transferred case would be "
            "overdue. The office reads it as: while a case is with the enforcement "
            "agency for its own investigation (from the agency's receipt until its "
            "handling result is filed), the office's Art. 17 time limit is paused "
            "and the transfer periods of Art. 15 (30 days to handle, 7 days to "
            "file) take over; where the agency keeps them, the office shows "
            "nothing overdue; where the agency is late, it is overdue on the "
            "agency's transfer periods."
        ),
    ),
    ReadingSpec(
        "extension_within_period",
        _("An “extension” can only be made before the time limit expires"),
        (Article(17),),
        _(
            "Art. 17: “%(quote)s”. An expired time limit cannot be extended: the "
            "request must be made, and approved, before the time limit expires; "
            "requested or approved after it, no extension is granted and the case "
            "is still shown overdue. Extensions total no more than 30 days (Art. "
            "17)."
        ),
        quote="经负责人批准可以延长",
    ),
    ReadingSpec(
        "appraisal_pauses_running_period",
        _("Appraisal time is left out only while the time limit runs"),
        (Article(16),),
        _(
            "Art. 16: “%(quote)s”. What is left out is time within the time limit: "
            "an appraisal that starts after the time limit expired is recorded as "
            "usual, but does not revive or move back the expired time limit; "
            "overlapping time of appraisals run at once is left out once."
        ),
        quote="鉴定（评估、检测）等技术性调查时间不计入办理时间",
    ),
    ReadingSpec(
        "notification_recipients",
        _("Who is “the units and parties concerned”"),
        (Article(17),),
        _(
            "Art. 17: “%(quote)s”. The units concerned are the enforcement "
            "agencies involved in the case; the parties are each person concerned "
            "determined in this round; every one must be notified within 7 days, "
            "those not notified are shown one by one and are overdue one by one "
            "after day 7. Reporters are not among them; their feedback follows "
            "Art. 22."
        ),
        quote="决定作出后，应当于7日内告知相关单位及当事人",
    ),
    ReadingSpec(
        "report_result_is_decision",
        _("The “result” of a report is the case's supervision decision"),
        (Article(17), Article(22)),
        _(
            "The result of Art. 22, “%(quote)s”, is the decision made at the end "
            "of the investigation under Art. 17; before the decision there is no "
            "result to feed back. For a report closed without filing a case, the "
            "reasons for not filing are the result."
        ),
        quote="经查不属实、查无实据或者经认定予以容错免责",
    ),
)
"""Every reading, by key; each gives way when the justice bureau rules (Art. 23)."""


def cite(source: Source) -> str:
    """How a message names its source, e.g. ``"第十六条"``."""
    if isinstance(source, Article):
        return source.label
    if isinstance(source, OfficeRule):
        return gettext("under the office rule: %(title)s") % {
            "title": source.spec.title
        }
    if isinstance(source, Reading):
        spec = source.spec
        where = "、".join(article.label for article in spec.articles)
        return gettext(
            "office reading: %(title)s, see %(articles)s, subject to the district"
            " justice bureau's interpretation"
        ) % {"title": spec.title, "articles": where}
    raise TypeError(f"not a source: {source!r}")


_END = "。；;."


def sourced(source: Source, message: str) -> str:
    """``message`` with its source appended: ``"…不得少于两人（第十六条）。"``."""
    text = message.rstrip().rstrip(_END)
    return f"{text}（{cite(source)}）。"


@functools.lru_cache(maxsize=8)
def _article_numbers(policy_text: str) -> frozenset[int]:
    try:
        return frozenset(a.number for a in measures.parse(policy_text).articles)
    except measures.NotAMeasure:
        return frozenset()


def article_exists(article: Article, policy_text: str) -> bool:
    """Whether the policy text has this article (and this item of it), as
    ``portal.measures`` reads the text."""
    if article.number not in _article_numbers(policy_text):
        return False
    if article.item is None:
        return True
    items = parse_items(policy_text).get(article.number, [])
    return any(item.number == article.item for item in items)
