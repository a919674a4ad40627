"""The central debarment list and framework suspension screens in the Wagtail admin."""

from datetime import timedelta
from urllib.parse import quote

from django.test import Client
from django.urls import reverse

import pytest

from frameworks import debarment, services
from frameworks.models import DebarmentEntry, FrameworkPage
from marketplace.audit.models import AuditEvent
from tests import factories
from tests.helpers import queries_to_get, sign_in_with_second_factor

INDEX = "debarments:index"
ADD = "debarments:add"
REMOVE = "debarments:remove"
SUSPENSION = "frameworks_admin:framework-suspension"


@pytest.fixture
def platform_client(db):
    """A platform administrator (superuser) in the Wagtail admin."""
    client = Client()
    sign_in_with_second_factor(client, factories.platform_admin())
    return client


@pytest.fixture
def entry(supplier, today):
    return factories.debarment_entry(
        supplier=supplier, ground="Fraud conviction", starts_on=today - timedelta(days=10)
    )


def _add_data(supplier, today, **overrides):
    return {
        "supplier": supplier.pk,
        "ground": "Fraud conviction",
        "exclusion_type": "mandatory",
        "starts_on": today.isoformat(),
        **overrides,
    }


def test_index_lists_the_central_list_for_platform_admins(platform_client, entry, other_supplier):
    other = factories.debarment_entry(supplier=other_supplier, exclusion_type="discretionary")
    response = platform_client.get(reverse(INDEX))
    assert set(response.context["page_obj"]) == {entry, other}
    assert reverse(ADD) in response.content.decode()
    assert reverse(REMOVE, args=(entry.pk,)) in response.content.decode()


def test_authority_staff_read_the_same_list_without_changing_it(manager_client, entry):
    response = manager_client.get(reverse(INDEX))
    page = response.content.decode()
    assert list(response.context["page_obj"]) == [entry]
    assert reverse(ADD) not in page
    assert reverse(REMOVE, args=(entry.pk,)) not in page


def test_authority_staff_see_a_link_to_decide_on_a_discretionary_entry(
    manager_client, other_supplier
):
    other = factories.debarment_entry(supplier=other_supplier, exclusion_type="discretionary")
    page = manager_client.get(reverse(INDEX)).content.decode()
    assert reverse("frameworks:debarment-decision", args=(other.pk,)) in page


def test_reviewer_reads_the_list(reviewer, section, admin_client_for, entry):
    response = admin_client_for(reviewer).get(reverse(INDEX))
    assert list(response.context["page_obj"]) == [entry]


def test_menu_offers_the_list_to_authority_staff_and_platform_admins(
    manager_client, platform_client
):
    for client in (manager_client, platform_client):
        assert reverse(INDEX) in client.get(reverse("wagtailadmin_home")).content.decode()


def test_filter_by_exclusion_type(platform_client, entry, other_supplier):
    other = factories.debarment_entry(supplier=other_supplier, exclusion_type="discretionary")
    response = platform_client.get(reverse(INDEX), {"exclusion_type": "discretionary"})
    assert list(response.context["page_obj"]) == [other]


def _discretionary_entries(count, admin):
    return [
        factories.debarment_entry(actor=admin, supplier=supplier, exclusion_type="discretionary")
        for supplier in factories.OrganisationFactory.create_batch(count, kind="supplier")
    ]


def test_index_queries_stay_constant_from_2_to_12_rows(
    manager_client, framework_manager, authority, section
):
    admin = factories.platform_admin()
    url = reverse(INDEX)
    decided, _undecided = _discretionary_entries(2, admin)
    debarment.record_debarment_decision(
        actor=framework_manager,
        organisation=authority,
        entry=decided,
        decision="proceed",
        reason="Self-cleaning shown",
    )
    two = queries_to_get(manager_client, url)
    _discretionary_entries(10, admin)
    twelve = queries_to_get(manager_client, url)
    assert len(manager_client.get(url).context["object_list"]) == 12
    assert twelve == two


def test_index_shows_only_the_acting_authoritys_decisions(
    manager_client, other_manager, other_authority, other_section, other_supplier
):
    entry = factories.debarment_entry(supplier=other_supplier, exclusion_type="discretionary")
    debarment.record_debarment_decision(
        actor=other_manager,
        organisation=other_authority,
        entry=entry,
        decision="exclude",
        reason="Not satisfied",
    )
    page = manager_client.get(reverse(INDEX)).content.decode()
    assert "Exclude the supplier" not in page
    assert "Record your decision" in page


def test_decision_link_comes_back_to_the_filtered_listing(manager_client, other_supplier):
    entry = factories.debarment_entry(supplier=other_supplier, exclusion_type="discretionary")
    response = manager_client.get(
        reverse("debarments:index_results"),
        {"exclusion_type": "discretionary", "_w_filter_fragment": "1"},
    )
    decision = reverse("frameworks:debarment-decision", args=(entry.pk,))
    back = quote(f"{reverse(INDEX)}?exclusion_type=discretionary")
    assert f"{decision}?next={back}" in response.content.decode()


def test_index_shows_its_filters_in_wagtails_filter_ui(platform_client, entry):
    response = platform_client.get(reverse(INDEX))
    assert type(response.context["filters"]).__name__ == "DebarmentFilterSet"
    assert 'id="filters-drilldown"' in response.content.decode()


def test_filter_by_in_force_today(platform_client, entry, other_supplier, today):
    ended = factories.debarment_entry(supplier=other_supplier, starts_on=today - timedelta(days=30))
    debarment.remove_debarment_entry(
        actor=factories.platform_admin(), entry=ended, removed_on=today - timedelta(days=1)
    )
    in_force = platform_client.get(reverse(INDEX), {"in_force": "true"})
    not_in_force = platform_client.get(reverse(INDEX), {"in_force": "false"})
    assert list(in_force.context["object_list"]) == [entry]
    assert list(not_in_force.context["object_list"]) == [ended]


def test_add_and_remove_pages_render_for_platform_admins(platform_client, entry):
    assert platform_client.get(reverse(ADD)).status_code == 200
    response = platform_client.get(reverse(REMOVE, args=(entry.pk,)))
    assert "Fraud conviction" in response.content.decode()


def test_add_puts_the_supplier_on_the_central_list(platform_client, supplier, today):
    response = platform_client.post(
        reverse(ADD),
        _add_data(supplier, today, expected_end_on=(today + timedelta(days=9)).isoformat()),
    )
    entry = DebarmentEntry.objects.get()
    assert (response.status_code, response.url) == (302, reverse(INDEX))
    assert (entry.supplier, entry.ground, entry.exclusion_type, entry.expected_end_on) == (
        supplier,
        "Fraud conviction",
        "mandatory",
        today + timedelta(days=9),
    )
    assert AuditEvent.objects.filter(kind="debarment.added").count() == 1


def test_add_without_a_ground_is_refused(platform_client, supplier, today):
    response = platform_client.post(reverse(ADD), _add_data(supplier, today, ground=""))
    assert response.context["form"].non_field_errors() == [
        "Give the exclusion ground as the list states it"
    ]
    assert not DebarmentEntry.objects.exists()


def test_add_without_an_exclusion_type_is_refused(platform_client, supplier, today):
    response = platform_client.post(reverse(ADD), _add_data(supplier, today, exclusion_type=""))
    assert response.context["form"].errors["exclusion_type"] == ["This field is required."]
    assert not DebarmentEntry.objects.exists()


def test_add_with_expected_end_before_start_is_refused(platform_client, supplier, today):
    response = platform_client.post(
        reverse(ADD),
        _add_data(supplier, today, expected_end_on=(today - timedelta(days=1)).isoformat()),
    )
    assert response.context["form"].non_field_errors() == [
        "The expected end must be on or after the day the entry starts"
    ]
    assert not DebarmentEntry.objects.exists()


def test_add_with_expected_end_on_the_start_day_is_allowed(platform_client, supplier, today):
    platform_client.post(
        reverse(ADD), _add_data(supplier, today, expected_end_on=today.isoformat())
    )
    assert DebarmentEntry.objects.get().expected_end_on == today


def test_authority_staff_cannot_add_or_remove(manager_client, entry, other_supplier, today):
    home = reverse("wagtailadmin_home")
    for response in (
        manager_client.get(reverse(ADD)),
        manager_client.post(reverse(ADD), _add_data(other_supplier, today)),
        manager_client.post(reverse(REMOVE, args=(entry.pk,)), {"removed_on": ""}),
    ):
        assert (response.status_code, response.url) == (302, home)
    entry.refresh_from_db()
    assert (DebarmentEntry.objects.count(), entry.removed_on) == (1, None)


def test_supplier_user_cannot_reach_the_list(supplier_admin, client):
    client.force_login(supplier_admin)
    response = client.get(reverse(INDEX))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_remove_takes_the_entry_off_today(platform_client, entry, today):
    response = platform_client.post(reverse(REMOVE, args=(entry.pk,)), {"removed_on": ""})
    entry.refresh_from_db()
    assert (response.status_code, entry.removed_on) == (302, today)
    assert AuditEvent.objects.filter(kind="debarment.ended").count() == 1


def test_remove_an_already_removed_entry_is_not_found(platform_client, entry):
    platform_client.post(reverse(REMOVE, args=(entry.pk,)), {"removed_on": ""})
    response = platform_client.get(reverse(REMOVE, args=(entry.pk,)))
    assert response.status_code == 404


def test_removed_entry_allows_appointment_again(
    platform_client, framework_manager, authority, entry, lot, supplier, today
):
    platform_client.post(reverse(REMOVE, args=(entry.pk,)), {"removed_on": today.isoformat()})
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
