import hashlib
import json
from datetime import UTC, date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.utils.functional import SimpleLazyObject

import pytest

from marketplace.audit import services
from marketplace.audit.chain import GENESIS_HASH, compute_hash
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record, seal_chain
from tests import factories
from tests.audit.conftest import sealed


def expected_hash(event: AuditEvent) -> str:
    """The documented recipe, written out independently of chain.compute_hash."""
    content = {
        "actor_email": event.actor_email,
        "actor_id": event.actor_id,
        "created_at": event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"),
        "data": event.data,
        "kind": event.kind,
        "organisation_id": event.organisation_id,
        "sequence": event.sequence,
        "target_content_type_id": event.target_content_type_id,
        "target_object_id": event.target_object_id,
        "target_repr": event.target_repr,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((event.previous_hash + canonical).encode()).hexdigest()


def test_record_writes_the_event_unsealed(framework_manager, authority):
    event = record(actor=framework_manager, organisation=authority, kind=AuditKind.USER_SIGNED_IN)

    stored = AuditEvent.objects.get()
    assert (event.sequence, event.previous_hash, event.hash) == (None, None, None)
    assert (stored.pk, stored.sequence, stored.previous_hash, stored.hash) == (
        event.pk,
        None,
        None,
        None,
    )
    assert str(stored) == f"Signed in (id {stored.pk}, not sealed yet)"


def test_record_leaves_sealing_until_after_commit(
    framework_manager, authority, django_capture_on_commit_callbacks, settings, monkeypatch
):
    settings.AUDIT_SEAL_EVERY = timedelta(seconds=1)  # as in production; tests turn it off
    monkeypatch.setattr(services, "_next_seal", 0.0)  # this process has not sealed lately
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record(actor=framework_manager, organisation=authority, kind=AuditKind.USER_SIGNED_IN)
    assert AuditEvent.objects.get().sequence is None

    for callback in callbacks:
        callback()

    assert AuditEvent.objects.get().sequence == 1


def test_sealing_writes_first_event_chained_to_genesis(framework_manager, authority):
    event = record(
        actor=framework_manager,
        organisation=authority,
        kind=AuditKind.ORGANISATION_UPDATED,
        target=authority,
        data={"field": "town", "before": "Leeds", "after": "York"},
    )

    assert seal_chain() == 1
    stored = AuditEvent.objects.get()
    assert stored.pk == event.pk
    assert stored.sequence == 1
    assert stored.previous_hash == GENESIS_HASH
    assert stored.hash == expected_hash(stored)
    assert stored.kind == "organisation.updated"
    assert stored.actor_id == framework_manager.pk
    assert stored.actor_email == framework_manager.email
    assert stored.organisation_id == authority.pk
    assert stored.target_content_type == ContentType.objects.get_for_model(authority)
    assert stored.target_object_id == str(authority.pk)
    assert stored.target_repr == str(authority)
    assert stored.data == {"field": "town", "before": "Leeds", "after": "York"}


def test_second_event_chains_to_the_first(framework_manager, authority):
    first, second = sealed(
        [
            record(actor=framework_manager, organisation=authority, kind=kind)
            for kind in (AuditKind.USER_SIGNED_IN, AuditKind.USER_SIGNED_OUT)
        ]
    )

    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.hash
    assert second.hash == expected_hash(second)
    assert second.hash != first.hash


def test_anonymous_actor_and_no_organisation_are_recorded_as_empty(db):
    event = record(
        actor=AnonymousUser(),
        organisation=SimpleLazyObject(lambda: None),
        kind=AuditKind.SIGN_IN_LOCKED_OUT,
        data={"username": "someone@example.org"},
    )

    [event] = sealed([event])
    assert event.actor_id is None
    assert event.actor_email == ""
    assert event.organisation_id is None
    assert event.hash == expected_hash(event)


def test_decimals_dates_and_floats_are_stored_as_text_and_the_hash_reproduces(
    framework_manager, authority
):
    event = record(
        actor=framework_manager,
        organisation=authority,
        kind=AuditKind.ORGANISATION_UPDATED,
        data={"levy": Decimal("1.50"), "from": date(2026, 4, 1), "score": 7.5, "n": [1, True]},
    )

    [stored] = sealed([AuditEvent.objects.get(pk=event.pk)])
    assert stored.data == {"levy": "1.50", "from": "2026-04-01", "score": "7.5", "n": [1, True]}
    assert compute_hash(stored) == stored.hash


def test_record_accepts_the_kind_as_its_text_value(framework_manager, authority):
    event = record(actor=framework_manager, organisation=authority, kind="account.signed_in")

    assert event.kind == AuditKind.USER_SIGNED_IN.value


def test_record_refuses_an_unknown_kind_and_writes_nothing(framework_manager, authority):
    with pytest.raises(ValueError, match=r"'made\.up' is not an audit kind"):
        record(actor=framework_manager, organisation=authority, kind="made.up")

    assert AuditEvent.objects.count() == 0


def test_record_refuses_data_that_is_not_json(framework_manager, authority):
    with pytest.raises(TypeError):
        record(
            actor=framework_manager,
            organisation=authority,
            kind=AuditKind.ORGANISATION_UPDATED,
            data={"thing": object()},
        )

    assert AuditEvent.objects.count() == 0


def test_record_refuses_an_unsaved_target(framework_manager, authority):
    with pytest.raises(ValueError, match="must be saved first"):
        record(
            actor=framework_manager,
            organisation=authority,
            kind=AuditKind.ORGANISATION_CREATED,
            target=factories.OrganisationFactory.build(),
        )


def test_long_target_text_is_cut_to_fit(framework_manager, authority):
    target = factories.OrganisationFactory(legal_name="x" * 200, trading_name="")
    target.legal_name = "y" * 300  # str() of the in-memory object is longer than 255

    event = record(
        actor=framework_manager,
        organisation=authority,
        kind=AuditKind.ORGANISATION_UPDATED,
        target=target,
    )

    assert event.target_repr == "y" * 255
