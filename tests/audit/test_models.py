import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent, AuditLogIsAppendOnly
from marketplace.audit.services import record
from tests.audit.conftest import sealed


@pytest.fixture
def event(framework_manager, authority):
    [sealed_event] = sealed(
        [record(actor=framework_manager, organisation=authority, kind=AuditKind.USER_SIGNED_IN)]
    )
    return sealed_event


def test_saving_a_recorded_event_is_refused(event):
    event.kind = AuditKind.USER_SIGNED_OUT

    with pytest.raises(AuditLogIsAppendOnly, match="cannot be changed"):
        event.save()

    assert AuditEvent.objects.get().kind == AuditKind.USER_SIGNED_IN


def test_deleting_a_recorded_event_is_refused(event):
    with pytest.raises(AuditLogIsAppendOnly, match="cannot be deleted"):
        event.delete()

    assert AuditEvent.objects.count() == 1


def test_bulk_update_is_refused(event):
    with pytest.raises(AuditLogIsAppendOnly, match="cannot be changed"):
        AuditEvent.objects.filter(pk=event.pk).update(kind="account.signed_out")

    assert AuditEvent.objects.get().kind == AuditKind.USER_SIGNED_IN


def test_bulk_delete_is_refused(event):
    with pytest.raises(AuditLogIsAppendOnly, match="cannot be deleted"):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


def test_str_names_sequence_and_kind(event):
    assert str(event) == "#1 Signed in"
