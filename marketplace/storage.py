"""Storage for private files: kept outside the public media root and never given a URL.

The default storage is private, so Wagtail documents, original images and supplier import
uploads land here unless a field asks for the "public" storage (image renditions do, through
WAGTAILIMAGES_RENDITION_STORAGE). Each private file reaches a person only through a view that
checks who asks: Wagtail's document serve view (suppliers.documents) or the import preview.
"""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        # Wagtail's serve view treats NotImplementedError as "no direct URL" and streams the file.
        raise NotImplementedError("Private files have no URL: serve them through a view.")
