"""Log lines that cannot name a reporter (Art. 22).

A log line carrying a client address or user agent, matched with a report's
creation time, names the sender of an anonymous report. Nothing the portal
logs is meant to carry either (gunicorn's access log has its own format, see
``portal.gunicorn_conf``; django-axes is given ``axes_client_str``), and this
filter is the net under that: every handler of the Django and gunicorn logs
runs it, and it replaces whatever looks like an IP address or a user-agent
product token in the message, its arguments and its traceback.

Timestamps are written to the minute (``DATE_FORMAT``): enough to read an
incident, too coarse to pair one line with one request.
"""

from __future__ import annotations

import ipaddress
import logging
import re

ADDRESS = "[地址已隐去]"
AGENT = "[客户端已隐去]"
#: Minute precision, UTC offset included: the site stores UTC and shows
#: Beijing time; a log reader needs to know which one a line is in.
DATE_FORMAT = "%Y-%m-%d %H:%M %z"
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

# Candidates only; each is confirmed by the ipaddress module, so a clock time
# ("17:40:00") or a version ("5.2") is left alone.
_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]*\d)")
_IPV6 = re.compile(
    r"(?<![\w:])\[?((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}"
    r"(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.]+)?)(?![\w:]|\.\d)\]?"
)
# A user agent is a list of product/version tokens with comments:
# "Mozilla/5.0 (X11; Linux x86_64) … Safari/537.36", "curl/8.5.0".
# A dotted version tells it from a path ("/cases/12/").
_AGENT = re.compile(
    r"\b[A-Za-z][\w.+-]*/\d+\.[\w.]*(?:\s*\([^()]*\))?"
    r"(?:\s+[A-Za-z][\w.+-]*/[\w.]+(?:\s*\([^()]*\))?)*"
)


def _address_or_text(match: re.Match, group: int = 0) -> str:
    text = match.group(group)
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return match.group(0)
    return ADDRESS


def scrub(text: str) -> str:
    """``text`` with every IP address and user-agent string replaced."""
    if not text:
        return text
    # Agents first: their versions ("Chrome/120.0.0.0") look like addresses.
    text = _AGENT.sub(AGENT, text)
    text = _IPV6.sub(lambda m: _address_or_text(m, 1), text)
    return _IPV4.sub(_address_or_text, text)


class AnonymizingFilter(logging.Filter):
    """Scrubs a record in place; never drops one (an error must still be
    seen, only without its sender)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log what we have
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        # django.request attaches the request itself; a formatter or handler
        # reading it (address, agent, headers) gets nothing.
        if hasattr(record, "request"):
            record.request = None
        return True


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """django-axes' description of a client in its log lines: the user name
    and the path, never the address or agent it locks on."""
    return f"{{username: {username!r}, path_info: {path_info!r}}}"
