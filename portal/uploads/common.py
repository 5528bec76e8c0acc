"""What every upload check shares: the refusal, the result, names and limits."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext

# Above this many pixels an image is refused before any decoder runs: a small
# file can declare a huge canvas, and decoding it would take the memory of
# the worker (Pillow only raises, instead of warning, above twice its default).
MAX_PIXELS = 40_000_000


class UploadRefused(ValueError):
    """The file is not accepted; the message names the file and says why, in
    Chinese, so the form can show it beside everything the user typed."""


@dataclass(frozen=True)
class Limits:
    """Caps for one file. ``max_unpacked_bytes`` bounds what an archive
    (OOXML, ZIP) may expand to, so a zip bomb is refused before it inflates."""

    max_bytes: int
    max_pixels: int = MAX_PIXELS
    max_unpacked_factor: int = 20
    max_members: int = 2_000

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_bytes * self.max_unpacked_factor


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed: its display name, the bytes to store (images are
    the re-encoded bytes) and the content type to serve it with."""

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


def mismatch(name: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "The content of “%(name)s” does not match its file extension, so it was "
            "refused. Please upload the original file."
        )
        % {"name": name}
    )


def unreadable(name: str, what: str) -> UploadRefused:
    return UploadRefused(
        gettext(
            "“%(name)s” is not a valid %(kind)s file or is damaged, so its content "
            "cannot be checked; it was refused."
        )
        % {"name": name, "kind": what}
    )
