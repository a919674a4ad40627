"""The authority's review of supplier offerings in the Wagtail admin."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from marketplace.audit.models import AuditEvent
from marketplace.organisations.admin_access import sync_staff_group
from suppliers import selectors, services
from suppliers.models import Offering
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    offering,
    offering_data,
    supplier_lot,
)
from tests.helpers import queries_to_get, sign_in_with_second_factor

QUEUE = "suppliers_admin:index"
REVIEW = "suppliers_admin:review"
APPROVE = "suppliers_admin:approve"
REJECT = "suppliers_admin:reject"


def _admin_client(user) -> Client:
    for membership in user.memberships.select_related("organisation"):
        sync_staff_group(membership.organisation)
    client = Client()
    sign_in_with_second_factor(client, user)
    return client


@pytest.fixture
def reviewer_client(reviewer):
    return _admin_client(reviewer)


@pytest.fixture
def submitted(supplier, supplier_user, lot):
    return offering(supplier=supplier, lot=lot, actor=supplier_user, status="submitted")


@pytest.fixture
def live_edit(live_offering, supplier, supplier_user):
    """A live offering with an edit awaiting review: new title, price and one answer."""
    changes = offering_data(
        title="Case management platform with analytics",
        price="15.00",
        attributes={"max_users": "750", "hosted_in_uk": "yes", "support_hours": "24/7"},
    )
    services.edit_offering(
        actor=supplier_user, supplier=supplier, offering=live_offering, data=changes
    )
    return services.submit_offering(actor=supplier_user, supplier=supplier, offering=live_offering)


@pytest.fixture
def other_lot(db):
    return supplier_lot()


@pytest.fixture
def other_offering(other_supplier, other_lot):
    return offering(supplier=other_supplier, lot=other_lot, status="submitted")


def _lines(response) -> dict:
    return {line.label: line for line in response.context["lines"]}


def _texts(line) -> tuple:
    return (line.before.text if line.before else None, line.after.text, line.changed)


# --- The queue -------------------------------------------------------------------------------


def test_queue_lists_only_the_authoritys_offerings(reviewer_client, submitted, other_offering):
    response = reviewer_client.get(reverse(QUEUE))
    assert list(response.context["page_obj"]) == [submitted]
    assert other_offering.supplier.name not in response.content.decode()


def test_queue_shows_what_awaits_review_first(reviewer_client, supplier, lot, submitted):
    decided = offering(supplier=supplier, lot=lot, status="live", title="Already live")
    response = reviewer_client.get(reverse(QUEUE))
    assert list(response.context["page_obj"]) == [submitted, decided]


def test_queue_filters_by_awaiting_review(reviewer_client, supplier, lot, submitted):
    decided = offering(supplier=supplier, lot=lot, status="live", title="Already live")
    awaiting = reviewer_client.get(reverse(QUEUE), {"awaiting_review": "yes"})
    not_awaiting = reviewer_client.get(reverse(QUEUE), {"awaiting_review": "no"})
    assert list(awaiting.context["page_obj"]) == [submitted]
    assert list(not_awaiting.context["page_obj"]) == [decided]


def test_queue_filters_by_status(reviewer_client, supplier, lot, submitted):
    decided = offering(supplier=supplier, lot=lot, status="live", title="Already live")
    response = reviewer_client.get(reverse(QUEUE), {"status": "live"})
    assert list(response.context["page_obj"]) == [decided]


def test_queue_filters_by_framework_and_lot(reviewer_client, submitted, lot):
    by_framework = reviewer_client.get(reverse(QUEUE), {"framework": lot.framework.pk})
    by_lot = reviewer_client.get(reverse(QUEUE), {"lot": lot.pk})
    assert list(by_framework.context["page_obj"]) == [submitted]
    assert list(by_lot.context["page_obj"]) == [submitted]


def test_queue_filters_by_supplier_name(reviewer_client, lot, submitted):
    named = OrganisationFactory(kind="supplier", legal_name="Zebra Analytics Ltd")
    zebra = offering(supplier=named, lot=lot, status="submitted", title="Zebra dashboards")
    response = reviewer_client.get(reverse(QUEUE), {"supplier": "zebra"})
    assert list(response.context["page_obj"]) == [zebra]


def test_queue_filter_refuses_another_authoritys_lot(reviewer_client, submitted, other_lot):
    response = reviewer_client.get(reverse(QUEUE), {"lot": other_lot.pk})
    assert response.context["filters"].form.errors["lot"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_queue_filter_refuses_an_unknown_awaiting_value(reviewer_client, submitted):
    response = reviewer_client.get(reverse(QUEUE), {"awaiting_review": "maybe"})
    assert response.context["filters"].form.errors["awaiting_review"] == [
        "Select a valid choice. maybe is not one of the available choices."
    ]


def test_queue_queries_stay_constant_from_2_to_12_rows(reviewer_client, lot):
    def add_offerings(count):
        for supplier in OrganisationFactory.create_batch(count, kind="supplier"):
            offering(supplier=supplier, lot=lot, status="submitted")

    url = reverse(QUEUE)
    add_offerings(2)
    two = queries_to_get(reviewer_client, url)
    add_offerings(10)
    twelve = queries_to_get(reviewer_client, url)
    assert len(reviewer_client.get(url).context["object_list"]) == 12
    assert twelve == two


def test_queue_shows_its_filters_in_wagtails_filter_ui(reviewer_client, submitted):
    response = reviewer_client.get(reverse(QUEUE))
    assert type(response.context["filters"]).__name__ == "OfferingReviewFilterSet"
    assert 'id="filters-drilldown"' in response.content.decode()


def test_queue_filter_results_leave_out_another_authoritys_offerings(
    reviewer_client, submitted, other_offering
):
    response = reviewer_client.get(
        reverse("suppliers_admin:index_results"), {"status": "submitted"}
    )
    assert list(response.context["object_list"]) == [submitted]
    assert other_offering.supplier.name not in response.content.decode()


def test_queue_is_paginated(reviewer_client, lot):
    for supplier in OrganisationFactory.create_batch(51, kind="supplier"):
        offering(supplier=supplier, lot=lot)
    first = reviewer_client.get(reverse(QUEUE))
    second = reviewer_client.get(reverse(QUEUE), {"p": 2})
    assert (len(first.context["page_obj"]), len(second.context["page_obj"])) == (50, 1)


# --- The review page -------------------------------------------------------------------------


def test_review_page_shows_a_live_edit_field_by_field(reviewer_client, live_edit):
    response = reviewer_client.get(reverse(REVIEW, args=(live_edit.pk,)))
    lines = _lines(response)
    assert _texts(lines["Title"]) == (
        "Case management platform",
        "Case management platform with analytics",
        True,
    )
    assert _texts(lines["Price"]) == ("£12.50", "£15.00", True)
    assert _texts(lines["Comparable price"]) == (
        "£12.50 per user per month (as stated, excluding VAT)",
        "£15.00 per user per month (as stated, excluding VAT)",
        True,
    )
    assert _texts(lines["Maximum users"]) == ("500 users", "750 users", True)
    assert _texts(lines["Hosted in the UK"]) == ("Yes", "Yes", False)
    assert _texts(lines["Standards met"]) == ("Not given", "Not given", False)
    assert _texts(lines["Price unit"]) == ("per user per month", "per user per month", False)
    assert _texts(lines["Regions served"]) == (
        "North East (England), North West (England)",
        "North East (England), North West (England)",
        False,
    )
    assert _texts(lines["Lead time"]) == ("10 working days", "10 working days", False)
    assert _texts(lines["Service definition document"]) == ("Not given", "Not given", False)
    assert [label for label, line in lines.items() if line.changed] == [
        "Title",
        "Maximum users",
        "Price",
        "Comparable price",
    ]
    assert response.content.decode().count("Changed") == 4


def test_review_page_of_a_first_submission_has_nothing_live_to_compare(reviewer_client, submitted):
    response = reviewer_client.get(reverse(REVIEW, args=(submitted.pk,)))
    assert _texts(_lines(response)["Price"]) == (None, "£12.50", False)
    assert "Not yet published" in response.content.decode()


def test_review_page_shows_who_submitted_and_the_history(reviewer_client, live_edit, supplier_user):
    response = reviewer_client.get(reverse(REVIEW, args=(live_edit.pk,)))
    revisions = list(response.context["revisions"])
    assert revisions[0].pk == live_edit.submitted_revision_id
    assert {revision.user for revision in revisions} == {supplier_user}
    assert len(revisions) == 2
    assert f"by {supplier_user.get_full_name()}" in response.content.decode()


def test_review_page_without_anything_pending_offers_no_decision(reviewer_client, live_offering):
    response = reviewer_client.get(reverse(REVIEW, args=(live_offering.pk,)))
    content = response.content.decode()
    assert "Nothing on this offering is waiting for review." in content
    assert "Approve and publish" not in content


# --- Decisions -------------------------------------------------------------------------------


def test_approving_a_live_edit_makes_it_live_and_keeps_the_old_version_until_then(
    reviewer_client, live_edit
):
    today = timezone.localdate()
    assert Offering.objects.get(pk=live_edit.pk).title == "Case management platform"
    assert selectors.get_listable_offering(pk=live_edit.pk, on=today).price == Decimal("12.50")

    response = reviewer_client.post(reverse(APPROVE, args=(live_edit.pk,)))

    assert (response.status_code, response.url) == (302, reverse(QUEUE))
    now_live = selectors.get_listable_offering(pk=live_edit.pk, on=today)
    assert (now_live.title, str(now_live.price), now_live.attributes["max_users"]) == (
        "Case management platform with analytics",
        "15.00",
        750,
    )
    assert now_live.awaiting_review is False


def test_approving_a_first_submission_publishes_it(reviewer_client, reviewer, submitted):
    reviewer_client.post(reverse(APPROVE, args=(submitted.pk,)))
    submitted.refresh_from_db()
    assert (submitted.status, submitted.live) == ("live", True)
    event = AuditEvent.objects.get(kind="offering.approved")
    assert (event.actor_id, event.data["revision"]) == (reviewer.pk, submitted.live_revision_id)


def test_approving_twice_explains_there_is_nothing_to_approve(reviewer_client, submitted):
    reviewer_client.post(reverse(APPROVE, args=(submitted.pk,)), follow=True)
    response = reviewer_client.post(reverse(APPROVE, args=(submitted.pk,)), follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Nothing on this offering is waiting for review"
    ]
    assert AuditEvent.objects.filter(kind="offering.approved").count() == 1


def test_rejecting_with_a_reason_keeps_the_live_version(reviewer_client, live_edit):
    response = reviewer_client.post(
        reverse(REJECT, args=(live_edit.pk,)), {"reason": "  The price must include travel.  "}
    )
    live_edit.refresh_from_db()
    assert (response.status_code, response.url) == (302, reverse(QUEUE))
    assert (live_edit.status, live_edit.title, live_edit.awaiting_review) == (
        "live",
        "Case management platform",
        False,
    )
    assert live_edit.rejection_reason == "The price must include travel."
    assert AuditEvent.objects.get(kind="offering.rejected").data["reason"] == (
        "The price must include travel."
    )


def test_rejecting_a_first_submission_returns_it_to_draft(reviewer_client, submitted):
    reviewer_client.post(reverse(REJECT, args=(submitted.pk,)), {"reason": "Add a price list."})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == ("draft", "Add a price list.")


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejecting_without_a_reason_is_refused_and_changes_nothing(
    reviewer_client, live_edit, reason
):
    response = reviewer_client.post(reverse(REJECT, args=(live_edit.pk,)), {"reason": reason})
    live_edit.refresh_from_db()
    assert response.status_code == 200
    assert response.context["reject_form"].errors["reason"] == [
        "Enter the reason for rejecting this offering"
    ]
    assert "Error: Review Case management platform" in response.content.decode()
    assert (live_edit.awaiting_review, live_edit.rejection_reason) == (True, "")
    assert not AuditEvent.objects.filter(kind="offering.rejected").exists()


# --- Who may review --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reviewer", "framework_manager"])
def test_reviewers_and_framework_managers_may_review(authority, submitted, role):
    member = MembershipFactory(organisation=authority, role=role).user
    client = _admin_client(member)
    assert client.get(reverse(REVIEW, args=(submitted.pk,))).status_code == 200
    client.post(reverse(APPROVE, args=(submitted.pk,)))
    submitted.refresh_from_db()
    assert submitted.status == "live"


def test_another_authoritys_offering_is_not_found(reviewer_client, other_offering):
    assert reviewer_client.get(reverse(REVIEW, args=(other_offering.pk,))).status_code == 404


def test_approving_another_authoritys_offering_is_not_found(reviewer_client, other_offering):
    response = reviewer_client.post(reverse(APPROVE, args=(other_offering.pk,)))
    other_offering.refresh_from_db()
    assert (response.status_code, other_offering.status) == (404, "submitted")


def test_rejecting_another_authoritys_offering_is_not_found(reviewer_client, other_offering):
    response = reviewer_client.post(
        reverse(REJECT, args=(other_offering.pk,)), {"reason": "Hostile"}
    )
    other_offering.refresh_from_db()
    assert (response.status_code, other_offering.status) == (404, "submitted")


def test_admin_user_who_reviews_for_no_authority_gets_not_found(submitted):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    sign_in_with_second_factor(client, superuser)
    assert client.get(reverse(REVIEW, args=(submitted.pk,))).status_code == 404
    assert client.post(reverse(APPROVE, args=(submitted.pk,))).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_supplier_user_cannot_reach_the_review_queue(client, supplier_user, submitted):
    client.force_login(supplier_user)
    for response in (
        client.get(reverse(QUEUE)),
        client.get(reverse(REVIEW, args=(submitted.pk,))),
        client.post(reverse(APPROVE, args=(submitted.pk,))),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


# --- Menu and home page ----------------------------------------------------------------------


def test_home_page_tells_the_reviewer_how_many_offerings_wait(
    reviewer_client, live_edit, supplier, lot
):
    offering(supplier=supplier, lot=lot, title="Not submitted yet")
    content = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 offering waiting for your review" in content
    assert f'href="{reverse(QUEUE)}?awaiting_review=yes"' in content


MENU_ITEM = '"name": "offerings-to-review"'


def test_menu_shows_the_review_queue_to_reviewers(reviewer_client):
    content = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert MENU_ITEM in content


def test_menu_and_home_page_leave_the_queue_out_for_admin_users_who_review_nothing(db, client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    sign_in_with_second_factor(client, superuser)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert MENU_ITEM not in content
    assert "waiting for your review" not in content


def test_review_page_of_a_revision_with_no_person_recorded(reviewer_client, supplier, lot):
    # Imports made before revisions recorded who made them left no person on the revision.
    imported = offering(supplier=supplier, lot=lot, status="submitted")
    imported.revisions.update(user=None)

    response = reviewer_client.get(reverse(REVIEW, args=(imported.pk,)))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("Imported (no person recorded)") == 1
    assert "Submitted" in content
