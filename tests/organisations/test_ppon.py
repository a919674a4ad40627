"""Suppliers record their PPON beside their Companies House number: on the organisation's
form and on the supplier profile, shown on the public supplier page."""

from django.urls import reverse

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from tests import factories

PROFILE = {
    "headcount": "12",
    "annual_turnover": "£1,250,000",
    "is_vcse": "no",
}
PPON_FORMAT = (
    "Enter a PPON in the correct format, like PDDW-2534-TWPT: P and 3 letters, "
    "4 numbers and 4 letters"
)


def text(response):
    return response.content.decode()


@pytest.fixture
def admin_client(client, supplier_admin):
    client.force_login(supplier_admin)
    return client


def test_the_profile_records_the_ppon_and_the_public_page_shows_it(admin_client, supplier):
    response = admin_client.post(
        reverse("suppliers:profile"), {**PROFILE, "ppon": " gb-ppon-pddw-2534-twpt "}
    )

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.ppon == "PDDW-2534-TWPT"
    event = AuditEvent.objects.filter(kind=AuditKind.SUPPLIER_PROFILE_SAVED).get()
    assert event.data["ppon"] == "PDDW-2534-TWPT"
    assert 'value="PDDW-2534-TWPT"' in text(admin_client.get(reverse("suppliers:profile")))
    public = text(admin_client.get(reverse("suppliers:supplier", args=[supplier.slug])))
    assert '<dd class="govuk-summary-list__value" id="ppon">PDDW-2534-TWPT</dd>' in public


@pytest.mark.parametrize("ppon", ["PDDW-2534", "12345", "PDDW-2534-TWPT-X"])
def test_a_malformed_ppon_is_refused_with_a_clear_message(admin_client, supplier, ppon):
    response = admin_client.post(reverse("suppliers:profile"), {**PROFILE, "ppon": ppon})

    assert response.status_code == 200
    assert 'href="#id_ppon"' in text(response)
    assert PPON_FORMAT in text(response)
    assert f'value="{ppon}"' in text(response)
    supplier.refresh_from_db()
    assert supplier.ppon == ""


def test_another_organisations_ppon_is_refused(admin_client, supplier):
    factories.OrganisationFactory(ppon="PDDW-2534-TWPT")

    response = admin_client.post(
        reverse("suppliers:profile"), {**PROFILE, "ppon": "PDDW-2534-TWPT"}
    )

    assert response.status_code == 200
    assert "An organisation with this PPON already exists" in text(response)
    supplier.refresh_from_db()
    assert supplier.ppon == ""


def test_the_ppon_can_be_removed(admin_client, supplier):
    supplier.ppon = "PDDW-2534-TWPT"
    supplier.save()

    admin_client.post(reverse("suppliers:profile"), {**PROFILE, "ppon": ""})

    supplier.refresh_from_db()
    assert supplier.ppon == ""


def test_the_organisation_page_shows_the_ppon(admin_client, supplier):
    supplier.ppon = "PDDW-2534-TWPT"
    supplier.save()

    page = text(admin_client.get(reverse("organisations:detail", args=[supplier.slug])))

    assert "PDDW-2534-TWPT" in page
