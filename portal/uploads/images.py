"""Images: dimensions read from the header before any decoder runs, then the
pixels written into a new file that carries nothing else.

A photo tells more than its picture: EXIF (GPS position, camera serial,
owner name), XMP, IPTC, ICC profile descriptions, JPEG comments and APPn
segments, PNG text chunks, WebP EXIF/XMP chunks. A reporter's photo must
not carry any of that to the office (Art. 22 protects the reporter), so the
output is built from pixels alone and then read back segment by segment: a
file that still carries anything but picture data is refused rather than
stored.
"""

from __future__ import annotations

import io
import struct
import warnings

from django.utils.translation import gettext
from PIL import Image, ImageCms, ImageOps

from portal.uploads.common import Limits, UploadRefused, mismatch, unreadable

# Extension -> the one Pillow decoder allowed to read it, so hostile bytes
# never reach the other plugins (Pillow otherwise tries every format it has).
FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}

JPEG_SOF = {
    0xC0,
    0xC1,
    0xC2,
    0xC3,
    0xC5,
    0xC6,
    0xC7,
    0xC9,
    0xCA,
    0xCB,
    0xCD,
    0xCE,
    0xCF,
}
# PNG chunks that hold picture data only; everything else (tEXt, zTXt, iTXt,
# eXIf, iCCP, tIME, ...) is metadata.
PNG_PICTURE_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
WEBP_PICTURE_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
# VP8X flag bits announcing an ICC profile, EXIF or XMP chunk.
WEBP_METADATA_FLAGS = 0x20 | 0x08 | 0x04


def header_size(fmt: str, content: bytes) -> tuple[int, int] | None:
    """Width and height as the file's header declares them, read without a
    decoder; None when the header is not one of ``fmt``."""
    try:
        if fmt == "PNG":
            return _png_size(content)
        if fmt == "JPEG":
            return _jpeg_size(content)
        if fmt == "WEBP":
            return _webp_size(content)
    except (struct.error, IndexError):
        return None
    return None


def _png_size(content: bytes) -> tuple[int, int] | None:
    if content[:8] != b"\x89PNG\r\n\x1a\n" or content[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", content[16:24])


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    if content[:2] != b"\xff\xd8":
        return None
    # Every frame header before the scan counts: the largest one is what a
    # decoder may be asked to allocate.
    sizes = []
    pos = 2
    while pos + 4 <= len(content):
        if content[pos] != 0xFF:
            return None
        marker = content[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", content[pos + 2 : pos + 4])
        if marker in JPEG_SOF:
            height, width = struct.unpack(">HH", content[pos + 5 : pos + 9])
            # Height 0 means "given later" (DNL): the size is not knowable here.
            if height == 0 or width == 0:
                return None
            sizes.append((width, height))
        if marker == 0xDA:
            break
        pos += 2 + length
    if not sizes:
        return None
    return max(sizes, key=lambda size: size[0] * size[1])


def _webp_size(content: bytes) -> tuple[int, int] | None:
    if content[:4] != b"RIFF" or content[8:12] != b"WEBP":
        return None
    chunk, data = content[12:16], content[20:30]
    if chunk == b"VP8X":
        width = int.from_bytes(data[4:7], "little") + 1
        height = int.from_bytes(data[7:10], "little") + 1
        return width, height
    if chunk == b"VP8L":
        if data[0] != 0x2F:
            return None
        bits = int.from_bytes(data[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        if data[3:6] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack("<HH", data[6:10])
        return width & 0x3FFF, height & 0x3FFF
    return None


def too_large(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "“%(name)s” has too many pixels: please make it smaller and upload again."
        )
        % {"name": name}
    )


def check_image(
    name: str, content: bytes, ext: str, limits: Limits, *, reencode: bool
) -> bytes:
    """The bytes to store: re-encoded without metadata when ``reencode``,
    else the original after the same checks (casework keeps its evidence
    byte for byte)."""
    fmt = FORMATS[ext]
    size = header_size(fmt, content)
    if size is None:
        raise mismatch(name)
    if size[0] * size[1] > limits.max_pixels:
        raise too_large(name)
    try:
        with warnings.catch_warnings():
            # Our cap, checked above, is the one that counts; Pillow's own
            # warning (and its error at twice its default) stay a backstop.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[fmt]) as image:
                # The decoder's view must agree with the header we measured.
                if image.size[0] * image.size[1] > limits.max_pixels:
                    raise too_large(name)
                image.load()
                if not reencode:
                    return content
                return strip(image, fmt)
    except UploadRefused:
        raise
    except Image.DecompressionBombError as error:
        raise too_large(name) from error
    except Exception as error:
        # Decoders fed hostile bytes raise many kinds of error (OSError,
        # SyntaxError, struct.error, ValueError...); each one is a refusal,
        # never a server error.
        raise unreadable(name, gettext("image")) from error


def strip(image: Image.Image, fmt: str) -> bytes:
    """Pixels only, in a new image whose ``info`` is empty: Pillow's JPEG
    writer otherwise copies the source's COM comment, its PNG writer the ICC
    profile. Colours tagged with an ICC profile are converted to sRGB first so
    the picture still looks the same without the profile."""
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    mode = _target_mode(image, fmt)
    if image.mode != mode:
        image = image.convert(mode)
    clean = Image.new(mode, image.size)
    clean.paste(image)
    if mode == "P":
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=90)
    data = out.getvalue()
    leftovers = metadata_segments(fmt, data)
    if leftovers:
        # Only a change in Pillow's writers could get here; storing the file
        # anyway would break the promise made to the reporter.
        raise UploadRefused(
            gettext(
                "Processing the image failed and its metadata could not be removed, "
                "so it was refused."
            )
        )
    return data


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    # Grey and palette images keep their values: a grey profile barely
    # shifts anything, and the profile is dropped either way.
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output = "RGBA" if image.mode == "RGBA" else "RGB"
        target = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, target, outputMode=output)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken profile: keep the pixels as they are, the profile is
        # dropped either way.
        return image


def _target_mode(image: Image.Image, fmt: str) -> str:
    mode = image.mode
    has_alpha = "A" in mode or "transparency" in image.info
    if fmt == "JPEG":
        return "L" if mode in ("1", "L") else "RGB"
    if mode == "P":
        # A palette with transparency would lose it in a fresh image.
        return "RGBA" if has_alpha else "P"
    if fmt == "PNG" and mode in ("1", "L", "RGB", "RGBA", "LA", "I;16"):
        return "RGBA" if has_alpha and mode in ("RGB", "L") else mode
    return "RGBA" if has_alpha else "RGB"


def metadata_segments(fmt: str, data: bytes) -> list[str]:
    """Names of the segments of an encoded image that are not picture data
    (JPEG APPn other than the bare JFIF header and COM; PNG ancillary chunks;
    WebP chunks other than the bitstream, and metadata flags). Empty means
    the file carries pixels only."""
    if fmt == "JPEG":
        return _jpeg_metadata(data)
    if fmt == "PNG":
        return _png_metadata(data)
    if fmt == "WEBP":
        return _webp_metadata(data)
    return [f"unknown format {fmt}"]


def _jpeg_metadata(data: bytes) -> list[str]:
    found = []
    pos = 2
    while pos + 4 <= len(data):
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        body = data[pos + 4 : pos + 2 + length]
        if marker == 0xFE:
            found.append("COM")
        elif 0xE0 <= marker <= 0xEF:
            # APP0 "JFIF" with no thumbnail (its last two bytes: 0x0 size).
            bare_jfif = (
                marker == 0xE0 and body[:5] == b"JFIF\x00" and body[12:14] == b"\0\0"
            )
            if not bare_jfif:
                found.append(f"APP{marker - 0xE0}")
        if marker == 0xDA:
            break
        pos += 2 + length
    return found


def _png_metadata(data: bytes) -> list[str]:
    found = []
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind not in PNG_PICTURE_CHUNKS:
            found.append(kind.decode("latin-1"))
        pos += 12 + length
    return found


def _webp_metadata(data: bytes) -> list[str]:
    found = []
    pos = 12
    while pos + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[pos : pos + 8])
        if kind not in WEBP_PICTURE_CHUNKS:
            found.append(kind.decode("latin-1"))
        elif kind == b"VP8X" and data[pos + 8] & WEBP_METADATA_FLAGS:
            found.append("VP8X metadata flags")
        pos += 8 + length + (length & 1)
    return found
