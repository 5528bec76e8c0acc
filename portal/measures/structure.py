"""The body of a measure: 第X章 chapters, 第X节 sections, 第X条 articles,
their paragraphs and （一） items; or, for a decision written as points, its
一、二、 points."""

from __future__ import annotations

import re

from portal import numerals

from .model import ARTICLES, Article, Item, Measure, Problem
from .text import NUMERAL, SPACE, number, squash

CHAPTER_RE = re.compile(rf"^第{SPACE}*({NUMERAL}){SPACE}*章{SPACE}*(.*)$")
SECTION_RE = re.compile(rf"^第{SPACE}*({NUMERAL}){SPACE}*节{SPACE}*(.*)$")
ARTICLE_RE = re.compile(rf"^第{SPACE}*({NUMERAL}){SPACE}*条({SPACE}*)(.*)$")
ITEM_RE = re.compile(
    rf"^（{SPACE}*([{numerals.NUMERAL_CHARS}]+){SPACE}*）{SPACE}*(.*)$"
)
POINT_RE = re.compile(r"^([一二三四五六七八九十]{1,3})、(.*)$")
#: The 版记 after a document's text: distribution and printing lines.
TRAILER_RE = re.compile(
    r"^(?:分送|抄送|主送|发送|印发)[:：]|^.{2,30}\d{4}年\d{1,2}月\d{1,2}日印发$"
)
#: A paragraph that closes a decision after its points.
CLOSING_RE = re.compile(r"^本(?:决定|通知|办法|规定|意见)")


def is_heading(line: str) -> bool:
    """Whether a line starts the body: a chapter heading or an article."""
    return bool(chapter_of(line) or ARTICLE_RE.match(line))


def chapter_of(line: str) -> re.Match | None:
    """A chapter heading: 第X章 and a short title, not a sentence that
    begins with a reference (第三章规定的…)."""
    match = CHAPTER_RE.match(line)
    if match and len(squash(match.group(2))) <= 20 and "。" not in match.group(2):
        return match
    return None


def item_of(paragraph: str) -> Item | None:
    """The item a paragraph is, when it starts with （一）."""
    match = ITEM_RE.match(paragraph)
    if not match:
        return None
    try:
        return Item(number=numerals.parse(match.group(1)), text=match.group(2))
    except ValueError:
        return None


def _starts_article(match: re.Match, articles: list[Article]) -> bool:
    """Whether a line beginning 第X条 is an article heading. With a space
    after 条 (or nothing else on the line) it is; without one (第一条为了…, as
    some publishers write) only when X follows the previous article, so that
    a paragraph opening with “第十条规定的…” stays in its article."""
    if match.group(2) or not match.group(3):
        return True
    expected = articles[-1].number + 1 if articles else 1
    try:
        return number(match.group(1)) == expected
    except ValueError:
        return False


def read_articles(lines: list[str], measure: Measure) -> list[str]:
    """Chapters and articles from ``lines`` (the body, normalised) into
    ``measure``; returns the trailer lines (版记) that followed the text."""
    chapter_number, chapter_title, section_title = 0, "", ""
    current: Article | None = None
    trailer: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        after_blank, blank = blank, False
        if trailer or TRAILER_RE.match(line):
            trailer.append(line)
            continue
        chapter = chapter_of(line)
        if chapter:
            try:
                chapter_number = number(chapter.group(1))
            except ValueError:
                measure.problems.append(
                    Problem(ARTICLES, "malformed", chapter.group(1))
                )
                chapter_number += 1
            chapter_title = squash(chapter.group(2))
            section_title = ""
            measure.chapters.append((chapter_number, chapter_title))
            current = None
            continue
        section = SECTION_RE.match(line)
        if section and len(squash(section.group(2))) <= 20:
            section_title = squash(section.group(2))
            continue
        article = ARTICLE_RE.match(line)
        if article and _starts_article(article, measure.articles):
            raw = article.group(1)
            try:
                value = number(raw)
            except ValueError:
                measure.problems.append(Problem(ARTICLES, "malformed", squash(raw)))
                value = measure.articles[-1].number + 1 if measure.articles else 1
            current = Article(
                number=value,
                label=f"第{squash(raw)}条",
                paragraphs=[article.group(3).strip()]
                if article.group(3).strip()
                else [],
                chapter_number=chapter_number,
                chapter_title=chapter_title,
                section_title=section_title,
            )
            measure.articles.append(current)
            continue
        if current is None:
            # Text between a chapter heading and its first article: part of
            # the text, kept with the lead paragraphs rather than lost.
            measure.lead = f"{measure.lead}\n{line}".strip()
            continue
        if not after_blank and _continues(current.paragraphs, line):
            current.paragraphs[-1] += line
        else:
            current.paragraphs.append(line)
    _check_numbering(measure)
    return trailer


def read_points(lines: list[str], measure: Measure) -> tuple[list[str], list[str]]:
    """A decision written as points 一、二、三、 (no 第X条): each point an
    article labelled as written. Returns the lead paragraphs before the first
    point and the trailer lines; closing paragraphs (本决定自…) go to
    ``measure.closing``."""
    lead: list[str] = []
    closing: list[str] = []
    trailer: list[str] = []
    current: Article | None = None
    for line in lines:
        if not line:
            continue
        if trailer or TRAILER_RE.match(line):
            trailer.append(line)
            continue
        point = POINT_RE.match(line)
        expected = len(measure.articles) + 1
        if point and not closing and numerals.parse(point.group(1)) == expected:
            current = Article(
                number=expected,
                label=f"{point.group(1)}、",
                paragraphs=[point.group(2)],
            )
            measure.articles.append(current)
        elif current is None:
            lead.append(line)
        elif closing or CLOSING_RE.match(line):
            closing.append(line)
        else:
            current.paragraphs.append(line)
    measure.closing = "\n".join(closing)
    return lead, trailer


def first_points(lines: list[str]) -> int | None:
    """The index of the first point 一、 of a text that has no articles, when
    a 二、 follows it; None otherwise."""
    for index, line in enumerate(lines):
        if line.startswith("一、"):
            if any(later.startswith("二、") for later in lines[index + 1 :]):
                return index
            return None
    return None


#: How a paragraph ends; a line that ends otherwise was wrapped.
TERMINAL = "。；：！？…”’"


def _continues(paragraphs: list[str], line: str) -> bool:
    """Whether ``line`` continues the last paragraph, wrapped in the middle
    of a sentence (（一）第一行 / 续行；): the paragraph does not end as a
    sentence or list entry does, and the line does not start an item."""
    return (
        bool(paragraphs) and paragraphs[-1][-1:] not in TERMINAL and not item_of(line)
    )


def _check_numbering(measure: Measure) -> None:
    """Articles must be numbered 1, 2, 3… in order: a determination citing
    Art. N must mean exactly one article. A gap or a repeat is a problem
    naming the first number missing or repeated."""
    seen: set[int] = set()
    for expected, article in enumerate(measure.articles, start=1):
        if article.number != expected:
            repeated = article.number in seen
            measure.problems.append(
                Problem(
                    ARTICLES,
                    "repeated" if repeated else "gap",
                    numerals.to_chinese(article.number if repeated else expected),
                )
            )
            return
        seen.add(article.number)
