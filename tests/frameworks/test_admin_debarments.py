"""The debarment list and framework suspension screens in the Wagtail admin."""

from datetime import timedelta

from django.urls import reverse

import pytest

from frameworks import services
from frameworks.models import DebarmentEntry, FrameworkPage
from marketplace.audit.models import AuditEvent
from tests import factories

INDEX = "frameworks_admin:debarments"
ADD = "frameworks_admin:debarment-add"
END = "frameworks_admin:debarment-end"
SUSPENSION = "frameworks_admin:framework-suspension"


@pytest.fixture
def manager_client(framework_manager, section, admin_client_for):
    return admin_client_for(framework_manager)


@pytest.fixture
def entry(framework_manager, authority, supplier, today):
    return services.debar_supplier(
        actor=framework_manager,
        organisation=authority,
        supplier=supplier,
        reason="Fraud conviction",
        starts_on=today - timedelta(days=10),
    )


@pytest.fixture
def other_entry(other_manager, other_authority, other_supplier, today):
    return services.debar_supplier(
        actor=other_manager,
        organisation=other_authority,
        supplier=other_supplier,
        reason="Collusion",
        starts_on=today,
    )


def test_index_lists_only_the_authoritys_entries(manager_client, entry, other_entry):
    response = manager_client.get(reverse(INDEX))
    assert list(response.context["page_obj"]) == [entry]


def test_index_queries_do_not_grow(
    manager_client, framework_manager, authority, today, django_assert_max_num_queries
):
    for supplier in factories.OrganisationFactory.create_batch(30, kind="supplier"):
        services.debar_supplier(
            actor=framework_manager,
            organisation=authority,
            supplier=supplier,
            reason="Grounds",
            starts_on=today,
        )
    with django_assert_max_num_queries(22):
        response = manager_client.get(reverse(INDEX))
    assert response.context["page_obj"].paginator.count == 30


def test_add_puts_the_supplier_on_the_list(manager_client, authority, supplier, today):
    response = manager_client.post(
        reverse(ADD),
        {"supplier": supplier.pk, "reason": "Fraud conviction", "starts_on": today.isoformat()},
    )
    entry = DebarmentEntry.objects.get()
    assert response.status_code == 302
    assert (entry.authority, entry.supplier, entry.reason, entry.ends_on) == (
        authority,
        supplier,
        "Fraud conviction",
        None,
    )


def test_add_without_grounds_is_refused(manager_client, supplier, today):
    response = manager_client.post(
        reverse(ADD), {"supplier": supplier.pk, "reason": "", "starts_on": today.isoformat()}
    )
    assert response.context["form"].non_field_errors() == ["Give the grounds for debarment"]
    assert not DebarmentEntry.objects.exists()


def test_add_with_end_before_start_is_refused(manager_client, supplier, today):
    response = manager_client.post(
        reverse(ADD),
        {
            "supplier": supplier.pk,
            "reason": "Fraud",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.context["form"].non_field_errors() == [
        "The debarment must end on or after the day it starts"
    ]
    assert not DebarmentEntry.objects.exists()


def test_end_sets_the_last_day_to_today(manager_client, entry, today):
    response = manager_client.post(reverse(END, args=(entry.pk,)), {"ends_on": ""})
    entry.refresh_from_db()
    assert (response.status_code, entry.ends_on) == (302, today)
    assert AuditEvent.objects.filter(kind="debarment.ended").count() == 1


def test_end_of_another_authoritys_entry_is_not_found(manager_client, other_entry):
    response = manager_client.post(reverse(END, args=(other_entry.pk,)), {"ends_on": ""})
    other_entry.refresh_from_db()
    assert (response.status_code, other_entry.ends_on) == (404, None)


def test_ended_debarment_allows_appointment_again(
    manager_client, framework_manager, authority, entry, lot, supplier, today
):
    manager_client.post(
        reverse(END, args=(entry.pk,)), {"ends_on": (today - timedelta(days=1)).isoformat()}
    )
    appointment = services.appoint_supplier(
        actor=framework_manager, organisation=authority, lot=lot, supplier=supplier, starts_on=today
    )
    assert appointment.status == "active"


# --- Suspension --------------------------------------------------------------------------------


def test_suspend_with_a_reason(manager_client, framework):
    response = manager_client.post(
        reverse(SUSPENSION, args=(framework.pk,)), {"reason": "Legal challenge"}
    )
    framework.refresh_from_db()
    assert response.status_code == 302
    assert (framework.is_suspended, framework.suspension_reason) == (True, "Legal challenge")
    assert AuditEvent.objects.filter(kind="framework.suspended").count() == 1


def test_suspend_without_a_reason_is_refused(manager_client, framework):
    response = manager_client.post(reverse(SUSPENSION, args=(framework.pk,)), {"reason": ""})
    framework.refresh_from_db()
    assert response.context["form"].non_field_errors() == [
        "Give the reason for suspending the framework"
    ]
    assert framework.is_suspended is False


def test_reinstate_a_suspended_framework(manager_client, framework_manager, authority, framework):
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason="Challenge"
    )
    manager_client.post(reverse(SUSPENSION, args=(framework.pk,)), {})
    framework.refresh_from_db()
    assert (framework.is_suspended, framework.suspension_reason) == (False, "")


def test_suspension_keeps_the_live_page(manager_client, framework):
    manager_client.post(reverse(SUSPENSION, args=(framework.pk,)), {"reason": "Challenge"})
    assert FrameworkPage.objects.live().filter(pk=framework.pk).exists()


def test_suspending_another_authoritys_framework_is_not_found(manager_client, other_framework):
    response = manager_client.post(
        reverse(SUSPENSION, args=(other_framework.pk,)), {"reason": "Hostile"}
    )
    other_framework.refresh_from_db()
    assert (response.status_code, other_framework.is_suspended) == (404, False)


def test_page_editor_offers_the_suspend_action(manager_client, framework):
    response = manager_client.get(reverse("wagtailadmin_pages:edit", args=(framework.pk,)))
    assert reverse(SUSPENSION, args=(framework.pk,)) in response.content.decode()
