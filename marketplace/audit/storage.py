"""Write-once storage for audit checkpoints, and the checkpoint files kept in it.

Each checkpoint is one small JSON file named by its sequence number. A file is never
overwritten, renamed or deleted through this storage, so a rewritten audit table cannot bring
its checkpoints into line with itself.
"""

import json
import re

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage, storages
from django.utils.dateparse import parse_datetime

from .models import AuditCheckpoint

STORAGE_ALIAS = "audit_checkpoints"
FILE_NAME = re.compile(r"^checkpoint-(\d{12})\.json$")


class CheckpointConflict(Exception):
    """A checkpoint file for this sequence number already holds another hash."""


class WriteOnceMixin:
    def get_available_name(self, name, max_length=None):
        # Storage.save() asks for a free name; the default finds one by adding a suffix.
        if self.exists(name):
            raise FileExistsError(f"{name} exists and is write-once")
        return super().get_available_name(name, max_length=max_length)

    def delete(self, name):
        raise PermissionError(f"{name} is write-once: it cannot be deleted")


class WriteOnceFileSystemStorage(WriteOnceMixin, FileSystemStorage):
    pass


class WriteOnceInMemoryStorage(WriteOnceMixin, InMemoryStorage):
    pass


def _storage():
    return storages[STORAGE_ALIAS]


def file_name(sequence: int) -> str:
    return f"checkpoint-{sequence:012d}.json"


def _as_json(checkpoint: AuditCheckpoint) -> str:
    return json.dumps(
        {
            "sequence": checkpoint.sequence,
            "hash": checkpoint.hash,
            "event_count": checkpoint.event_count,
            "taken_at": checkpoint.taken_at.isoformat(),
        },
        sort_keys=True,
    )


def _read(name: str) -> AuditCheckpoint:
    with _storage().open(name) as file:
        data = json.loads(file.read())
    return AuditCheckpoint(
        sequence=data["sequence"],
        hash=data["hash"],
        event_count=data["event_count"],
        taken_at=parse_datetime(data["taken_at"]),
    )


def write_checkpoint_file(checkpoint: AuditCheckpoint) -> None:
    """Write checkpoint's file. One already there for the same sequence and hash (a retry after
    a failed commit) is left as it is; one with another hash raises CheckpointConflict."""
    name = file_name(checkpoint.sequence)
    storage = _storage()
    if storage.exists(name):
        kept = _read(name)
        if kept.hash != checkpoint.hash:
            raise CheckpointConflict(
                f"{name} holds hash {kept.hash}, not {checkpoint.hash}: the audit chain at "
                f"#{checkpoint.sequence} is not the one checkpointed at {kept.taken_at}"
            )
        return
    storage.save(name, ContentFile(_as_json(checkpoint).encode()))


def latest_checkpoint_file() -> AuditCheckpoint | None:
    """The checkpoint with the highest sequence number in the storage, read back from its file."""
    try:
        _directories, files = _storage().listdir("")
    except FileNotFoundError:  # a file-system storage makes its directory on the first save
        return None
    names = sorted(name for name in files if FILE_NAME.match(name))
    return _read(names[-1]) if names else None
