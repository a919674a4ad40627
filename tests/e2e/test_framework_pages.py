"""The public framework pages in a real browser, each checked by axe: the filtered list, a
framework, a lot, and the "can my organisation use it" answer for a signed-in buyer."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from frameworks.models import FrameworkContact
from marketplace.organisations.models import Region
from tests.factories import (
    TEST_PASSWORD,
    AppointmentFactory,
    MembershipFactory,
    OrganisationFactory,
    authority_page,
    framework_page,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TODAY = timezone.localdate()
OPEN_FOR_APPLICATIONS = {
    "applications_open_on": TODAY - timedelta(days=5),
    "applications_close_on": TODAY + timedelta(days=20),
    "award_on": TODAY + timedelta(days=40),
    "starts_on": TODAY + timedelta(days=60),
    "ends_on": TODAY + timedelta(days=700),
}


@pytest.fixture
def manchester(db):
    return authority_page(OrganisationFactory(kind="authority", legal_name="Greater Manchester CA"))


@pytest.fixture
def digital(manchester):
    """A live framework with lots, both routes, CPV codes, a contact and appointed suppliers."""
    framework = framework_page(
        manchester,
        title="Digital services",
        reference="GM-DIG-1",
        summary="Digital and technology services for Greater Manchester.",
        description=[{"type": "paragraph", "value": "<p>Everything from discovery to live.</p>"}],
        cpv_codes=("72000000-5",),
        levy_rate=Decimal("1.50"),
        eligible_regions=[Region.NORTH_WEST],
        contacts=[
            FrameworkContact(
                name="Frameworks team", email="frameworks@example.gov.uk", telephone="0161 000 0000"
            )
        ],
        lots=[
            {
                "number": 1,
                "title": "Software development",
                "allows_direct_award": True,
                "allows_further_competition": True,
                "direct_award_mechanism": "Award to the highest ranked supplier at appointment.",
                "minimum_value": Decimal("10000"),
                "maximum_value": Decimal("250000"),
                "maximum_term_months": 36,
            },
            {"number": 2, "title": "Hosting", "maximum_value": Decimal("99999.50")},
        ],
    )
    lot = framework.lots.get(number=1)
    for name in ("Northern Code Ltd", "Pennine Digital CIC"):
        AppointmentFactory(
            lot=lot, supplier=OrganisationFactory(kind="supplier", legal_name=name, is_sme=True)
        )
    return framework


@pytest.fixture
def buildings(manchester):
    return framework_page(
        manchester,
        title="Building repairs",
        cpv_codes=("45000000-7",),
        **OPEN_FOR_APPLICATIONS,
    )


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def buyer_user(region: str):
    buyer = OrganisationFactory(
        kind="buyer", legal_name=f"{region} Borough Council", council_code="GB-MAN", region=region
    )
    return MembershipFactory(organisation=buyer, role="procurement_officer").user


def test_framework_list_with_a_filter_applied(
    page, live_server, assert_accessible, digital, buildings
):
    page.goto(f"{live_server.url}/frameworks/")
    expect(page.get_by_role("heading", level=2, name="2 frameworks")).to_be_visible()

    page.get_by_role("checkbox", name="Open for applications (1)").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(f"{live_server.url}/frameworks/?filtered=1&status=open&category=")
    expect(page.get_by_role("heading", level=2, name="1 framework")).to_be_visible()
    expect(page.get_by_role("link", name="Building repairs")).to_be_visible()
    expect(page.get_by_role("link", name="Digital services")).to_have_count(0)
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
    assert_accessible(page)


def test_framework_list_with_a_bad_filter_shows_the_error(
    page, live_server, assert_accessible, digital
):
    page.goto(f"{live_server.url}/frameworks/?status=nonsense")

    expect(page.locator(".govuk-error-summary")).to_contain_text("Select statuses from the list")
    expect(page.get_by_role("heading", level=2, name="1 framework")).to_be_visible()
    assert_accessible(page)


def test_framework_page(page, live_server, assert_accessible, digital):
    page.goto(f"{live_server.url}{digital.url}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Digital services")
    expect(page.get_by_role("link", name="Software development")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in to check whether")).to_be_visible()
    assert_accessible(page)


def test_lot_page(page, live_server, assert_accessible, digital):
    page.goto(f"{live_server.url}{digital.url}")
    page.get_by_role("link", name="Software development").click()

    expect(page).to_have_url(f"{live_server.url}{digital.url}lots/1/")
    expect(page.get_by_text("Northern Code Ltd")).to_be_visible()
    expect(page.get_by_text("Pennine Digital CIC")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("region", "answer"),
    [
        (Region.NORTH_WEST, "Yes, {name} can use this framework"),
        (Region.WALES, "No, {name} cannot use this framework"),
    ],
)
def test_eligibility_answer_for_a_signed_in_buyer(
    page, live_server, assert_accessible, digital, region, answer
):
    user = buyer_user(region)
    sign_in(page, live_server, user)

    page.goto(f"{live_server.url}{digital.url}")

    panel = page.locator("#eligibility")
    expect(panel).to_contain_text(answer.format(name=user.memberships.get().organisation.name))
    assert_accessible(page)


def test_framework_list_filtered_to_what_a_signed_in_buyer_can_use(
    page, live_server, assert_accessible, digital, buildings, manchester
):
    framework_page(manchester, title="Welsh schools", eligible_regions=[Region.WALES])
    sign_in(page, live_server, buyer_user(Region.NORTH_WEST))
    page.goto(f"{live_server.url}/frameworks/")

    only_mine = page.get_by_role("checkbox", name="Only frameworks I can use (2)")
    expect(only_mine).to_be_checked()
    expect(page.get_by_role("heading", level=2, name="2 frameworks")).to_be_visible()
    expect(page.get_by_role("link", name="Welsh schools")).to_have_count(0)
    expect(page.get_by_text("Open to you", exact=True)).to_have_count(2)
    assert_accessible(page)

    only_mine.uncheck()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("heading", level=2, name="3 frameworks")).to_be_visible()
    expect(page.get_by_text("Not open to you", exact=True)).to_have_count(1)
    assert_accessible(page)
