"""Issue 11's journey on the demo data, as the demo procurement officer, with and without
JavaScript: from the buyer home's search box to words that find nothing and words that find
offerings, a filter and its counts, the frameworks-and-lots tab, a comparison, an offering, back
to the search, saving it and running it again from the saved-search list.

Every page on the way passes axe (where JavaScript runs) and reflows at 320 CSS px. Set
E2E_SHOTS to a folder to keep a screenshot of each step, wide and narrow, to look at.
"""

import os
import re
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.core.management import call_command

import pytest
from playwright.sync_api import expect

from demo import organisations as demo
from search.models import SearchDocument
from tests.e2e.test_walk_per_role import NARROWEST, OVERFLOWING, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OFFICER = "Buyer: Procurement officer"
WIDE = {"width": 1280, "height": 900}
NOTHING = "zebra"
WORDS = "accessibility"
SAVED_NAME = "Accessibility from SMEs"
COUNT = re.compile(r"\((\d[\d,]*)\)\s*$")


@pytest.fixture
def officer():
    call_command("seed_demo", buyers=2, suppliers=6, offerings=40, stdout=StringIO())
    # seed_demo ends with an index build: search finds the demo offerings straight away.
    assert SearchDocument.objects.exists()
    return next(account for account in demo.sign_ins() if account.role == OFFICER)


class Checks:
    """axe (when the page runs scripts) and reflow at 320 CSS px on each page it is shown;
    problems are collected so that one run names all of them."""

    def __init__(self, page, axe, run: str):
        self.page = page
        self.axe = axe
        self.run = run
        self.problems: list[str] = []
        self.shots = Path(os.environ["E2E_SHOTS"]) if os.environ.get("E2E_SHOTS") else None
        self.taken = 0

    def __call__(self, where: str) -> None:
        page = self.page
        label = f"[{self.run}] {where} ({page.url})"
        if self.axe is not None:
            for violation in self.axe.run(page).response["violations"]:
                targets = ", ".join(str(node["target"][0]) for node in violation["nodes"][:3])
                self.problems.append(f"{label}: axe {violation['id']} at {targets}")
        self.shot(where)
        page.set_viewport_size({"width": NARROWEST, "height": 800})
        try:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROWEST:
                culprits = "; ".join(page.evaluate(OVERFLOWING, NARROWEST))
                self.problems.append(f"{label}: {width} px wide at {NARROWEST} px: {culprits}")
            self.shot(f"{where}-{NARROWEST}")
        finally:
            page.set_viewport_size(WIDE)

    def shot(self, where: str) -> None:
        if self.shots is None:
            return
        self.taken += 1
        name = re.sub(r"[^a-z0-9-]+", "-", where.lower())
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=self.shots / f"{self.run}-{self.taken:02d}-{name}.png", full_page=True
        )


def summary(page) -> str:
    return page.locator("#results-summary").inner_text()


def result_titles(page) -> list[str]:
    return page.locator(".app-search-result h3").all_inner_texts()


def counts(page, legend: str) -> dict[str, int]:
    """{option label: count} of one filter group, as its labels show them."""
    found = {}
    group = page.get_by_role("group", name=legend, exact=True)
    for label in group.locator("label").all_inner_texts():
        match = COUNT.search(label)
        if match:
            found[label[: match.start()].strip()] = int(match.group(1).replace(",", ""))
    return found


def journey(page, live_server, account, check: Checks) -> None:
    # The saved-search list, reached from the buyer home: the demo's buying projects have
    # saved searches of their own already.
    landing = sign_in(page, live_server, account)
    assert landing == f"{live_server.url}/buy/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Frameworks you can use")
    page.get_by_role("link", name="Your organisation's saved searches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved searches")
    saved_before = page.locator("#saved-searches > li").count()
    assert SAVED_NAME not in page.locator("main").inner_text()
    check("saved searches, before saving")

    # Back to the buyer home, and its search box: a word that finds nothing first.
    page.get_by_role("link", name="Frameworks you can use").first.click()
    home_box = page.get_by_role("search", name="Search offerings on frameworks you can use")
    home_box.get_by_role("searchbox").fill(NOTHING)
    home_box.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{live_server.url}/search/?q={NOTHING}")
    expect(page.locator("#results-summary")).to_have_text(f"No offerings for ‘{NOTHING}’")
    expect(page.get_by_text("No offerings match your search.")).to_be_visible()
    check("search without results")

    # Words that find offerings, typed in the search page's own box.
    page.get_by_role("searchbox", name="Search offerings", exact=True).fill(WORDS)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#results-summary")).to_have_text(f"4 offerings for ‘{WORDS}’")
    expect(page.locator(".app-search-result")).to_have_count(4)
    expect(page.locator(".app-search-result mark").first).to_be_visible()
    before = counts(page, "Region served")
    assert before["North East (England)"] == 4
    check("search with results")

    # The frameworks-and-lots tab keeps the words and finds the lot that buys them.
    page.get_by_role("link", name="Frameworks and lots").click()
    expect(page).to_have_url(f"{live_server.url}/search/?q={WORDS}&tab=frameworks")
    expect(page.get_by_role("link", name="Lot 4: Digital accessibility")).to_be_visible()
    check("frameworks and lots tab")
    page.get_by_role("link", name="Offerings", exact=True).click()
    expect(page.locator("#results-summary")).to_have_text(f"4 offerings for ‘{WORDS}’")

    # A filter: the sentence, the results and every other filter's counts follow it.
    supplier_types = counts(page, "Supplier type")
    page.get_by_role("group", name="Supplier type").get_by_label("SME").check()
    page.get_by_role("button", name="Apply filters").first.click()
    expect(page.locator("#results-summary")).to_have_text(f"2 offerings for ‘{WORDS}’, from SMEs")
    expect(page.locator(".app-search-result")).to_have_count(2)
    expect(page.get_by_role("link", name="Remove filter Supplier type: SME")).to_be_visible()
    after = counts(page, "Region served")
    assert after != before
    assert after["North East (England)"] == 2
    assert all(count <= 2 for count in after.values()), after
    # A filter's own counts do not change when one of its values is chosen.
    assert counts(page, "Supplier type") == supplier_types
    assert counts(page, "Framework") == {"ICT and Digital Services": 2}
    filtered_url = page.url
    filtered_summary = summary(page)
    filtered_titles = result_titles(page)
    check("search filtered")

    # Compare the two.
    first, second = filtered_titles
    page.get_by_role("checkbox", name=f"Compare {first}").check()
    page.get_by_role("checkbox", name=f"Compare {second}").check()
    page.get_by_role("button", name="Compare selected (up to 10)").click()
    expect(page.get_by_role("heading", name="Compare offerings", level=1)).to_be_visible()
    table = page.locator("#comparison")
    expect(table.get_by_role("columnheader")).to_have_text([first, second])
    expect(table.get_by_role("rowheader", name="Comparable price (excluding VAT)")).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^SME or VCSE"))).to_contain_text("SME")
    check("compare")

    # Open one of them from the comparison.
    table.get_by_role("link", name=second).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second)
    check("offering")

    # The offering page links back to the comparison, and the comparison to the search.
    page.get_by_role("link", name="Back to the comparison").click()
    expect(page.get_by_role("heading", name="Compare offerings", level=1)).to_be_visible()
    page.get_by_role("link", name="Back to your search").first.click()
    expect(page.locator("#results-summary")).to_have_text(filtered_summary)
    assert result_titles(page) == filtered_titles
    search_url = page.url

    # Save it with a name.
    page.get_by_role("link", name="Save this search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save this search")
    expect(page.locator("#search-description")).to_contain_text(f"Words: “{WORDS}”.")
    expect(page.locator("#search-description")).to_contain_text("SME")
    expect(page.get_by_label("Name")).to_have_value(WORDS)
    check("save this search")
    page.get_by_label("Name").fill(SAVED_NAME)
    page.get_by_role("button", name="Save search").click()

    # Back on the search, which says it is saved.
    expect(page.get_by_text(f"“{SAVED_NAME}” is saved")).to_be_visible()
    expect(page.locator("#results-summary")).to_have_text(filtered_summary)
    assert same_search(page.url, search_url), (page.url, search_url)
    check("search saved")

    # It is on the list, a place of the buyer's own in the service navigation.
    page.get_by_role("link", name="Saved searches", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved searches")
    expect(page.locator("#saved-searches > li")).to_have_count(saved_before + 1)
    saved = page.locator("#saved-searches > li", has_text=SAVED_NAME)
    expect(saved).to_have_count(1)
    expect(saved).to_contain_text(SAVED_NAME)
    expect(saved).to_contain_text(f"Words: “{WORDS}”.")
    expect(saved).to_contain_text("Nothing new since you saved it")
    check("saved searches, one saved")

    # Run it again: the same search, the same results in the same order.
    page.get_by_role("link", name=f"Run again {SAVED_NAME}").click()
    expect(page.locator("#results-summary")).to_have_text(filtered_summary)
    assert result_titles(page) == filtered_titles
    assert same_search(page.url, search_url), (page.url, search_url, filtered_url)
    expect(page.get_by_role("group", name="Supplier type").get_by_label("SME")).to_be_checked()
    expect(page.get_by_role("searchbox", name="Search offerings", exact=True)).to_have_value(WORDS)


def same_search(url: str, other: str) -> bool:
    """The same parameters with the same values, in any order."""

    def pairs(address):
        parts = urlsplit(address)
        return parts.path, sorted(parse_qsl(parts.query))

    return pairs(url) == pairs(other)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_search_filter_compare_open_save_and_rerun(browser, live_server, axe, officer, javascript):
    run = "javascript" if javascript else "no-javascript"
    context = browser.new_context(viewport=WIDE, java_script_enabled=javascript)
    try:
        page = context.new_page()
        check = Checks(page, axe if javascript else None, run)
        journey(page, live_server, officer, check)
    finally:
        context.close()
    assert not check.problems, f"{len(check.problems)} problems:\n" + "\n".join(check.problems)


def test_frameworks_tab_marks_frameworks_not_started_with_their_start(page, live_server, officer):
    """By default the tab shows frameworks the buyer may use: those live today (the buyer
    home's) unmarked, and coming ones (a buyer may plan for them) marked with their start."""
    sign_in(page, live_server, officer)
    usable = page.locator("#frameworks-heading ~ section h4").all_inner_texts()
    assert "ICT and Digital Services" in usable

    page.goto(f"{live_server.url}/search/?q={WORDS}&tab=frameworks")
    expect(page.locator("#results-summary")).to_contain_text(f"for ‘{WORDS}’")
    sections = page.locator("section.app-search-result")
    shown = sections.locator("h3").all_inner_texts()
    assert "ICT and Digital Services" in shown
    for index, title in enumerate(shown):
        tags = sections.nth(index).locator(".govuk-tag").all_inner_texts()
        if title in usable:
            assert tags == [], (title, tags)
        else:
            assert len(tags) == 1, (title, tags)
            assert re.fullmatch(r"Starts on \d{1,2} [A-Z][a-z]+ \d{4}", tags[0]), (title, tags)


def test_compare_shows_a_day_rate_as_money(page, live_server, officer):
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/search/?q={WORDS}")
    boxes = page.get_by_role("checkbox", name=re.compile("^Compare "))
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Compare selected (up to 10)").click()

    row = page.locator("#comparison").get_by_role("row", name=re.compile("^Audit day rate"))
    cells = row.get_by_role("cell").all_inner_texts()
    assert len(cells) == 2
    unreadable = [cell for cell in cells if not re.fullmatch(r"£[\d,]+(\.\d\d)? per day", cell)]
    assert not unreadable, f"day rates read {unreadable}"
