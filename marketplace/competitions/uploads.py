"""Bid uploads that never touch the disk in clear, and never grow past the cap.

Django spools uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file: plaintext on disk
for as long as the request lasts, and longer if the process dies. A view that receives bid
documents takes `@memory_only_uploads` instead: that request's files stay in memory until
sealing.store_sealed_file encrypts them, and a file past BID_UPLOAD_MAX_BYTES is dropped as it
arrives. The rest of the form still arrives (the CSRF token, the price, the answers), so the view
can show the refusal on the form and keep what was typed:

    @memory_only_uploads
    def bid_document(request, pk):
        form = BidDocumentForm(request.POST or None, request.FILES or None)
        try:
            raise_for_refused_uploads(request)
        except UploadTooLarge as error:
            form.add_error(error.field_name, error.message)
        ...

Refusals carry the form field's name and the cap, never the file's name: that is bid content.
"""

from functools import wraps
from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class UploadTooLarge(Exception):
    """A file passed BID_UPLOAD_MAX_BYTES; its bytes were dropped. `message` is for the person."""

    def __init__(self, *, field_name: str, max_bytes: int):
        self.field_name = field_name
        self.max_bytes = max_bytes
        self.message = _("The selected file must be %(size)s or smaller") % {
            "size": filesizeformat(max_bytes)
        }
        super().__init__(self.message)


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps each uploaded file in memory, whatever its size, up to BID_UPLOAD_MAX_BYTES.

    Past the cap the file's bytes are dropped, the rest of that file is read and discarded by
    Django's parser (SkipFile), and the refusal is kept for raise_for_refused_uploads.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.max_bytes = settings.BID_UPLOAD_MAX_BYTES
        self.refused: list[UploadTooLarge] = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        # Named `file` so Django's parser closes (frees) it when the file is skipped.
        self.file = BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            self.file.close()
            refusal = UploadTooLarge(field_name=self.field_name, max_bytes=self.max_bytes)
            self.refused.append(refusal)
            raise SkipFile
        self.file.write(raw_data)
        # None: no later handler sees the chunk, so none can write it anywhere.

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def memory_only_uploads(view):
    """Receive this view's uploads with MemoryOnlyUploadHandler alone, for this request only.

    Upload handlers must be set before anything reads request.POST or request.FILES, and the
    CSRF middleware reads request.POST before the view runs; so, as Django's documentation on
    changing upload handlers shows, the view is exempted from the middleware's check and
    checks CSRF itself once the handlers are in place.
    """
    protected_view = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def view_with_memory_only_uploads(request, *args, **kwargs):
        request.upload_handlers = [MemoryOnlyUploadHandler(request)]
        return protected_view(request, *args, **kwargs)

    return view_with_memory_only_uploads


def raise_for_refused_uploads(request) -> None:
    """Raise UploadTooLarge for the first file this request's handler refused, if any."""
    for handler in request.upload_handlers:
        if isinstance(handler, MemoryOnlyUploadHandler) and handler.refused:
            raise handler.refused[0]
