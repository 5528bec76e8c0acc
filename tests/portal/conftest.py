"""Builders of real files for the upload checker's tests."""

import struct

import pytest

SECTOR, MINI = 512, 64
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MINI_CUTOFF = 4096


def _sectors(size: int, unit: int = SECTOR) -> int:
    return -(-size // unit)


def _chain(first: int, count: int) -> list[int]:
    return [*range(first + 1, first + count), END] if count else []


def build_compound_file(entries: dict[str, bytes | None]) -> bytes:
    """A Compound File Binary (OLE2, MS-CFB version 3) holding ``entries``:
    "A/B/C" paths, bytes for a stream, None for a storage (parents are made as
    needed). olefile only reads these files, so the tests write their own,
    with the mini stream for small streams as Office does."""
    tree = {"": {"type": 5, "children": [], "data": b""}}
    for path, data in entries.items():
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            sub = "/".join(parts[:depth])
            if sub not in tree:
                leaf = depth == len(parts) and data is not None
                tree[sub] = {"type": 2 if leaf else 1, "children": [], "data": b""}
                tree["/".join(parts[: depth - 1])]["children"].append(sub)
        if data is not None:
            tree[path]["data"] = data
    order = list(tree)
    ids = {path: index for index, path in enumerate(order)}
    streams = [p for p in order if tree[p]["type"] == 2]
    small = [p for p in streams if len(tree[p]["data"]) < MINI_CUTOFF]
    large = [p for p in streams if p not in small]

    # The mini stream: small streams in 64-byte mini sectors, chained in the
    # mini FAT; it is itself stored as the root entry's regular stream.
    ministream, minifat, starts = b"", [], {}
    for path in small:
        data = tree[path]["data"]
        count = _sectors(len(data), MINI)
        starts[path] = len(minifat) if count else END
        minifat += _chain(len(minifat), count)
        ministream += data.ljust(count * MINI, b"\0")
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat) if minifat else b""

    dir_count = _sectors(len(order) * 128)
    minifat_count = _sectors(len(minifat_bytes))
    ministream_count = _sectors(len(ministream))
    data_total = dir_count + minifat_count + ministream_count
    data_total += sum(_sectors(len(tree[p]["data"])) for p in large)
    fat_count = 1
    while fat_count * (SECTOR // 4) < data_total + fat_count:
        fat_count += 1
    fat = [FAT_SECTOR] * fat_count
    first_dir = len(fat)
    fat += _chain(first_dir, dir_count)
    first_minifat = len(fat) if minifat_count else END
    fat += _chain(len(fat), minifat_count)
    root_start = len(fat) if ministream_count else END
    fat += _chain(len(fat), ministream_count)
    for path in large:
        starts[path] = len(fat)
        fat += _chain(len(fat), _sectors(len(tree[path]["data"])))
    fat += [FREE] * (fat_count * (SECTOR // 4) - len(fat))
    starts[""] = root_start
    tree[""]["size"] = len(ministream)

    directory = bytearray()
    for path in order:
        node = tree[path]
        name = path.rsplit("/", 1)[-1] if path else "Root Entry"
        encoded = (name + "\0").encode("utf-16-le")
        kids = [ids[kid] for kid in node["children"]]
        size = node.get("size", len(node["data"]))
        directory += (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), node["type"], 1)
            + struct.pack("<III", NO_STREAM, NO_STREAM, kids[0] if kids else NO_STREAM)
            + b"\0" * 36
            + struct.pack("<IQ", starts.get(path, END), size)
        )
    # Children as a chain of right siblings (a valid, if unbalanced, tree),
    # written once every entry's id is known.
    for path in order:
        kids = [ids[kid] for kid in tree[path]["children"]]
        for index, kid in enumerate(kids):
            right = kids[index + 1] if index + 1 < len(kids) else NO_STREAM
            struct.pack_into("<I", directory, kid * 128 + 72, right)

    difat = list(range(fat_count)) + [FREE] * (109 - fat_count)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIII", 0, fat_count, first_dir, 0)
        + struct.pack("<IIIII", MINI_CUTOFF, first_minifat, minifat_count, END, 0)
        + struct.pack("<109I", *difat)
    )
    body = struct.pack(f"<{len(fat)}I", *fat)
    body += bytes(directory).ljust(dir_count * SECTOR, b"\0")
    body += minifat_bytes.ljust(minifat_count * SECTOR, b"\xff")
    body += ministream.ljust(ministream_count * SECTOR, b"\0")
    for path in large:
        data = tree[path]["data"]
        body += data.ljust(_sectors(len(data)) * SECTOR, b"\0")
    return header + body


@pytest.fixture
def compound_file():
    return build_compound_file
