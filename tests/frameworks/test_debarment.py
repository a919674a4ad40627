"""The central debarment list (Procurement Act 2023 s.62): its entries, the decisions buyers
and authorities record on discretionary ones, and where the list bars a supplier."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

import pytest

from frameworks import debarment, selectors, services
from frameworks.appointment_import import ParsedRow, check_rows
from frameworks.models import Appointment, DebarmentDecision, DebarmentEntry
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied
from suppliers.selectors import listable_offerings
from tests import factories
from tests.helpers import sign_in_with_second_factor

DECISION = "frameworks:debarment-decision"


@pytest.fixture
def appoint(framework_manager, authority, lot, today):
    def run(supplier):
        return services.appoint_supplier(
            actor=framework_manager, organisation=authority, lot=lot, supplier=supplier,
            starts_on=today,
        )  # fmt: skip

    return run


@pytest.fixture
def discretionary(supplier, today):
    return factories.debarment_entry(
        supplier=supplier,
        exclusion_type="discretionary",
        ground="Breach of a previous public contract (Schedule 7)",
        starts_on=today - timedelta(days=5),
        expected_end_on=today + timedelta(days=400),
    )


@pytest.fixture
def live_offering(supplier):
    return factories.offering(supplier=supplier, lot=factories.supplier_lot(), status="live")


def signed_in(user) -> Client:
    client = Client()
    sign_in_with_second_factor(client, user)
    return client


# --- Where the list bars a supplier ----------------------------------------------------------


def test_a_mandatory_debarment_bars_appointment_by_every_authority(
    appoint, other_manager, other_authority, other_lot, supplier, today
):
    factories.debarment_entry(supplier=supplier, exclusion_type="mandatory", starts_on=today)
    with pytest.raises(DomainError) as raised:
        appoint(supplier)
    assert str(raised.value) == (
        f"{supplier.name} is on the debarment list on a mandatory exclusion ground"
    )
    with pytest.raises(DomainError):
        services.appoint_supplier(
            actor=other_manager, organisation=other_authority, lot=other_lot, supplier=supplier,
            starts_on=today,
        )  # fmt: skip
    assert not Appointment.objects.exists()


def test_a_debarment_bars_from_its_first_day_to_its_expected_end(
    framework_manager, authority, lot, supplier, today
):
    factories.debarment_entry(
        supplier=supplier, starts_on=today, expected_end_on=today + timedelta(days=10)
    )
    problem = f"{supplier.name} is on the debarment list on a mandatory exclusion ground"
    assert [
        selectors.debarment_problem(supplier=supplier, organisation=authority, on=day)
        for day in (
            today - timedelta(days=1),
            today,
            today + timedelta(days=10),
            today + timedelta(days=11),
        )
    ] == [None, problem, problem, None]


def test_a_discretionary_debarment_asks_for_the_authoritys_decision(
    appoint, framework_manager, authority, supplier, today
):
    factories.debarment_entry(supplier=supplier, exclusion_type="discretionary", starts_on=today)
    with pytest.raises(DomainError) as raised:
        appoint(supplier)
    assert str(raised.value) == (
        f"{supplier.name} is on the debarment list on a discretionary exclusion ground: "
        "record your organisation's decision first"
    )
    assert not Appointment.objects.exists()


def test_a_decision_to_proceed_lets_the_appointment_through(
    appoint, framework_manager, authority, supplier, today
):
    entry = factories.debarment_entry(
        supplier=supplier, exclusion_type="discretionary", starts_on=today
    )
    debarment.record_debarment_decision(
        actor=framework_manager, organisation=authority, entry=entry, decision="proceed",
        reason="Self-cleaning evidence accepted",
    )  # fmt: skip
    assert appoint(supplier).status == "active"


def test_a_decision_to_exclude_bars_the_appointment(
    appoint, framework_manager, authority, supplier, today
):
    entry = factories.debarment_entry(
        supplier=supplier, exclusion_type="discretionary", starts_on=today
    )
    debarment.record_debarment_decision(
        actor=framework_manager, organisation=authority, entry=entry, decision="exclude",
        reason="Breach likely to recur",
    )  # fmt: skip
    with pytest.raises(DomainError) as raised:
        appoint(supplier)
    assert str(raised.value) == (
        f"{supplier.name} is on the debarment list and your organisation decided to exclude it"
    )


def test_another_authoritys_decision_to_proceed_does_not_count(
    appoint, other_manager, other_authority, supplier, today
):
    entry = factories.debarment_entry(
        supplier=supplier, exclusion_type="discretionary", starts_on=today
    )
    debarment.record_debarment_decision(
        actor=other_manager, organisation=other_authority, entry=entry, decision="proceed",
        reason="Self-cleaning evidence accepted",
    )  # fmt: skip
    with pytest.raises(DomainError):
        appoint(supplier)


def test_a_mandatory_debarment_hides_the_suppliers_offerings(live_offering, supplier, today):
    assert list(listable_offerings(on=today)) == [live_offering]
    factories.debarment_entry(supplier=supplier, exclusion_type="mandatory", starts_on=today)
    assert list(listable_offerings(on=today)) == []


def test_a_discretionary_debarment_keeps_the_offerings_listed(live_offering, discretionary, today):
    assert list(listable_offerings(on=today)) == [live_offering]


def test_a_removed_entry_no_longer_bars(appoint, supplier, today):
    entry = factories.debarment_entry(supplier=supplier, starts_on=today - timedelta(days=5))
    debarment.remove_debarment_entry(actor=factories.platform_admin(), entry=entry)
    assert appoint(supplier).status == "active"


def test_csv_import_check_reports_the_debarment(framework_manager, authority, lot, supplier, today):
    factories.debarment_entry(supplier=supplier, starts_on=today)
    [row] = check_rows(
        rows=[ParsedRow(line=2, company_number=supplier.company_number)],
        lot=lot,
        authority=authority,
        on=today,
    )
    assert (
        row.problem == f"{supplier.name} is on the debarment list on a mandatory exclusion ground"
    )


# --- Keeping the list: platform administrators only ------------------------------------------


def test_add_entry_records_who_and_audits(supplier, today):
    admin = factories.platform_admin()
    entry = debarment.add_debarment_entry(
        actor=admin, supplier=supplier, ground="  Fraud  ", exclusion_type="mandatory",
        starts_on=today, expected_end_on=today + timedelta(days=30),
    )  # fmt: skip
    assert (entry.ground, entry.recorded_by, entry.removed_on) == ("Fraud", admin, None)
    event = AuditEvent.objects.get(kind="debarment.added")
    assert (event.organisation_id, event.actor_id, event.target_object_id) == (
        None,
        admin.pk,
        str(entry.pk),
    )


def test_authority_staff_cannot_add_an_entry(framework_manager, supplier, today):
    with pytest.raises(PolicyDenied):
        debarment.add_debarment_entry(
            actor=framework_manager, supplier=supplier, ground="Fraud",
            exclusion_type="mandatory", starts_on=today,
        )  # fmt: skip
    assert not DebarmentEntry.objects.exists()


def test_remove_entry_is_audited_and_only_once(supplier, today):
    admin = factories.platform_admin()
    entry = factories.debarment_entry(supplier=supplier, starts_on=today - timedelta(days=3))
    debarment.remove_debarment_entry(actor=admin, entry=entry, removed_on=today)
    assert AuditEvent.objects.filter(kind="debarment.ended").count() == 1
    with pytest.raises(DomainError):
        debarment.remove_debarment_entry(actor=admin, entry=entry)


def test_remove_before_the_start_is_refused(supplier, today):
    entry = factories.debarment_entry(supplier=supplier, starts_on=today)
    with pytest.raises(DomainError) as raised:
        debarment.remove_debarment_entry(
            actor=factories.platform_admin(), entry=entry, removed_on=today - timedelta(days=1)
        )
    assert str(raised.value) == "The entry cannot be removed before the day it started"
    entry.refresh_from_db()
    assert entry.removed_on is None


# --- Decisions on discretionary entries --------------------------------------------------------


def test_a_buyer_records_a_decision_and_it_is_audited(procurement_officer, buyer, discretionary):
    decision = debarment.record_debarment_decision(
        actor=procurement_officer, organisation=buyer, entry=discretionary, decision="proceed",
        reason="Self-cleaning accepted",
    )  # fmt: skip
    assert (decision.decision, decision.decided_by, decision.reason) == (
        "proceed",
        procurement_officer,
        "Self-cleaning accepted",
    )
    event = AuditEvent.objects.get(kind="debarment.decision_recorded")
    assert (event.organisation_id, event.data["decision"], event.data["previous"]) == (
        buyer.pk,
        "proceed",
        None,
    )


def test_changing_a_decision_replaces_it_and_audits_both(approver, buyer, discretionary):
    for decision in ("proceed", "exclude"):
        debarment.record_debarment_decision(
            actor=approver, organisation=buyer, entry=discretionary, decision=decision,
            reason="Reviewed",
        )  # fmt: skip
    assert list(DebarmentDecision.objects.values_list("decision", flat=True)) == ["exclude"]
    events = AuditEvent.objects.filter(kind="debarment.decision_recorded").order_by("pk")
    assert [(e.data["decision"], e.data["previous"]) for e in events] == [
        ("proceed", None),
        ("exclude", "proceed"),
    ]


def test_a_decision_needs_a_reason(procurement_officer, buyer, discretionary):
    with pytest.raises(DomainError) as raised:
        debarment.record_debarment_decision(
            actor=procurement_officer, organisation=buyer, entry=discretionary,
            decision="proceed", reason="  ",
        )  # fmt: skip
    assert str(raised.value) == "Give the reason for your decision"
    assert not DebarmentDecision.objects.exists()


def test_no_decision_on_a_mandatory_entry(procurement_officer, buyer, supplier, today):
    entry = factories.debarment_entry(supplier=supplier, starts_on=today)
    with pytest.raises(DomainError):
        debarment.record_debarment_decision(
            actor=procurement_officer, organisation=buyer, entry=entry, decision="proceed",
            reason="Wish to proceed",
        )  # fmt: skip
    assert not DebarmentDecision.objects.exists()


@pytest.mark.parametrize("kind", ["supplier", "buyer"])
def test_someone_who_cannot_decide_for_the_organisation_is_refused(kind, discretionary):
    member = factories.MembershipFactory(
        organisation__kind=kind, role="supplier_admin" if kind == "supplier" else "approver"
    )
    stranger_buyer = factories.OrganisationFactory(kind="buyer")
    organisation = member.organisation if kind == "supplier" else stranger_buyer
    with pytest.raises(PolicyDenied):
        debarment.record_debarment_decision(
            actor=member.user, organisation=organisation, entry=discretionary,
            decision="proceed", reason="No",
        )  # fmt: skip
    assert not DebarmentDecision.objects.exists()


# --- The decision page (GOV.UK) ----------------------------------------------------------------


def test_decision_page_records_the_buyers_decision(
    client, procurement_officer, buyer, discretionary
):
    client.force_login(procurement_officer)
    url = reverse(DECISION, args=(discretionary.pk,))
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "exclude", "reason": "Breach likely to recur"})
    assert (response.status_code, response.url) == (
        302,
        reverse("suppliers:supplier", args=(discretionary.supplier.slug,)),
    )
    decision = DebarmentDecision.objects.get()
    assert (decision.organisation, decision.decision) == (buyer, "exclude")


def test_decision_page_without_a_reason_shows_an_error(client, procurement_officer, discretionary):
    client.force_login(procurement_officer)
    response = client.post(reverse(DECISION, args=(discretionary.pk,)), {"decision": "proceed"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Enter the reason for your decision"]}
    assert "Error: Your decision on" in response.content.decode()
    assert not DebarmentDecision.objects.exists()


def test_decision_page_is_not_found_for_a_supplier(client, supplier_admin, discretionary):
    client.force_login(supplier_admin)
    url = reverse(DECISION, args=(discretionary.pk,))
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "proceed", "reason": "x"}).status_code == 404
    assert not DebarmentDecision.objects.exists()


def test_decision_page_is_not_found_for_a_mandatory_or_removed_entry(
    client, procurement_officer, supplier, other_supplier, today
):
    client.force_login(procurement_officer)
    mandatory = factories.debarment_entry(supplier=supplier, starts_on=today)
    removed = factories.debarment_entry(
        supplier=other_supplier, exclusion_type="discretionary", starts_on=today
    )
    debarment.remove_debarment_entry(actor=factories.platform_admin(), entry=removed)
    for entry in (mandatory, removed):
        assert client.get(reverse(DECISION, args=(entry.pk,))).status_code == 404


def test_authority_staff_record_their_decision_on_the_same_page(
    framework_manager, authority, discretionary
):
    client = signed_in(framework_manager)
    response = client.post(
        reverse(DECISION, args=(discretionary.pk,)),
        {"decision": "proceed", "reason": "Evidence accepted", "next": "/admin/"},
    )
    assert (response.status_code, response.url) == (302, "/admin/")
    assert DebarmentDecision.objects.get().organisation == authority


# --- The warning on the supplier's public pages ----------------------------------------------


def test_buyer_sees_the_warning_with_a_link_to_decide(
    client, procurement_officer, live_offering, discretionary
):
    client.force_login(procurement_officer)
    for url in (
        reverse("suppliers:supplier", args=(live_offering.supplier.slug,)),
        reverse("suppliers:offering", args=(live_offering.pk,)),
    ):
        page = client.get(url).content.decode()
        assert "on the debarment list on a discretionary exclusion ground" in page
        assert "Breach of a previous public contract (Schedule 7)" in page
        assert reverse(DECISION, args=(discretionary.pk,)) in page


def test_buyer_sees_its_recorded_decision(client, procurement_officer, buyer, discretionary):
    debarment.record_debarment_decision(
        actor=procurement_officer, organisation=buyer, entry=discretionary, decision="proceed",
        reason="Evidence accepted",
    )  # fmt: skip
    client.force_login(procurement_officer)
    page = client.get(reverse("suppliers:supplier", args=(discretionary.supplier.slug,)))
    assert "Your organisation decided: <strong>Proceed" in page.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "supplier"])
def test_the_public_and_suppliers_see_no_warning(who, client, other_supplier, discretionary):
    if who == "supplier":
        client.force_login(factories.MembershipFactory(organisation=other_supplier).user)
    page = client.get(reverse("suppliers:supplier", args=(discretionary.supplier.slug,)))
    assert "debarment list" not in page.content.decode()
