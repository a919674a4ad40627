"""A call-off from search to the contracts register in a real browser, axe on every page: a
procurement officer searches a search-and-shortlist lot, saves the search, starts a project,
chooses the lot, freezes the shortlist, rejects one item with a reason and keeps the other,
chooses it, and awards above the sign-off threshold; an approver signs the award off; the
officer records the contract award notice and enters into the contract, whose public page in
the register shows it."""

from decimal import Decimal

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from marketplace.calloffs.models import Award, BuyingProject, Contract
from marketplace.calloffs.services import projects as project_services
from tests.calloffs.shortlist_setup import Shortlisting
from tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def shortlisting(settings):
    # The reference backend reads the document rows directly: the call-off pages are under
    # test here, not the full-text index.
    settings.SEARCH_BACKEND = "search.backends.reference"
    lot = Shortlisting(limit=3)
    lot.offer("Cloud hosting")
    lot.offer("Cloud backup", price="80.00")
    return lot


@pytest.fixture
def signing_approver(council):
    approver = MembershipFactory(organisation=council, role="approver").user
    project_services.update_buyer_settings(
        actor=approver, organisation=council, approval_threshold=Decimal("10000.00")
    )
    return approver


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def fill_date(page, name: str, day) -> None:
    """The GOV.UK date input's three boxes, named <name>_day, _month and _year."""
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def open_task(page, name: str) -> None:
    page.locator("#tasks").get_by_role("link", name=name).click()


def test_a_buyer_calls_off_from_a_search_to_the_contracts_register(
    page, browser, live_server, assert_accessible, shortlisting, officer, signing_approver
):
    today = timezone.localdate()
    lot = shortlisting.lot
    sign_in(page, live_server, officer)

    # Search the lot and save the search.
    page.goto(f"{live_server.url}/search/?q=cloud&lot={lot.pk}")
    assert_accessible(page)
    page.get_by_role("link", name="Save this search").click()
    page.get_by_label("Name").fill("Cloud for the archive")
    assert_accessible(page)
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_text("“Cloud for the archive” is saved.")).to_be_visible()

    # Start a project from the buyer's home.
    page.goto(f"{live_server.url}/buy/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a buying project").first.click()
    page.get_by_label("Title").fill("Cloud hosting for the archive")
    page.get_by_label("The need").fill("Host the digital archive for five years of records.")
    page.get_by_label("Estimated value, excluding VAT").fill("40000")
    page.get_by_label("Estimated term").fill("12")
    assert_accessible(page)
    page.get_by_role("button", name="Start project").click()

    # Straight on to the lot: its mechanism is search and shortlist.
    expect(page.get_by_text("Now choose a lot and how to buy from it.")).to_be_visible()
    project = BuyingProject.objects.get()
    expect(page).to_have_url(f"{live_server.url}/buying/projects/{project.pk}/lot/")
    page.get_by_label(f"{lot}: direct award").check()
    assert_accessible(page)
    page.get_by_role("button", name="Choose this lot and route").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cloud hosting for the archive")
    expect(page.locator("#summary")).to_contain_text("Search and shortlist")
    assert_accessible(page)

    # Freeze the saved search as the shortlist.
    open_task(page, "Find a supplier")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search and shortlist")
    page.get_by_label("Cloud for the archive").check()
    page.get_by_role("button", name="See its results now").click()
    expect(page.locator("#result-count")).to_contain_text("2 results")
    assert_accessible(page)
    page.get_by_role("button", name="End the search and freeze the shortlist").click()
    expect(page.locator("#shortlist-items")).to_contain_text("2 items")
    assert_accessible(page)

    # Reject the backup with a reason (none given first), keep the hosting.
    page.get_by_role("link", name="Keep or reject Cloud backup").click()
    page.get_by_label("Reject it").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason").fill("Backup only: the archive needs hosting.")
    page.get_by_role("button", name="Save the decision").click()
    page.get_by_role("link", name="Keep or reject Cloud hosting").click()
    page.get_by_label("Keep it").check()
    page.get_by_role("button", name="Save the decision").click()
    items = page.locator("#shortlist-items")
    expect(items).to_contain_text("Backup only: the archive needs hosting.")
    expect(items.locator(".govuk-tag--green")).to_have_count(1)
    expect(items.locator(".govuk-tag--red")).to_have_count(1)

    # Choose the kept item, with the reason under the framework's mechanism.
    page.get_by_role("link", name="Choose the winner").click()
    page.get_by_label("Cloud hosting", exact=False).check()
    page.get_by_label("Why this one, under the framework's selection mechanism").fill(
        "The only kept result, and the best value for hosting."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Choose this supplier").click()
    expect(page.get_by_text("Cloudworks Ltd is chosen. Next, make the award")).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("Cloudworks Ltd")

    # Award above the sign-off threshold: it waits for an approver.
    open_task(page, "Award the contract")
    assert_accessible(page)
    page.get_by_label("Describe the contract").fill("Hosting of the digital archive.")
    page.get_by_label("Value excluding VAT").fill("40000.00")
    page.get_by_label("Value including VAT").fill("48000.00")
    fill_date(page, "starts_on", today)
    fill_date(page, "ends_on", today.replace(year=today.year + 1))
    page.get_by_role("button", name="Award the contract").click()
    expect(page.get_by_text("The award is made. It waits for an approver")).to_be_visible()
    award = Award.objects.get()
    assert award.status == Award.Status.AWAITING_SIGN_OFF
    assert_accessible(page)

    # The approver signs it off from the queue on their home page.
    approver_context = browser.new_context()
    try:
        approver_page = approver_context.new_page()
        sign_in(approver_page, live_server, signing_approver)
        approver_page.goto(f"{live_server.url}/buy/")
        approver_page.get_by_role("link", name="Awards waiting for your sign-off").click()
        assert_accessible(approver_page)
        approver_page.get_by_role("link", name=f"{project.reference}: {project.title}").click()
        assert_accessible(approver_page)
        approver_page.get_by_label("Yes, sign it off: the award takes effect").check()
        approver_page.get_by_role("button", name="Continue").click()
        expect(
            approver_page.get_by_text("The award is signed off and takes effect")
        ).to_be_visible()
        assert_accessible(approver_page)
    finally:
        approver_context.close()
    award.refresh_from_db()
    assert award.status == Award.Status.AWARDED

    # The contract award notice (UK6), with no standstill stated.
    page.goto(f"{live_server.url}/buying/projects/{project.pk}/")
    open_task(page, "Contract award notice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contract award notice (UK6)")
    assert_accessible(page)
    page.get_by_label("Notice identifier").fill("2026/S 000-123456")
    fill_date(page, "published_on", today)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Record the notice").click()
    expect(page.get_by_text("The contract award notice is recorded")).to_be_visible()
    assert_accessible(page)

    # Enter into the contract; its public page is in the register.
    page.get_by_role("link", name="Enter into the contract").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter into the contract")
    assert_accessible(page)
    fill_date(page, "entered_into_on", today)
    page.get_by_role("button", name="Enter into the contract").click()
    expect(page.get_by_text("is entered into and in the contracts register")).to_be_visible()
    contract = Contract.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(contract.title)
    assert_accessible(page)
    page.get_by_role(
        "link", name="See the contract's public page in the contracts register"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/contracts/{contract.reference}/")
    summary = page.locator("#contract-summary")
    expect(summary).to_contain_text("Wigan Council")
    expect(summary).to_contain_text("Cloudworks Ltd")
    expect(summary).to_contain_text(lot.framework.title)
    assert_accessible(page)
    page.goto(f"{live_server.url}/contracts/")
    expect(page.locator("main")).to_contain_text(contract.reference)
    assert_accessible(page)
