"""Sealed bids: bid content encrypted at rest until the competition's submission deadline.

Threat model (docs/sealed-bids.md): the database and the media store may leak; the service's
environment, which holds SEALED_BID_MASTER_KEY, does not. Each competition has its own key,
derived from the master key with HKDF-SHA256 and the competition's random sealing salt. Every
ciphertext is AES-256-GCM under a fresh random 96-bit nonce; its associated data names its
place (`purpose`, e.g. "bid:7:price"), so a ciphertext moved to another column, bid or
competition does not open. Opening needs the deadline to have passed: this module is the only
code that derives the key, and it does so for opening only once the deadline has come. No
person can open a bid early: there is no override.

Token layout: one version byte, the 12-byte nonce, then the ciphertext with its 16-byte tag.
"""

import base64
import re
import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from marketplace.exceptions import DomainError

VERSION = b"\x01"
NONCE_BYTES = 12
TAG_BYTES = 16
MASTER_KEY_BYTES = 32
SEALED_FILES_FOLDER = "sealed"
SEALING_SALT = re.compile(r"[0-9a-f]{32}")


class StillSealed(DomainError):
    """Someone asked for plaintext before the competition's submission deadline."""


class SealBroken(Exception):
    """A ciphertext did not open: it was altered, or it belongs to another place or competition.

    Never expected in normal use; it means the stored data is damaged or was tampered with.
    """


def seal(*, competition, purpose: str, plaintext: bytes) -> bytes:
    return _encrypt(_competition_key(competition), _associated_data("value", purpose), plaintext)


def unseal(*, competition, purpose: str, token: bytes, now: datetime | None = None) -> bytes:
    key = _opening_key(competition, now)
    return _decrypt(key, _associated_data("value", purpose), token)


def seal_text(*, competition, purpose: str, text: str) -> bytes:
    return seal(competition=competition, purpose=purpose, plaintext=text.encode("utf-8"))


def unseal_text(*, competition, purpose: str, token: bytes, now: datetime | None = None) -> str:
    return unseal(competition=competition, purpose=purpose, token=token, now=now).decode("utf-8")


def store_sealed_file(*, competition, purpose: str, upload) -> tuple[str, bytes, int]:
    """Encrypt an upload and its file name; write only the ciphertext, under a random name.

    Returns (storage_name, sealed_file_name, plaintext_size). The storage name is bound into
    both ciphertexts, so a stored file cannot be swapped with another document's.
    """
    key = _competition_key(competition)
    content = b"".join(upload.chunks())
    storage_name = f"{SEALED_FILES_FOLDER}/{secrets.token_hex(16)}"
    sealed_content = _encrypt(key, _file_associated_data("content", purpose, storage_name), content)
    sealed_file_name = _encrypt(
        key, _file_associated_data("name", purpose, storage_name), upload.name.encode("utf-8")
    )
    saved_name = default_storage.save(storage_name, ContentFile(sealed_content))
    if saved_name != storage_name:
        # The name is bound into the ciphertext; a storage that renames would make it unopenable.
        default_storage.delete(saved_name)
        raise ImproperlyConfigured(
            f"The default storage saved a sealed file as {saved_name!r}, not {storage_name!r}."
        )
    return storage_name, sealed_file_name, len(content)


def open_sealed_file(
    *,
    competition,
    purpose: str,
    storage_name: str,
    sealed_file_name: bytes,
    now: datetime | None = None,
) -> tuple[str, bytes]:
    """The (file name, content) of a sealed file, once the deadline has passed."""
    key = _opening_key(competition, now)
    name = _decrypt(key, _file_associated_data("name", purpose, storage_name), sealed_file_name)
    with default_storage.open(storage_name, "rb") as stored:
        sealed_content = stored.read()
    content = _decrypt(key, _file_associated_data("content", purpose, storage_name), sealed_content)
    return name.decode("utf-8"), content


def _opening_key(competition, now: datetime | None) -> bytes:
    """The competition's key, released only at or after its submission deadline."""
    deadline = competition.submission_deadline
    if deadline is None or (now or timezone.now()) < deadline:
        raise StillSealed(_("Bids stay sealed until the submission deadline has passed."))
    return _competition_key(competition)


def _competition_key(competition) -> bytes:
    if competition.pk is None:
        raise ValueError("Save the competition before sealing anything for it.")
    if not SEALING_SALT.fullmatch(competition.sealing_salt or ""):
        raise ValueError("The competition's sealing salt must be 32 lowercase hex characters.")
    info = f"competition:{competition.pk}:{competition.sealing_salt}".encode("ascii")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info)
    return hkdf.derive(_master_key())


def _master_key() -> bytes:
    try:
        key = base64.b64decode(settings.SEALED_BID_MASTER_KEY, validate=True)
    except ValueError:  # not base64, or not ASCII
        key = b""
    if len(key) != MASTER_KEY_BYTES:
        raise ImproperlyConfigured("SEALED_BID_MASTER_KEY must be 32 random bytes in base64.")
    return key


def _associated_data(kind: str, purpose: str) -> bytes:
    # Kinds keep a field's ciphertext from passing for a file name or file content, and back.
    if not purpose or "\x00" in purpose:
        raise ValueError("A sealing purpose must be a non-empty string without NUL characters.")
    return VERSION + kind.encode("ascii") + b"\x00" + purpose.encode("utf-8")


def _file_associated_data(kind: str, purpose: str, storage_name: str) -> bytes:
    return _associated_data(f"file-{kind}", purpose) + b"\x00" + storage_name.encode("utf-8")


def _encrypt(key: bytes, associated_data: bytes, plaintext: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, associated_data)


def _decrypt(key: bytes, associated_data: bytes, token: bytes) -> bytes:
    token = bytes(token)  # BinaryField values come back as memoryview on PostgreSQL
    if token[:1] != VERSION:
        raise SealBroken("The sealed value has an unknown format version.")
    if len(token) < 1 + NONCE_BYTES + TAG_BYTES:
        raise SealBroken("The sealed value is too short to be a ciphertext.")
    nonce, ciphertext = token[1 : 1 + NONCE_BYTES], token[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, associated_data)
    except InvalidTag:
        raise SealBroken(
            "The sealed value did not open: it was altered, or it belongs to another "
            "competition or another place in a bid."
        ) from None
