"""Sealed bid content: encrypted per competition, unreadable until the submission deadline."""

import secrets
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from marketplace.competitions.sealing import (
    SealBroken,
    StillSealed,
    open_sealed_file,
    seal,
    seal_text,
    store_sealed_file,
    unseal,
    unseal_text,
)

DEADLINE = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
JUST_BEFORE = DEADLINE - timedelta(microseconds=1)
CANARY = "CANARY-7f3a9c-sealed-bid"
PURPOSE = "bid:41:answer:3"
FILE_PURPOSE = "bid:41:document"


def make_competition(*, pk=12, sealing_salt=None, submission_deadline=DEADLINE):
    return SimpleNamespace(
        pk=pk,
        sealing_salt=sealing_salt or secrets.token_hex(16),
        submission_deadline=submission_deadline,
    )


@pytest.fixture
def competition():
    return make_competition()


@pytest.fixture
def storage(settings):
    """A fresh, empty in-memory default storage, so a test sees every file it wrote."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return default_storage


def canary_upload():
    return SimpleUploadedFile(
        f"{CANARY}-pricing-schedule.pdf",
        f"%PDF-1.7 our method statement: {CANARY}".encode(),
        content_type="application/pdf",
    )


def test_sealed_value_opens_exactly_at_the_deadline(competition):
    token = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    assert unseal(competition=competition, purpose=PURPOSE, token=token, now=DEADLINE) == (
        b"12500.00"
    )


def test_sealed_value_stays_sealed_a_moment_before_the_deadline(competition):
    token = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    with pytest.raises(StillSealed, match="sealed until the submission deadline"):
        unseal(competition=competition, purpose=PURPOSE, token=token, now=JUST_BEFORE)


def test_unseal_reads_the_clock_when_not_given_the_time():
    later = make_competition(submission_deadline=timezone.now() + timedelta(hours=1))
    earlier = make_competition(submission_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(StillSealed):
        unseal(
            competition=later,
            purpose=PURPOSE,
            token=seal(competition=later, purpose=PURPOSE, plaintext=b"x"),
        )
    token = seal(competition=earlier, purpose=PURPOSE, plaintext=b"x")
    assert unseal(competition=earlier, purpose=PURPOSE, token=token) == b"x"


def test_a_competition_without_a_deadline_stays_sealed():
    competition = make_competition(submission_deadline=None)
    token = seal(competition=competition, purpose=PURPOSE, plaintext=b"x")
    with pytest.raises(StillSealed):
        unseal(competition=competition, purpose=PURPOSE, token=token, now=DEADLINE)


def test_text_round_trip_keeps_every_character(competition):
    text = f"Local jobs: 4 apprenticeships in Gwynedd — £40k with SMEs. {CANARY}"
    token = seal_text(competition=competition, purpose=PURPOSE, text=text)
    assert unseal_text(competition=competition, purpose=PURPOSE, token=token, now=DEADLINE) == (
        text
    )


def test_sealed_text_holds_no_trace_of_the_canary(competition):
    token = seal_text(competition=competition, purpose=PURPOSE, text=f"Our answer: {CANARY}")
    assert CANARY.encode() not in token
    assert CANARY.lower().encode() not in token.lower()


def test_token_is_version_byte_nonce_ciphertext_and_tag(competition):
    token = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    assert token[:1] == b"\x01"
    assert len(token) == 1 + 12 + len(b"12500.00") + 16


def test_each_seal_uses_a_fresh_nonce(competition):
    first = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    second = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    assert first[1:13] != second[1:13]
    assert first != second


def test_a_token_opens_from_a_memoryview_as_postgresql_returns_binary_fields(competition):
    token = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    assert unseal(
        competition=competition, purpose=PURPOSE, token=memoryview(token), now=DEADLINE
    ) == (b"12500.00")


def test_a_value_moved_to_another_place_does_not_open(competition):
    token = seal(competition=competition, purpose="bid:41:price", plaintext=b"12500.00")
    with pytest.raises(SealBroken, match="another place in a bid"):
        unseal(competition=competition, purpose="bid:42:price", token=token, now=DEADLINE)


@pytest.mark.parametrize(
    "other",
    [
        {"pk": 13},  # another competition with the same salt
        {"sealing_salt": "0" * 32},  # the same id with another salt
    ],
)
def test_a_value_moved_to_another_competition_does_not_open(competition, other):
    token = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    elsewhere = make_competition(
        pk=other.get("pk", competition.pk),
        sealing_salt=other.get("sealing_salt", competition.sealing_salt),
    )
    with pytest.raises(SealBroken):
        unseal(competition=elsewhere, purpose=PURPOSE, token=token, now=DEADLINE)


# In the nonce, at the ciphertext's start, and in the tag.
@pytest.mark.parametrize("position", [1, 12, 13, -1])
def test_an_altered_byte_anywhere_is_detected(competition, position):
    token = bytearray(seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00"))
    token[position] ^= 0x01
    with pytest.raises(SealBroken):
        unseal(competition=competition, purpose=PURPOSE, token=bytes(token), now=DEADLINE)


def test_an_unknown_format_version_is_refused(competition):
    token = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    with pytest.raises(SealBroken, match="unknown format version"):
        unseal(competition=competition, purpose=PURPOSE, token=b"\x02" + token[1:], now=DEADLINE)


def test_a_truncated_token_is_refused(competition):
    with pytest.raises(SealBroken, match="too short"):
        unseal(competition=competition, purpose=PURPOSE, token=b"\x01" + b"0" * 27, now=DEADLINE)


def test_a_lost_master_key_leaves_bids_unreadable(competition, settings):
    token = seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")
    settings.SEALED_BID_MASTER_KEY = "cmVwbGFjZW1lbnQta2V5LWFmdGVyLWEtbG9zcy0zMmI="
    with pytest.raises(SealBroken):
        unseal(competition=competition, purpose=PURPOSE, token=token, now=DEADLINE)


@pytest.mark.parametrize("master_key", ["", "not base64!", "c2hvcnQ="])
def test_sealing_needs_a_32_byte_master_key(competition, settings, master_key):
    settings.SEALED_BID_MASTER_KEY = master_key
    with pytest.raises(ImproperlyConfigured, match="SEALED_BID_MASTER_KEY must be 32"):
        seal(competition=competition, purpose=PURPOSE, plaintext=b"12500.00")


def test_an_unsaved_competition_cannot_seal():
    with pytest.raises(ValueError, match="Save the competition"):
        seal(competition=make_competition(pk=None), purpose=PURPOSE, plaintext=b"x")


@pytest.mark.parametrize("salt", ["", "abc", "G" * 32])
def test_a_competition_without_a_proper_salt_cannot_seal(salt):
    competition = SimpleNamespace(pk=12, sealing_salt=salt, submission_deadline=DEADLINE)
    with pytest.raises(ValueError, match="sealing salt"):
        seal(competition=competition, purpose=PURPOSE, plaintext=b"x")


def test_sealed_file_opens_with_its_name_and_content_at_the_deadline(competition, storage):
    upload = canary_upload()
    storage_name, sealed_file_name, size = store_sealed_file(
        competition=competition, purpose=FILE_PURPOSE, upload=upload
    )
    name, content = open_sealed_file(
        competition=competition,
        purpose=FILE_PURPOSE,
        storage_name=storage_name,
        sealed_file_name=sealed_file_name,
        now=DEADLINE,
    )
    assert name == f"{CANARY}-pricing-schedule.pdf"
    assert content == f"%PDF-1.7 our method statement: {CANARY}".encode()
    assert size == len(content)


def test_storage_holds_only_ciphertext_under_a_random_name(competition, storage):
    storage_name, sealed_file_name, _size = store_sealed_file(
        competition=competition, purpose=FILE_PURPOSE, upload=canary_upload()
    )
    folders, files = storage.listdir("sealed")
    assert folders == []
    assert [f"sealed/{name}" for name in files] == [storage_name]
    for trace in (CANARY, "pricing", "schedule", ".pdf"):
        assert trace not in storage_name
    with storage.open(storage_name, "rb") as stored:
        stored_bytes = stored.read()
    assert stored_bytes[:1] == b"\x01"
    for trace in (CANARY.encode(), b"pricing-schedule", b"%PDF", b"method statement"):
        assert trace not in stored_bytes
        assert trace not in sealed_file_name


def test_each_stored_file_gets_its_own_random_name(competition, storage):
    first = store_sealed_file(competition=competition, purpose=FILE_PURPOSE, upload=canary_upload())
    second = store_sealed_file(
        competition=competition, purpose=FILE_PURPOSE, upload=canary_upload()
    )
    assert first[0] != second[0]


def test_sealed_file_stays_sealed_a_moment_before_the_deadline(competition, storage):
    storage_name, sealed_file_name, _size = store_sealed_file(
        competition=competition, purpose=FILE_PURPOSE, upload=canary_upload()
    )
    with pytest.raises(StillSealed):
        open_sealed_file(
            competition=competition,
            purpose=FILE_PURPOSE,
            storage_name=storage_name,
            sealed_file_name=sealed_file_name,
            now=JUST_BEFORE,
        )


@pytest.mark.parametrize(
    ("purpose", "other_competition"),
    [("bid:42:document", False), (FILE_PURPOSE, True)],
)
def test_sealed_file_does_not_open_in_another_place(
    competition, storage, purpose, other_competition
):
    storage_name, sealed_file_name, _size = store_sealed_file(
        competition=competition, purpose=FILE_PURPOSE, upload=canary_upload()
    )
    with pytest.raises(SealBroken):
        open_sealed_file(
            competition=make_competition(pk=13) if other_competition else competition,
            purpose=purpose,
            storage_name=storage_name,
            sealed_file_name=sealed_file_name,
            now=DEADLINE,
        )


def test_a_stored_file_swapped_for_another_documents_does_not_open(competition, storage):
    first_name, first_sealed_name, _ = store_sealed_file(
        competition=competition, purpose=FILE_PURPOSE, upload=canary_upload()
    )
    second_name, _, _ = store_sealed_file(
        competition=competition, purpose=FILE_PURPOSE, upload=canary_upload()
    )
    with storage.open(second_name, "rb") as second:
        second_bytes = second.read()
    storage.delete(first_name)
    storage.save(first_name, ContentFile(second_bytes))
    with pytest.raises(SealBroken):
        open_sealed_file(
            competition=competition,
            purpose=FILE_PURPOSE,
            storage_name=first_name,
            sealed_file_name=first_sealed_name,
            now=DEADLINE,
        )


def test_a_sealed_file_name_does_not_pass_for_a_sealed_value(competition, storage):
    _storage_name, sealed_file_name, _size = store_sealed_file(
        competition=competition, purpose=FILE_PURPOSE, upload=canary_upload()
    )
    with pytest.raises(SealBroken):
        unseal(competition=competition, purpose=FILE_PURPOSE, token=sealed_file_name, now=DEADLINE)
