"""Private file storage: files that only some users may have (case files,
generated documents, periodic reports, report attachments).

They live outside MEDIA_ROOT, each plugin's under a directory of its own
named by a setting, and have no URL at all: they reach a browser only
through a view that checks who is asking and sends them with
:func:`portal.downloads.private_download`.

A plugin makes one storage per directory at import time and gives its
FileFields a module-level function returning it, so that migrations record
the function's dotted name rather than a path that differs between
machines::

    attachments_storage = PrivateStorage("MYPLUGIN_PRIVATE_ROOT")

    def get_attachments_storage():
        return attachments_storage

    file = models.FileField(storage=get_attachments_storage, ...)
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject

__all__ = ["PrivateFileSystemStorage", "PrivateStorage"]


class PrivateFileSystemStorage(FileSystemStorage):
    """File storage with no public URL at all (FileSystemStorage would fall
    back to MEDIA_URL)."""

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError(
            "Private files have no URL; they are served only by a view that "
            "checks the user's permission."
        )


class PrivateStorage(LazyObject):
    """A :class:`PrivateFileSystemStorage` whose location is the setting
    named ``location_setting``, read when the storage is first used (so a
    test's settings apply, and importing a models module reads no setting).

    Resetting ``_wrapped`` to ``django.utils.functional.empty`` makes the
    next use read the setting again."""

    def __init__(self, location_setting: str):
        # LazyObject forwards attribute writes to the wrapped storage: keep
        # the setting's name on the proxy itself.
        self.__dict__["location_setting"] = location_setting
        super().__init__()

    def _setup(self):
        self._wrapped = PrivateFileSystemStorage(
            location=getattr(settings, self.location_setting)
        )
