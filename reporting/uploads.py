"""What a reporter may attach: reporting's policy over the portal's one
upload checker (``portal.uploads``).

A reporter may send images, PDFs and Word/Excel documents; every image is
re-encoded from its pixels, so nothing but the picture reaches the office
(no GPS position, camera serial, comment or profile: Art. 22 protects the
reporter), and PDFs and .docx/.xlsx files are stored without their authors
and other personal metadata. Old-format .doc/.xls files cannot be cleaned
reliably and are refused with a request to save them as .docx/.xlsx or PDF;
they stay in ``ALLOWED`` so that the reporter reads that request rather
than "type not supported", but the file chooser does not offer them. How
each kind is checked lives in ``portal.uploads``.
"""

from __future__ import annotations

from django.conf import settings

from portal.uploads import (
    CheckedFile,
    Limits,
    Policy,
    UploadRefused,
    clean_name,
    extension,
)

__all__ = ["ACCEPT", "ALLOWED", "CheckedFile", "UploadRefused", "check", "clean_name"]
__all__ += ["POLICY", "extension", "limits"]

ALLOWED = ("jpg", "jpeg", "png", "webp", "pdf", "doc", "xls", "docx", "xlsx")


def limits() -> Limits:
    """The caps of one attachment, from settings.REPORTING."""
    return Limits(
        max_bytes=settings.REPORTING["ATTACHMENT_MAX_BYTES"],
        max_pixels=settings.REPORTING["ATTACHMENT_MAX_PIXELS"],
    )


POLICY = Policy(
    kinds=ALLOWED,
    limits=limits,
    offered=tuple(ext for ext in ALLOWED if ext not in ("doc", "xls")),
    reencode_images=True,
    strip_metadata=True,
)
ACCEPT = POLICY.accept


def check(upload) -> CheckedFile:
    """Check one uploaded file; raise UploadRefused with the reason."""
    return POLICY.check(upload)
