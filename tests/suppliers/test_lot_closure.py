"""Offerings on a closed lot: none new, none shown to buyers, the supplier still sees theirs."""

from django.urls import reverse
from django.utils import timezone

import pytest

from frameworks import services as framework_services
from marketplace.exceptions import DomainError
from suppliers import selectors, services
from suppliers.bulk.imports import check_rows
from tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    offering,
    offering_data,
    supplier_lot,
)

CLOSED = "Lot 1: Software is closed: no new offerings can be listed on it"


@pytest.fixture
def close(lot, authority):
    def close_the_lot():
        manager = MembershipFactory(organisation=authority, role="framework_manager").user
        framework_services.close_lot(
            actor=manager,
            organisation=authority,
            lot=lot,
            reason="Moved to a national framework",
            ground="not_substantial",
        )

    return close_the_lot


def test_no_offering_can_be_created_on_a_closed_lot(supplier, supplier_user, lot, close):
    AppointmentFactory(supplier=supplier, lot=lot)
    close()

    with pytest.raises(DomainError, match=CLOSED):
        services.create_offering(
            actor=supplier_user, supplier=supplier, lot=lot, data=offering_data()
        )


def test_a_draft_on_a_closed_lot_cannot_be_submitted(draft, supplier, supplier_user, close):
    close()

    with pytest.raises(DomainError, match=CLOSED):
        services.submit_offering(actor=supplier_user, supplier=supplier, offering=draft)


def test_a_closed_lots_offerings_leave_the_buyers_listing(live_offering, lot, close):
    other = offering(
        supplier=live_offering.supplier,
        lot=AppointmentFactory(supplier=live_offering.supplier, lot=supplier_lot()).lot,
        status="live",
    )
    assert set(selectors.listable_offerings(on=timezone.localdate())) == {live_offering, other}

    close()

    assert list(selectors.listable_offerings(on=timezone.localdate())) == [other]


def test_the_supplier_still_sees_offerings_on_a_closed_lot(live_offering, supplier, close):
    close()

    assert list(selectors.offerings_for_supplier(organisation=supplier)) == [live_offering]


def test_the_portal_does_not_offer_a_closed_lot(supplier, lot, close):
    AppointmentFactory(supplier=supplier, lot=lot)
    close()

    assert list(selectors.appointed_lots(supplier=supplier, on=timezone.localdate())) == []


def test_the_offering_form_of_a_closed_lot_is_not_found(
    client, supplier, supplier_user, lot, close
):
    AppointmentFactory(supplier=supplier, lot=lot)
    close()
    client.force_login(supplier_user)

    response = client.get(reverse("suppliers:offering-create", args=(lot.pk,)))

    assert response.status_code == 404


def test_the_public_lot_page_of_a_closed_lot_lists_no_offerings(client, live_offering, lot, close):
    lot_page = f"{lot.framework.url}lots/1/"
    assert live_offering.title in client.get(lot_page).content.decode()

    close()

    page = client.get(lot_page).content.decode()
    assert live_offering.title not in page
    assert "This lot closed on" in page


def test_an_offering_submitted_before_the_lot_closed_cannot_be_approved(
    draft, supplier, supplier_user, authority, reviewer, close
):
    submitted = services.submit_offering(actor=supplier_user, supplier=supplier, offering=draft)
    close()

    with pytest.raises(DomainError, match=CLOSED):
        services.approve_offering(actor=reviewer, authority=authority, offering=submitted)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.awaiting_review) == ("submitted", True)


def test_an_import_onto_a_closed_lot_is_refused_before_any_row_is_read(supplier, lot, close):
    AppointmentFactory(supplier=supplier, lot=lot)
    close()

    result = check_rows(supplier=supplier, lot=lot, rows=[])

    assert [(problem.row, problem.message) for problem in result.problems] == [(None, CLOSED)]
