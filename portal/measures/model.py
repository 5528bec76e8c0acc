"""What the parser reads out of a measure: plain dataclasses, no framework."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

#: The forms a measure is published in (what its cover looks like).
NOTICE = "notice"  # 关于印发…的通知, the measure attached
ORDER = "order"  # 政府令 (规章): 令 header, 第N号, promulgation paragraph
ANNOUNCEMENT = "announcement"  # 人大常委会公告 publishing a 地方性法规
REGULATION = "regulation"  # a 条例 with its adoption line, no wrapper
DECISION = "decision"  # 关于…的决定
BARE = "bare"  # 办法/细则/规定 published by itself
FORMS = (NOTICE, ORDER, ANNOUNCEMENT, REGULATION, DECISION, BARE)

#: The fields a page needs before it can be published; a problem names one.
TITLE = "title"
ISSUING_BODY = "issuing_body"
ISSUE_DATE = "issue_date"
ARTICLES = "articles"


@dataclass(frozen=True)
class Problem:
    """Something the parser could not find or could not trust. ``field`` is
    one of the field names above; ``code`` says what: "missing" (not found),
    "gap" or "repeated" (articles not numbered 1, 2, 3…: ``detail`` is the
    first number missing or repeated, in Chinese numerals), "malformed" (a
    number that cannot be read: ``detail`` is the text)."""

    field: str
    code: str
    detail: str = ""


@dataclass
class Item:
    """A numbered item （一） of an article: ``text`` is its paragraph after
    the number, with the separator that ends it (；。) kept."""

    number: int
    text: str

    @property
    def wording(self) -> str:
        """The item without the separator that ends it in a list."""
        return self.text.rstrip("；;。，,").strip()


@dataclass
class Article:
    number: int
    #: As the measure writes it: 第十六条, or 一、 for a decision's point.
    label: str
    paragraphs: list[str] = field(default_factory=list)
    chapter_number: int = 0
    chapter_title: str = ""
    section_title: str = ""

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def items(self) -> list[Item]:
        """The numbered items （一）… of the article, in order."""
        from .structure import item_of  # one reader of an item line

        return [item for p in self.paragraphs if (item := item_of(p)) is not None]


@dataclass
class Measure:
    form: str = BARE
    title: str = ""
    issuing_body: str = ""
    document_number: str = ""
    issue_date: datetime.date | None = None
    effective_date: datetime.date | None = None
    expiry_date: datetime.date | None = None
    #: The cover (covering notice, promulgation paragraph, adoption and
    #: amendment history): what publishes the measure, not its text.
    preamble: str = ""
    #: Paragraphs between the title and the first article or point (a
    #: decision's reasons: 依照…决定废止以下规章：), part of the text.
    lead: str = ""
    #: Paragraphs after the last numbered point of a decision (本决定自…).
    closing: str = ""
    chapters: list[tuple[int, str]] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, field_name: str) -> Problem | None:
        return next((p for p in self.problems if p.field == field_name), None)
