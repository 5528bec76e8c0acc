"""Dates as measures write them: 2025年2月21日, ２００５年１１月１日, and in
Chinese numerals 二〇〇五年八月二十三日 (〇 also typed ○, or a Latin 0 or O
by a typist or a text recogniser: 二0一九年)."""

from __future__ import annotations

import datetime
import re

from portal import numerals

from .text import SPACE, ascii_digits

_YEAR_DIGITS = "".join(c for c, v in numerals.DIGIT_VALUES.items() if c != "两")
_YEAR = rf"(?:[0-9０-９]{{4}}|[{_YEAR_DIGITS}]{{4}})"
_PART = r"(?:[0-9０-９]{1,2}|[十一二三四五六七八九]{1,3})"
#: A date anywhere in a line (the groups are year, month, day).
DATE = rf"({_YEAR}){SPACE}*年{SPACE}*({_PART}){SPACE}*月{SPACE}*({_PART}){SPACE}*日"
DATE_RE = re.compile(DATE)


def _year(text: str) -> int:
    text = ascii_digits(text)
    if text.isdigit():
        return int(text)
    return int("".join(str(numerals.DIGIT_VALUES[char]) for char in text))


def to_date(match: re.Match | None) -> datetime.date | None:
    """The date a :data:`DATE_RE` match (or any match whose first three
    groups are year, month, day) writes, or None where it is no calendar
    date (2月30日) or no match."""
    if match is None:
        return None
    try:
        year, month, day = match.group(1), match.group(2), match.group(3)
        return datetime.date(_year(year), numerals.parse(month), numerals.parse(day))
    except (ValueError, KeyError):
        return None


def parse_date(text: str) -> datetime.date | None:
    """The first date written in ``text``, or None."""
    return to_date(DATE_RE.search(text))


def whole_date(text: str) -> datetime.date | None:
    """The date a line is made of (a signature date), or None when the line
    holds anything else."""
    return to_date(DATE_RE.fullmatch(re.sub(rf"{SPACE}+", "", text)))
