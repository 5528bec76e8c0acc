"""PDFs: parsed with qpdf (through pikepdf), every object inspected.

A pattern over the raw bytes misses what a reader still runs: a name written
with escapes (``/J#61vaScript`` is ``/JavaScript``), a dictionary inside a
compressed object stream, an ``/AA`` additional action. The parser decodes
names and unpacks object streams, so every dictionary of the file, direct or
indirect, reachable or not, is looked at here.

Links are a choice (本机构工作规则): a ``/URI`` action to an http, https or
mailto address is kept, because documents saved from web pages and office
programs carry them and a reader asks before following one; any other scheme
(``javascript:``, ``file:``, a network share that hands over the reader's
Windows credentials) is refused.
"""

from __future__ import annotations

import io
import zlib

import pikepdf
from django.utils.translation import gettext, gettext_lazy

from portal.uploads.common import Limits, UploadRefused, mismatch, unreadable

# Keys whose presence alone means active content, with what to tell the user.
ACTIVE_KEYS = {
    "/JS": gettext_lazy("JavaScript script"),
    "/JavaScript": gettext_lazy("JavaScript script"),
    "/AA": gettext_lazy("automatically triggered action"),
    "/XFA": gettext_lazy("XFA dynamic form"),
    "/EmbeddedFiles": gettext_lazy("embedded file"),
    "/EF": gettext_lazy("embedded file"),
    "/RichMediaContent": gettext_lazy("rich media (Flash etc.)"),
    "/RichMediaSettings": gettext_lazy("rich media (Flash etc.)"),
}
# Action types (/S) that run, send, fetch or open something.
ACTIVE_ACTIONS = {
    "/JavaScript": gettext_lazy("JavaScript script"),
    "/Launch": gettext_lazy("action launching an external program"),
    "/SubmitForm": gettext_lazy("action submitting a form elsewhere"),
    "/ImportData": gettext_lazy("action importing external data"),
    "/GoToR": gettext_lazy("action opening another file"),
    "/GoToE": gettext_lazy("action opening an embedded file"),
    "/Rendition": gettext_lazy("multimedia playback action"),
    "/RichMediaExecute": gettext_lazy("rich media (Flash etc.)"),
}
# Object types (/Type, /Subtype) that hold a program or a file.
ACTIVE_TYPES = {
    "/EmbeddedFile": gettext_lazy("embedded file"),
    "/FileAttachment": gettext_lazy("file attachment annotation (embedded file)"),
    "/RichMedia": gettext_lazy("rich media (Flash etc.)"),
    "/3D": gettext_lazy("3D object (may contain scripts)"),
}
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
MAX_OBJECTS = 200_000
# Sub-objects worth walking into; numbers, strings and booleans hold nothing.
CONTAINERS = (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream, pikepdf.Name)


def active(name: str, what: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "“%(name)s” contains executable content (%(what)s) and was refused. "
            "Please “print to PDF” in your reader, or save it as a plain PDF, and "
            "upload that."
        )
        % {"name": name, "what": what}
    )


def check_pdf(name: str, content: bytes, limits: Limits) -> None:
    if not content[:1024].lstrip().startswith(b"%PDF-"):
        raise mismatch(name)
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:
                raise encrypted(name)
            _check_object_streams(name, pdf, limits)
            for obj in pdf.objects:
                finding = _active_content(obj)
                if finding:
                    raise active(name, finding)
    except UploadRefused:
        raise
    except pikepdf.PasswordError as error:
        raise encrypted(name) from error
    except Exception as error:
        # qpdf reports damage in many ways (PdfError, RuntimeError, ValueError,
        # RecursionError on absurd nesting); every one is a refusal.
        raise unreadable(name, " PDF ") from error


def _check_object_streams(name: str, pdf: pikepdf.Pdf, limits: Limits) -> None:
    """Measure the object streams before qpdf unpacks them: every object in
    them is read into memory, so a small file could otherwise inflate into
    gigabytes (a compression bomb). Only the cross-reference table is read
    here, and each object stream is inflated by us, counting, up to the cap."""
    xref = pdf.get_xref_table()
    if len(xref) > MAX_OBJECTS:
        raise UploadRefused(
            gettext("“%(name)s” is too complex to check and was refused.")
            % {"name": name}
        )
    numbers = {entry.obj_stream_number for entry in xref.values() if entry.type == 2}
    budget = limits.max_unpacked_bytes
    for number in sorted(numbers):
        stream = pdf.get_object((number, 0))
        if not isinstance(stream, pikepdf.Stream):
            raise unreadable(name, " PDF ")
        filters = stream.stream_dict.get("/Filter")
        if isinstance(filters, pikepdf.Array) and len(filters) == 1:
            filters = filters[0]
        raw = stream.read_raw_bytes()
        if filters is None:
            budget -= len(raw)
        elif filters == pikepdf.Name.FlateDecode:
            budget -= _inflated_size(raw, budget)
        else:
            # Object streams are Flate-compressed in practice; another filter
            # chain could not be measured before qpdf decodes it.
            raise unreadable(name, " PDF ")
        if budget < 0:
            raise UploadRefused(
                gettext("“%(name)s” is too large once unpacked and was refused.")
                % {"name": name}
            )


def _inflated_size(raw: bytes, cap: int) -> int:
    """How many bytes ``raw`` inflates to, counting at most ``cap + 1``."""
    inflater = zlib.decompressobj()
    size, pending = 0, raw
    try:
        while pending and size <= cap:
            size += len(inflater.decompress(pending, 1024 * 1024))
            pending = inflater.unconsumed_tail
        if size <= cap:
            size += len(inflater.flush())
    except zlib.error:
        # Damaged data: qpdf decodes what it can, which is no more than this.
        pass
    return size


def encrypted(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "“%(name)s” is encrypted or password-protected, so its content cannot be "
            "checked; it was refused. Please remove the password and upload it again."
        )
        % {"name": name}
    )


def _active_content(root) -> str | None:
    """What active content ``root`` (one indirect object) holds, walking its
    direct sub-objects; other indirect objects are visited on their own."""
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Name):
            what = ACTIVE_ACTIONS.get(str(obj)) or ACTIVE_TYPES.get(str(obj))
            if what:
                return what
            continue
        if isinstance(obj, pikepdf.Dictionary):
            items = list(obj.items())
            for key, _value in items:
                if key in ACTIVE_KEYS:
                    return ACTIVE_KEYS[key]
            finding = _action(obj)
            if finding:
                return finding
            children = [value for _key, value in items]
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, CONTAINERS) and not child.is_indirect
        )
    return None


def _action(obj: pikepdf.Dictionary) -> str | None:
    kind = obj.get("/S")
    if not isinstance(kind, pikepdf.Name) or str(kind) != "/URI":
        return None
    target = obj.get("/URI")
    uri = str(target) if target is not None else ""
    if not uri.strip().lower().startswith(SAFE_URI_SCHEMES):
        return gettext("link to something other than a web address")
    return None
