"""Chinese numerals both ways, as measures and official documents write them.

One helper for the whole project: article, item and chapter numbers (第十六条,
（五）, 第三章), the periodic report's headings, a document's ordinals, the
search's article references and the policy importer. Pure Python: the rules
of ``casework.rules`` import it and stay free of the framework.

- :func:`to_chinese`: 16 -> 十六, 20 -> 二十, 105 -> 一百零五, 110 -> 一百一十.
- :func:`parse`: the value of what a text writes, Arabic (full- or
  half-width) or Chinese, with the variants found in published and scanned
  texts: 〇 and ○ for 零, a Latin 0 or O typed or recognised inside a Chinese
  numeral (一百0五), 两 for 二, and the formal 一十六 beside 十六.
"""

from __future__ import annotations

import unicodedata

DIGITS = "零一二三四五六七八九"
UNITS = {"十": 10, "百": 100, "千": 1000}
#: Characters read as a digit: the ten digits and the variants of 零 and 二.
DIGIT_VALUES = {char: value for value, char in enumerate(DIGITS)} | {
    "〇": 0,
    "○": 0,
    "0": 0,
    "O": 0,
    "o": 0,
    "两": 2,
}
#: Every character :func:`parse` reads in a Chinese numeral.
NUMERAL_CHARS = "".join(DIGIT_VALUES) + "".join(UNITS)
LARGEST = 9999


def to_chinese(number: int) -> str:
    """``number`` (0 to 9999) in Chinese numerals, as it is read: 十六 (not
    一十六) from 10 to 19, 零 for each gap (一千零五, 一百零五), 一十 after a
    hundred (一百一十)."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"number must be an int, got {number!r}")
    if not 0 <= number <= LARGEST:
        raise ValueError(f"number must be between 0 and {LARGEST}, got {number}")
    if number == 0:
        return DIGITS[0]
    out, gap = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit)
        if digit == 0:
            gap = bool(out)
            continue
        if gap:
            out.append(DIGITS[0])
            gap = False
        if not (unit == 10 and digit == 1 and not out):
            out.append(DIGITS[digit])
        out.append(name)
    return "".join(out)


def parse(text: str) -> int:
    """The value of ``text``: Arabic digits (full- or half-width) or one
    Chinese numeral up to 九千九百九十九. Raises ValueError, naming the text,
    for anything else (two digits in a row, units out of order, 十十)."""
    value = unicodedata.normalize("NFKC", str(text)).strip()
    error = ValueError(f"not a number: {text!r}")
    if value.isascii() and value.isdigit():
        return int(value)
    if not value or any(char not in NUMERAL_CHARS for char in value):
        raise error
    total, digit, last_unit, zero = 0, None, LARGEST + 1, False
    for position, char in enumerate(value):
        if char in UNITS:
            unit = UNITS[char]
            if unit >= last_unit or zero:
                raise error
            if digit is None:
                # Only 十 stands alone, and only first: 十六, never 百五.
                if unit != 10 or position != 0:
                    raise error
                digit = 1
            total += digit * unit
            digit, last_unit = None, unit
        elif DIGIT_VALUES[char] == 0:
            # 零 stands for a gap between two written places.
            if digit is not None or zero or total == 0:
                if len(value) == 1:
                    return 0
                raise error
            zero = True
        else:
            if digit is not None:
                raise error
            digit, zero = DIGIT_VALUES[char], False
    if zero:
        raise error
    return total + (digit or 0)
