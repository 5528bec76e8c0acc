"""Images through the one upload checker: every text and metadata segment is
gone after re-encoding, and oversized canvases are refused before decoding."""

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from portal.uploads import MAX_PIXELS, Limits, UploadRefused, check
from portal.uploads.images import header_size, metadata_segments

IMAGES = ("jpg", "jpeg", "png", "webp")
LIMITS = Limits(max_bytes=10 * 1024 * 1024)
# Strings planted in every metadata segment; none may come back.
MARKERS = {
    "exif": b"ExifMakerMark",
    "gps": b"GPSAreaMark",
    "xmp": b"XmpCreatorMark",
    "comment": "举报人张三".encode(),
    "comment_ascii": b"Reporter Zhang San",
    "iptc": b"IptcBylineMark",
    "app15": b"App15Mark",
    "text": b"TextChunkMark",
    "itxt": "ItxtMark定位".encode(),
}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>XmpCreatorMark</dc:creator></rdf:Description></rdf:RDF>"
    b"</x:xmpmeta>"
)


def _icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "ExifMakerMark"  # Make
    exif[0x0131] = "PhoneSoftware 1.0"  # Software
    if orientation:
        exif[0x0112] = orientation
    # GPSInfo with a position and a processing-area text.
    exif[0x8825] = {
        1: "N",
        2: (36.0, 40.0, 12.0),
        3: "E",
        4: (117.0, 2.0, 30.0),
        0x1C: b"ASCII\0\0\0GPSAreaMark",
    }
    return exif


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def jpeg_with_everything(size=(40, 30), orientation=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(
        out,
        "JPEG",
        exif=_exif(orientation),
        icc_profile=_icc(),
        comment="举报人张三 Reporter Zhang San".encode(),
        xmp=XMP,
    )
    data = out.getvalue()
    iptc = _segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x12IptcBylineMark")
    app15 = _segment(0xEF, b"App15Mark vendor data")
    # Straight after SOI, where cameras and editors put them.
    return data[:2] + iptc + app15 + data[2:]


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_with_everything(mode="RGBA") -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "TextChunkMark")
    info.add_text("Location", "GPSAreaMark 36.67N", zip=True)  # zTXt
    info.add_itxt("Author", "ItxtMark定位", lang="zh", tkey="作者")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    color = (255, 0, 0, 128) if mode == "RGBA" else (255, 0, 0)
    Image.new(mode, (16, 8), color).save(
        out, "PNG", pnginfo=info, exif=_exif(), icc_profile=_icc()
    )
    return out.getvalue()


def webp_with_everything() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(
        out, "WEBP", exif=_exif(), xmp=XMP, icc_profile=_icc()
    )
    return out.getvalue()


def _assert_clean(fmt, original, cleaned, markers):
    for marker in markers:
        assert MARKERS[marker] in original, marker
        assert MARKERS[marker] not in cleaned, marker
    with Image.open(io.BytesIO(original)) as image:
        assert image.info.get("icc_profile"), "the fixture carries an ICC profile"
    assert b"acsp" not in cleaned  # every ICC profile carries this signature
    assert b"http://ns.adobe.com/xap/1.0/" not in cleaned
    assert b"Exif\0\0" not in cleaned
    assert metadata_segments(fmt, cleaned) == []
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == fmt
        assert not image.getexif()
        for key in ("exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"):
            assert key not in image.info


def test_jpeg_loses_exif_gps_xmp_icc_iptc_comments_and_appn():
    original = jpeg_with_everything()
    assert set(metadata_segments("JPEG", original)) >= {
        "APP1",
        "APP2",
        "APP13",
        "APP15",
        "COM",
    }
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825)[0x1C].endswith(MARKERS["gps"])
        assert image.info["comment"], "the fixture carries a JPEG comment"
    checked = check("现场.jpg", original, kinds=IMAGES, limits=LIMITS)
    _assert_clean(
        "JPEG",
        original,
        checked.content,
        ["exif", "gps", "xmp", "comment", "comment_ascii", "iptc", "app15"],
    )
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (40, 30)
    assert checked.content_type == "image/jpeg"


def test_png_loses_text_ztxt_itxt_exif_and_icc_chunks():
    original = png_with_everything()
    chunks = set(metadata_segments("PNG", original))
    assert chunks >= {"tEXt", "zTXt", "iTXt", "eXIf", "iCCP"}
    checked = check("图.png", original, kinds=IMAGES, limits=LIMITS)
    _assert_clean("PNG", original, checked.content, ["text", "exif", "gps", "itxt"])
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.mode == "RGBA"
        assert image.text == {}
        assert image.getpixel((0, 0)) == (255, 0, 0, 128)


def test_webp_loses_exif_xmp_and_icc_chunks():
    original = webp_with_everything()
    assert set(metadata_segments("WEBP", original)) >= {"EXIF", "XMP ", "ICCP"}
    checked = check("图.webp", original, kinds=IMAGES, limits=LIMITS)
    _assert_clean("WEBP", original, checked.content, ["exif", "gps", "xmp"])


def test_a_comment_added_after_the_image_data_is_gone_too():
    data = jpeg_with_everything() + b"\xff\xfe\x00\x10TrailingMarkXX"
    checked = check("a.jpg", data, kinds=IMAGES, limits=LIMITS)
    assert b"TrailingMark" not in checked.content


def test_orientation_is_applied_before_the_tag_is_dropped():
    # Orientation 6: the camera was turned; the stored 40x30 shows as 30x40.
    original = jpeg_with_everything(size=(40, 30), orientation=6)
    checked = check("竖拍.jpg", original, kinds=IMAGES, limits=LIMITS)
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (30, 40)


def test_palette_transparency_survives():
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    out = io.BytesIO()
    image.save(out, "PNG", transparency=1)
    checked = check("透明.png", out.getvalue(), kinds=IMAGES, limits=LIMITS)
    with Image.open(io.BytesIO(checked.content)) as result:
        assert result.convert("RGBA").getpixel((0, 0))[3] == 0
    assert metadata_segments("PNG", checked.content) == []


def test_without_reencoding_the_original_bytes_are_kept():
    """Casework keeps evidence byte for byte; the checks still run."""
    original = jpeg_with_everything()
    checked = check(
        "现场.jpg", original, kinds=IMAGES, limits=LIMITS, reencode_images=False
    )
    assert checked.content == original


# --- Pixels capped before decoding ---------------------------------------------


def _png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` and whose data is
    garbage: only a check that never decodes refuses it for its size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"not deflate data")
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_claiming(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (8, 8)).save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def _webp_claiming(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "WEBP", exif=b"Exif\0\0MM")  # makes VP8X
    data = bytearray(out.getvalue())
    assert data[12:16] == b"VP8X"
    data[24:27] = (width - 1).to_bytes(3, "little")
    data[27:30] = (height - 1).to_bytes(3, "little")
    return bytes(data)


def test_the_pixel_cap_is_named_and_is_forty_megapixels():
    assert MAX_PIXELS == 40_000_000
    assert LIMITS.max_pixels == MAX_PIXELS


@pytest.mark.parametrize(
    "name,data",
    [
        # 50 MP: under Pillow's own refusal (2 x 89 MP), over ours.
        ("大图.png", _png_header_claiming(10_000, 5_000)),
        ("大图.jpg", _jpeg_claiming(8_000, 6_000)),
        ("大图.webp", _webp_claiming(9_000, 9_000)),
        # 4 gigapixels declared in a few bytes.
        ("炸弹.png", _png_header_claiming(65_535, 65_535)),
    ],
)
def test_oversized_canvases_are_refused_from_the_header(name, data):
    assert len(data) < 2_000
    with pytest.raises(UploadRefused, match=f"“{name}”的像素过大"):
        check(name, data, kinds=IMAGES, limits=LIMITS)


def test_header_sizes_are_read_without_a_decoder():
    assert header_size("PNG", _png_header_claiming(123, 45)) == (123, 45)
    assert header_size("JPEG", _jpeg_claiming(321, 54)) == (321, 54)
    assert header_size("WEBP", _webp_claiming(700, 60)) == (700, 60)
    assert header_size("PNG", b"GIF89a") is None


def test_a_header_under_the_cap_with_broken_data_is_refused_as_damaged():
    with pytest.raises(UploadRefused, match="不是有效的图片文件或已损坏"):
        check("坏.png", _png_header_claiming(100, 100), kinds=IMAGES, limits=LIMITS)


def test_a_lower_cap_applies(settings):
    out = io.BytesIO()
    Image.new("L", (200, 200)).save(out, "PNG")
    with pytest.raises(UploadRefused, match="像素过大"):
        check("图.png", out.getvalue(), kinds=IMAGES, limits=Limits(1024**2, 100))


@pytest.mark.parametrize(
    "name,data",
    [
        ("图.jpg", _png_header_claiming(10, 10)),
        ("图.png", b"GIF89a" + b"\0" * 40),
        ("图.webp", b"RIFF\0\0\0\0WAVEfmt "),
        ("图.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    ],
)
def test_other_bytes_under_an_image_name_are_refused(name, data):
    with pytest.raises(UploadRefused, match="内容与文件扩展名不符"):
        check(name, data, kinds=IMAGES, limits=LIMITS)


def test_the_named_cap_decides_not_pillows_warning(monkeypatch):
    """Pillow warns above its own limit and refuses only above twice it;
    the portal's cap is the one that counts, Pillow's error a backstop."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    out = io.BytesIO()
    Image.new("RGB", (50, 30), "red").save(out, "PNG")  # 1,500: only a warning
    assert check("图.png", out.getvalue(), kinds=IMAGES, limits=LIMITS)
    out = io.BytesIO()
    Image.new("RGB", (50, 50), "red").save(out, "PNG")  # 2,500: Pillow's error
    with pytest.raises(UploadRefused, match="像素过大"):
        check("图.png", out.getvalue(), kinds=IMAGES, limits=LIMITS)
