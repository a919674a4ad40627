"""A lot that has had appointments is closed, never deleted (issue 8, item 2)."""

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from frameworks import ocds, services
from frameworks.models import Appointment, FrameworkPage, Lot, LotClosure, VariationGround
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied
from tests import factories
from tests.frameworks.conftest import create_framework, framework_form_data
from tests.ocds_schema import validate_release_package

REASON = "Cloud hosting is now bought through the national framework"
CLOSE = "frameworks_admin:lot-close"


@pytest.fixture
def lot_two(framework):
    lot = framework.lots.get(number=2)
    factories.AppointmentFactory(lot=lot)
    return lot


def close(lot, framework_manager, authority, reason=REASON):
    return services.close_lot(
        actor=framework_manager,
        organisation=authority,
        lot=lot,
        reason=reason,
        ground=VariationGround.NOT_SUBSTANTIAL,
    )


def lots_of(framework) -> list[tuple[int, str]]:
    return list(
        Lot.objects.filter(framework=framework).order_by("number").values_list("number", "title")
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Publishing never deletes a lot that holds records ------------------------------------------


def test_publishing_a_revision_without_a_lot_that_has_appointments_keeps_the_lot(
    framework, lot_two
):
    draft = FrameworkPage.objects.get(pk=framework.pk)
    draft.lots.remove(lot_two)

    draft.save_revision().publish()

    assert lots_of(framework) == [
        (1, "Lot 1 services"),
        (2, "Lot 2 services"),
    ]
    assert Appointment.objects.filter(lot=lot_two).count() == 1


def test_publishing_a_revision_made_before_the_lot_existed_keeps_the_lot(section):
    framework = create_framework(section, lots=1)
    before_lot_two = framework.live_revision
    framework.lots.add(Lot(number=2, title="Cloud hosting"))
    framework.save_revision().publish()
    factories.AppointmentFactory(lot=Lot.objects.get(framework=framework, number=2))

    before_lot_two.publish()

    assert lots_of(framework) == [
        (1, "Lot 1 services"),
        (2, "Cloud hosting"),
    ]


def test_an_old_lot_in_a_kept_lots_place_takes_the_next_number(framework):
    with_old_lot_two = framework.live_revision
    page = FrameworkPage.objects.get(pk=framework.pk)
    page.lots = [page.lots.get(number=1), Lot(number=2, title="Cloud hosting")]
    page.save_revision().publish()
    factories.AppointmentFactory(lot=Lot.objects.get(framework=framework, number=2))

    with_old_lot_two.publish()

    assert lots_of(framework) == [
        (1, "Lot 1 services"),
        (2, "Cloud hosting"),
        (3, "Lot 2 services"),
    ]


def test_the_editor_loads_a_kept_lot_that_a_published_revision_left_out(section):
    framework = create_framework(section, lots=1)
    before_lot_two = framework.live_revision
    framework.lots.add(Lot(number=2, title="Cloud hosting"))
    framework.save_revision().publish()
    factories.AppointmentFactory(lot=Lot.objects.get(framework=framework, number=2))
    before_lot_two.publish()

    latest = FrameworkPage.objects.get(pk=framework.pk).get_latest_revision_as_object()

    assert [lot.title for lot in latest.lots.all()] == ["Lot 1 services", "Cloud hosting"]


def test_a_lot_without_records_is_still_removed_on_publish(framework):
    draft = FrameworkPage.objects.get(pk=framework.pk)
    draft.lots.remove(draft.lots.get(number=2))

    draft.save_revision().publish()

    assert list(framework.lots.values_list("number", flat=True)) == [1]


# --- The editor refuses the removal before submit ----------------------------------------------


def _edit_data(framework, *, delete: set[int]):
    lots = framework.lots.order_by("number")
    data = framework_form_data(
        lots=[{"id": str(lot.pk), "number": str(lot.number), "title": lot.title} for lot in lots],
        title=framework.title,
        slug=framework.slug,
        reference=framework.reference,
        **{
            name: getattr(framework, name).isoformat()
            for name in (
                "applications_open_on",
                "applications_close_on",
                "award_on",
                "starts_on",
                "ends_on",
            )
        },
    )
    data["lots-INITIAL_FORMS"] = str(len(lots))
    for index, lot in enumerate(lots):
        if lot.number in delete:
            data[f"lots-{index}-DELETE"] = "1"
    return data


def test_editor_refuses_to_remove_a_lot_with_appointments(manager_client, framework, lot_two):
    lot_two.title = "Cloud hosting"
    lot_two.save()
    response = manager_client.post(
        reverse("wagtailadmin_pages:edit", args=(framework.pk,)),
        _edit_data(framework, delete={2}),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Lot 2, Cloud hosting, has appointments and cannot be removed. Close it instead."
    ]
    assert "Lot 2, Cloud hosting, has appointments and cannot be removed." in text(response)
    assert framework.lots.count() == 2


def test_editor_refuses_to_remove_a_closed_lot(
    manager_client, framework, lot_two, framework_manager, authority
):
    close(lot_two, framework_manager, authority)

    response = manager_client.post(
        reverse("wagtailadmin_pages:edit", args=(framework.pk,)),
        _edit_data(framework, delete={2}),
    )

    assert response.context["form"].non_field_errors() == [
        "Lot 2, Lot 2 services, is closed and cannot be removed: it keeps the record of its "
        "appointments."
    ]


def test_editor_removes_a_lot_without_appointments_before_award(manager_client, section, today):
    framework = create_framework(
        section,
        applications_open_on=today - timedelta(days=10),
        applications_close_on=today,
        award_on=today + timedelta(days=1),
        starts_on=today + timedelta(days=2),
        ends_on=today + timedelta(days=400),
    )
    response = manager_client.post(
        reverse("wagtailadmin_pages:edit", args=(framework.pk,)),
        _edit_data(framework, delete={2}),
    )

    assert response.status_code == 302
    draft = FrameworkPage.objects.get(pk=framework.pk).get_latest_revision_as_object()
    assert [lot.number for lot in draft.lots.all()] == [1]


def test_editor_refuses_to_remove_a_lot_without_appointments_after_award(manager_client, framework):
    response = manager_client.post(
        reverse("wagtailadmin_pages:edit", args=(framework.pk,)),
        _edit_data(framework, delete={2}),
    )

    assert response.context["form"].non_field_errors() == [
        "Lot 2 cannot be removed: the framework has been awarded. Close the lot instead."
    ]
    assert framework.lots.count() == 2


# --- close_lot ---------------------------------------------------------------------------------


def test_close_lot_records_who_when_and_why(framework_manager, authority, lot_two):
    closure = close(lot_two, framework_manager, authority, reason=f"  {REASON}  ")

    closure = LotClosure.objects.get(lot=lot_two)
    assert (closure.closed_by, closure.reason, closure.closed_at.date()) == (
        framework_manager,
        REASON,
        timezone.now().date(),
    )
    assert Lot.objects.get(pk=lot_two.pk).is_closed


def test_close_lot_is_audited(framework_manager, authority, lot_two):
    closure = close(lot_two, framework_manager, authority)

    event = AuditEvent.objects.get(kind="lot.closed")
    assert (event.actor_id, event.organisation_id, event.target_object_id, event.data) == (
        framework_manager.pk,
        authority.pk,
        str(lot_two.pk),
        {"framework": lot_two.framework_id, "closure": closure.pk, "reason": REASON},
    )


def test_close_lot_needs_a_reason(framework_manager, authority, lot_two):
    with pytest.raises(DomainError, match="Give the reason for closing the lot"):
        close(lot_two, framework_manager, authority, reason="   ")
    assert not LotClosure.objects.exists()


def test_close_lot_refuses_a_closed_lot(framework_manager, authority, lot_two):
    close(lot_two, framework_manager, authority)
    with pytest.raises(DomainError, match="Lot 2: Lot 2 services is already closed"):
        close(lot_two, framework_manager, authority)


def test_close_lot_refuses_another_authoritys_manager(other_manager, other_authority, lot_two):
    with pytest.raises(PolicyDenied):
        close(lot_two, other_manager, other_authority)
    assert not LotClosure.objects.exists()


def test_close_lot_refuses_a_reviewer(reviewer, authority, lot_two):
    with pytest.raises(PolicyDenied):
        close(lot_two, reviewer, authority)


def test_publishing_an_old_revision_keeps_the_closure(
    framework, lot_two, framework_manager, authority
):
    older = framework.live_revision
    close(lot_two, framework_manager, authority)

    older.publish()
    FrameworkPage.objects.get(pk=framework.pk).save_revision().publish()

    assert Lot.objects.get(pk=lot_two.pk).is_closed


# --- The close screen --------------------------------------------------------------------------


def test_close_screen_offers_the_open_lots(manager_client, framework, lot_two):
    response = manager_client.get(reverse(CLOSE, args=(framework.pk,)))

    assert response.status_code == 200
    assert [label for _value, label in response.context["form"].fields["lot"].choices] == [
        "Lot 1: Lot 1 services",
        "Lot 2: Lot 2 services",
    ]


def test_close_screen_closes_the_lot(manager_client, framework, lot_two):
    response = manager_client.post(
        reverse(CLOSE, args=(framework.pk,)),
        {"lot": lot_two.pk, "reason": REASON, "ground": "not_substantial"},
    )

    assert response.status_code == 302
    assert LotClosure.objects.get().reason == REASON


def test_close_screen_needs_a_reason(manager_client, framework, lot_two):
    response = manager_client.post(
        reverse(CLOSE, args=(framework.pk,)), {"lot": lot_two.pk, "reason": ""}
    )

    assert response.status_code == 200
    assert "Reason: This field is required." in text(response)
    assert not LotClosure.objects.exists()


def test_close_screen_refuses_an_unknown_lot(manager_client, framework, other_lot):
    response = manager_client.post(
        reverse(CLOSE, args=(framework.pk,)),
        {"lot": other_lot.pk, "reason": REASON, "ground": "not_substantial"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["lot"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_close_screen_of_another_authoritys_framework_is_not_found(
    other_manager, other_section, framework, lot_two, admin_client_for
):
    client = admin_client_for(other_manager)
    assert client.get(reverse(CLOSE, args=(framework.pk,))).status_code == 404
    response = client.post(
        reverse(CLOSE, args=(framework.pk,)), {"lot": lot_two.pk, "reason": REASON}
    )
    assert response.status_code == 404
    assert not LotClosure.objects.exists()


def test_close_button_is_on_the_framework_page_header(manager_client, framework):
    response = manager_client.get(reverse("wagtailadmin_pages:edit", args=(framework.pk,)))

    assert reverse(CLOSE, args=(framework.pk,)) in response.content.decode()


# --- Appointments refused ----------------------------------------------------------------------


def test_no_one_can_be_appointed_to_a_closed_lot(
    framework_manager, authority, lot_two, supplier, today
):
    close(lot_two, framework_manager, authority)

    with pytest.raises(DomainError, match="Lot 2 is closed: no one can be appointed to it"):
        services.appoint_supplier(
            actor=framework_manager,
            organisation=authority,
            lot=lot_two,
            supplier=supplier,
            starts_on=today,
        )


def test_an_import_cannot_appoint_to_a_closed_lot(
    framework_manager, authority, lot_two, supplier, today
):
    close(lot_two, framework_manager, authority)

    with pytest.raises(DomainError, match="Lot 2 is closed: no one can be appointed to it"):
        services.appoint_suppliers_from_import(
            actor=framework_manager,
            organisation=authority,
            lot=lot_two,
            suppliers=[supplier],
            starts_on=today,
            file_name="suppliers.csv",
        )


def test_the_import_preview_refuses_a_closed_lot(
    manager_client, framework_manager, authority, lot_two, supplier, today
):
    close(lot_two, framework_manager, authority)

    response = manager_client.post(
        reverse("appointments:import"),
        {
            "lot": lot_two.pk,
            "starts_on": today.isoformat(),
            "file": SimpleUploadedFile(
                "suppliers.csv", f"company_number\n{supplier.company_number}\n".encode()
            ),
        },
    )

    assert response.context["form"].non_field_errors() == [
        "Lot 2 is closed: no one can be appointed to it"
    ]


# --- Public pages ------------------------------------------------------------------------------


def test_the_public_lot_page_shows_the_lot_closed(framework, lot_two, framework_manager, authority):
    closure = close(lot_two, framework_manager, authority)

    page = text(Client().get(f"{framework.url}lots/2/"))

    closed_on = timezone.localtime(closure.closed_at).strftime("%-d %B %Y")
    assert '<strong class="govuk-tag govuk-tag--grey">Closed</strong>' in page
    assert f"This lot closed on {closed_on}: buyers cannot call off from it." in page


def test_the_framework_page_tags_a_closed_lot(framework, lot_two, framework_manager, authority):
    close(lot_two, framework_manager, authority)

    page = text(Client().get(framework.url))

    assert page.count('<strong class="govuk-tag govuk-tag--grey">Closed</strong>') == 1


# --- Open data ---------------------------------------------------------------------------------


def test_open_data_shows_a_closed_lot_as_cancelled(
    framework, lot_two, framework_manager, authority
):
    close(lot_two, framework_manager, authority)
    published = FrameworkPage.objects.live().get(pk=framework.pk)

    package = ocds.build_release_package(published, published_at=timezone.now())

    lots = package["releases"][0]["tender"]["lots"]
    assert [(lot["id"], lot["status"]) for lot in lots] == [
        ("lot-1", "complete"),
        ("lot-2", "cancelled"),
    ]
    assert validate_release_package(package) == []


def test_approving_a_change_that_drops_a_lot_appointed_since_keeps_the_lot(
    framework, framework_manager, reviewer, admin_client_for
):
    draft = FrameworkPage.objects.get(pk=framework.pk)
    draft.lots.remove(draft.lots.get(number=2))
    draft.save_revision(user=framework_manager)
    workflow_state = framework.get_workflow().start(framework, framework_manager)
    factories.AppointmentFactory(lot=framework.lots.get(number=2))

    response = admin_client_for(reviewer).post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(framework.pk, "approve", workflow_state.current_task_state.pk),
        ),
        {"comment": ""},
    )

    assert response.status_code == 302
    published = FrameworkPage.objects.get(pk=framework.pk)
    assert published.live_revision_id == published.latest_revision_id
    assert lots_of(framework) == [(1, "Lot 1 services"), (2, "Lot 2 services")]
