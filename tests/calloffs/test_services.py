"""Saving, renaming and deleting searches: each audited, each refused cleanly on bad input."""

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import SavedSearch
from marketplace.calloffs.services import saved_searches as services
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied

pytestmark = pytest.mark.django_db


def save(actor, organisation, name="Cloud hosting", query_string="q=cloud+hosting&region=TLD"):
    return services.create_saved_search(
        actor=actor, organisation=organisation, name=name, query_string=query_string
    )


def test_saving_a_search_keeps_it_and_records_an_audit_event(procurement_officer, buyer):
    saved = save(procurement_officer, buyer, query_string="?q=cloud+hosting&region=TLD&page=3")

    saved.refresh_from_db()
    assert (saved.organisation, saved.created_by, saved.name) == (
        buyer,
        procurement_officer,
        "Cloud hosting",
    )
    assert saved.query_string == "q=cloud+hosting&region=TLD"
    event = AuditEvent.objects.get(kind=AuditKind.SAVED_SEARCH_CREATED)
    assert (event.actor, event.organisation_id, event.target_object_id) == (
        procurement_officer,
        buyer.pk,
        str(saved.pk),
    )
    assert event.data == {"name": "Cloud hosting", "query_string": "q=cloud+hosting&region=TLD"}


def test_the_name_is_trimmed_and_its_spaces_collapsed(procurement_officer, buyer):
    assert save(procurement_officer, buyer, name="  Cloud   hosting ").name == "Cloud hosting"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name for the search"),
        ("   ", "Enter a name for the search"),
        ("x" * 101, "Name must be 100 characters or fewer (you entered 101)"),
    ],
)
def test_a_bad_name_saves_nothing_and_says_why(procurement_officer, buyer, name, message):
    with pytest.raises(DomainError) as refusal:
        save(procurement_officer, buyer, name=name)

    assert str(refusal.value) == message
    assert not SavedSearch.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.SAVED_SEARCH_CREATED).exists()


def test_a_100_character_name_is_kept(procurement_officer, buyer):
    assert save(procurement_officer, buyer, name="x" * 100).name == "x" * 100


def test_a_supplier_cannot_save_a_search(supplier_admin, supplier):
    with pytest.raises(DomainError, match="Only buyer organisations can save searches"):
        save(supplier_admin, supplier)
    assert not SavedSearch.objects.exists()


def test_a_non_member_cannot_save_a_search_for_a_buyer(outsider, buyer):
    with pytest.raises(PolicyDenied):
        save(outsider, buyer)
    assert not SavedSearch.objects.exists()


def test_renaming_is_audited_with_the_old_and_new_names(procurement_officer, buyer):
    saved = save(procurement_officer, buyer)

    services.rename_saved_search(
        actor=procurement_officer, organisation=buyer, saved_search=saved, name="Hosting, NW"
    )

    saved.refresh_from_db()
    assert saved.name == "Hosting, NW"
    event = AuditEvent.objects.get(kind=AuditKind.SAVED_SEARCH_RENAMED)
    assert event.data == {"old": {"name": "Cloud hosting"}, "new": {"name": "Hosting, NW"}}
    assert event.target_object_id == str(saved.pk)


def test_a_bad_new_name_changes_nothing(procurement_officer, buyer):
    saved = save(procurement_officer, buyer)

    with pytest.raises(DomainError, match="Enter a name for the search"):
        services.rename_saved_search(
            actor=procurement_officer, organisation=buyer, saved_search=saved, name=" "
        )

    saved.refresh_from_db()
    assert saved.name == "Cloud hosting"
    assert not AuditEvent.objects.filter(kind=AuditKind.SAVED_SEARCH_RENAMED).exists()


def test_deleting_is_audited_and_removes_the_search(procurement_officer, buyer):
    saved = save(procurement_officer, buyer)
    pk = saved.pk

    services.delete_saved_search(actor=procurement_officer, organisation=buyer, saved_search=saved)

    assert not SavedSearch.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(kind=AuditKind.SAVED_SEARCH_DELETED)
    assert (event.target_object_id, event.target_repr) == (str(pk), "Cloud hosting")
    assert event.data == {"name": "Cloud hosting", "query_string": "q=cloud+hosting&region=TLD"}


def test_a_colleague_may_not_rename_or_delete_anothers_search(
    procurement_officer, colleague, buyer
):
    saved = save(procurement_officer, buyer)

    with pytest.raises(PolicyDenied):
        services.rename_saved_search(
            actor=colleague, organisation=buyer, saved_search=saved, name="Mine now"
        )
    with pytest.raises(PolicyDenied):
        services.delete_saved_search(actor=colleague, organisation=buyer, saved_search=saved)

    saved.refresh_from_db()
    assert saved.name == "Cloud hosting"


def test_an_administrator_may_rename_and_delete_anyones_search(
    procurement_officer, approver, buyer
):
    saved = save(procurement_officer, buyer)

    services.rename_saved_search(
        actor=approver, organisation=buyer, saved_search=saved, name="Renamed by the admin"
    )
    services.delete_saved_search(actor=approver, organisation=buyer, saved_search=saved)

    assert not SavedSearch.objects.exists()


def test_another_organisation_cannot_change_a_saved_search(
    procurement_officer, buyer, outsider, other_buyer
):
    saved = save(procurement_officer, buyer)

    with pytest.raises(PolicyDenied):
        services.delete_saved_search(actor=outsider, organisation=other_buyer, saved_search=saved)

    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_running_again_notes_when(procurement_officer, buyer):
    saved = save(procurement_officer, buyer)

    services.record_run(actor=procurement_officer, organisation=buyer, saved_search=saved)

    saved.refresh_from_db()
    assert saved.last_run_at is not None
