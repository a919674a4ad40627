"""The buyer's sign-off threshold: set by its approvers only, audited, read by the award step."""

from decimal import Decimal

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import BuyerSettings
from marketplace.calloffs.services.projects import (
    ProjectError,
    approval_threshold_for,
    update_buyer_settings,
)
from marketplace.organisations.policy import PolicyDenied
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/buying/settings/"


def test_no_threshold_until_one_is_set(buyer):
    assert approval_threshold_for(buyer) is None


def test_an_approver_sets_the_threshold_and_it_is_audited_with_old_and_new(approver, buyer):
    update_buyer_settings(actor=approver, organisation=buyer, approval_threshold="25000")
    update_buyer_settings(actor=approver, organisation=buyer, approval_threshold=None)

    assert approval_threshold_for(buyer) is None
    assert [
        event.data
        for event in AuditEvent.objects.filter(kind=AuditKind.BUYER_SETTINGS_CHANGED).order_by("pk")
    ] == [
        {"old": {"approval_threshold": None}, "new": {"approval_threshold": "25000.00"}},
        {"old": {"approval_threshold": "25000.00"}, "new": {"approval_threshold": None}},
    ]


def test_setting_the_same_threshold_again_records_nothing(approver, buyer):
    update_buyer_settings(actor=approver, organisation=buyer, approval_threshold="25000")
    update_buyer_settings(actor=approver, organisation=buyer, approval_threshold=Decimal("25000"))

    assert approval_threshold_for(buyer) == Decimal("25000.00")
    assert AuditEvent.objects.filter(kind=AuditKind.BUYER_SETTINGS_CHANGED).count() == 1


def test_a_procurement_officer_cannot_set_the_threshold(procurement_officer, buyer):
    with pytest.raises(PolicyDenied):
        update_buyer_settings(actor=procurement_officer, organisation=buyer, approval_threshold="1")

    assert not BuyerSettings.objects.exists()


def test_another_organisations_approver_cannot_set_the_threshold(buyer, other_buyer):
    their_approver = factories.MembershipFactory(organisation=other_buyer, role="approver").user

    with pytest.raises(PolicyDenied):
        update_buyer_settings(actor=their_approver, organisation=buyer, approval_threshold="1")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "Sign-off threshold must be £0 or more"),
        ("many", "Sign-off threshold must be an amount of money, like 12500.00"),
        (
            "1.234",
            "Sign-off threshold must be in pounds and pence, with no more than 2 decimal places",
        ),
    ],
)
def test_a_bad_threshold_is_refused(approver, buyer, value, message):
    with pytest.raises(ProjectError) as refusal:
        update_buyer_settings(actor=approver, organisation=buyer, approval_threshold=value)

    assert (refusal.value.code, str(refusal.value)) == ("approval_threshold", message)
    assert approval_threshold_for(buyer) is None


def test_an_approver_changes_the_threshold_on_the_settings_page(client, approver, buyer):
    client.force_login(approver)

    response = client.post(URL, {"approval_threshold": "£50,000"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "The sign-off threshold is saved." in response.content.decode()
    assert approval_threshold_for(buyer) == Decimal("50000.00")


def test_a_bad_threshold_on_the_page_shows_the_error_and_saves_nothing(client, approver, buyer):
    client.force_login(approver)

    html = client.post(URL, {"approval_threshold": "-3"}).content.decode()

    assert "govuk-error-summary" in html
    assert "Sign-off threshold must be £0 or more" in html
    assert approval_threshold_for(buyer) is None


def test_a_procurement_officer_reads_the_threshold_but_cannot_change_it(
    client, approver, procurement_officer, buyer
):
    update_buyer_settings(actor=approver, organisation=buyer, approval_threshold="25000")
    client.force_login(procurement_officer)

    html = client.get(URL).content.decode()
    refused = client.post(URL, {"approval_threshold": "1"})

    assert (
        '<dd class="govuk-summary-list__value" id="threshold">£25,000.00, excluding VAT</dd>'
        in html
    )
    assert '<form method="post" novalidate>' not in html
    assert refused.status_code == 403
    assert approval_threshold_for(buyer) == Decimal("25000.00")
