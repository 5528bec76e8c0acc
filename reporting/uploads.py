"""What a reporter may attach, checked by content and not by name.

A file must be one of a few kinds (images, PDF, office documents), its bytes
must be that kind whatever its extension says (an HTML page named .png is
refused, an SVG is never accepted), and images are decoded and written anew,
which drops EXIF (GPS position, camera serial) and anything hidden after the
image data.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPT = ",".join(f".{ext}" for ext in CONTENT_TYPES)
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# Active content that has no business in evidence sent to a government office.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction)\b")


class UploadRefused(ValueError):
    """The file is not accepted; the message says why, in Chinese."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str

    @property
    def size(self) -> int:
        return len(self.content)


def clean_name(name: str) -> str:
    """A display name without directories or control characters."""
    name = unicodedata.normalize("NFKC", os.path.basename(name.replace("\\", "/")))
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    return name.strip()[-150:] or "附件"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check(upload) -> CheckedFile:
    """Check one uploaded file; raise UploadRefused with the reason."""
    name = clean_name(upload.name or "")
    ext = extension(name)
    limit = settings.REPORTING["ATTACHMENT_MAX_BYTES"]
    if ext not in CONTENT_TYPES:
        raise UploadRefused(
            f"“{name}”的文件类型不受支持。可上传图片（JPG、PNG、WEBP）、PDF 和 "
            "Word/Excel 文档。"
        )
    if upload.size > limit:
        raise UploadRefused(
            f"“{name}”超过大小上限（{filesizeformat(limit)}），请压缩或拆分后上传。"
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(f"“{name}”超过大小上限（{filesizeformat(limit)}）。")
    if not content:
        raise UploadRefused(f"“{name}”是空文件。")
    if ext in IMAGE_FORMATS:
        content = _clean_image(name, content, IMAGE_FORMATS[ext])
    elif ext == "pdf":
        _check_pdf(name, content)
    elif ext in OOXML_PART:
        _check_ooxml(name, content, OOXML_PART[ext])
    elif not content.startswith(OLE_MAGIC):
        raise UploadRefused(_mismatch(name))
    return CheckedFile(name=name, content=content, content_type=CONTENT_TYPES[ext])


def _mismatch(name: str) -> str:
    return f"“{name}”的内容与文件扩展名不符，已拒收。请上传原始文件。"


def _clean_image(name: str, content: bytes, expected: str) -> bytes:
    max_pixels = settings.REPORTING["ATTACHMENT_MAX_PIXELS"]
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format != expected:
                raise UploadRefused(_mismatch(name))
            width, height = probe.size
            if width * height > max_pixels:
                raise UploadRefused(f"“{name}”的像素过大，请缩小后上传。")
            probe.verify()
        # verify() leaves the image unusable: decode again to re-encode.
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            return _encode(image, expected)
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UploadRefused(_mismatch(name)) from error
    except Image.DecompressionBombError as error:
        raise UploadRefused(f"“{name}”的像素过大，请缩小后上传。") from error


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Write pixels only: no EXIF, XMP, ICC text or trailing bytes."""
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        # A fresh image gets the pixels and nothing of the source's metadata
        # (text chunks, eXIf, ICC profile).
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        if image.mode == "P":
            clean.putpalette(image.getpalette())
        image = clean
    if fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=90)
    return out.getvalue()


def _check_pdf(name: str, content: bytes) -> None:
    if not content[:1024].lstrip().startswith(b"%PDF-"):
        raise UploadRefused(_mismatch(name))
    if PDF_ACTIVE.search(content):
        raise UploadRefused(
            f"“{name}”含有脚本或内嵌程序等可执行内容，已拒收。请另存为普通 PDF 后上传。"
        )


def _check_ooxml(name: str, content: bytes, required_part: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise UploadRefused(_mismatch(name)) from error
    if "[Content_Types].xml" not in names or required_part not in names:
        raise UploadRefused(_mismatch(name))
    if any(part.lower().endswith("vbaproject.bin") for part in names):
        raise UploadRefused(f"“{name}”含有宏，已拒收。请另存为不含宏的文档后上传。")
    if total > 20 * settings.REPORTING["ATTACHMENT_MAX_BYTES"]:
        raise UploadRefused(f"“{name}”解压后过大，已拒收。")
