import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from frameworks.models import Appointment
from suppliers import services
from tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    OrganisationFactory,
    debarment_entry,
    offering,
    offering_data,
    supplier_lot,
)


def text(response):
    return response.content.decode()


def offering_url(made):
    return reverse("suppliers:offering", args=[made.pk])


def supplier_url(organisation):
    return reverse("suppliers:supplier", args=[organisation.slug])


@pytest.fixture
def document(supplier, supplier_user):
    return services.store_service_definition(
        actor=supplier_user,
        supplier=supplier,
        file=SimpleUploadedFile("definition.pdf", b"%PDF-1.4 definition"),
    )


@pytest.fixture
def listed(supplier, supplier_user, lot, document):
    return offering(
        supplier=supplier,
        lot=lot,
        actor=supplier_user,
        status="live",
        price="450",
        price_unit="hour",
        vat_treatment="inclusive",
        minimum_contract_value="5000",
        service_definition=document,
        attributes={
            "max_users": "500",
            "hosted_in_uk": "yes",
            "support_hours": "24/7",
            "standards": ["WCAG 2.2 AA", "ISO 27001"],
        },
    )


# --- Offering page ----------------------------------------------------------------------------


def test_offering_page_shows_everything_a_buyer_needs(client, listed, supplier, lot, document):
    response = client.get(offering_url(listed))

    page = text(response)
    assert response.status_code == 200
    assert f"<title>{listed.title} – {supplier.name}" in page
    assert f'<a class="govuk-link" href="{supplier_url(supplier)}">{supplier.name}</a>' in page
    assert f"{lot.framework.title} – Lot 1: Software" in page
    assert f'href="{lot.framework.url}lots/1/">Lot 1: Software</a>' in page
    assert listed.summary in page
    assert '<p class="govuk-body">Hosted software with training and support included.</p>' in page
    for question, answer in (
        ("Maximum users", "500 users"),
        ("Hosted in the UK", "Yes"),
        ("Support hours", "24/7"),
        ("Standards met", "WCAG 2.2 AA, ISO 27001"),
        ("Onboarding", "Not answered"),
    ):
        assert re.search(
            rf"<dt class=\"govuk-summary-list__key\">{re.escape(question)}</dt>\s*"
            rf"<dd class=\"govuk-summary-list__value\">{re.escape(answer)}</dd>",
            page,
        ), question
    assert "£450.00 per hour<br>Including VAT at 20%" in page
    assert "£2,812.50 per day, excluding VAT" in page
    assert "Derived from the price: VAT at 20% taken off; hourly rate × 7.5 hours a day." in page
    assert "£5,000.00" in page
    assert "<li>North East (England)</li><li>North West (England)</li>" in page
    assert "10 working days" in page
    assert f'<a class="govuk-link" href="{document.url}">definition.pdf</a> (PDF)' in page
    assert "Change" not in page


def test_offering_page_shows_the_approved_version_while_changes_wait(
    client, listed, supplier, supplier_user
):
    services.edit_offering(
        actor=supplier_user,
        supplier=supplier,
        offering=listed,
        data=offering_data(title="Renamed while waiting", price="1"),
    )
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=listed)

    page = text(client.get(offering_url(listed)))

    assert listed.title in page
    assert "Renamed while waiting" not in page
    assert "£450.00 per hour" in page


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_unpublished_offerings_are_not_found(client, supplier, lot, status):
    hidden = offering(supplier=supplier, lot=lot, status=status)

    assert client.get(offering_url(hidden)).status_code == 404


def test_withdrawn_offering_is_not_found(client, listed, supplier, supplier_user):
    services.withdraw_offering(actor=supplier_user, supplier=supplier, offering=listed)

    assert client.get(offering_url(listed)).status_code == 404


@pytest.mark.parametrize("status", [Appointment.Status.SUSPENDED, Appointment.Status.EXCLUDED])
def test_offering_under_a_suspended_or_excluded_appointment_is_not_found(client, listed, status):
    Appointment.objects.filter(supplier=listed.supplier, lot=listed.lot).update(status=status)

    assert client.get(offering_url(listed)).status_code == 404


def test_offering_of_a_supplier_debarred_on_a_mandatory_ground_is_not_found(client, listed):
    debarment_entry(supplier=listed.supplier, exclusion_type="mandatory")

    assert client.get(offering_url(listed)).status_code == 404


def test_unknown_offering_is_not_found(client, db):
    assert client.get(reverse("suppliers:offering", args=[999])).status_code == 404


def test_offering_page_queries(client, listed, django_assert_max_num_queries):
    client.get(offering_url(listed))  # the first request of a site sets up its navigation

    with django_assert_max_num_queries(5):
        response = client.get(offering_url(listed))

    assert response.status_code == 200


# --- Supplier profile page --------------------------------------------------------------------


@pytest.fixture
def profiled(supplier):
    admin = MembershipFactory(organisation=supplier, role="supplier_admin").user
    services.save_supplier_profile(
        actor=admin,
        organisation=supplier,
        data={
            "description": "Case management for care teams.",
            "website": "https://care.example",
            "headcount": 40,
            "annual_turnover": 3_000_000,
            "balance_sheet_total": None,
            "regions_served": ["TLD", "TLE"],
            "accreditations": ["cyber_essentials", "real_living_wage"],
            "is_vcse": True,
            "contact_name": "Priya Shah",
            "contact_email": "priya.shah.commercial-bids@northern-care-software.example.co.uk",
        },
    )
    supplier.refresh_from_db()
    return supplier


def test_supplier_page_shows_the_profile_badges_and_basis(client, profiled):
    page = text(client.get(supplier_url(profiled)))

    assert f'<h1 class="govuk-heading-xl govuk-!-margin-bottom-4">{profiled.name}</h1>' in page
    assert '<strong class="govuk-tag govuk-tag--blue">SME</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--purple">VCSE</strong>' in page
    assert "Small enterprise" in page
    assert (
        "As declared by the supplier: 40 staff (fewer than 50) and turnover of £3.0 million "
        "(at most £10.0 million)" in page
    )
    assert "<li>Cyber Essentials</li><li>Real Living Wage employer</li>" in page
    assert "<li>North West (England)</li><li>Yorkshire and The Humber</li>" in page
    assert "Case management for care teams." in page
    assert 'href="https://care.example"' in page


def test_supplier_page_shows_the_published_contact_wrapping_long_addresses(client, profiled):
    page = text(client.get(supplier_url(profiled)))

    email = "priya.shah.commercial-bids@northern-care-software.example.co.uk"
    assert '<dt class="govuk-summary-list__key">Contact</dt>' in page
    assert (
        '<dd class="govuk-summary-list__value govuk-!-text-break-word" id="contact">'
        f'Priya Shah<br><a class="govuk-link" href="mailto:{email}">{email}</a></dd>'
    ) in page


def test_supplier_page_without_a_published_contact_has_no_contact_row(client, supplier):
    page = text(client.get(supplier_url(supplier)))
    assert "Contact" not in page


def test_supplier_page_lists_active_appointments_and_listable_offerings_only(
    client, listed, supplier, lot
):
    suspended_lot = supplier_lot()
    AppointmentFactory(supplier=supplier, lot=suspended_lot, status=Appointment.Status.SUSPENDED)
    draft = offering(supplier=supplier, lot=lot, title="Not yet public")

    page = text(client.get(supplier_url(supplier)))

    assert f">{lot.framework.title}</a>" in page
    assert f'<li><a class="govuk-link" href="{lot_url(lot)}">Lot 1: Software</a></li>' in page
    assert suspended_lot.framework.title not in page
    assert f'href="{offering_url(listed)}">{listed.title}</a>' in page
    assert draft.title not in page


def test_supplier_page_empty_states(client, supplier):
    page = text(client.get(supplier_url(supplier)))

    assert "is not appointed to any live framework at the moment" in page
    assert "has no offerings listed at the moment" in page
    assert ">SME</strong>" not in page
    assert ">VCSE</strong>" not in page


@pytest.fixture
def live_items(supplier, supplier_user, lot):
    """Makes `count` live offerings on the lot, titled Item 00, Item 01…"""

    def make(count):
        for number in range(count):
            offering(
                supplier=supplier,
                lot=lot,
                actor=supplier_user,
                status="live",
                title=f"Item {number:02d}",
            )

    return make


def test_supplier_page_paginates_offerings(client, supplier, lot, live_items):
    live_items(21)

    first = text(client.get(supplier_url(supplier)))
    second = text(client.get(supplier_url(supplier) + "?page=2"))

    assert len(re.findall(r'href="/offerings/\d+/"', first)) == 20
    assert len(re.findall(r'href="/offerings/\d+/"', second)) == 1
    assert re.search(r'href="/offerings/\d+/">Item 20</a>', second)
    assert f"<title>{supplier.name} (page 2 of 2)" in second


def test_supplier_page_queries_do_not_grow(
    client, supplier, live_items, django_assert_max_num_queries
):
    live_items(25)

    client.get(supplier_url(supplier))  # the first request of a site sets up its navigation

    with django_assert_max_num_queries(8):
        response = client.get(supplier_url(supplier))

    assert response.status_code == 200


def test_supplier_page_queries_do_not_grow_with_frameworks_and_lots(
    client, supplier, django_assert_max_num_queries
):
    AppointmentFactory(supplier=supplier, lot=supplier_lot())
    client.get(supplier_url(supplier))
    with django_assert_max_num_queries(8) as few:
        client.get(supplier_url(supplier))
    lots = [supplier_lot() for _ in range(4)]
    for lot in lots:
        AppointmentFactory(supplier=supplier, lot=lot)

    with django_assert_max_num_queries(len(few)):
        page = text(client.get(supplier_url(supplier)))

    for lot in lots:
        assert f'href="{lot_url(lot)}">{lot}</a>' in page


@pytest.mark.parametrize("kind", ["buyer", "authority"])
def test_only_suppliers_have_a_public_supplier_page(client, db, kind):
    organisation = OrganisationFactory(kind=kind, council_code="GB-MAN")

    assert client.get(supplier_url(organisation)).status_code == 404


def test_unknown_supplier_is_not_found(client, db):
    assert client.get(reverse("suppliers:supplier", args=["nobody"])).status_code == 404


# --- A lot's offerings, on the lot page ----------------------------------------------------------


def lot_url(lot):
    return f"{lot.framework.url}lots/{lot.number}/"


def test_lot_page_lists_its_live_offerings_with_price_and_comparable_price(
    client, listed, supplier, lot
):
    page = re.sub(r"\s+", " ", text(client.get(lot_url(lot))))

    assert '<h2 class="govuk-heading-l" id="lot-offerings">Offerings on this lot</h2>' in page
    assert f'<a class="govuk-link" href="{offering_url(listed)}">Case management platform</a>' in (
        page
    )
    assert (
        f'by <a class="govuk-link" href="{supplier_url(supplier)}">Northern Care Software Ltd</a>'
    ) in page
    assert "£450.00 per hour, Including VAT at 20%" in page
    assert "Comparable price: £2,812.50 per day, excluding VAT" in page


def test_lot_page_leaves_out_offerings_buyers_may_not_see(client, listed, supplier, lot):
    offering(supplier=supplier, lot=lot, title="Still a draft")
    offering(supplier=supplier, lot=lot, title="Awaiting review", status="submitted")
    Appointment.objects.filter(supplier=supplier, lot=lot).update(
        status=Appointment.Status.SUSPENDED
    )

    page = text(client.get(lot_url(lot)))

    assert "Case management platform" not in page
    assert "Still a draft" not in page
    assert "Awaiting review" not in page
    assert 'id="no-lot-offerings"' in page


def test_lot_page_paginates_its_offerings(client, supplier, lot, live_items):
    live_items(21)

    first = text(client.get(lot_url(lot)))
    second = text(client.get(lot_url(lot), {"page": 2}))

    assert len(re.findall(r'href="/offerings/\d+/"', first)) == 20
    assert re.findall(r'href="/offerings/\d+/">([^<]+)</a>', second) == ["Item 20"]
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in first


def test_lot_page_queries_do_not_grow_with_offerings(
    client, lot, live_items, django_assert_max_num_queries
):
    live_items(25)
    client.get(lot_url(lot))  # the first request of a site sets up its navigation

    # Wagtail's routing to the page costs most of these; the offerings cost three.
    with django_assert_max_num_queries(19):
        response = client.get(lot_url(lot))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("back", "href", "text"),
    [
        ("/search/?q=cloud&sme=yes", "/search/?q=cloud&amp;sme=yes", "Back to your search"),
        ("/search/", "/search/", "Back to your search"),
        (
            "/search/compare/?offering=1&offering=2&back=q%3Dcloud",
            "/search/compare/?offering=1&amp;offering=2&amp;back=q%3Dcloud",
            "Back to the comparison",
        ),
        # Re-encoded: whatever the parameters hold, they stay parameters of /search/.
        ('/search/?q="><script>', "/search/?q=%22%3E%3Cscript%3E", "Back to your search"),
    ],
)
def test_an_offering_opened_from_search_links_back_to_it(client, listed, back, href, text):
    html = client.get(offering_url(listed), {"back": back}).content.decode()

    assert f'<a href="{href}" class="govuk-back-link">{text}</a>' in html


@pytest.mark.parametrize(
    "back",
    [
        "",
        "https://evil.example/search/",
        "//evil.example/search/",
        "/search/../admin/",
        "/admin/",
        "/search/compare/x/",
        "javascript:alert(1)//search/",
        "/\\evil.example/search/",
    ],
)
def test_an_offering_links_back_only_to_search_or_a_comparison(client, listed, back):
    html = client.get(offering_url(listed), {"back": back}).content.decode()

    assert "govuk-back-link" not in html
