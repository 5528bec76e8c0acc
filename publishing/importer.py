"""Reading a published measure's plain text into chapters, articles and items.

Government measures are published as plain text with a fixed shape: a cover
(document number 文号, issuing body, the covering notice and its date), the
title, then 第X章 chapter headings and 第X条 articles whose items are written
（一）（二）…. Spacing varies between publishers (第一章  总  则, 第一条　…), as do
full- and half-width brackets and punctuation; this module absorbs that.

Pure functions, no ORM: :func:`parse_policy` returns a :class:`ParsedPolicy`,
and publishing.services turns it into a page.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.rules.articles import int_to_chinese_numeral
from portal import numerals

__all__ = [
    "ParsedArticle",
    "ParsedPolicy",
    "PolicyParseError",
    "chinese_number",
    "parse_policy",
]


class PolicyParseError(ValueError):
    """The text is not a measure this importer can read; the message says why
    in Chinese, for the person running the command."""


_NUMERAL = r"[〇零一二两三四五六七八九十百0-9０-９]+"

_SPACE = r"[\s\u3000]"
_CHAPTER_RE = re.compile(rf"^第{_SPACE}*({_NUMERAL}){_SPACE}*章{_SPACE}*(.*)$")
_ARTICLE_RE = re.compile(rf"^第{_SPACE}*({_NUMERAL}){_SPACE}*条({_SPACE}*)(.*)$")
_SECTION_RE = re.compile(rf"^第{_SPACE}*({_NUMERAL}){_SPACE}*节{_SPACE}*(.*)$")
_DOC_NUMBER_RE = re.compile(r"^\S{1,20}〔\d{4}〕\d+号$")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_EFFECTIVE_RE = re.compile(
    r"自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|实施|执行|生效)"
)
_EXPIRY_RE = re.compile(r"有效期至(\d{4})年(\d{1,2})月(\d{1,2})日")
_VALID_YEARS_RE = re.compile(r"有效期(?:为)?([一二三四五六七八九十\d]+)年")
_BODY_RE = re.compile(r"(人民政府|委员会|办公室|局|厅|部|院|委|办)$")


def chinese_number(text: str) -> int:
    """The value of an article, chapter or year count as the text writes it
    (十六, 一百零二, 16, １６; ``portal.numerals``); PolicyParseError, in
    Chinese, for a malformed one (十十)."""
    try:
        return numerals.parse(text)
    except ValueError:
        raise PolicyParseError(
            _("The number “%(text)s” cannot be read: check the text.") % {"text": text}
        ) from None


def _normalize_line(line: str) -> str:
    """Unify the variants publishers mix: half-width brackets around item
    numbers become full-width, ASCII commas and colons between Chinese text
    become full-width, and runs of spaces collapse."""
    line = line.replace("\ufeff", "").strip().strip("\u3000").strip()
    line = re.sub(r"^[(（]\s*([一二三四五六七八九十]+)\s*[)）]\s*", r"（\1）", line)
    for half, full in ((",", "，"), (";", "；"), (":", "："), ("?", "？")):
        line = re.sub(rf"(?<=[\u4e00-\u9fff）]){re.escape(half)}", full, line)
    line = re.sub(r"(?<=[\u4e00-\u9fff）])\.$", "。", line)
    return line


def _squash(text: str) -> str:
    """A heading with its letter-spacing removed: 总  则 -> 总则."""
    return re.sub(r"[\s\u3000]+", "", text)


def _date(match: re.Match | None) -> datetime.date | None:
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


@dataclass
class ParsedArticle:
    number: int
    label: str
    body: str
    chapter_number: int = 0
    chapter_title: str = ""

    @property
    def items(self) -> list[str]:
        """The numbered items （一）… of the article, in order."""
        return [p for p in self.body.split("\n") if p.startswith("（")]


@dataclass
class ParsedPolicy:
    title: str
    document_number: str = ""
    issuing_body: str = ""
    issue_date: datetime.date | None = None
    effective_date: datetime.date | None = None
    expiry_date: datetime.date | None = None
    preamble: str = ""
    chapters: list[tuple[int, str]] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)


def parse_policy(text: str) -> ParsedPolicy:
    """Parse a measure's plain text. Raises :class:`PolicyParseError` when no
    article is found or the articles are not numbered 1, 2, 3, … in order."""
    lines = [_normalize_line(raw) for raw in (text or "").splitlines()]
    first_structure = next(
        (
            index
            for index, line in enumerate(lines)
            if _CHAPTER_RE.match(line) or _ARTICLE_RE.match(line)
        ),
        None,
    )
    if first_structure is None:
        raise PolicyParseError(
            _(
                "No articles of the form “第X条” were found: the text cannot be "
                "imported."
            )
        )
    cover = [line for line in lines[:first_structure] if line]
    policy = ParsedPolicy(title="")
    _read_cover(cover, policy)

    chapter_number, chapter_title = 0, ""
    current: ParsedArticle | None = None
    for line in lines[first_structure:]:
        if not line:
            continue
        chapter = _CHAPTER_RE.match(line)
        if chapter:
            chapter_number = chinese_number(chapter.group(1))
            chapter_title = _squash(chapter.group(2))
            policy.chapters.append((chapter_number, chapter_title))
            current = None
            continue
        article = _ARTICLE_RE.match(line)
        if article and _starts_article(article, policy):
            number = chinese_number(article.group(1))
            current = ParsedArticle(
                number=number,
                label=_article_label(article.group(1)),
                body=article.group(3).strip(),
                chapter_number=chapter_number,
                chapter_title=chapter_title,
            )
            policy.articles.append(current)
            continue
        if _SECTION_RE.match(line):
            # Sections (节) are rare in district measures; the heading is
            # kept with the chapter title rather than lost.
            continue
        if current is None:
            raise PolicyParseError(
                _(
                    "Unrecognised text after a chapter heading and before the first "
                    "article: “%(text)s”."
                )
                % {"text": line[:30]}
            )
        current.body = f"{current.body}\n{line}" if current.body else line

    expected = list(range(1, len(policy.articles) + 1))
    found = [a.number for a in policy.articles]
    if found != expected:
        missing = sorted(set(expected) - set(found))
        raise PolicyParseError(
            _("The article numbers are not consecutive: article %(number)s is missing.")
            % {"number": int_to_chinese_numeral(missing[0])}
            if missing and missing[0] < 100
            else _(
                "The article numbers are not consecutive: some articles are repeated "
                "or out of order."
            )
        )
    full_text = "\n".join(a.body for a in policy.articles)
    policy.effective_date = _date(_EFFECTIVE_RE.search(full_text))
    policy.expiry_date = _date(_EXPIRY_RE.search(full_text))
    if policy.expiry_date is None and policy.effective_date is not None:
        years = _VALID_YEARS_RE.search(full_text)
        if years:
            count = chinese_number(years.group(1))
            start = policy.effective_date
            try:
                end = start.replace(year=start.year + count)
            except ValueError:  # 29 February
                end = start.replace(year=start.year + count, day=28)
            policy.expiry_date = end - datetime.timedelta(days=1)
    if not policy.title:
        raise PolicyParseError(
            _(
                "No title was found (it should come before the first chapter or "
                "article)."
            )
        )
    return policy


def _article_label(numeral: str) -> str:
    """The label an article is stored and shown with, as the measure writes
    it: 第十六条."""
    return f"第{_squash(numeral)}条"


def _starts_article(match: re.Match, policy: ParsedPolicy) -> bool:
    """Whether a line beginning 第X条 is an article heading. With a space
    after 条 it always is; without one (第一条为了…, as some publishers write)
    only when X follows the previous article, so that a paragraph opening
    with “第十条规定的…” stays part of its article."""
    if match.group(2) or not match.group(3):
        return True
    expected = policy.articles[-1].number + 1 if policy.articles else 1
    try:
        return chinese_number(match.group(1)) == expected
    except ValueError:
        return False


def _read_cover(cover: list[str], policy: ParsedPolicy) -> None:
    """Document number, issuing body, date and title from the lines before
    the first chapter. The title is the last heading-like block: the lines
    after the notice's date (or all of them), joined, with a trailing
    （试行） kept."""
    title_start = 0
    for index, line in enumerate(cover):
        if not policy.document_number and _DOC_NUMBER_RE.match(_squash(line)):
            policy.document_number = _squash(line)
            continue
        if not policy.issuing_body and _BODY_RE.search(line) and len(line) <= 30:
            policy.issuing_body = _squash(line)
            continue
        date = _DATE_RE.fullmatch(_squash(line))
        if date:
            policy.issue_date = policy.issue_date or _date(date)
            title_start = index + 1
    title_lines = [
        line
        for line in cover[title_start:]
        if not (line.startswith("（此件") or line.startswith("(此件"))
    ]
    if title_lines and title_start == 0:
        # No covering notice: the title is what is left after the number
        # and issuing body.
        title_lines = [
            line
            for line in title_lines
            if _squash(line) not in (policy.document_number, policy.issuing_body)
        ]
    preamble_lines = cover[:title_start]
    policy.title = "".join(_squash(line) for line in title_lines)
    policy.preamble = "\n".join(
        line
        for line in preamble_lines
        if _squash(line) not in (policy.document_number,)
    )
