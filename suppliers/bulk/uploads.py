"""An uploaded file kept between its preview and the supplier's confirmation.

The file goes to the default storage, which is private (outside the public media root, never
given a URL: marketplace.storage), under a random name; the session
holds what it is for (supplier, lot, user), so a token from another session, supplier or lot
finds nothing (404). Kept uploads expire after MAX_AGE; the supplier's expired files are
removed whenever someone at the supplier uploads again, so abandoned previews do not pile up.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

from frameworks.models import Lot
from marketplace.organisations.models import Organisation

from .spreadsheets import file_format

SESSION_KEY = "offering_imports"
STORAGE_PREFIX = "offering-imports"
MAX_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class KeptUpload:
    token: str
    name: str
    path: str
    kept_at: float

    @property
    def expired(self) -> bool:
        return time.time() - self.kept_at > MAX_AGE.total_seconds()

    def read(self) -> bytes | None:
        if not default_storage.exists(self.path):
            return None
        with default_storage.open(self.path, "rb") as file:
            return file.read()


def keep(request, *, supplier: Organisation, lot: Lot, name: str, content: bytes) -> str:
    _remove_expired(supplier)
    token = secrets.token_urlsafe(24)
    path = default_storage.save(
        f"{STORAGE_PREFIX}/{supplier.pk}/{token}.{file_format(name)}", ContentFile(content)
    )
    kept = request.session.get(SESSION_KEY, {})
    kept = {key: entry for key, entry in kept.items() if not _entry_expired(entry)}
    kept[token] = {
        "supplier": supplier.pk,
        "lot": lot.pk,
        "user": request.user.pk,
        "name": name,
        "path": path,
        "kept_at": time.time(),
    }
    request.session[SESSION_KEY] = kept
    return token


def find(request, *, token: str, supplier: Organisation, lot: Lot) -> KeptUpload:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or (entry["supplier"], entry["lot"], entry["user"]) != (
        supplier.pk,
        lot.pk,
        request.user.pk,
    ):
        raise Http404("No such upload")
    return KeptUpload(token=token, name=entry["name"], path=entry["path"], kept_at=entry["kept_at"])


def discard(request, upload: KeptUpload) -> None:
    default_storage.delete(upload.path)
    kept = request.session.get(SESSION_KEY, {})
    kept.pop(upload.token, None)
    request.session[SESSION_KEY] = kept


def _entry_expired(entry: dict) -> bool:
    return time.time() - entry["kept_at"] > MAX_AGE.total_seconds()


def _remove_expired(supplier: Organisation) -> None:
    folder = f"{STORAGE_PREFIX}/{supplier.pk}"
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - MAX_AGE
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
