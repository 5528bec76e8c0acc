"""Line-level reading shared by every part of the measure parser: the
variants publishers mix (full- and half-width digits, brackets and
punctuation, indentation, letter-spaced headings), and the references
第X条 / 第X章 / 第X款 / 第X项 found anywhere in a text."""

from __future__ import annotations

import re

from portal import numerals

#: One Chinese or Arabic numeral as headings and references write it.
NUMERAL = rf"(?:[0-9０-９]{{1,4}}|[{numerals.NUMERAL_CHARS}]{{1,8}})"
SPACE = r"[ \t\u3000\u00a0]"
CJK = r"\u4e00-\u9fff"

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def ascii_digits(text: str) -> str:
    """Full-width digits as ASCII: ２００５ -> 2005."""
    return text.translate(_FULL_WIDTH_DIGITS)


def squash(text: str) -> str:
    """Text with every space removed: a letter-spaced heading 总  则 -> 总则."""
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


def normalize_line(line: str) -> str:
    """One line with the publishers' variants unified: indentation and
    trailing padding dropped, an item number in half-width brackets (一) or
    with spaces made （一）, and ASCII commas, semicolons, colons and question
    marks after Chinese text made full-width (a page that stored the text
    with half-width punctuation reads as the published one)."""
    line = line.replace("\ufeff", "").strip(" \t\r\n\u3000\u00a0")
    line = re.sub(
        rf"^[(（]{SPACE}*([{numerals.NUMERAL_CHARS}]+){SPACE}*[)）]{SPACE}*",
        r"（\1）",
        line,
    )
    for half, full in ((",", "，"), (";", "；"), (":", "："), ("?", "？")):
        line = re.sub(rf"(?<=[{CJK}）》」”]){re.escape(half)}", full, line)
    line = re.sub(rf"(?<=[{CJK}）])\.$", "。", line)
    # Half-width parentheses around Chinese text: (省政府令第114号) -> （…）.
    line = re.sub(rf"\(([^()]*[{CJK}][^()]*)\)", r"（\1）", line)
    return line


def number(text: str) -> int:
    """The value of a heading's or reference's number (十六, 16, １６,
    一百0五); ValueError for a malformed one (十十)."""
    return numerals.parse(squash(text))


# --- references -------------------------------------------------------------
#: 第16条 / 第十六条 / 第 16 条, and 章, 节, 款, 项 the same way.
REFERENCE_RE = re.compile(
    rf"第{SPACE}*([0-9０-９]{{1,3}}|[{numerals.NUMERAL_CHARS}]{{1,6}}){SPACE}*([条章节款项])"
)


def reference_token(match: re.Match) -> str:
    """A reference in one spelling, with a Chinese numeral: 第16条, 第一十六条
    and 第 16 条 are all 第十六条. A malformed number (第十十条) is kept as
    written: it names nothing, and guessing would name the wrong article."""
    raw, unit = match.group(1), match.group(2)
    try:
        return f"第{numerals.to_chinese(number(raw))}{unit}"
    except ValueError:
        return f"第{squash(raw)}{unit}"
