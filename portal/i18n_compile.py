"""Compile gettext catalogues (.po -> .mo) without GNU gettext installed.

scripts/_bootstrap.sh uses msgfmt where it exists and this module otherwise,
so a newcomer's machine needs nothing beyond Python. Handles the subset of
the PO format that makemessages writes: msgctxt, msgid, msgid_plural,
msgstr and msgstr[N], with multi-line strings; fuzzy entries are skipped.
"""

import ast
import struct
import sys
from pathlib import Path


def parse_po(text: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    key = None
    fuzzy = False

    def flush():
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            msgid = "".join(entry["msgid"])
            if "msgctxt" in entry:
                msgid = "".join(entry["msgctxt"]) + "\x04" + msgid
            if "msgid_plural" in entry:
                msgid += "\x00" + "".join(entry["msgid_plural"])
                forms = sorted(k for k in entry if k.startswith("msgstr["))
                msgstr = "\x00".join("".join(entry[k]) for k in forms)
            else:
                msgstr = "".join(entry.get("msgstr", []))
            if msgstr.replace("\x00", "") or msgid == "":
                messages[msgid] = msgstr
        entry, fuzzy = {}, False

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key:
                entry[key].append(ast.literal_eval(line))
        else:
            key, _, value = line.partition(" ")
            if key == "msgid" and "msgid" in entry:
                flush()
            entry[key] = [ast.literal_eval(value)]
    flush()
    return messages


def write_mo(messages: dict[str, str], path: Path) -> None:
    keys = sorted(messages)
    ids = [k.encode() for k in keys]
    strs = [messages[k].encode() for k in keys]
    header_size = 7 * 4
    table_size = len(keys) * 8
    ids_start = header_size + 2 * table_size
    strs_start = ids_start + sum(len(i) + 1 for i in ids)
    output = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + table_size, 0, 0)
    offset, id_table = ids_start, b""
    for item in ids:
        id_table += struct.pack("ii", len(item), offset)
        offset += len(item) + 1
    offset, str_table = strs_start, b""
    for item in strs:
        str_table += struct.pack("ii", len(item), offset)
        offset += len(item) + 1
    output += id_table + str_table
    output += b"".join(i + b"\x00" for i in ids) + b"".join(s + b"\x00" for s in strs)
    path.write_bytes(output)


def catalogues(root: Path) -> list[Path]:
    """The project catalogue and each plugin's own (``<app>/locale/``)."""
    return sorted(
        [
            *root.glob("locale/*/LC_MESSAGES/*.po"),
            *root.glob("*/locale/*/LC_MESSAGES/*.po"),
        ]
    )


def main(root: str) -> None:
    for po in catalogues(Path(root)):
        mo = po.with_suffix(".mo")
        if not mo.exists() or po.stat().st_mtime > mo.stat().st_mtime:
            write_mo(parse_po(po.read_text(encoding="utf-8")), mo)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
