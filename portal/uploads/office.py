"""Office documents: the container opened and looked through for programs.

The first bytes say little: an old-format (OLE) ``.doc`` with an AutoOpen
macro starts exactly like one without. Both container kinds are opened here
and refused when they carry VBA or Excel 4 macros (found by oletools'
olevba, which reads OLE storages and the ``vbaProject.bin`` of OOXML), an
ActiveX control, an embedded package (an executable wrapped as an OLE
object), a DDE field or link (it starts a program without any macro),
encryption (nothing inside can be checked), or a relationship that
makes the office program fetch something when the file opens (a remote
template, a linked OLE object, a remote picture). Hyperlinks to web or mail
addresses stay, as in PDFs.
"""

from __future__ import annotations

import io
import re
import zipfile

import olefile
from django.utils.translation import gettext
from lxml import etree
from oletools import crypto
from oletools.olevba import VBA_Parser

from portal.uploads.common import Limits, UploadRefused, mismatch, unreadable

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# The stream each OLE kind must have (any one of them).
OLE_MAIN_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
    "ppt": ("PowerPoint Document",),
}
OOXML_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
# OLE storages and streams that exist only for macros, named in MS-OVBA
# (VBA project) and by Word/Excel for where they keep it.
MACRO_STORAGES = {"vba", "macros", "_vba_project_cur", "_vba_project", "project"}
# An OLE "package" wraps an arbitrary file (often an executable) that a
# double click runs.
PACKAGE_STREAMS = {"\x01ole10native"}
ENCRYPTED_STREAMS = {"encryptioninfo", "encryptedpackage"}
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DDE_FIELD = re.compile(r"\bDDE(AUTO)?\b", re.IGNORECASE)
MAX_NESTING = 2
# Parsing hostile XML: no entity expansion, no network, no huge trees.
XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)


def macros(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "“%(name)s” contains macros and was refused. Please save it as a document "
            "without macros (.docx / .xlsx) and upload that."
        )
        % {"name": name}
    )


def refused(name: str, what: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "“%(name)s” %(what)s and was refused. Please save it as a plain document "
            "and upload that."
        )
        % {"name": name, "what": what}
    )


def encrypted(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "“%(name)s” is encrypted or needs a password to open, so its content "
            "cannot be checked; it was refused. Please remove the password and upload "
            "it again."
        )
        % {"name": name}
    )


def check_ole(name: str, content: bytes, ext: str, limits: Limits) -> None:
    """An old-format Word, Excel or PowerPoint file."""
    if not content.startswith(OLE_MAGIC):
        raise mismatch(name)
    try:
        with olefile.OleFileIO(content) as ole:
            paths = ["/".join(entry) for entry in ole.listdir(storages=True)]
            streams = {path.lower() for path in paths}
            if not any(main.lower() in streams for main in OLE_MAIN_STREAMS[ext]):
                raise mismatch(name)
            _check_ole_entries(name, paths)
            if crypto.is_encrypted(ole):
                raise encrypted(name)
            _check_ole_packages(name, ole, paths, limits, depth=0)
    except UploadRefused:
        raise
    except Exception as error:
        # olefile raises OSError, struct.error, IndexError... on damage.
        raise unreadable(name, " Office ") from error
    _check_vba(name, content)


def _check_ole_entries(name: str, paths: list[str]) -> None:
    leaves = {path.rsplit("/", 1)[-1].lower() for path in paths}
    if leaves & MACRO_STORAGES:
        raise macros(name)
    if leaves & PACKAGE_STREAMS:
        raise refused(name, gettext("embeds an executable package (OLE Package)"))
    if leaves & ENCRYPTED_STREAMS:
        raise encrypted(name)


def _check_ole_packages(
    name: str, ole: olefile.OleFileIO, paths: list[str], limits: Limits, depth: int
) -> None:
    """A Word 2007+ document embedded in an old-format file is kept whole in a
    "Package" stream, where olevba does not look; it is checked here."""
    for path in paths:
        if path.rsplit("/", 1)[-1].lower() != "package":
            continue
        data = ole.openstream(path).read()
        if data.startswith(b"PK\x03\x04"):
            _check_embedded(name, data, path, limits, depth)


def _check_vba(name: str, content: bytes) -> None:
    """olevba's verdict, for both container kinds: VBA projects wherever they
    sit (also in orphaned streams) and Excel 4 (XLM) macro sheets."""
    try:
        # oletools' loggers are silent unless enabled; the name given is ours
        # in any case, so nothing the reporter chose reaches a log.
        parser = VBA_Parser("upload", data=content)
    except Exception as error:
        raise unreadable(name, " Office ") from error
    try:
        if parser.detect_vba_macros() or parser.detect_xlm_macros():
            raise macros(name)
    except UploadRefused:
        raise
    except Exception as error:
        raise unreadable(name, " Office ") from error
    finally:
        parser.close()


def check_ooxml(name: str, content: bytes, ext: str, limits: Limits) -> None:
    """A Word, Excel or PowerPoint 2007+ file (a ZIP of XML parts)."""
    if content.startswith(OLE_MAGIC):
        # Office wraps a password-protected .docx in an OLE container.
        raise encrypted(name)
    _check_ooxml_package(name, content, ext, limits, depth=0)
    _check_vba(name, content)


def _check_ooxml_package(
    name: str, content: bytes, ext: str | None, limits: Limits, depth: int
) -> None:
    """``ext`` names the main part required; None (an embedded package)
    accepts any of them."""
    mains = [OOXML_MAIN_PARTS[ext]] if ext else list(OOXML_MAIN_PARTS.values())
    with open_zip(name, content, limits) as archive:
        parts = {info.filename: info for info in archive.infolist()}
        if "[Content_Types].xml" not in parts or not any(m in parts for m in mains):
            raise mismatch(name)
        lowered = {part.lower() for part in parts}
        if any(p.endswith(("vbaproject.bin", "vbadata.xml")) for p in lowered):
            raise macros(name)
        # Excel 4 macro sheets run like VBA and need no vbaProject.bin.
        if any("/macrosheets/" in p for p in lowered):
            raise macros(name)
        if any("/activex/" in p for p in lowered):
            raise refused(name, gettext("contains ActiveX controls"))
        types = _read(name, archive, "[Content_Types].xml").lower()
        if any(
            word in types for word in (b"macroenabled", b"vbaproject", b"macrosheet")
        ):
            raise macros(name)
        for part in parts:
            if part.endswith(".rels"):
                _check_relationships(name, _read(name, archive, part))
            if _may_hold_fields(part):
                _check_dde(name, _read(name, archive, part))
            if "/embeddings/" in part.lower():
                _check_embedded(name, _read(name, archive, part), part, limits, depth)


def _check_relationships(name: str, xml: bytes) -> None:
    try:
        root = etree.fromstring(xml, parser=XML_PARSER)
    except etree.XMLSyntaxError as error:
        raise unreadable(name, " Office ") from error
    for rel in root.iter(f"{RELS_NS}Relationship"):
        if rel.get("TargetMode", "").lower() != "external":
            continue
        kind = rel.get("Type", "")
        target = rel.get("Target", "").strip().lower()
        if kind.endswith("/hyperlink") and target.startswith(SAFE_LINK_SCHEMES):
            continue
        if kind.endswith("/hyperlink"):
            raise refused(
                name, gettext("contains links to local files or network shares")
            )
        raise refused(
            name, gettext("loads external templates, objects or images when opened")
        )


def _may_hold_fields(part: str) -> bool:
    """Parts whose XML can carry a DDE command: Word's body, headers,
    footers, notes and comments, and Excel's external links."""
    lowered = part.lower()
    return lowered.endswith(".xml") and (
        lowered.startswith("word/") or lowered.startswith("xl/externallinks/")
    )


def _check_dde(name: str, xml: bytes) -> None:
    """A DDE field (Word) or link (Excel) starts a program when the file is
    opened, with no macro at all. Field codes may be split over many runs,
    so all of a part's instruction text is joined before it is read."""
    if b"ddeLink" in xml:
        raise refused(name, gettext("contains dynamic data exchange (DDE) links"))
    if b"instr" not in xml:
        return
    try:
        root = etree.fromstring(xml, parser=XML_PARSER)
    except etree.XMLSyntaxError as error:
        raise unreadable(name, " Office ") from error
    codes = [el.text or "" for el in root.iter(f"{W_NS}instrText")]
    codes += [el.get(f"{W_NS}instr", "") for el in root.iter(f"{W_NS}fldSimple")]
    if DDE_FIELD.search("".join(codes)):
        raise refused(name, gettext("contains dynamic data exchange (DDE) field codes"))


def _check_embedded(
    name: str, content: bytes, part: str, limits: Limits, depth: int
) -> None:
    """Objects embedded in the document (a chart's workbook, an OLE object)
    are checked like the document itself, to a small depth."""
    if depth >= MAX_NESTING:
        raise refused(name, gettext("nests embedded documents too deeply"))
    if content.startswith(OLE_MAGIC):
        try:
            with olefile.OleFileIO(content) as ole:
                paths = ["/".join(entry) for entry in ole.listdir(storages=True)]
                _check_ole_entries(name, paths)
                _check_ole_packages(name, ole, paths, limits, depth + 1)
        except UploadRefused:
            raise
        except Exception as error:
            raise unreadable(name, " Office ") from error
    elif content.startswith(b"PK\x03\x04"):
        _check_ooxml_package(name, content, None, limits, depth + 1)
        _check_vba(name, content)


def open_zip(name: str, content: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, after its declared sizes are checked: no more members
    or unpacked bytes than the limits allow, nothing encrypted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except Exception as error:
        raise mismatch(name) from error
    if len(infos) > limits.max_members:
        archive.close()
        raise UploadRefused(
            gettext("“%(name)s” holds too many files and was refused.") % {"name": name}
        )
    if sum(info.file_size for info in infos) > limits.max_unpacked_bytes:
        archive.close()
        raise UploadRefused(
            gettext("“%(name)s” is too large once unpacked and was refused.")
            % {"name": name}
        )
    if any(info.flag_bits & 0x1 for info in infos):
        archive.close()
        raise encrypted(name)
    return archive


def _read(name: str, archive: zipfile.ZipFile, part: str) -> bytes:
    info = archive.getinfo(part)
    try:
        # zipfile stops at the declared size (capped in open_zip) and checks
        # the CRC, so a member cannot inflate past what it declared.
        with archive.open(info) as stream:
            return stream.read()
    except Exception as error:
        raise unreadable(name, " Office ") from error
