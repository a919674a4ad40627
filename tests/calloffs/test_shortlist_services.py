"""Search and shortlist: freezing a saved search's results, keeping or rejecting each, and
choosing the winner among those kept. Each rule refused cleanly, each step audited."""

# The fixtures are imported from shortlist_setup, and tests take them by name.
# ruff: noqa: F811

from decimal import Decimal

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import BuyingProject, Shortlist, ShortlistItem
from marketplace.calloffs.services import shortlists as services
from marketplace.calloffs.services.selection import SelectionError
from marketplace.organisations.policy import PolicyDenied
from tests import factories

from .shortlist_setup import frozen, project, shortlisting  # noqa: F401

pytestmark = pytest.mark.django_db

KEPT = ShortlistItem.Decision.KEPT
REJECTED = ShortlistItem.Decision.REJECTED


def freeze(officer, project, saved):
    return services.freeze_shortlist(actor=officer, project=project, saved_search=saved)


def test_freezing_copies_each_result_in_order_with_its_prices(
    shortlisting, project, procurement_officer, buyer
):
    hosting = shortlisting.offer("Cloud hosting", price="250.00")
    other = factories.OrganisationFactory(kind="supplier", legal_name="Nimbus plc")
    backup = shortlisting.offer("Cloud backup", supplier=other)
    shortlisting.offer("Grounds care")
    revision = hosting.save_revision(user=procurement_officer)
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud&unit=day&sort=price")

    shortlist = freeze(procurement_officer, project, saved)

    assert (shortlist.saved_search, shortlist.query_string, shortlist.frozen_by) == (
        saved,
        f"q=cloud&lot={shortlisting.lot.pk}&unit=day&sort=price",
        procurement_officer,
    )
    assert shortlist.description == (
        f"2 offerings for ‘cloud’ on Lot 1 of {shortlisting.lot.framework.title}, priced per day"
    )
    rows = [
        (
            item.position,
            item.offering,
            item.revision,
            item.supplier,
            item.supplier_name,
            item.offering_reference,
            item.title,
            item.price,
            item.price_unit,
            item.vat_treatment,
            item.comparable_price,
            item.decision,
        )
        for item in shortlist.items.all()
    ]
    assert rows == [
        (1, backup, None, other, "Nimbus plc", backup.reference, "Cloud backup",
         Decimal("100.00"), "day", "exclusive", Decimal("100.00"), "undecided"),
        (2, hosting, revision, shortlisting.supplier, "Cloudworks Ltd", hosting.reference,
         "Cloud hosting", Decimal("250.00"), "day", "exclusive", Decimal("250.00"), "undecided"),
    ]  # fmt: skip


def test_freezing_is_audited_with_the_item_count_and_the_query(
    shortlisting, project, procurement_officer
):
    shortlist = frozen(shortlisting, project, procurement_officer)

    event = AuditEvent.objects.get(kind=AuditKind.SHORTLIST_FROZEN)
    assert (event.actor, event.organisation_id, event.target_object_id) == (
        procurement_officer,
        project.organisation_id,
        str(project.pk),
    )
    assert event.data == {
        "items": 2,
        "limit": 3,
        "saved_search": shortlist.saved_search_id,
        "query_string": shortlist.query_string,
        "description": shortlist.description,
    }


def test_a_search_with_more_results_than_the_limit_is_refused(
    shortlisting, project, procurement_officer, buyer
):
    for title in ("Cloud a", "Cloud b", "Cloud c", "Cloud d"):
        shortlisting.offer(title)
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud")

    with pytest.raises(services.ShortlistError) as refusal:
        freeze(procurement_officer, project, saved)

    assert str(refusal.value) == (
        "This search has 4 results; the lot's shortlist limit is 3. "
        "Refine the search and save it again"
    )
    assert not Shortlist.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.SHORTLIST_FROZEN).exists()


def test_a_search_at_the_limit_freezes_every_result_across_search_pages(
    reference_backend, buyer, procurement_officer
):
    from .shortlist_setup import Shortlisting

    shortlisting = Shortlisting(limit=25)
    project = shortlisting.project(buyer=buyer, officer=procurement_officer)
    for number in range(25):
        shortlisting.offer(f"Cloud {number:02d}")
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud")

    shortlist = freeze(procurement_officer, project, saved)

    assert shortlist.items.count() == 25
    assert shortlist.items.values("offering").distinct().count() == 25


def test_a_search_with_no_results_is_refused(shortlisting, project, procurement_officer, buyer):
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud")

    with pytest.raises(services.ShortlistError, match="This search has no results"):
        freeze(procurement_officer, project, saved)
    assert not Shortlist.objects.exists()


def test_a_search_not_limited_to_the_lot_is_refused(
    shortlisting, project, procurement_officer, buyer
):
    from marketplace.calloffs.services.saved_searches import create_saved_search

    shortlisting.offer("Cloud hosting")
    saved = create_saved_search(
        actor=procurement_officer, organisation=buyer, name="Any lot", query_string="q=cloud"
    )

    with pytest.raises(services.ShortlistError) as refusal:
        freeze(procurement_officer, project, saved)

    assert str(refusal.value) == (
        "This search is not limited to Lot 1: Hosting: search that lot only and save it again"
    )


def test_a_second_freeze_is_refused(shortlisting, project, procurement_officer, buyer):
    frozen(shortlisting, project, procurement_officer)
    saved = shortlisting.search(procurement_officer, buyer, "q=hosting", name="Again")

    with pytest.raises(services.ShortlistError, match="shortlist is already frozen"):
        freeze(procurement_officer, project, saved)
    assert ShortlistItem.objects.count() == 2


def test_another_organisations_saved_search_cannot_be_frozen(
    shortlisting, project, procurement_officer, other_buyer, outsider
):
    shortlisting.offer("Cloud hosting")
    theirs = shortlisting.search(outsider, other_buyer, "q=cloud")

    with pytest.raises(services.ShortlistError, match="your organisation's saved searches"):
        freeze(procurement_officer, project, theirs)


def test_someone_off_the_project_team_cannot_freeze(
    shortlisting, project, colleague, buyer, procurement_officer
):
    shortlisting.offer("Cloud hosting")
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud")

    with pytest.raises(PolicyDenied):
        freeze(colleague, project, saved)
    assert not Shortlist.objects.exists()


def test_a_project_using_another_mechanism_cannot_freeze(
    shortlisting, project, procurement_officer, buyer
):
    BuyingProject.objects.filter(pk=project.pk).update(direct_award_method="ranked_rotation")
    shortlisting.offer("Cloud hosting")
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud")

    with pytest.raises(services.ShortlistError, match="does not use search and shortlist"):
        freeze(procurement_officer, project, saved)


def test_a_result_whose_supplier_is_debarred_stops_the_freeze(
    shortlisting, project, procurement_officer, buyer
):
    shortlisting.offer("Cloud hosting")
    factories.debarment_entry(supplier=shortlisting.supplier)
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud")

    with pytest.raises(services.ShortlistError) as refusal:
        freeze(procurement_officer, project, saved)

    assert str(refusal.value) == (
        "A result's supplier cannot be called off today: Cloudworks Ltd is on the debarment "
        "list on a mandatory exclusion ground."
    )
    assert not Shortlist.objects.exists()


# --- Keeping and rejecting --------------------------------------------------------------------


def test_keeping_and_rejecting_are_audited_with_the_old_and_new_decisions(
    shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()

    services.decide_item(actor=procurement_officer, item=item, decision=KEPT, reason="")
    services.decide_item(
        actor=procurement_officer, item=item, decision=REJECTED, reason="  Too far away. "
    )

    item.refresh_from_db()
    assert (item.decision, item.reason, item.decided_by) == (
        REJECTED,
        "Too far away.",
        procurement_officer,
    )
    events = AuditEvent.objects.filter(kind=AuditKind.SHORTLIST_ITEM_DECIDED).order_by("pk")
    assert [event.data for event in events] == [
        {
            "project": project.pk,
            "position": 1,
            "offering_reference": item.offering_reference,
            "old": {"decision": "undecided", "reason": ""},
            "new": {"decision": "kept", "reason": ""},
        },
        {
            "project": project.pk,
            "position": 1,
            "offering_reference": item.offering_reference,
            "old": {"decision": "kept", "reason": ""},
            "new": {"decision": "rejected", "reason": "Too far away."},
        },
    ]


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejecting_without_a_reason_saves_nothing(
    shortlisting, project, procurement_officer, reason
):
    item = frozen(shortlisting, project, procurement_officer).items.first()

    with pytest.raises(services.ShortlistError) as refusal:
        services.decide_item(actor=procurement_officer, item=item, decision=REJECTED, reason=reason)

    assert (str(refusal.value), refusal.value.code) == (
        "Give a reason for rejecting this item",
        "reason",
    )
    item.refresh_from_db()
    assert item.decision == "undecided"
    assert not AuditEvent.objects.filter(kind=AuditKind.SHORTLIST_ITEM_DECIDED).exists()


def test_an_unknown_decision_is_refused(shortlisting, project, procurement_officer):
    item = frozen(shortlisting, project, procurement_officer).items.first()

    with pytest.raises(services.ShortlistError, match="Choose whether to keep or reject"):
        services.decide_item(actor=procurement_officer, item=item, decision="undecided", reason="")


def test_decisions_are_locked_once_a_supplier_is_chosen(shortlisting, project, procurement_officer):
    first, second = frozen(shortlisting, project, procurement_officer).items.all()
    services.decide_item(actor=procurement_officer, item=first, decision=KEPT, reason="")
    services.choose_shortlisted(
        actor=procurement_officer, project=project, item=first, reason="Cheapest kept."
    )

    with pytest.raises(services.ShortlistError) as refusal:
        services.decide_item(actor=procurement_officer, item=second, decision=KEPT, reason="")

    assert str(refusal.value) == (
        "A supplier has been chosen: the shortlist's decisions can no longer change"
    )


# --- Choosing the winner ----------------------------------------------------------------------


def test_choosing_a_kept_item_selects_its_supplier_with_the_reason(
    shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    services.decide_item(actor=procurement_officer, item=item, decision=KEPT, reason="Fits.")

    services.choose_shortlisted(
        actor=procurement_officer, project=project, item=item, reason=" Best value kept. "
    )

    project.refresh_from_db()
    assert (
        project.selected_supplier,
        project.selected_offering,
        project.selected_shortlist_item,
        project.selection_reason,
    ) == (item.supplier, item.offering, item, "Best value kept.")
    event = AuditEvent.objects.get(kind=AuditKind.SUPPLIER_SELECTED)
    assert event.data == {
        "method": "search_shortlist",
        "supplier": item.supplier_id,
        "offering": item.offering_id,
        "shortlist_item": item.pk,
        "rotation_offer": None,
        "reason": "Best value kept.",
    }


@pytest.mark.parametrize("decision", ["undecided", "rejected"])
def test_an_item_not_kept_cannot_be_chosen(shortlisting, project, procurement_officer, decision):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    if decision == "rejected":
        services.decide_item(
            actor=procurement_officer, item=item, decision=REJECTED, reason="Too dear."
        )

    with pytest.raises(services.ShortlistError) as refusal:
        services.choose_shortlisted(
            actor=procurement_officer, project=project, item=item, reason="Because."
        )

    label = {"undecided": "not decided", "rejected": "rejected"}[decision]
    assert str(refusal.value) == f"Only a kept item can be chosen: “{item.title}” is {label}"
    project.refresh_from_db()
    assert project.selected_supplier is None


def test_an_item_of_another_projects_shortlist_cannot_be_chosen(
    shortlisting, project, procurement_officer, buyer
):
    frozen(shortlisting, project, procurement_officer)
    other_project = shortlisting.project(buyer=buyer, officer=procurement_officer)
    saved = shortlisting.search(procurement_officer, buyer, "q=backup", name="Backup")
    unlisted = freeze(procurement_officer, other_project, saved).items.get()
    services.decide_item(actor=procurement_officer, item=unlisted, decision=KEPT, reason="")

    with pytest.raises(services.ShortlistError, match="Choose an item on this project's shortlist"):
        services.choose_shortlisted(
            actor=procurement_officer, project=project, item=unlisted, reason="Because."
        )


def test_a_reason_is_needed_to_choose(shortlisting, project, procurement_officer):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    services.decide_item(actor=procurement_officer, item=item, decision=KEPT, reason="")

    with pytest.raises(SelectionError) as refusal:
        services.choose_shortlisted(
            actor=procurement_officer, project=project, item=item, reason="  "
        )

    assert str(refusal.value) == (
        "Give the reason for choosing this supplier under the framework's mechanism"
    )


def test_a_supplier_suspended_after_the_freeze_cannot_be_chosen(
    shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    services.decide_item(actor=procurement_officer, item=item, decision=KEPT, reason="")
    appointment = shortlisting.lot.appointments.get(supplier=item.supplier)
    appointment.status = "suspended"
    appointment.reason = "Insurance lapsed"
    appointment.save()

    with pytest.raises(SelectionError) as refusal:
        services.choose_shortlisted(
            actor=procurement_officer, project=project, item=item, reason="Cheapest."
        )

    assert str(refusal.value) == (
        "Cloudworks Ltd's appointment to this lot is suspended: Insurance lapsed"
    )
    project.refresh_from_db()
    assert project.selected_shortlist_item is None
