"""The cover of a measure, everything before its first chapter, article or
point: document number, issuing body, signature date, the title, and the
adoption and amendment history. Each line is first told apart by its shape
(:func:`classify`), then the fields are read from the kinds of line that
carry them, in the order the published forms put them."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from . import model
from .dates import DATE, DATE_RE, to_date, whole_date
from .model import Measure
from .text import CJK, NUMERAL, ascii_digits, number, squash

#: The end of an issuing body's name.
BODY_END = (
    r"(?:人民政府|常务委员会|人民代表大会|国务院|委员会|办公室|办公厅|人民法院|"
    r"人民检察院|政府|局|厅|部|院|委|办|署|会)"
)
BODY_RE = re.compile(rf"^[{CJK}（）]{{2,30}}{BODY_END}$")
_BRACKETS = r"[〔\[［【(（]"
_CLOSE = r"[〕\]］】)）]"
DOCNO_RE = re.compile(rf"^([{CJK}]{{0,20}}){_BRACKETS}(\d{{4}}){_CLOSE}(\d{{1,5}})号$")
HEADER_RE = re.compile(
    rf"^([{CJK}]{{2,30}}?{BODY_END})(令|公告)(?:[（(]?第({NUMERAL})号[）)]?)?$"
)
SERIAL_RE = re.compile(rf"^[（(]?第({NUMERAL})号[）)]?$")
SIGNER_ROLE_RE = re.compile(
    rf"^(?:代理?)?(?:总理|省长|市长|区长|县长|州长|主席|主任|局长|厅长|部长)[{CJK}]{{2,4}}$"
)
NOTE_RE = re.compile(r"^[（(]此件[^）)]*[）)]$")
#: One event of an adoption/amendment history: a date, then who did what.
_EVENT_RE = re.compile(rf"({DATE})(.*?)(?=(?:根据)?{DATE}|$)")
_ACTION_RE = re.compile(r"(通过|批准|修订|修正|公布|发布|施行)")
_MEETING_RE = re.compile(
    rf"^(?:根据)?([{CJK}]{{2,20}}?)(?:第[{CJK}0-9]{{1,4}}届)?"
    rf"((?:人民代表大会常务委员会|人民代表大会|人民政府))"
)
_ORDER_REF_RE = re.compile(rf"([{CJK}]{{2,30}}?{BODY_END})令第({NUMERAL})号")
_NOTICE_TITLE_RE = re.compile(r"^(?:.*?)关于印发(.+?)的通知$")
_TITLE_PREFIX_RE = re.compile(rf"^([{CJK}]{{2,30}}?{BODY_END})关于")
_SENTENCE = re.compile(r"[。；;!！?？]|[，,].{4,}")

DOCNO, HEADER, SERIAL, DATE_LINE, HISTORY, SIGNER, NOTE, ADDRESSEE, PARAGRAPH, TITLE = (
    "docno",
    "header",
    "serial",
    "date",
    "history",
    "signer",
    "note",
    "addressee",
    "paragraph",
    "title",
)


@dataclass
class Event:
    """One entry of an adoption/amendment history line."""

    date: datetime.date
    action: str
    body: str
    order_number: str = ""


def classify(line: str) -> str:
    compact = ascii_digits(squash(line))
    if DOCNO_RE.match(compact):
        return DOCNO
    if HEADER_RE.match(compact):
        return HEADER
    if SERIAL_RE.match(compact):
        return SERIAL
    if whole_date(line):
        return DATE_LINE
    if NOTE_RE.match(compact):
        return NOTE
    if history_events(line):
        return HISTORY
    if (BODY_RE.match(compact) and len(compact) <= 30) or SIGNER_ROLE_RE.match(compact):
        return SIGNER
    if compact.endswith(("：", ":")):
        return ADDRESSEE
    if _SENTENCE.search(compact) or len(compact) > 80:
        return PARAGRAPH
    return TITLE


def history_events(line: str) -> list[Event]:
    """The events of an adoption/amendment history line, (2014年11月27日山东省
    第十二届人民代表大会常务委员会第十一次会议通过　根据…修正), with or without
    its brackets; [] for any other line."""
    text = squash(line)
    if text[:1] in "（(" and text[-1:] in "）)":
        text = text[1:-1]
    if not DATE_RE.match(text) or "。" in text:
        return []
    events = []
    for match in _EVENT_RE.finditer(text):
        date = to_date(DATE_RE.match(match.group(1)))
        rest = match.group(5)
        actions = _ACTION_RE.findall(rest)
        if date is None or not actions:
            return []
        order = _ORDER_REF_RE.search(rest)
        meeting = _MEETING_RE.match(rest)
        if order:
            body = order.group(1)
            order_number = f"{order.group(1)}令第{ascii_digits(order.group(2))}号"
        elif meeting:
            body, order_number = meeting.group(1) + meeting.group(2), ""
            if (
                meeting.group(2) != "人民政府"
                and "常务委员会" in rest[meeting.end() :][:8]
            ):
                body += "常务委员会"
        else:
            body, order_number = "", ""
        events.append(Event(date, actions[-1], body, order_number))
    return events


def _document_number(kinds: list[tuple[str, str]]) -> str:
    for index, (kind, line) in enumerate(kinds):
        compact = ascii_digits(squash(line))
        if kind == DOCNO:
            match = DOCNO_RE.match(compact)
            return f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号"
        if kind == HEADER:
            match = HEADER_RE.match(compact)
            serial = match.group(3)
            if (
                serial is None
                and index + 1 < len(kinds)
                and kinds[index + 1][0] == SERIAL
            ):
                serial = SERIAL_RE.match(
                    ascii_digits(squash(kinds[index + 1][1]))
                ).group(1)
            if serial is not None:
                return f"{match.group(1)}{match.group(2)}第{_serial(serial)}号"
    serials = [line for kind, line in kinds if kind == SERIAL]
    if serials:
        # A number without the header it belongs to: as the cover writes it.
        return (
            f"第{_serial(SERIAL_RE.match(ascii_digits(squash(serials[0]))).group(1))}号"
        )
    return ""


def _serial(text: str) -> str:
    """An order's or announcement's number as digits (第四十四号 -> 第44号):
    the same document whichever way the page wrote it."""
    try:
        return str(number(text))
    except ValueError:
        return squash(text)


def read_cover(lines: list[str], measure: Measure) -> None:
    """Fill ``measure``'s cover fields from the cover's non-empty lines."""
    kinds = [(classify(line), line) for line in lines]
    # Runs of title-shaped lines: the measure's title is the last one, a
    # covering notice's (关于印发…的通知) the first that reads as one.
    runs = [
        (s, e, "".join(squash(line) for _, line in kinds[s:e])) for s, e in _runs(kinds)
    ]
    start, end, title = runs[-1] if runs else (0, 0, "")
    notice = _NOTICE_TITLE_RE.match(title)
    notice_title = next(
        (text for _s, _e, text in runs if _NOTICE_TITLE_RE.match(text)), ""
    )
    if notice:
        # The measure has no title of its own after its covering notice:
        # the one the notice gives it.
        title = notice.group(1).replace("《", "").replace("》", "")
    measure.title = title

    events = [
        event
        for kind, line in kinds
        if kind == HISTORY
        for event in history_events(line)
    ]
    enacted = [e for e in events if e.action not in ("批准", "施行")]
    latest = max(enacted, key=lambda e: e.date) if enacted else None

    measure.document_number = _document_number(kinds) or next(
        (e.order_number for e in reversed(events) if e.order_number), ""
    )
    headers = [line for kind, line in kinds if kind == HEADER]
    header = HEADER_RE.match(ascii_digits(squash(headers[0]))) if headers else None
    prefix = _TITLE_PREFIX_RE.match(notice_title or measure.title)
    signers = [
        squash(line)
        for kind, line in kinds
        if kind == SIGNER and BODY_RE.match(squash(line))
    ]
    measure.issuing_body = (
        (header.group(1) if header else "")
        or (prefix.group(1) if prefix else "")
        or (signers[-1] if signers else "")
        or (latest.body if latest else "")
    )
    dates = [whole_date(line) for kind, line in kinds if kind == DATE_LINE]
    measure.issue_date = dates[-1] if dates else (latest.date if latest else None)

    if header and header.group(2) == "公告":
        measure.form = model.ANNOUNCEMENT
    elif measure.title.endswith("决定"):
        measure.form = model.DECISION
    elif header:
        measure.form = model.ORDER
    elif notice_title:
        measure.form = model.NOTICE
    elif measure.title.endswith("条例") and events:
        measure.form = model.REGULATION
    else:
        measure.form = model.BARE

    skipped = {DOCNO, HEADER, SERIAL, NOTE}
    # After the title, sentences are the measure's own lead paragraphs; an
    # adoption note there (（…通过）) still belongs to the cover.
    lead = {
        index
        for index, (kind, _line) in enumerate(kinds)
        if end and index >= end and kind in (PARAGRAPH, ADDRESSEE)
    }
    measure.preamble = "\n".join(
        line
        for index, (kind, line) in enumerate(kinds)
        if kind not in skipped and not start <= index < end and index not in lead
    )
    measure.lead = "\n".join(kinds[index][1] for index in sorted(lead))


def _runs(kinds: list[tuple[str, str]]):
    """Every run of title-shaped lines, as (start, end)."""
    index = 0
    while index < len(kinds):
        if kinds[index][0] == TITLE:
            start = index
            while index < len(kinds) and kinds[index][0] == TITLE:
                index += 1
            yield start, index
        else:
            index += 1


def read_validity(measure: Measure, cover_text: str) -> None:
    """The effective and expiry dates the text states: 自…起施行 (or 自公布之日
    起施行: the issue date), 有效期至… or 有效期N年 in the sentence that
    brings the measure into force."""
    body = "\n".join(article.body for article in measure.articles)
    for text in (body, measure.closing, cover_text):
        match = _EFFECTIVE_RE.search(text)
        if match:
            measure.effective_date = to_date(match)
            break
        if _ON_PUBLICATION_RE.search(text):
            measure.effective_date = measure.issue_date
            break
    for sentence in re.split(r"[。\n]", f"{body}\n{measure.closing}"):
        if "有效期" not in sentence or not re.search(r"施行|实施|执行|^本", sentence):
            continue
        until = _EXPIRY_RE.search(sentence)
        if until:
            measure.expiry_date = to_date(until)
            return
        years = _VALID_YEARS_RE.search(sentence)
        start = measure.effective_date
        if years and start:
            count = number(years.group(1))
            try:
                end = start.replace(year=start.year + count)
            except ValueError:  # 29 February
                end = start.replace(year=start.year + count, day=28)
            measure.expiry_date = end - datetime.timedelta(days=1)
            return


_EFFECTIVE_RE = re.compile(rf"自{DATE}起(?:施行|实施|执行|生效)")
_ON_PUBLICATION_RE = re.compile(
    r"自(?:公布|发布|印发|颁布)之日起(?:施行|实施|执行|生效)"
)
_EXPIRY_RE = re.compile(rf"有效期至{DATE}")
_VALID_YEARS_RE = re.compile(rf"有效期(?:为)?({NUMERAL})年")
