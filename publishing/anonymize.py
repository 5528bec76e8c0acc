"""Anonymization of clarification notices (澄清正名公告, Art. 22).

A clarification notice clears an officer who was falsely accused, in public,
without identifying anyone: the parties appear as surname + 某 (张某, 欧阳某),
and no ID-card, telephone, unified social credit code, vehicle plate or e-mail
address survives. Document numbers (济历城政发〔2025〕1号), dates and article
numbers are left as they are: they identify the case's legal basis, not a
person.

Pure functions, no Django: :func:`redact` masks, :func:`find_leaks` lists what
is still there. :func:`notice_leaks` is the one decision over a notice: the
editor's anonymization panel shows its spans and every publishing gate (the
editor form, the model's clean, the bulk publish action) refuses while it
finds any, so the panel and the gates cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

__all__ = [
    "COMPOUND_SURNAMES",
    "LEAK_LABELS",
    "NOTICE_FIELDS",
    "Leak",
    "find_leaks",
    "is_valid_credit_code",
    "is_valid_id_card",
    "leak_summary",
    "names_from_text",
    "notice_leaks",
    "redact",
    "surname_of",
]

MASK = "*"

#: Two-character surnames kept whole when a name is shortened (欧阳某, not 欧某).
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "司空",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "申屠",
        "澹台",
        "公冶",
        "太史",
        "万俟",
        "呼延",
        "闻人",
        "赫连",
        "百里",
        "东郭",
        "濮阳",
        "单于",
        "拓跋",
        "第五",
        "左丘",
        "亓官",
        "梁丘",
        "公良",
        "乐正",
        "仲孙",
        "叔孙",
        "巫马",
        "公西",
        "漆雕",
        "壤驷",
        "谷梁",
        "宰父",
        "夹谷",
        "段干",
        "鲜于",
        "闾丘",
        "子车",
        "颛孙",
        "司寇",
        "南门",
        "羊舌",
        "微生",
        "公户",
        "公玉",
    ]
)

LEAK_LABELS = {
    "name": _("party's name"),
    "id_card": _("resident ID number"),
    "credit_code": _("unified social credit code"),
    "mobile": _("mobile phone number"),
    "landline": _("landline number"),
    "plate": _("vehicle licence plate"),
    "email": _("e-mail"),
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB 32100-2015: 31 characters, without I, O, S, V, Z.
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_SEP = r"[ \-－\u3000]?"
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Z"

# Order matters where patterns overlap: an 18-digit ID number is tried before
# a credit code, and both before telephone numbers that could match inside.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "email",
        re.compile(
            r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
        ),
    ),
    (
        "id_card",
        re.compile(
            r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
            r"(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])"
        ),
    ),
    (
        "credit_code",
        re.compile(
            r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}"
            r"(?![0-9A-Za-z])"
        ),
    ),
    (
        "mobile",
        re.compile(
            r"(?<![0-9])(?:(?:\+|00)?86"
            + _SEP
            + r")?1[3-9]\d"
            + _SEP
            + r"\d{4}"
            + _SEP
            + r"\d{4}(?![0-9])"
        ),
    ),
    (
        "landline",
        re.compile(
            r"(?<![0-9])(?:[(（]0\d{2,3}[)）]" + _SEP + r"|0\d{2,3}" + _SEP + r")"
            r"[1-9]\d{2,3}" + _SEP + r"\d{4}(?:" + _SEP + r"(?:转|ext\.?)?\d{1,5})?"
            r"(?![0-9])"
        ),
    ),
    (
        "plate",
        re.compile(
            r"[" + _PROVINCES + r"][" + _PLATE_LETTER + r"][·・•\.\- ]?"
            r"(?:[DF][" + _PLATE_LETTER + r"0-9]\d{4}|\d{5}[DF]"
            r"|(?=[" + _PLATE_LETTER + r"0-9]{0,4}\d)[" + _PLATE_LETTER + r"0-9]{5})"
            r"(?![0-9A-Za-z])"
        ),
    ),
]


@dataclass(frozen=True, slots=True)
class Leak:
    """A span of text that would identify someone if published."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(LEAK_LABELS[self.kind])


def is_valid_id_card(number: str) -> bool:
    """True if ``number`` is an 18-character resident ID number whose last
    character is the check digit of GB 11643-1999 (ISO 7064 MOD 11-2)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def is_valid_credit_code(code: str) -> bool:
    """True if ``code`` is an 18-character unified social credit code whose
    last character is the check character of GB 32100-2015 (MOD 31)."""
    code = code.upper()
    if len(code) != 18 or any(ch not in _CREDIT_CHARS for ch in code):
        return False
    total = sum(
        _CREDIT_CHARS.index(ch) * w
        for ch, w in zip(code[:17], _CREDIT_WEIGHTS, strict=True)
    )
    return _CREDIT_CHARS[(31 - total % 31) % 31] == code[17]


def surname_of(name: str) -> str:
    """The surname of a Chinese name: a compound surname (欧阳) when the name
    starts with one and has a given name after it, else the first character."""
    name = name.strip()
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def _clean_names(names: Iterable[str]) -> list[str]:
    """Names worth looking for, longest first so that 欧阳明华 is replaced
    before 欧阳明 could cut it in two. A single character is no name to hunt:
    it would hit every word that shares it."""
    cleaned = {re.sub(r"\s+", "", str(n)) for n in names if n}
    cleaned = {n for n in cleaned if len(n) >= 2 and not n.endswith("某")}
    return sorted(cleaned, key=lambda n: (-len(n), n))


def _pattern_spans(text: str) -> list[Leak]:
    taken: list[tuple[int, int]] = []
    found: list[Leak] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            value = match.group()
            if kind == "credit_code" and not is_valid_credit_code(value):
                continue
            # An 18-digit number shaped like an ID card (area, birth date,
            # sequence) is masked even when its check digit fails: a
            # mistyped ID number identifies a person just as well. The check
            # digit decides only the label shown to the editor.
            taken.append((start, end))
            found.append(Leak(kind, start, end, value))
    return found


def _name_spans(text: str, names: list[str]) -> list[Leak]:
    found: list[Leak] = []
    taken: list[tuple[int, int]] = []
    for name in names:
        for match in re.finditer(re.escape(name), text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append(Leak("name", start, end, name))
    return found


def find_leaks(text: str, names: Iterable[str] = ()) -> list[Leak]:
    """Every span of ``text`` that identifies a person: the known parties'
    names and the number patterns listed in the module docstring, in order
    of position. Empty means the text may be published (Art. 22)."""
    text = text or ""
    leaks = _pattern_spans(text) + _name_spans(text, _clean_names(names))
    leaks.sort(key=lambda leak: (leak.start, -leak.end))
    # A name inside an e-mail address, say, is one leak, not two.
    merged: list[Leak] = []
    for leak in leaks:
        if merged and leak.start < merged[-1].end:
            continue
        merged.append(leak)
    return merged


def redact(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with the parties' ``names`` shortened to surname + 某 and ID
    card, telephone, credit code, plate and e-mail numbers masked with ``*``
    (Art. 22 clarification notices). Everything else is left as written."""
    text = text or ""
    pieces: list[str] = []
    position = 0
    for leak in find_leaks(text, names):
        pieces.append(text[position : leak.start])
        if leak.kind == "name":
            pieces.append(surname_of(leak.text) + "某")
        else:
            pieces.append(re.sub(r"[^\s\-－·・•.@()（）]", MASK, leak.text))
        position = leak.end
    pieces.append(text[position:])
    return "".join(pieces)


# --- One decision over a notice ---------------------------------------------------

NOTICE_FIELDS = ("title", "body")


def names_from_text(raw: str) -> list[str]:
    """The parties' names as the editor lists them, one per line."""
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


def notice_leaks(values: Mapping[str, str], party_names: str) -> dict[str, list[Leak]]:
    """What in a clarification notice's ``values`` (title and body) still
    identifies someone, field by field; fields without a leak are left out.
    Empty means the notice may be published (Art. 22)."""
    names = names_from_text(party_names)
    found = {
        field: find_leaks(values.get(field) or "", names) for field in NOTICE_FIELDS
    }
    return {field: spans for field, spans in found.items() if spans}


def leak_summary(leaks: Iterable[Leak]) -> str:
    return "；".join(f"{leak.label}“{leak.text}”" for leak in leaks)
