"""Writes of the publishing plugin: importing a measure as a policy page and
drafting a clarification notice from a case. Each runs in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from portal import clock
from portal.measures import Measure, Problem
from portal.measures import model as measure_model
from publishing.anonymize import redact
from publishing.importer import parse_policy
from publishing.models import (
    ClarificationNoticePage,
    PolicyArticle,
    PolicyDocumentPage,
    PublicationIndexPage,
)

POLICY_INDEX_SLUG = "policies"
INTERPRETATION_INDEX_SLUG = "interpretations"
NOTICE_INDEX_SLUG = "notices"
# Stored values (page titles of the index pages created on first import, the
# revision's change note): data written to the database, not UI wording.
POLICY_INDEX_TITLE = "政策文件"
NOTICE_INDEX_TITLE = "澄清正名公告"
FIRST_IMPORT_NOTE = "首次发布"
REIMPORT_NOTE = "依据文本重新导入"


class PublishingError(Exception):
    """A refused write, with a message for the user (Chinese)."""


@dataclass
class ImportResult:
    page: PolicyDocumentPage
    created: bool
    changed: bool
    #: What the parser could not find: the import is a draft until an editor
    #: completes it (publishing.importer.problem_message says each in Chinese).
    problems: list[Problem] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return not self.problems


def _site_root() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise PublishingError(
            _("No site is configured yet: run migrate (or load_demo) first.")
        )
    return site.root_page.specific


def index_page(slug: str, title: str, intro: str = "") -> PublicationIndexPage:
    """The site's index page with ``slug`` under the site root, created and
    published if missing."""
    root = _site_root()
    existing = PublicationIndexPage.objects.child_of(root).filter(slug=slug).first()
    if existing:
        return existing
    page = PublicationIndexPage(title=title, slug=slug, intro=intro, show_in_menus=True)
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


def readable_slug(text: str) -> str:
    """A URL segment a reader can read: the words and numbers of ``text``
    (Chinese kept), every other run of characters one hyphen, at most 60
    characters; never bare digits. 济历城政发〔2025〕1号 -> 济历城政发-2025-1号;
    历城区…实施办法（试行） -> 历城区…实施办法-试行."""
    slug = re.sub(r"[^\w]+|_+", "-", text).strip("-")[:60].strip("-").lower()
    return f"policy-{slug}" if slug.isdigit() else slug


def _slug_for(measure: Measure, parent: Page) -> str:
    """The new page's slug: its title, then its title and document number
    where another measure of the same title has the title's slug."""
    siblings = set(parent.get_children().values_list("slug", flat=True))
    title = readable_slug(measure.title)
    number = readable_slug(measure.document_number)
    candidates = [
        c for c in (title, f"{title}-{number}" if number else "", number) if c
    ]
    for candidate in candidates:
        if candidate not in siblings:
            return candidate
    base = candidates[0] if candidates else "policy"
    counter = 2
    while f"{base}-{counter}" in siblings:
        counter += 1
    return f"{base}-{counter}"


def _article_rows(measure: Measure) -> list[PolicyArticle]:
    return [
        PolicyArticle(
            sort_order=position,
            number=a.number,
            label=a.label,
            body=a.body,
            chapter_number=a.chapter_number,
            chapter_title=a.chapter_title,
            anchor=f"art-{a.number}",
        )
        for position, a in enumerate(measure.articles)
    ]


def _article_key(rows) -> list[tuple]:
    return [
        (a.number, a.label, a.body, a.chapter_number, a.chapter_title) for a in rows
    ]


def _fields(measure: Measure) -> dict:
    return {
        "title": measure.title,
        "document_number": measure.document_number,
        "issuing_body": measure.issuing_body,
        "date": measure.issue_date,
        "effective_date": measure.effective_date,
        "expiry_date": measure.expiry_date,
        "preamble": measure.preamble,
        "lead": measure.lead,
        "closing": measure.closing,
        "form": measure.form,
    }


def _same_content(page: PolicyDocumentPage, measure: Measure) -> bool:
    rows = list(page.articles.all())
    if any(a.sort_order is None for a in rows):
        # Rows stored without an order read back in no defined order on
        # PostgreSQL: rewrite them.
        return False
    return _article_key(rows) == _article_key(measure.articles) and all(
        getattr(page, name) == value for name, value in _fields(measure).items()
    )


def _existing_page(measure: Measure) -> PolicyDocumentPage | None:
    """The page this text is a version of: the same document number, or,
    for an amended text published under a new number or none, the same
    title from the same issuing body."""
    pages = PolicyDocumentPage.objects.order_by("pk")
    if measure.document_number:
        page = pages.filter(document_number=measure.document_number).first()
        if page is not None:
            return page
    same_title = pages.filter(title=measure.title)
    if measure.issuing_body:
        return same_title.filter(issuing_body=measure.issuing_body).first()
    # A text that does not name its issuing body: the page of that title an
    # editor completed, when there is exactly one.
    candidates = list(same_title[:2])
    return candidates[0] if len(candidates) == 1 else None


_COMPLETABLE = {
    measure_model.ISSUING_BODY: "issuing_body",
    measure_model.ISSUE_DATE: "date",
}


def _complete_from(measure: Measure, page: PolicyDocumentPage) -> None:
    """Fill the fields the text does not give from the page's latest version
    (what an editor completed after an earlier import), so that importing
    the same text again neither loses that work nor asks for it again."""
    for problem in list(measure.problems):
        attribute = _COMPLETABLE.get(problem.field)
        value = getattr(page, attribute, None) if attribute else None
        if value:
            setattr(measure, "issue_date" if attribute == "date" else attribute, value)
            measure.problems.remove(problem)


@transaction.atomic
def import_policy_text(
    text: str, parent: Page | None = None, user=None, issuing_body: str = ""
) -> ImportResult:
    """Import a measure's plain text (any published form portal.measures
    reads) as a policy page with one row per article.

    A measure already on the site (same document number, or same title and
    issuing body) gets a new revision when its text changed, and is left
    alone when it did not, so the import can be repeated. Where the parser
    could not find a field (the result's ``problems``), the revision is
    saved as a draft for an editor instead of published: a new page stays
    unpublished, a published one keeps its published text."""
    try:
        measure = parse_policy(text)
    except ValueError as exc:
        raise PublishingError(str(exc)) from exc
    if issuing_body and not measure.issuing_body:
        measure.issuing_body = issuing_body
        measure.problems = [
            p for p in measure.problems if p.field != measure_model.ISSUING_BODY
        ]
    if not measure.title:
        # A draft needs a title: the text's first line, for the editor to
        # correct (the problem says so).
        measure.title = next(
            (line.strip()[:60] for line in text.splitlines() if line.strip()), ""
        )
    if parent is None:
        parent = index_page(POLICY_INDEX_SLUG, POLICY_INDEX_TITLE)
    if not isinstance(parent.specific, PublicationIndexPage):
        raise PublishingError(
            _("A policy document can only be placed under a “section index page”.")
        )
    page = _existing_page(measure)
    if page is not None:
        # The latest version, a draft included, is what the text is compared
        # with; a field the text does not give keeps what an editor entered.
        current = (
            page.get_latest_revision_as_object()
            if page.has_unpublished_changes
            else page
        )
        _complete_from(measure, current)
        if _same_content(current, measure):
            return ImportResult(
                page=page, created=False, changed=False, problems=measure.problems
            )
    created = page is None
    if created:
        page = PolicyDocumentPage(slug=_slug_for(measure, parent), live=False)
    for name, value in _fields(measure).items():
        setattr(page, name, value)
    page.articles = _article_rows(measure)
    page.change_note = FIRST_IMPORT_NOTE if created else REIMPORT_NOTE
    if created:
        parent.add_child(instance=page)
    # A draft with a field missing is saved unvalidated (as the admin saves
    # an incomplete draft); publishing it validates every field.
    revision = page.save_revision(
        user=user, log_action=True, clean=not measure.problems
    )
    if not measure.problems:
        revision.publish(user=user)
    page.refresh_from_db()
    return ImportResult(
        page=page, created=created, changed=True, problems=list(measure.problems)
    )


def case_party_names(case) -> list[str]:
    """The names of a case's officers concerned: what a notice must redact."""
    return sorted(
        {link.officer.name for link in case.case_officers.select_related("officer")}
    )


# What the investigation found, in the words of Art. 22, by the outcome
# recorded on the case's report: "查无实据" is not "不属实".
FINDING_SENTENCES = {
    "untrue": "经调查核实，举报反映的问题不属实。",
    "unfounded": "经调查核实，举报反映的问题查无实据。",
}
CLEARED_SENTENCE = (
    "经调查核实，有关执法人员受到恶意中伤、诬告陷害或者被恶意炒作和诽谤。"
)


def report_finding(case) -> str:
    """The outcome of the case's report that warranted the clarification
    (Art. 22), or "" where none is recorded. Read through the reverse
    relation, so publishing does not import the reporting plugin."""
    reports = getattr(case, "reports", None)
    if reports is None:
        return ""
    outcomes = list(
        reports.filter(clarification_warranted=True)
        .exclude(outcome="")
        .values_list("outcome", flat=True)
    ) or list(reports.exclude(outcome="").values_list("outcome", flat=True))
    return outcomes[0] if outcomes else ""


def notice_text(case, names: list[str], finding: str | None = None) -> tuple[str, str]:
    """The proposed title and text of a clarification notice for ``case``,
    already anonymized: the officers appear as surname + 某 (Art. 22). The
    finding sentence says what the investigation found ("查无实据" where that
    was the finding), from the report's recorded outcome by default."""
    if finding is None:
        finding = report_finding(case)
    shortened = "、".join(redact(name, names) for name in names) or "有关执法人员"
    agency = case.agency.name
    decided = case.decided_on or case.filed_on
    title = f"关于{agency}执法人员{shortened}被举报问题的澄清正名公告"
    body = "\n".join(
        [
            f"{clock.cn_date(decided)}，区行政执法监督机构依据"
            f"《历城区行政执法履职尽责容错纠错实施办法（试行）》，对反映{agency}"
            f"执法人员{shortened}问题的信访举报作出调查认定。",
            FINDING_SENTENCES.get(finding, CLEARED_SENTENCE)
            + "根据该办法第二十二条，现予以澄清正名，"
            "消除不良影响，支持执法人员依法履职、担当作为。",
            "特此公告。",
        ]
    )
    return title, body


@transaction.atomic
def draft_clarification_from_case(
    case, parent: Page | None = None, user=None
) -> ClarificationNoticePage:
    """A draft clarification notice for a case whose report proved untrue or
    malicious (Art. 22): agency and date prefilled, the officers' names
    recorded for redaction and already shortened in the text. Saved as a
    draft and never published here: it goes through the workflow."""
    names = case_party_names(case)
    if parent is None:
        parent = index_page(NOTICE_INDEX_SLUG, NOTICE_INDEX_TITLE)
    title, body = notice_text(case, names)
    page = ClarificationNoticePage(
        title=title,
        slug=f"notice-case-{case.pk}",
        agency_name=case.agency.name,
        date=timezone.localdate(),
        body=body,
        party_names="\n".join(names),
        source_case=case,
        live=False,
    )
    existing = set(parent.get_children().values_list("slug", flat=True))
    counter = 1
    while page.slug in existing:
        counter += 1
        page.slug = f"notice-case-{case.pk}-{counter}"
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    return page
