"""Storage for the test settings: files in memory, served as a real deployment serves them."""

import os

from django.core.files.storage import InMemoryStorage
from django.utils._os import safe_join


class StreamingInMemoryStorage(InMemoryStorage):
    """Files kept in memory that claim no path on disk.

    InMemoryStorage answers path() with a made-up location, so Wagtail's document view tries to
    send that file from disk and answers 404. Without a path it streams the file, as it does
    from the deployed storage.
    """

    def path(self, name):
        raise NotImplementedError("Files in memory have no path on disk")

    def _relative_path(self, name):
        return os.path.relpath(safe_join(self.location, name), self.location)
