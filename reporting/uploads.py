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
    KINDS,
    CheckedFile,
    Limits,
    UploadRefused,
    accept_attribute,
    clean_name,
    extension,
)
from portal.uploads import check as check_file

__all__ = ["ACCEPT", "ALLOWED", "CheckedFile", "UploadRefused", "check", "clean_name"]
__all__ += ["extension", "limits"]

ALLOWED = ("jpg", "jpeg", "png", "webp", "pdf", "doc", "xls", "docx", "xlsx")
CONTENT_TYPES = {ext: KINDS[ext].content_type for ext in ALLOWED}
ACCEPT = accept_attribute(ext for ext in ALLOWED if ext not in ("doc", "xls"))


def limits() -> Limits:
    return Limits(
        max_bytes=settings.REPORTING["ATTACHMENT_MAX_BYTES"],
        max_pixels=settings.REPORTING["ATTACHMENT_MAX_PIXELS"],
    )


def check(upload) -> CheckedFile:
    """Check one uploaded file; raise UploadRefused with the reason."""
    return check_file(
        upload.name or "",
        upload,
        kinds=ALLOWED,
        limits=limits(),
        reencode_images=True,
        strip_metadata=True,
    )
