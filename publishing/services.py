"""Writes of the publishing plugin: importing a measure as a policy page and
drafting a clarification notice from a case. Each runs in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from portal import clock
from publishing.anonymize import redact
from publishing.importer import ParsedPolicy, parse_policy
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


def _slug_for(parsed: ParsedPolicy, parent: Page) -> str:
    match = re.search(r"〔(\d{4})〕(\d+)号", parsed.document_number)
    base = f"doc-{match.group(1)}-{match.group(2)}" if match else slugify(parsed.title)
    base = base or "policy"
    slug, counter = base, 1
    siblings = set(parent.get_children().values_list("slug", flat=True))
    while slug in siblings:
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def _article_rows(parsed: ParsedPolicy) -> list[PolicyArticle]:
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
        for position, a in enumerate(parsed.articles)
    ]


def _same_content(page: PolicyDocumentPage, parsed: ParsedPolicy) -> bool:
    rows = list(page.articles.all())
    if any(a.sort_order is None for a in rows):
        # Rows stored without an order read back in no defined order on
        # PostgreSQL: rewrite them.
        return False
    current = [
        (a.number, a.label, a.body, a.chapter_number, a.chapter_title) for a in rows
    ]
    wanted = [
        (a.number, a.label, a.body, a.chapter_number, a.chapter_title)
        for a in parsed.articles
    ]
    return (
        current == wanted
        and page.title == parsed.title
        and page.issuing_body == (parsed.issuing_body or page.issuing_body)
        and page.date == parsed.issue_date
        and page.effective_date == parsed.effective_date
        and page.expiry_date == parsed.expiry_date
        and page.preamble == parsed.preamble
    )


@transaction.atomic
def import_policy_text(
    text: str, parent: Page | None = None, user=None, issuing_body: str = ""
) -> ImportResult:
    """Publish a measure's plain text as a policy page with one row per
    article. A measure already on the site (same document number, or same
    title without one) is updated as a new revision when its text changed,
    and left alone when it did not, so the import can be repeated."""
    try:
        parsed = parse_policy(text)
    except ValueError as exc:
        raise PublishingError(str(exc)) from exc
    parsed.issuing_body = parsed.issuing_body or issuing_body
    if not parsed.issuing_body:
        raise PublishingError(
            _("The issuing body was not recognised: give it with --issuing-body.")
        )
    if parent is None:
        parent = index_page(POLICY_INDEX_SLUG, POLICY_INDEX_TITLE)
    if not isinstance(parent.specific, PublicationIndexPage):
        raise PublishingError(
            _("A policy document can only be placed under a “section index page”.")
        )
    lookup = (
        {"document_number": parsed.document_number}
        if parsed.document_number
        else {"title": parsed.title, "document_number": ""}
    )
    page = PolicyDocumentPage.objects.filter(**lookup).first()
    if page is not None and _same_content(page, parsed):
        return ImportResult(page=page, created=False, changed=False)
    created = page is None
    if created:
        page = PolicyDocumentPage(slug=_slug_for(parsed, parent))
    page.title = parsed.title
    page.document_number = parsed.document_number
    page.issuing_body = parsed.issuing_body
    page.date = parsed.issue_date
    page.effective_date = parsed.effective_date
    page.expiry_date = parsed.expiry_date
    page.preamble = parsed.preamble
    page.articles = _article_rows(parsed)
    page.change_note = FIRST_IMPORT_NOTE if created else REIMPORT_NOTE
    if created:
        parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    page.refresh_from_db()
    return ImportResult(page=page, created=created, changed=True)


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
