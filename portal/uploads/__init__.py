"""The one upload checker: every file the portal accepts, from the public
(reporting) or from staff (casework), is judged here by its bytes, not its
name.

``check(name, data, kinds=..., limits=...)`` is a pure function: given a
name, the bytes (or an open file), the kinds the caller accepts and the
limits, it returns a ``CheckedFile`` or raises ``UploadRefused`` with a
Chinese message naming the file. It touches no database, cache or request,
so a caller decides when to run it (after its own cheaper checks) and what
to do with the result.

What each kind must pass:
- images (JPG, PNG, WEBP): dimensions from the header under the pixel cap
  before any decoder runs; decoded by the one decoder for the extension;
  re-encoded from pixels alone when the caller asks (``reencode_images``),
  see ``portal.uploads.images``;
- PDF: parsed, no active content in any object, not encrypted
  (``portal.uploads.pdf``);
- Word/Excel/PowerPoint, old and new formats: no macros, ActiveX, embedded
  packages, external templates or objects, not encrypted
  (``portal.uploads.office``);
- ZIP: sizes capped, nothing encrypted, and every member one of the
  caller's kinds that passes the same checks;
- text: UTF-8 or GB18030 text, not markup; MP3 and MP4: their signatures.

When the caller asks (``strip_metadata``, the reporting form does), PDFs
and 2007+ Office files are stored rewritten without their authors, dates
and other personal metadata, and old-format Office files are refused, see
``portal.uploads.metadata``. Casework keeps staff's evidence byte for byte.

A plugin states what one of its forms accepts once, as a :class:`Policy`
(kinds, limits read from its settings, images re-encoded or not, metadata
stripped or not), and uses it for the file input's ``accept``
(``policy.accept``), as a form field validator (``policy.validate``) or to
get the bytes to store (``policy.check``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from portal.uploads import images, metadata, office, pdf
from portal.uploads.common import (
    MAX_PIXELS,
    CheckedFile,
    Limits,
    UploadRefused,
    clean_name,
    extension,
    mismatch,
    unreadable,
)

logger = logging.getLogger(__name__)

__all__ = [
    "KINDS",
    "MAX_PIXELS",
    "CheckedFile",
    "Kind",
    "Limits",
    "Policy",
    "UploadRefused",
    "accept_attribute",
    "check",
    "clean_name",
    "extension",
]


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str


KINDS = {
    "jpg": Kind("image/jpeg", "JPG"),
    "jpeg": Kind("image/jpeg", "JPG"),
    "png": Kind("image/png", "PNG"),
    "webp": Kind("image/webp", "WEBP"),
    "pdf": Kind("application/pdf", "PDF"),
    "doc": Kind("application/msword", "Word"),
    "xls": Kind("application/vnd.ms-excel", "Excel"),
    "ppt": Kind("application/vnd.ms-powerpoint", "PowerPoint"),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
    ),
    "pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
    ),
    "zip": Kind("application/zip", "ZIP"),
    "txt": Kind("text/plain", "TXT"),
    "mp3": Kind("audio/mpeg", "MP3"),
    "mp4": Kind("video/mp4", "MP4"),
}
# Markup that a browser or office program could treat as a page, refused
# in a file that claims to be plain text.
MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<body")


def accept_attribute(kinds: Collection[str]) -> str:
    """The file input's ``accept`` value for these kinds."""
    return ",".join(f".{ext}" for ext in kinds)


@dataclass(frozen=True)
class Policy:
    """What one upload field accepts, and how its files are checked.

    ``kinds`` are the extensions accepted (keys of :data:`KINDS`);
    ``limits`` is called at each check, so the caps come from the settings
    of the moment; ``offered`` are the kinds the file chooser offers (all
    of ``kinds`` by default: a kind accepted but not offered still gets its
    own refusal, not "type not supported"); ``reencode_images`` and
    ``strip_metadata`` are passed to :func:`check`."""

    kinds: tuple[str, ...]
    limits: Callable[[], Limits]
    offered: tuple[str, ...] | None = None
    reencode_images: bool = True
    strip_metadata: bool = False

    @property
    def accept(self) -> str:
        """The file input's ``accept`` value."""
        return accept_attribute(self.kinds if self.offered is None else self.offered)

    def check(self, upload) -> CheckedFile:
        """Check one uploaded file (a Django upload, or anything with
        ``name`` and ``read``); raise UploadRefused with the reason. The
        file is rewound afterwards, for whoever saves it as it came."""
        try:
            return check(
                upload.name or "",
                upload,
                kinds=self.kinds,
                limits=self.limits(),
                reencode_images=self.reencode_images,
                strip_metadata=self.strip_metadata,
            )
        finally:
            if hasattr(upload, "seek"):
                upload.seek(0)

    def validate(self, upload) -> None:
        """A form field validator: ValidationError with the refusal's reason."""
        try:
            self.check(upload)
        except UploadRefused as refused:
            raise ValidationError(str(refused)) from refused


def check(
    name: str,
    data,
    *,
    kinds: Collection[str],
    limits: Limits,
    reencode_images: bool = True,
    strip_metadata: bool = False,
) -> CheckedFile:
    """Check one file; raise UploadRefused with the reason.

    ``data`` is bytes or a file object (a Django upload): at most one byte
    over the limit is read from it, so an oversized file is refused without
    being held in memory."""
    name = clean_name(name or "")
    ext = extension(name)
    if ext not in kinds or ext not in KINDS:
        labels = "、".join(dict.fromkeys(KINDS[k].label for k in kinds if k in KINDS))
        raise UploadRefused(
            gettext(
                "The file type of “%(name)s” is not accepted. You can upload: "
                "%(kinds)s."
            )
            % {"name": name, "kinds": labels}
        )
    content = _read(name, data, limits)
    try:
        content = _check_content(name, content, ext, kinds, limits, reencode_images)
        if strip_metadata:
            content = _strip_metadata(name, content, ext, limits)
    except UploadRefused:
        raise
    except Exception as error:
        # Each checker turns the parsers' errors into refusals; anything
        # that still escapes is a gap in them, and the hostile file that
        # found it gets a refusal, not a server error. The log names no file.
        logger.exception("Upload check failed unexpectedly for a .%s file", ext)
        raise unreadable(name, "") from error
    return CheckedFile(name=name, content=content, content_type=KINDS[ext].content_type)


def _check_content(name, content, ext, kinds, limits, reencode_images) -> bytes:
    """The bytes to store, after the checks for ``ext``."""
    if ext in images.FORMATS:
        content = images.check_image(
            name, content, ext, limits, reencode=reencode_images
        )
    elif ext == "pdf":
        pdf.check_pdf(name, content, limits)
    elif ext in office.OLE_MAIN_STREAMS:
        office.check_ole(name, content, ext, limits)
    elif ext in office.OOXML_MAIN_PARTS:
        office.check_ooxml(name, content, ext, limits)
    elif ext == "zip":
        _check_zip(name, content, kinds, limits)
    elif ext == "txt":
        _check_text(name, content)
    elif ext == "mp3":
        _check_mp3(name, content)
    elif ext == "mp4":
        _check_mp4(name, content)
    return content


def _strip_metadata(name, content, ext, limits) -> bytes:
    """The checked bytes without the personal metadata of documents."""
    if ext == "pdf":
        return metadata.strip_pdf(name, content)
    if ext in office.OOXML_MAIN_PARTS:
        return metadata.strip_ooxml(name, content, limits)
    if ext in office.OLE_MAIN_STREAMS:
        raise metadata.ole_refused(name)
    if ext == "zip":
        # Nothing inside an archive is rewritten.
        raise UploadRefused(
            gettext(
                "“%(name)s” is an archive: the metadata of the files in it cannot be "
                "removed, so it was refused."
            )
            % {"name": name}
        )
    return content


def too_large(name: str, limits: Limits) -> UploadRefused:
    return UploadRefused(
        gettext(
            "“%(name)s” is over the size limit (%(limit)s): please compress or split "
            "it and upload again."
        )
        % {"name": name, "limit": filesizeformat(limits.max_bytes)}
    )


def _read(name: str, data, limits: Limits) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        content = bytes(data)
    else:
        declared = getattr(data, "size", None)
        if declared is not None and declared > limits.max_bytes:
            raise too_large(name, limits)
        if hasattr(data, "seek"):
            data.seek(0)
        content = data.read(limits.max_bytes + 1)
    if len(content) > limits.max_bytes:
        raise too_large(name, limits)
    if not content:
        raise UploadRefused(gettext("“%(name)s” is an empty file.") % {"name": name})
    return content


def _check_zip(name: str, content: bytes, kinds: Collection[str], limits: Limits):
    """Every member must be a kind the caller accepts and pass its check: an
    archive is not a way round the checks. Archives inside are refused."""
    inner_kinds = [kind for kind in kinds if kind != "zip"]
    with office.open_zip(name, content, limits) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = clean_name(info.filename)
            if extension(member) not in inner_kinds:
                raise UploadRefused(
                    gettext(
                        "The type of “%(member)s” in “%(name)s” is not accepted: the "
                        "whole archive was refused."
                    )
                    % {"name": name, "member": member}
                )
            try:
                with archive.open(info) as stream:
                    data = stream.read()
            except Exception as error:
                # A CRC mismatch or broken deflate data in a member.
                raise unreadable(name, " ZIP ") from error
            try:
                check(
                    member,
                    data,
                    kinds=inner_kinds,
                    limits=limits,
                    reencode_images=False,
                )
            except UploadRefused as refused:
                raise UploadRefused(
                    gettext("In the archive “%(name)s”: %(reason)s")
                    % {"name": name, "reason": refused}
                ) from refused


def _check_text(name: str, content: bytes) -> None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise mismatch(name)
    if any(ord(char) < 32 and char not in "\t\r\n\f" for char in text):
        raise mismatch(name)
    if text.lstrip().lower().encode().startswith(MARKUP_STARTS):
        raise mismatch(name)


def _check_mp3(name: str, content: bytes) -> None:
    frame_sync = len(content) > 1 and content[0] == 0xFF and content[1] & 0xE0 == 0xE0
    if not (content.startswith(b"ID3") or frame_sync):
        raise mismatch(name)


def _check_mp4(name: str, content: bytes) -> None:
    if content[4:8] != b"ftyp":
        raise mismatch(name)
