"""A further competition in a real browser, by links, axe on every page: a procurement officer
starts a project from the buyer's home, chooses further competition, writes the brief and
invites the lot's suppliers; a supplier's editor finds the invitation from their home and asks a
question, which the officer answers; the editor reads the answer and bids, with a document.
Once the deadline has passed, the officer declares no conflict, scores both bids, agrees the
moderated scores with a second evaluator, sees the ranking, awards to the top bid and makes
the award with the winner's commitments as KPIs; the editor sees their outcome."""

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from marketplace.calloffs.models import Award, BuyingProject
from marketplace.competitions.models import Bid, Competition
from marketplace.competitions.services.bids import save_bid
from marketplace.competitions.services.evaluation import declare_conflict, record_score
from tests.competitions import factories as competition_factories
from tests.e2e.test_calloff_journey import fill_date, open_task, sign_in
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The lot's framework criteria (tests.competitions.factories): quality 60, local jobs 25 and
# net zero 15. The editor's bid, then the rival's: price, and the officer's marks in that order.
EDITOR_BID = ("48000.00", ("7", "6", "5"))
RIVAL_BID = ("45000.00", ("8", "8", "7"))


@pytest.fixture
def approver(council):
    return MembershipFactory(organisation=council, role="approver").user


@pytest.fixture
def lot():
    return competition_factories.competition_lot()


@pytest.fixture
def editor(lot):
    supplier = competition_factories.appointed_supplier(
        lot, supplier__legal_name="Greenway Grounds Ltd"
    )
    return MembershipFactory(organisation=supplier, role="editor").user


@pytest.fixture
def rival(lot):
    supplier = competition_factories.appointed_supplier(
        lot, supplier__legal_name="Parkside Services Ltd"
    )
    return MembershipFactory(organisation=supplier, role="editor").user


def in_form(page, hidden_name: str, value: str):
    """The form on the page holding the hidden input `hidden_name` = `value`."""
    return page.locator("form").filter(
        has=page.locator(f'input[type="hidden"][name="{hidden_name}"][value="{value}"]')
    )


def open_project_from_home(page, live_server) -> None:
    page.goto(f"{live_server.url}/buy/")
    page.get_by_role("link", name="Your organisation's buying projects").click()
    page.get_by_role("link", name="Grounds maintenance for the parks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grounds maintenance for the parks")


def test_a_further_competition_from_the_brief_to_the_suppliers_outcome(
    page,
    browser,
    live_server,
    axe,
    assert_accessible,
    council,
    officer,
    approver,
    lot,
    editor,
    rival,
):
    today = timezone.localdate()
    sign_in(page, live_server, officer)

    # Start a project from the buyer's home and choose further competition on the lot.
    page.goto(f"{live_server.url}/buy/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a buying project").first.click()
    page.get_by_label("Title").fill("Grounds maintenance for the parks")
    page.get_by_label("The need").fill("Mow and tend 12 parks fortnightly from April to October.")
    page.get_by_label("Estimated value, excluding VAT").fill("50000")
    page.get_by_label("Estimated term").fill("12")
    page.get_by_role("button", name="Start project").click()
    page.get_by_label(f"{lot}: further competition").check()
    assert_accessible(page)
    page.get_by_role("button", name="Choose this lot and route").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grounds maintenance for the parks")
    assert_accessible(page)
    assert BuyingProject.objects.get().route == "further_competition"

    # Start the competition and write the brief: 40:60, local jobs weighted up.
    open_task(page, "Write the brief")
    expect(page.get_by_role("heading", level=1)).to_have_text("Run a further competition")
    assert_accessible(page)
    page.get_by_role("button", name="Start the further competition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write the brief")
    assert_accessible(page)
    competition = Competition.objects.get()
    quality, local_jobs, net_zero = competition.criteria.order_by("position")
    page.get_by_label("Requirements").fill(
        "Mow and tend 12 parks fortnightly from April to October, and clear leaves in autumn."
    )
    page.get_by_label("Price weight").fill("40")
    page.locator(f'[name="criterion_{quality.pk}_weighting"]').fill("55")
    page.locator(f'[name="criterion_{local_jobs.pk}_weighting"]').fill("30")
    page.locator(f'[name="criterion_{net_zero.pk}_weighting"]').fill("25")
    fill_date(page, "clarification_date", today + timedelta(days=7))
    page.get_by_label("Time of the deadline for questions").fill("14:00")
    fill_date(page, "submission_date", today + timedelta(days=14))
    page.get_by_label("Time of the deadline for bids").fill("14:00")
    page.get_by_role("group", name="Will you hold a voluntary standstill").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Save the brief").click()
    # The weightings add up to 110: refused, nothing saved.
    expect(page.locator(".govuk-error-summary")).to_contain_text("must add up to 100%")
    assert_accessible(page)
    assert Competition.objects.get().submission_deadline is None
    page.locator(f'[name="criterion_{net_zero.pk}_weighting"]').fill("15")
    page.get_by_role("button", name="Save the brief").click()
    expect(page.get_by_text("The brief is saved.")).to_be_visible()
    assert_accessible(page)

    # Invite the lot's suppliers, which opens the competition.
    open_task(page, "Invite suppliers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite suppliers")
    # The invite page is another change's to mend: its axe problems are reported at the end.
    invite_page_problems = [v["id"] for v in axe.run(page).response["violations"]]
    page.get_by_role("button", name="Invite suppliers and open the competition").click()
    expect(page.get_by_text("2 suppliers are invited.")).to_be_visible()
    assert_accessible(page)

    # The supplier's editor finds the invitation from their home and asks a question.
    supplier_context = browser.new_context()
    supplier_page = supplier_context.new_page()
    try:
        sign_in(supplier_page, live_server, editor)
        supplier_home = supplier_page.url
        supplier_page.get_by_role("link", name="Further competitions").click()
        assert_accessible(supplier_page)
        supplier_page.get_by_role("link", name="Grounds maintenance for the parks").click()
        expect(supplier_page.locator("#no-clarifications")).to_be_visible()
        assert_accessible(supplier_page)
        supplier_page.get_by_label("Your question").fill("Are the bowling greens included?")
        supplier_page.get_by_role("button", name="Send your question").click()
        expect(supplier_page.locator("#own-questions")).to_contain_text("Waiting for an answer")
        assert_accessible(supplier_page)

        # The officer answers it, from the project's task list.
        open_project_from_home(page, live_server)
        open_task(page, "Answer suppliers' questions")
        assert_accessible(page)
        page.locator("#waiting").get_by_role("link", name="Answer").click()
        page.get_by_label("Your answer").fill("Yes: the two bowling greens, cut weekly in season.")
        assert_accessible(page)
        page.get_by_role("button", name="Publish the answer to every invited supplier").click()
        expect(page.locator("#published")).to_contain_text("bowling greens")
        assert_accessible(page)

        # The editor reads the answer, and bids with a document.
        supplier_page.reload()
        expect(supplier_page.locator("#published-clarifications")).to_contain_text(
            "cut weekly in season"
        )
        supplier_page.locator("#your-bid").get_by_role("link", name="Submit your bid").click()
        assert_accessible(supplier_page)
        price, _marks = EDITOR_BID
        supplier_page.get_by_label("Your price, in pounds, excluding VAT").fill(price)
        for criterion in (quality, local_jobs, net_zero):
            supplier_page.get_by_label(f"Your answer: {criterion.title}").fill(
                f"Our approach to {criterion.title.lower()}, with evidence from 3 councils."
            )
        supplier_page.get_by_label(f"Your commitment: {local_jobs.title}").fill(
            "3 apprenticeships for local residents"
        )
        supplier_page.get_by_role("button", name="Submit your bid").click()
        expect(supplier_page.locator("#receipt")).to_contain_text("it is sealed")
        assert_accessible(supplier_page)
        supplier_page.get_by_label("Add a document to your bid").set_input_files(
            files=[
                {
                    "name": "method-statement.pdf",
                    "mimeType": "application/pdf",
                    "buffer": b"%PDF-1.4\n% method statement\n%%EOF\n",
                }
            ]
        )
        supplier_page.get_by_role("button", name="Add the document").click()
        expect(supplier_page.locator("#documents")).to_contain_text("Document 1")
        assert_accessible(supplier_page)

        # The rival bids too; then the deadline passes (moved into the past here).
        rival_price, _rival_marks = RIVAL_BID
        save_bid(
            actor=rival,
            competition=competition,
            supplier=rival.memberships.get().organisation,
            price=rival_price,
            answers={c.pk: f"Rival answer on {c.title}." for c in (quality, local_jobs, net_zero)},
            commitments={local_jobs.pk: "5 apprenticeships", net_zero.pk: "Electric mowers"},
        )
        now = timezone.now()
        Competition.objects.filter(pk=competition.pk).update(
            clarification_deadline=now - timedelta(hours=2),
            submission_deadline=now - timedelta(hours=1),
        )

        # The officer declares no conflict, then scores each bid on each criterion.
        open_project_from_home(page, live_server)
        assert_accessible(page)
        open_task(page, "Evaluate bids")
        expect(page.get_by_role("heading", level=2, name="Declare any conflict")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("No, I have no conflict of interest").check()
        page.get_by_role("button", name="Record my declaration").click()
        expect(page.get_by_text("Your declaration is recorded.")).to_be_visible()
        assert_accessible(page)
        bids = {bid.supplier_id: bid for bid in Bid.objects.filter(competition=competition)}
        editor_bid = bids[editor.memberships.get().organisation_id]
        rival_bid = bids[rival.memberships.get().organisation_id]
        criteria = (quality, local_jobs, net_zero)
        for number, (_bid, (_price, marks)) in enumerate(
            ((editor_bid, EDITOR_BID), (rival_bid, RIVAL_BID)), start=1
        ):
            page.get_by_role("link", name=f"Bid {number}", exact=False).first.click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(f"Bid {number}")
            assert_accessible(page)
            for criterion, mark in zip(criteria, marks, strict=True):
                form = in_form(page, "criterion", str(criterion.pk))
                form.get_by_label(mark, exact=True).check()
                form.get_by_label("Reason for the mark").fill(f"Marked {mark}: see the answer.")
                form.get_by_role("button", name="Save my mark").click()
                expect(page.locator("main")).to_contain_text(f"Your mark for {criterion.title} (")
            assert_accessible(page)
            page.get_by_role("link", name="Back to the bids").click()
        expect(page.locator("#scored")).to_have_text("6 of 6")

        # A second evaluator, the approver, scores the same (through the services).
        declare_conflict(actor=approver, competition=competition, has_conflict=False)
        for bid, (_price, marks) in ((editor_bid, EDITOR_BID), (rival_bid, RIVAL_BID)):
            for criterion, mark in zip(criteria, marks, strict=True):
                record_score(
                    actor=approver, bid=bid, criterion=criterion, mark=mark, reason="Agree."
                )

        # The officer agrees the moderated scores, sees the ranking and awards.
        page.get_by_role("link", name="Agree the moderated scores").click()
        assert_accessible(page)
        agreed = 0
        for bid, (_price, marks) in ((editor_bid, EDITOR_BID), (rival_bid, RIVAL_BID)):
            for criterion, mark in zip(criteria, marks, strict=True):
                form = in_form(page, "cell", f"{bid.pk}-{criterion.pk}")
                form.get_by_label(mark, exact=True).check()
                form.get_by_label("Reason for the agreed mark").fill("Both evaluators agree.")
                form.get_by_role("button", name="Save the agreed mark").click()
                agreed += 1
                expect(
                    page.locator("main p").filter(has_text=re.compile(r"^Agreed: \d"))
                ).to_have_count(agreed)
        assert_accessible(page)
        page.get_by_role("link", name="Every score is agreed: see the ranking").click()
        ranking = page.locator("#ranking tbody tr")
        expect(ranking.first).to_contain_text("Parkside Services Ltd")
        expect(ranking.nth(1)).to_contain_text("Greenway Grounds Ltd")
        assert_accessible(page)
        page.get_by_role("button", name="Award to the highest-scoring bid").click()
        expect(
            page.get_by_text("The highest-scoring bid's supplier is selected. Award the contract.")
        ).to_be_visible()
        expect(page.locator("#summary")).to_contain_text("Parkside Services Ltd")
        assert_accessible(page)

        # The award starts from the winner's commitments as KPIs.
        open_task(page, "Award the contract")
        expect(page.locator('input[value="5 apprenticeships"]')).to_have_count(1)
        expect(page.locator('input[value="Electric mowers"]')).to_have_count(1)
        assert_accessible(page)
        page.get_by_label("Describe the contract").fill("Grounds maintenance of 12 parks.")
        page.get_by_label("Value excluding VAT").fill(rival_price)
        page.get_by_label("Value including VAT").fill(
            str((Decimal(rival_price) * Decimal("1.2")).quantize(Decimal("0.01")))
        )
        fill_date(page, "starts_on", today + timedelta(days=30))
        fill_date(page, "ends_on", today + timedelta(days=390))
        page.get_by_role("button", name="Award the contract").click()
        expect(page.get_by_text("The contract is awarded to Parkside Services Ltd")).to_be_visible()
        award = Award.objects.get()
        assert award.status == Award.Status.AWARDED
        assert sorted(award.kpis.values_list("title", "target")) == [
            (local_jobs.title, "5 apprenticeships"),
            (net_zero.title, "Electric mowers"),
        ]
        assert_accessible(page)

        # The editor sees their outcome: their scores beside the winning bid's.
        supplier_page.goto(supplier_home)
        supplier_page.get_by_role("link", name="Further competitions").click()
        supplier_page.get_by_role("link", name="Grounds maintenance for the parks").click()
        supplier_page.get_by_role("link", name="See the outcome and your scores").click()
        expect(supplier_page.locator("#result")).to_contain_text("ranked 2 of 2")
        expect(supplier_page.locator("main")).not_to_contain_text("Parkside")
        assert_accessible(supplier_page)
    finally:
        supplier_context.close()
    assert not invite_page_problems, invite_page_problems
