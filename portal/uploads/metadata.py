"""Documents without their authors: what office programs and PDF writers
record about the person who wrote or saved a file, taken out of the bytes a
reporter's attachment is stored as (Art. 22 protects the reporter; images
are re-encoded from pixels in ``portal.uploads.images`` for the same reason).

The content a reader sees is never changed; what goes is:

- Word/Excel/PowerPoint 2007+ (OOXML): the core properties (author, last
  saved by, title, subject, keywords, comments, category, revision number,
  created, modified and printed dates) - the part stays, empty; the
  extended properties keep only counts and the program's name (company,
  manager, template name, hyperlink base go); the custom properties part is
  removed with its relationship and content-type entry; every person named
  in tracked changes, comments, the people/persons lists, shared-workbook
  revision logs and comment author lists becomes 作者1, 作者2... (the same
  person the same label in the whole file, so who changed what stays
  readable), their initials, account ids and the dates of their changes go;
  Excel's record of the folder the file was saved in (``x15ac:absPath``,
  which names the Windows account) and the shared-workbook user name go;
  pictures (JPG, PNG, WEBP) are re-encoded from their pixels like an
  attached photo; embedded 2007+ documents are cleaned the same way; the
  ZIP entries lose their timestamps.
  Dates go too (本机构理解): when a file was created, saved or printed, and
  when each change was made, can be matched against the log of whoever
  handed the document around, and the office records when the report came.
- PDF: the document information dictionary (/Info: author, creator,
  producer, title - Word's "save as PDF" writes the file name there,
  subject, keywords, dates) and every XMP metadata stream (the catalogue's
  and any page's or image's), the programs' private data (/PieceInfo), the
  authors of comments (markup annotations, renamed as above) and the
  file identifier (/ID, which links the file to the copy on the reporter's
  computer); JPEG pictures lose their EXIF/XMP/IPTC segments and comments
  without being re-encoded. Rewriting invalidates a digital signature.
- Old-format Word/Excel/PowerPoint (OLE): not cleaned but refused, see
  ``ole_refused``.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile

import olefile
import pikepdf
from django.utils.translation import gettext
from lxml import etree

from portal.uploads import images
from portal.uploads.common import Limits, UploadRefused, extension, unreadable
from portal.uploads.office import OLE_MAGIC, open_zip

PACKAGE_RELS = "_rels/.rels"
CONTENT_TYPES = "[Content_Types].xml"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CORE_TYPE = "/metadata/core-properties"
APP_TYPE = "/extended-properties"
CUSTOM_TYPE = "/custom-properties"
CORE_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b"<cp:coreProperties"
    b' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties"/>'
)
# Extended properties that count or name the program; everything else
# (Company, Manager, Template, HyperlinkBase, TitlesOfParts...) goes.
APP_KEPT = {
    "Application",
    "AppVersion",
    "DocSecurity",
    "ScaleCrop",
    "LinksUpToDate",
    "SharedDoc",
    "HyperlinksChanged",
    "TotalTime",
    "Pages",
    "Words",
    "Characters",
    "CharactersWithSpaces",
    "Lines",
    "Paragraphs",
    "Slides",
    "Notes",
    "HiddenSlides",
    "MMClips",
    "PresentationFormat",
}
# Attributes naming a person, wherever they sit (w:author on tracked changes
# and comments, w15:author on people, userName in shared-workbook revision
# logs): replaced by a label.
NAME_ATTRIBUTES = {"author", "userName"}
# Attributes naming a person only on these elements (an Excel table's
# displayName is the name formulas use, and stays): replaced by a label.
PERSON_ELEMENTS = {
    "person": "displayName",  # Excel threaded comments' persons
    "cmAuthor": "name",  # PowerPoint comment authors
    "author": "name",  # PowerPoint modern comment authors
    "userInfo": "name",  # Excel shared-workbook users
}
# Attributes identifying a person: emptied (some are required).
ID_ATTRIBUTES = {"initials", "userId", "providerId"}
# Attributes dating a person's change: removed (all optional).
DATE_ATTRIBUTES = {"dateUtc"}
# Elements holding a person's account details: removed.
ID_ELEMENTS = {"presenceInfo", "absPath"}
# A cheap test before parsing: a part without any of these has no person.
MARKERS = (
    b"author",
    b"initials",
    b"displayname",
    b"username",
    b"userinfo",
    b"userid",
    b"providerid",
    b"presenceinfo",
    b"abspath",
    b"filesharing",
    b"dateutc",
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
MAX_NESTING = 2

# PDF markup annotations, whose /T is the name of the comment's author (in
# widgets and form fields /T is the field's name and stays).
PDF_MARKUP = {
    "/Text",
    "/FreeText",
    "/Line",
    "/Square",
    "/Circle",
    "/Polygon",
    "/PolyLine",
    "/Highlight",
    "/Underline",
    "/Squiggly",
    "/StrikeOut",
    "/Stamp",
    "/Caret",
    "/Ink",
    "/Sound",
    "/Redact",
}
PDF_DROPPED_KEYS = ("/Metadata", "/PieceInfo")
# JPEG segments a picture needs: JFIF (APP0), the ICC colour profile (APP2)
# and Adobe's colour transform (APP14). EXIF and XMP (APP1), IPTC (APP13),
# FlashPix (APP2 too), comments (COM) and makers' notes in the other APPn go.
JPEG_KEPT_APPS = {
    0xE0: (b"JFIF\x00", b"JFXX\x00"),
    0xE2: (b"ICC_PROFILE\x00",),
    0xEE: (b"Adobe",),
}


def ole_refused(name: str) -> UploadRefused:
    """Old-format Office files keep the author's name, the names of the last
    people who saved the file with the folders they saved it in, and the
    authors of comments and changes in the document stream itself (Word's
    SttbfAssoc and SttbSavedBy, Excel's WRITEACCESS record), not only in the
    summary streams: blanking those two would promise what it does not
    deliver, so a reporter is asked for a format that can be cleaned."""
    return UploadRefused(
        gettext(
            "“%(name)s” is in the old Word/Excel format (.doc/.xls), which records "
            "the names of its authors and of those who saved it in many places that "
            "cannot be reliably removed; it was refused to protect your identity. "
            "Please “Save as” .docx/.xlsx or PDF in Word/Excel and upload that."
        )
        % {"name": name}
    )


class _Labels:
    """One label per person, in order of first appearance in the file."""

    def __init__(self):
        self.labels: dict[str, str] = {}

    def __call__(self, person: str) -> str:
        person = person.strip()
        if not person:
            return ""
        if person not in self.labels:
            self.labels[person] = f"作者{len(self.labels) + 1}"
        return self.labels[person]


# OOXML ---------------------------------------------------------------------


def strip_ooxml(name: str, content: bytes, limits: Limits, depth: int = 0) -> bytes:
    """The package rewritten without personal metadata; the caller has
    checked it (sizes, members, no encryption) already."""
    with open_zip(name, content, limits) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        try:
            parts = {info.filename: archive.read(info) for info in infos}
        except Exception as error:
            raise unreadable(name, " Office ") from error
    targets = _package_targets(name, parts)
    dropped = set(targets.get(CUSTOM_TYPE, ()))
    labels = _Labels()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in infos:
            part = info.filename
            if part in dropped:
                continue
            data = _clean_part(name, part, parts[part], targets, labels, limits, depth)
            entry = zipfile.ZipInfo(part, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(entry, data)
    return out.getvalue()


def _parse(name: str, data: bytes):
    try:
        return etree.fromstring(data, parser=XML_PARSER)
    except etree.XMLSyntaxError as error:
        raise unreadable(name, " Office ") from error


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _package_targets(name: str, parts: dict) -> dict[str, list[str]]:
    """The parts the package relationships name as core, extended and
    custom properties (by relationship type, wherever they are stored)."""
    # Where Office stores them, also when no relationship names them.
    found: dict[str, list[str]] = {
        CORE_TYPE: ["docProps/core.xml"],
        APP_TYPE: ["docProps/app.xml"],
        CUSTOM_TYPE: ["docProps/custom.xml"],
    }
    if PACKAGE_RELS not in parts:
        return found
    for rel in _parse(name, parts[PACKAGE_RELS]).iter(f"{{{RELS_NS}}}Relationship"):
        if rel.get("TargetMode", "").lower() == "external":
            continue
        kind = rel.get("Type", "")
        for suffix in (CORE_TYPE, APP_TYPE, CUSTOM_TYPE):
            if kind.endswith(suffix):
                target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                found.setdefault(suffix, []).append(target)
    return found


def _clean_part(name, part, data, targets, labels, limits, depth) -> bytes:
    if part in targets.get(CORE_TYPE, ()):
        return CORE_PROPERTIES
    if part in targets.get(APP_TYPE, ()):
        return _app_properties(name, data)
    dropped = set(targets.get(CUSTOM_TYPE, ()))
    if part == PACKAGE_RELS and dropped:
        return _without_relationships(name, data, dropped)
    if part == CONTENT_TYPES and dropped:
        return _without_overrides(name, data, dropped)
    lowered = part.lower()
    if lowered.endswith(".xml") and any(m in data.lower() for m in MARKERS):
        return _without_people(name, data, labels)
    if "/media/" in lowered and extension(part) in images.FORMATS:
        try:
            return images.check_image(
                part, data, extension(part), limits, reencode=True
            )
        except UploadRefused as refused:
            raise UploadRefused(
                gettext("An image in “%(name)s”: %(reason)s")
                % {"name": name, "reason": refused}
            ) from refused
    if "/embeddings/" in lowered and data.startswith(b"PK\x03\x04"):
        if depth >= MAX_NESTING:
            raise UploadRefused(
                gettext(
                    "“%(name)s” nests embedded documents too deeply and was refused."
                )
                % {"name": name}
            )
        return strip_ooxml(name, data, limits, depth + 1)
    if "/embeddings/" in lowered and data.startswith(OLE_MAGIC):
        _refuse_ole_with_properties(name, data)
    return data


def _refuse_ole_with_properties(name: str, data: bytes) -> None:
    """An embedded old-format object (an Excel 97 sheet, say) carries its
    own summary streams with the author; it cannot be cleaned here."""
    try:
        with olefile.OleFileIO(data) as ole:
            has_properties = any(
                ole.exists(stream)
                for stream in (
                    "\x05SummaryInformation",
                    "\x05DocumentSummaryInformation",
                )
            )
    except Exception as error:
        raise unreadable(name, " Office ") from error
    if has_properties:
        raise UploadRefused(
            gettext(
                "“%(name)s” embeds an old-format Office object whose author names "
                "cannot be reliably removed, so it was refused. Please turn the "
                "embedded object into an image or table and save again, or save as "
                "PDF, and upload that."
            )
            % {"name": name}
        )


def _app_properties(name: str, data: bytes) -> bytes:
    root = _parse(name, data)
    for child in list(root):
        if (
            not isinstance(child.tag, str)
            or etree.QName(child).localname not in APP_KEPT
        ):
            root.remove(child)
    return _serialize(root)


def _without_relationships(name: str, data: bytes, dropped: set[str]) -> bytes:
    root = _parse(name, data)
    for rel in list(root.iter(f"{{{RELS_NS}}}Relationship")):
        target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
        if rel.get("TargetMode", "").lower() != "external" and target in dropped:
            rel.getparent().remove(rel)
    return _serialize(root)


def _without_overrides(name: str, data: bytes, dropped: set[str]) -> bytes:
    root = _parse(name, data)
    for override in list(root.iter(f"{{{CT_NS}}}Override")):
        if override.get("PartName", "").lstrip("/") in dropped:
            override.getparent().remove(override)
    return _serialize(root)


def _without_people(name: str, data: bytes, labels: _Labels) -> bytes:
    root = _parse(name, data)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in ID_ELEMENTS:
            _remove_with_wrapper(element)
            continue
        if local == "author" and element.tag == f"{{{S_NS}}}author":
            # Excel's comment author list: <authors><author>Name</author>.
            element.text = labels(element.text or "")
        if local == "fileSharing":
            element.attrib.pop("userName", None)
            continue
        authored = False
        for key in list(element.attrib):
            attribute = etree.QName(key).localname
            if attribute in NAME_ATTRIBUTES or PERSON_ELEMENTS.get(local) == attribute:
                element.set(key, labels(element.get(key)))
                authored = True
            elif attribute in ID_ATTRIBUTES:
                element.set(key, "")
            elif attribute in DATE_ATTRIBUTES:
                del element.attrib[key]
        if authored and f"{{{W_NS}}}date" in element.attrib:
            # When the person made this change or comment.
            del element.attrib[f"{{{W_NS}}}date"]
    return _serialize(root)


def _remove_with_wrapper(element) -> None:
    """Remove ``element``; when it is the only thing an mc:AlternateContent
    choice offers (Excel writes absPath that way), the wrapper goes too."""
    parent = element.getparent()
    if parent is None:
        return
    parent.remove(element)
    if parent.tag == f"{{{MC_NS}}}Choice" and len(parent) == 0:
        wrapper = parent.getparent()
        if wrapper is not None and all(len(choice) == 0 for choice in wrapper):
            outer = wrapper.getparent()
            if outer is not None:
                outer.remove(wrapper)


# PDF -----------------------------------------------------------------------


def strip_pdf(name: str, content: bytes) -> bytes:
    """The PDF saved again without its metadata; the caller has checked it
    (parsed, not encrypted, no active content, object streams measured)."""
    labels = _Labels()
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            for key in ("/Info", "/ID"):
                if key in pdf.trailer:
                    del pdf.trailer[key]
            for obj in pdf.objects:
                _clean_pdf_object(name, obj, labels)
            for page in pdf.pages:
                # Annotations written directly into the page's array are not
                # objects of their own.
                for annotation in page.obj.get("/Annots", pikepdf.Array()):
                    _clean_pdf_object(name, annotation, labels)
            out = io.BytesIO()
            pdf.save(
                out,
                preserve_pdfa=False,
                fix_metadata_version=False,
                deterministic_id=True,
            )
            return out.getvalue()
    except UploadRefused:
        raise
    except Exception as error:
        raise unreadable(name, " PDF ") from error


def _clean_pdf_object(name: str, obj, labels: _Labels) -> None:
    if isinstance(obj, pikepdf.Stream):
        dictionary = obj.stream_dict
    elif isinstance(obj, pikepdf.Dictionary):
        dictionary = obj
    else:
        return
    for key in PDF_DROPPED_KEYS:
        if key in dictionary:
            del dictionary[key]
    subtype = dictionary.get("/Subtype")
    if str(subtype) in PDF_MARKUP and "/T" in dictionary:
        dictionary["/T"] = pikepdf.String(labels(str(dictionary["/T"])))
    if isinstance(obj, pikepdf.Stream) and str(subtype) == "/Image":
        filters = dictionary.get("/Filter")
        if isinstance(filters, pikepdf.Array) and len(filters) == 1:
            filters = filters[0]
        if isinstance(filters, pikepdf.Name) and filters == pikepdf.Name.DCTDecode:
            raw = obj.read_raw_bytes()
            clean = jpeg_without_metadata(raw)
            if clean is None:
                raise unreadable(name, " PDF ")
            if clean != raw:
                obj.write(clean, filter=pikepdf.Name.DCTDecode)


def jpeg_without_metadata(data: bytes) -> bytes | None:
    """The JPEG without metadata segments, picture data untouched (no
    re-encoding); None when the segments before the scan cannot be read."""
    if data[:2] != b"\xff\xd8":
        return None
    out = bytearray(data[:2])
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            out += data[pos : pos + 2]
            pos += 2
            continue
        if marker == 0xDA:
            # The scan and everything after it is picture data.
            return bytes(out + data[pos:])
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if length < 2 or pos + 2 + length > len(data):
            return None
        body = data[pos + 4 : pos + 2 + length]
        kept = JPEG_KEPT_APPS.get(marker)
        metadata = marker == 0xFE or (
            0xE0 <= marker <= 0xEF and not (kept and body.startswith(kept))
        )
        if not metadata:
            out += data[pos : pos + 2 + length]
        pos += 2 + length
    return None
