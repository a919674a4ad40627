"""The appointments screens in the Wagtail admin."""

from django.urls import reverse

import pytest

from frameworks import services
from frameworks.models import Appointment
from marketplace.audit.models import AuditEvent
from tests import factories

INDEX = "frameworks_admin:appointments"
ADD = "frameworks_admin:appointment-add"
STATUS = "frameworks_admin:appointment-status"


@pytest.fixture
def manager_client(framework_manager, section, admin_client_for):
    return admin_client_for(framework_manager)


@pytest.fixture
def appointment(framework_manager, authority, lot, supplier, today):
    return services.appoint_supplier(
        actor=framework_manager, organisation=authority, lot=lot, supplier=supplier, starts_on=today
    )


@pytest.fixture
def other_appointment(other_manager, other_authority, other_lot, other_supplier, today):
    return services.appoint_supplier(
        actor=other_manager,
        organisation=other_authority,
        lot=other_lot,
        supplier=other_supplier,
        starts_on=today,
    )


def _add_data(lot, supplier, today, **overrides):
    return {"lot": lot.pk, "supplier": supplier.pk, "starts_on": today.isoformat(), **overrides}


def test_index_lists_the_authoritys_appointments(manager_client, appointment):
    response = manager_client.get(reverse(INDEX))
    assert list(response.context["page_obj"]) == [appointment]


def test_index_leaves_out_another_authoritys_appointments(
    manager_client, appointment, other_appointment
):
    response = manager_client.get(reverse(INDEX))
    assert other_appointment not in list(response.context["page_obj"])
    assert other_appointment.supplier.name not in response.content.decode()


def test_index_filters_by_supplier_name(
    manager_client, framework_manager, authority, lot, appointment, today
):
    named = factories.OrganisationFactory(kind="supplier", legal_name="Zebra Widgets Ltd")
    services.appoint_supplier(
        actor=framework_manager, organisation=authority, lot=lot, supplier=named, starts_on=today
    )
    response = manager_client.get(reverse(INDEX), {"supplier": "zebra"})
    assert [item.supplier for item in response.context["page_obj"]] == [named]


def test_index_filters_by_status(manager_client, framework_manager, authority, appointment):
    services.change_appointment_status(
        actor=framework_manager,
        organisation=authority,
        appointment=appointment,
        status="suspended",
        reason="Insurance lapsed",
    )
    assert list(manager_client.get(reverse(INDEX), {"status": "active"}).context["page_obj"]) == []
    assert list(
        manager_client.get(reverse(INDEX), {"status": "suspended"}).context["page_obj"]
    ) == [appointment]


def test_index_filter_refuses_another_authoritys_lot(manager_client, appointment, other_lot):
    response = manager_client.get(reverse(INDEX), {"lot": other_lot.pk})
    assert response.context["filterset"].form.errors["lot"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_index_queries_do_not_grow(
    manager_client, framework_manager, authority, framework, today, django_assert_max_num_queries
):
    lots = list(framework.lots.all())
    for supplier in factories.OrganisationFactory.create_batch(30, kind="supplier"):
        for lot in lots:
            services.appoint_supplier(
                actor=framework_manager,
                organisation=authority,
                lot=lot,
                supplier=supplier,
                starts_on=today,
            )
    with django_assert_max_num_queries(25):
        response = manager_client.get(reverse(INDEX), {"status": "active"})
    assert response.context["page_obj"].paginator.count == 60


def test_reviewer_cannot_open_the_appointments(reviewer, section, admin_client_for):
    response = admin_client_for(reviewer).get(reverse(INDEX))
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))


def test_supplier_user_cannot_reach_the_appointments(supplier_admin, client):
    client.force_login(supplier_admin)
    response = client.get(reverse(INDEX))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_create_appoints_the_supplier(manager_client, lot, supplier, today):
    response = manager_client.post(reverse(ADD), _add_data(lot, supplier, today))
    assert (response.status_code, response.url) == (302, reverse(INDEX))
    assert Appointment.objects.filter(lot=lot, supplier=supplier, status="active").count() == 1


def test_create_is_audited(manager_client, framework_manager, lot, supplier, today):
    manager_client.post(reverse(ADD), _add_data(lot, supplier, today))
    event = AuditEvent.objects.get(kind="appointment.created")
    assert (event.actor_id, event.data["supplier"]) == (framework_manager.pk, supplier.pk)


def test_create_offers_only_the_authoritys_lots(manager_client, framework, other_lot):
    form = manager_client.get(reverse(ADD)).context["form"]
    assert set(form.fields["lot"].queryset) == set(framework.lots.all())


def test_create_picks_the_supplier_in_a_chooser_not_a_list(manager_client, supplier):
    factories.OrganisationFactory.create_batch(3, kind="supplier")
    html = manager_client.get(reverse(ADD)).content.decode()
    assert '<select name="supplier"' not in html
    assert 'data-admin-init="Chooser"' in html
    assert supplier.legal_name not in html


def test_supplier_chooser_finds_suppliers_by_name_only(
    manager_client, supplier, other_supplier, buyer
):
    response = manager_client.get(
        reverse("supplier_chooser:choose_results"), {"q": supplier.legal_name}
    )
    assert list(response.context["results"]) == [supplier]


def test_supplier_chooser_offers_no_buyer(manager_client, supplier, buyer):
    response = manager_client.get(reverse("supplier_chooser:choose_results"))
    assert list(response.context["results"]) == [supplier]


def test_create_refuses_another_authoritys_lot(manager_client, other_lot, supplier, today):
    response = manager_client.post(reverse(ADD), _add_data(other_lot, supplier, today))
    assert response.context["form"].errors["lot"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Appointment.objects.exists()


def test_create_refuses_an_organisation_that_is_not_a_supplier(manager_client, lot, buyer, today):
    response = manager_client.post(reverse(ADD), _add_data(lot, buyer, today))
    assert response.context["form"].errors["supplier"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Appointment.objects.exists()


def test_create_shows_the_debarment_as_an_error(
    manager_client, framework_manager, authority, lot, supplier, today
):
    services.debar_supplier(
        actor=framework_manager,
        organisation=authority,
        supplier=supplier,
        reason="Fraud conviction",
        starts_on=today,
    )
    response = manager_client.post(reverse(ADD), _add_data(lot, supplier, today))
    assert response.context["form"].non_field_errors() == [
        f"{supplier.name} is on the debarment list"
    ]
    assert "Error: Appoint a supplier" in response.content.decode()
    assert not Appointment.objects.exists()


def test_create_shows_a_duplicate_as_an_error(manager_client, appointment, lot, supplier, today):
    response = manager_client.post(reverse(ADD), _add_data(lot, supplier, today))
    assert response.context["form"].non_field_errors() == [
        f"{supplier.name} is already appointed to this lot"
    ]
    assert Appointment.objects.count() == 1


def test_create_needs_a_start_date(manager_client, lot, supplier, today):
    response = manager_client.post(reverse(ADD), _add_data(lot, supplier, today, starts_on=""))
    assert response.context["form"].errors["starts_on"] == ["This field is required."]
    assert not Appointment.objects.exists()


def test_status_change_suspends_with_a_reason(manager_client, appointment):
    response = manager_client.post(
        reverse(STATUS, args=(appointment.pk,)),
        {"status": "suspended", "reason": "Insurance lapsed"},
    )
    appointment.refresh_from_db()
    assert response.status_code == 302
    assert (appointment.status, appointment.reason) == ("suspended", "Insurance lapsed")


def test_status_change_without_a_reason_is_refused(manager_client, appointment):
    response = manager_client.post(
        reverse(STATUS, args=(appointment.pk,)), {"status": "excluded", "reason": " "}
    )
    appointment.refresh_from_db()
    assert response.context["form"].non_field_errors() == ["Give the reason for this decision"]
    assert appointment.status == "active"


def test_status_change_offers_only_allowed_moves(manager_client, appointment):
    form = manager_client.get(reverse(STATUS, args=(appointment.pk,))).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == [
        "suspended",
        "excluded",
    ]


def test_status_change_refuses_a_move_not_in_the_table(
    manager_client, framework_manager, authority, appointment
):
    services.change_appointment_status(
        actor=framework_manager,
        organisation=authority,
        appointment=appointment,
        status="excluded",
        reason="Exclusion grounds",
    )
    response = manager_client.post(
        reverse(STATUS, args=(appointment.pk,)), {"status": "active", "reason": ""}
    )
    appointment.refresh_from_db()
    assert "status" in response.context["form"].errors
    assert appointment.status == "excluded"


def test_status_page_of_another_authoritys_appointment_is_not_found(
    manager_client, other_appointment
):
    response = manager_client.get(reverse(STATUS, args=(other_appointment.pk,)))
    assert response.status_code == 404


def test_status_change_of_another_authoritys_appointment_is_not_found(
    manager_client, other_appointment
):
    response = manager_client.post(
        reverse(STATUS, args=(other_appointment.pk,)),
        {"status": "suspended", "reason": "Hostile"},
    )
    other_appointment.refresh_from_db()
    assert (response.status_code, other_appointment.status) == (404, "active")
