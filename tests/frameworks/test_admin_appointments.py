"""The appointments screens in the Wagtail admin."""

from datetime import timedelta

from django.urls import reverse

import pytest

from frameworks import services
from frameworks.models import Appointment
from marketplace.audit.models import AuditEvent
from tests import factories
from tests.frameworks.conftest import create_framework
from tests.helpers import queries_to_get

INDEX = "appointments:index"
ADD = "appointments:add"
STATUS = "appointments:status"


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
    assert response.context["filters"].form.errors["lot"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_index_queries_stay_constant_from_2_to_12_rows(manager_client, lot, replaceable):
    url = reverse(INDEX)
    factories.AppointmentFactory(lot=lot)
    two = queries_to_get(manager_client, url)
    factories.AppointmentFactory.create_batch(9, lot=lot)
    factories.AppointmentFactory(lot=replaceable.lot, status=Appointment.Status.EXCLUDED)
    twelve = queries_to_get(manager_client, url)
    assert len(manager_client.get(url).context["object_list"]) == 12
    assert twelve == two


def test_index_is_paginated_by_the_viewset(manager_client, lot):
    factories.AppointmentFactory.create_batch(51, lot=lot)
    first = manager_client.get(reverse(INDEX))
    second = manager_client.get(reverse(INDEX), {"p": 2})
    assert (len(first.context["page_obj"]), len(second.context["page_obj"])) == (50, 1)


def test_index_shows_its_filters_in_wagtails_filter_ui(manager_client, appointment):
    response = manager_client.get(reverse(INDEX))
    assert type(response.context["filters"]).__name__ == "AppointmentFilterSet"
    assert 'id="filters-drilldown"' in response.content.decode()


def test_filter_results_leave_out_another_authoritys_appointments(
    manager_client, appointment, other_appointment
):
    response = manager_client.get(reverse("appointments:index_results"), {"status": "active"})
    assert list(response.context["object_list"]) == [appointment]
    assert other_appointment.supplier.name not in response.content.decode()


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


def test_create_shows_the_debarment_as_an_error(manager_client, lot, supplier, today):
    factories.debarment_entry(supplier=supplier, exclusion_type="discretionary", starts_on=today)
    response = manager_client.post(reverse(ADD), _add_data(lot, supplier, today))
    assert response.context["form"].non_field_errors() == [
        f"{supplier.name} is on the debarment list on a discretionary exclusion ground: "
        "record your organisation's decision first"
    ]
    assert "Error: Appoint a supplier" in response.content.decode()
    assert not Appointment.objects.exists()


def test_create_shows_a_duplicate_as_an_error(manager_client, appointment, lot, supplier, today):
    response = manager_client.post(reverse(ADD), _add_data(lot, supplier, today))
    assert response.context["form"].non_field_errors() == [
        f"{supplier.name} is already appointed to this lot"
    ]
    assert Appointment.objects.count() == 1


def test_create_without_a_start_date_starts_with_the_framework(
    manager_client, framework, lot, supplier, today
):
    manager_client.post(reverse(ADD), _add_data(lot, supplier, today, starts_on=""))
    assert Appointment.objects.get(lot=lot, supplier=supplier).starts_on == framework.starts_on


def test_create_refuses_a_start_date_that_is_not_a_date(manager_client, lot, supplier, today):
    response = manager_client.post(
        reverse(ADD), _add_data(lot, supplier, today, starts_on="31/02/2026")
    )
    assert response.context["form"].errors["starts_on"] == ["Enter a valid date."]
    assert not Appointment.objects.exists()


def test_create_explains_when_each_framework_takes_appointments(manager_client, framework, today):
    response = manager_client.get(reverse(ADD))
    assert response.context["award_windows"] == [
        (framework, [(framework.award_on, framework.starts_on)])
    ]
    assert "Suppliers join a framework only at an award" in response.content.decode()


@pytest.fixture
def awarded_earlier(section, today):
    """A framework that started yesterday: its award's window has closed."""
    return create_framework(
        section,
        title="Started framework",
        award_on=today - timedelta(days=60),
        starts_on=today - timedelta(days=1),
    )


def test_create_between_awards_is_refused_naming_the_award_dates(
    manager_client, awarded_earlier, supplier, today
):
    lot = awarded_earlier.lots.get(number=1)
    response = manager_client.post(reverse(ADD), _add_data(lot, supplier, today, starts_on=""))
    [error] = response.context["form"].non_field_errors()
    assert error.startswith(
        f"No supplier can be appointed on {today:%-d %B %Y}. Suppliers join Started framework "
        f"only at an award: from the award on {awarded_earlier.award_on:%-d %B %Y} to "
        f"{awarded_earlier.starts_on:%-d %B %Y}."
    )
    assert "Error: Appoint a supplier" in response.content.decode()
    assert not Appointment.objects.exists()


def test_create_offers_no_replacement_when_no_terms_allow_it(manager_client, appointment):
    form = manager_client.get(reverse(ADD)).context["form"]
    assert ("replaces" in form.fields, "reason" in form.fields) == (False, False)


@pytest.fixture
def replaceable(section, today, framework_manager, authority):
    """An excluded appointment on a started framework whose terms allow a replacement."""
    framework = create_framework(
        section,
        title="Replaceable framework",
        allows_supplier_replacement=True,
        award_on=today - timedelta(days=60),
        starts_on=today - timedelta(days=1),
    )
    excluded = factories.AppointmentFactory(
        lot=framework.lots.get(number=1), status=Appointment.Status.EXCLUDED, reason="Grounds"
    )
    return excluded


def _replace_data(replaced, supplier, **overrides):
    return {
        "lot": replaced.lot_id,
        "supplier": supplier.pk,
        "starts_on": "",
        "replaces": replaced.pk,
        "reason": "The supplier went into administration",
        **overrides,
    }


def test_create_offers_the_excluded_appointments_to_replace(manager_client, replaceable):
    form = manager_client.get(reverse(ADD)).context["form"]
    assert list(form.fields["replaces"].queryset) == [replaceable]


def test_replacement_through_the_admin_records_what_and_why(
    manager_client, replaceable, supplier, today
):
    response = manager_client.post(reverse(ADD), _replace_data(replaceable, supplier))
    appointment = Appointment.objects.get(supplier=supplier)
    assert (response.status_code, appointment.replaces, appointment.replacement_reason) == (
        302,
        replaceable,
        "The supplier went into administration",
    )
    assert appointment.starts_on == today


def test_replacement_without_a_reason_is_an_error(manager_client, replaceable, supplier):
    response = manager_client.post(reverse(ADD), _replace_data(replaceable, supplier, reason=""))
    assert response.context["form"].errors["reason"] == ["Give the reason for the replacement"]
    assert not Appointment.objects.filter(supplier=supplier).exists()


def test_replacement_on_another_lot_is_an_error(manager_client, replaceable, supplier):
    lot_two = replaceable.lot.framework.lots.get(number=2)
    response = manager_client.post(
        reverse(ADD), _replace_data(replaceable, supplier, lot=lot_two.pk)
    )
    assert response.context["form"].errors["replaces"] == [
        "Choose an excluded supplier on the lot you chose"
    ]
    assert not Appointment.objects.filter(supplier=supplier).exists()


def test_a_reason_without_a_supplier_to_replace_is_an_error(manager_client, replaceable, supplier):
    response = manager_client.post(reverse(ADD), _replace_data(replaceable, supplier, replaces=""))
    assert response.context["form"].errors["replaces"] == [
        "Choose the excluded supplier being replaced"
    ]
    assert not Appointment.objects.filter(supplier=supplier).exists()


def test_replacement_link_prefills_the_form(manager_client, replaceable):
    response = manager_client.get(reverse(INDEX))
    link = f"{reverse(ADD)}?replaces={replaceable.pk}"
    assert link in response.content.decode()
    form = manager_client.get(link).context["form"]
    assert (form.initial["lot"], form.initial["replaces"]) == (replaceable.lot_id, replaceable.pk)


@pytest.fixture
def other_replaceable(other_section, today):
    framework = create_framework(
        other_section,
        title="Other replaceable framework",
        allows_supplier_replacement=True,
        starts_on=today - timedelta(days=1),
    )
    return factories.AppointmentFactory(
        lot=framework.lots.get(number=1), status=Appointment.Status.EXCLUDED, reason="Grounds"
    )


def test_replacing_another_authoritys_appointment_is_not_found(
    manager_client, replaceable, other_replaceable
):
    response = manager_client.get(f"{reverse(ADD)}?replaces={other_replaceable.pk}")
    assert response.status_code == 404


def test_replacing_a_malformed_appointment_id_is_not_found(manager_client, replaceable):
    assert manager_client.get(f"{reverse(ADD)}?replaces=abc").status_code == 404


def test_posting_another_authoritys_appointment_to_replace_is_refused(
    manager_client, replaceable, other_replaceable, supplier
):
    response = manager_client.post(
        reverse(ADD), _replace_data(replaceable, supplier, replaces=other_replaceable.pk)
    )
    assert response.context["form"].errors["replaces"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Appointment.objects.filter(supplier=supplier).exists()


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
