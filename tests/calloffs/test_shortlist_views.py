"""The search-and-shortlist pages under /buying/projects/<pk>/shortlist/: choosing and freezing a
saved search, the downloads, keeping or rejecting items and choosing the winner."""

# The fixtures are imported from shortlist_setup, and tests take them by name.
# ruff: noqa: F811

import csv
import io
import re
import zipfile
from datetime import UTC, datetime
from html import unescape

import pytest
import tablib

from marketplace.calloffs.models import Shortlist, ShortlistItem
from marketplace.calloffs.services import shortlists as services
from tests import factories
from tests.helpers import queries_to_get

from .shortlist_setup import MECHANISM, Shortlisting, frozen, project, shortlisting  # noqa: F401

pytestmark = pytest.mark.django_db

KEPT = ShortlistItem.Decision.KEPT
REJECTED = ShortlistItem.Decision.REJECTED


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def words(response) -> str:
    """The page's text without its tags."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def page(project) -> str:
    return f"/buying/projects/{project.pk}/shortlist/"


@pytest.fixture
def officer_client(client, procurement_officer):
    client.force_login(procurement_officer)
    return client


def test_the_page_offers_the_organisations_saved_searches_on_the_lot_only(
    officer_client, shortlisting, project, procurement_officer, buyer, outsider, other_buyer
):
    from marketplace.calloffs.services.saved_searches import create_saved_search

    shortlisting.search(procurement_officer, buyer, "q=cloud", name="Cloud on the lot")
    create_saved_search(
        actor=procurement_officer, organisation=buyer, name="Any lot", query_string="q=cloud"
    )
    shortlisting.search(outsider, other_buyer, "q=cloud", name="Theirs")

    response = officer_client.get(page(project))

    assert response.status_code == 200
    labels = re.findall(r'class="govuk-label govuk-radios__label"[^>]*>([^<]+)<', text(response))
    assert labels == ["Cloud on the lot"]
    assert "makes a direct award by search and shortlist" in text(response)
    assert f'href="/buying/projects/{project.pk}/"' in response.content.decode()


def test_with_no_saved_search_on_the_lot_the_page_says_how_to_save_one(
    officer_client, shortlisting, project, buyer
):
    response = officer_client.get(page(project))

    assert f"{buyer.name} has no saved searches on Lot 1: Hosting." in text(response)
    assert f'href="/search/?lot={shortlisting.lot.pk}"' in response.content.decode()


def test_a_chosen_search_shows_its_count_against_the_limit_and_can_be_frozen(
    officer_client, shortlisting, project, procurement_officer, buyer
):
    shortlisting.offer("Cloud hosting")
    shortlisting.offer("Cloud backup")
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud")

    response = officer_client.get(page(project), {"search": saved.pk})

    assert "It has 2 results now. The lot's shortlist limit is 3 ." in words(response)
    assert "End the search and freeze the shortlist" in text(response)
    assert (
        f'href="/search/?{saved.query_string}"'.replace("&", "&amp;") in response.content.decode()
    )

    response = officer_client.post(f"{page(project)}freeze/", {"search": saved.pk}, follow=True)

    assert response.redirect_chain == [(page(project), 302)]
    assert "The search is ended and its results are frozen as the shortlist" in text(response)
    assert "2 items, in the order the search gave them" in text(response)
    assert Shortlist.objects.get().items.count() == 2


def test_a_search_over_the_limit_is_sent_back_to_be_refined(
    officer_client, shortlisting, project, procurement_officer, buyer
):
    for title in ("Cloud a", "Cloud b", "Cloud c", "Cloud d"):
        shortlisting.offer(title)
    saved = shortlisting.search(procurement_officer, buyer, "q=cloud")

    response = officer_client.get(page(project), {"search": saved.pk})

    assert "It has 4 results now. The lot's shortlist limit is 3 ." in words(response)
    assert "That is more than the limit: refine the search" in text(response)
    assert "End the search and freeze the shortlist" not in text(response)

    response = officer_client.post(f"{page(project)}freeze/", {"search": saved.pk})

    assert response.status_code == 400
    assert (
        "This search has 4 results; the lot's shortlist limit is 3. "
        "Refine the search and save it again"
    ) in text(response)
    assert not Shortlist.objects.exists()


def test_another_organisations_project_is_not_found_at_every_shortlist_url(
    client, outsider, shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    client.force_login(outsider)
    base = page(project)

    for url in (base, f"{base}shortlist.csv", f"{base}shortlist.ods", f"{base}choose/"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"{base}items/{item.pk}/").status_code == 404
    assert client.post(f"{base}items/{item.pk}/", {"decision": "kept"}).status_code == 404
    assert client.post(f"{base}freeze/", {"search": "1"}).status_code == 404
    assert client.post(f"{base}choose/", {"item": item.pk, "reason": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.decision == "undecided"


def test_an_unknown_download_format_is_not_found(officer_client, shortlisting, project):
    frozen(shortlisting, project, project.created_by)

    assert officer_client.get(f"{page(project)}shortlist.xlsx").status_code == 404


def test_an_item_of_another_projects_shortlist_is_not_found(
    officer_client, shortlisting, project, procurement_officer, buyer
):
    frozen(shortlisting, project, procurement_officer)
    other = shortlisting.project(buyer=buyer, officer=procurement_officer)

    item = Shortlist.objects.get(project=project).items.first()
    assert officer_client.get(f"{page(other)}items/{item.pk}/").status_code == 404


# --- The downloads ---------------------------------------------------------------------------


@pytest.fixture
def decided_shortlist(shortlisting, project, procurement_officer):
    shortlist = frozen(shortlisting, project, procurement_officer)
    Shortlist.objects.filter(pk=shortlist.pk).update(
        frozen_at=datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    )
    first, second = shortlist.items.all()
    services.decide_item(actor=procurement_officer, item=first, decision=KEPT, reason="Fits.")
    services.decide_item(
        actor=procurement_officer, item=second, decision=REJECTED, reason="=HYPERLINK(1)"
    )
    shortlist.refresh_from_db()
    return shortlist


def expected_rows(shortlist) -> list[list[str]]:
    framework = shortlist.project.lot.framework
    first, second = shortlist.items.all()
    blank = [""] * 8
    return [
        ["Framework", f"{framework.title} ({framework.reference})", *blank],
        ["Lot", "Lot 1: Hosting", *blank],
        ["Project", f"{shortlist.project.reference}: Cloud hosting for the archive", *blank],
        ["Frozen", "1 July 2026 at 10:30 (London time)", *blank],
        ["Search", f"2 offerings for ‘cloud’ on Lot 1 of {framework.title}", *blank],
        ["Items", "2", *blank],
        [""] * 10,
        [
            "Position",
            "Offering reference",
            "Title",
            "Supplier",
            "Price (£)",
            "Price unit",
            "VAT",
            "Comparable price (£, excluding VAT)",
            "Decision",
            "Reason",
        ],
        [
            "1",
            first.offering_reference,
            first.title,
            "Cloudworks Ltd",
            "100.00",
            "per day",
            "Excluding VAT (VAT added at 20%)",
            "100.00",
            "Kept",
            "Fits.",
        ],
        [
            "2",
            second.offering_reference,
            second.title,
            "Cloudworks Ltd",
            "100.00",
            "per day",
            "Excluding VAT (VAT added at 20%)",
            "100.00",
            "Rejected",
            "'=HYPERLINK(1)",
        ],
    ]


def test_the_csv_download_has_the_header_block_then_every_item(
    officer_client, project, decided_shortlist
):
    response = officer_client.get(f"{page(project)}shortlist.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="shortlist-{project.reference}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == expected_rows(decided_shortlist)


def test_the_ods_download_is_a_valid_spreadsheet_with_the_same_contents(
    officer_client, project, decided_shortlist
):
    response = officer_client.get(f"{page(project)}shortlist.ods")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist()[0] == "mimetype"
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    sheet = tablib.Dataset().load(response.content, format="ods", headers=False)

    def as_text(value):
        return f"{value:g}" if isinstance(value, float) else value

    rows = [[as_text(value) for value in row] for row in sheet]
    expected = expected_rows(decided_shortlist)
    for row in expected[-2:]:
        row[4] = row[7] = "100"  # a number cell: 100.00 reads back as the float 100.0
    assert rows == expected


# --- Keeping, rejecting and choosing ---------------------------------------------------------


def test_rejecting_without_a_reason_shows_the_error_and_saves_nothing(
    officer_client, shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()

    response = officer_client.post(
        f"{page(project)}items/{item.pk}/", {"decision": "rejected", "reason": " "}
    )

    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert 'href="#id_reason">Give a reason for rejecting this item' in text(response)
    item.refresh_from_db()
    assert item.decision == "undecided"


def test_keeping_an_item_from_its_page_returns_to_the_list(
    officer_client, shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    listing = officer_client.get(page(project))
    assert f'href="{page(project)}items/{item.pk}/"' in listing.content.decode()

    response = officer_client.post(
        f"{page(project)}items/{item.pk}/", {"decision": "kept", "reason": ""}, follow=True
    )

    assert response.redirect_chain == [(page(project), 302)]
    assert f"“{item.title}” is kept" in text(response)
    assert 'href="' + page(project) + 'choose/"' in response.content.decode()


def test_the_choice_page_shows_the_mechanism_and_says_it_is_not_a_section_41_award(
    officer_client, shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    services.decide_item(actor=procurement_officer, item=item, decision=KEPT, reason="")

    response = officer_client.get(f"{page(project)}choose/")

    assert response.status_code == 200
    assert MECHANISM in text(response)
    assert "It is not a direct award under section 41, so no transparency notice applies." in text(
        response
    )

    response = officer_client.post(
        f"{page(project)}choose/", {"item": item.pk, "reason": "Cheapest kept."}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/buying/projects/{project.pk}/"
    project.refresh_from_db()
    assert (project.selected_shortlist_item, project.selection_reason) == (item, "Cheapest kept.")


def test_a_rejected_item_is_not_offered_as_the_winner(
    officer_client, shortlisting, project, procurement_officer
):
    kept, rejected = frozen(shortlisting, project, procurement_officer).items.all()
    services.decide_item(actor=procurement_officer, item=kept, decision=KEPT, reason="")
    services.decide_item(actor=procurement_officer, item=rejected, decision=REJECTED, reason="No.")

    response = officer_client.post(
        f"{page(project)}choose/", {"item": rejected.pk, "reason": "Because."}
    )

    assert response.status_code == 400
    assert 'href="#id_item">Choose one of the kept items' in text(response)
    project.refresh_from_db()
    assert project.selected_shortlist_item is None


def test_a_supplier_suspended_after_the_freeze_is_marked_and_refused_with_the_reason(
    officer_client, shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    services.decide_item(actor=procurement_officer, item=item, decision=KEPT, reason="")
    appointment = shortlisting.lot.appointments.get(supplier=item.supplier)
    appointment.status = "suspended"
    appointment.reason = "Insurance lapsed"
    appointment.save()
    reason = "Cloudworks Ltd's appointment to this lot is suspended: Insurance lapsed"

    listing = officer_client.get(page(project))
    assert f"Cannot be chosen today {reason}" in words(listing)

    response = officer_client.post(
        f"{page(project)}choose/", {"item": item.pk, "reason": "Cheapest kept."}
    )

    assert response.status_code == 400
    assert f"There is a problem {reason}" in words(response)
    project.refresh_from_db()
    assert project.selected_supplier is None


def test_the_shortlist_page_makes_as_many_queries_for_30_items_as_for_3(
    client, reference_backend, buyer, procurement_officer
):
    def frozen_project(count):
        shortlisting = Shortlisting(limit=30, supplier_name=f"Supplier of {count}")
        project = shortlisting.project(buyer=buyer, officer=procurement_officer)
        for number in range(count):
            supplier = factories.OrganisationFactory(kind="supplier")
            shortlisting.offer(f"Cloud {number}", supplier=supplier)
        saved = shortlisting.search(procurement_officer, buyer, "q=cloud", name=f"{count}")
        services.freeze_shortlist(actor=procurement_officer, project=project, saved_search=saved)
        return project

    small, large = frozen_project(3), frozen_project(30)
    client.force_login(procurement_officer)
    client.get(page(small))  # the site's navigation is cached on a first page

    assert queries_to_get(client, page(large)) == queries_to_get(client, page(small))
    assert queries_to_get(client, f"{page(large)}choose/") == queries_to_get(
        client, f"{page(small)}choose/"
    )


def test_a_colleague_off_the_project_team_sees_the_list_but_cannot_decide(
    client, colleague, shortlisting, project, procurement_officer
):
    item = frozen(shortlisting, project, procurement_officer).items.first()
    client.force_login(colleague)

    listing = client.get(page(project))
    assert listing.status_code == 200
    assert "Keep or reject" not in text(listing)
    assert "Only the project's team" in text(client.get(f"{page(project)}items/{item.pk}/"))

    response = client.post(f"{page(project)}items/{item.pk}/", {"decision": "kept"})

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.decision == "undecided"


def test_a_saved_search_on_another_lot_cannot_be_chosen_or_frozen(
    officer_client, shortlisting, project, procurement_officer, buyer
):
    from marketplace.calloffs.services.saved_searches import create_saved_search

    shortlisting.offer("Cloud hosting")
    any_lot = create_saved_search(
        actor=procurement_officer, organisation=buyer, name="Any lot", query_string="q=cloud"
    )

    assert officer_client.get(page(project), {"search": any_lot.pk}).status_code == 404
    assert officer_client.get(page(project), {"search": "x"}).status_code == 404
    assert officer_client.post(f"{page(project)}freeze/", {"search": any_lot.pk}).status_code == 404
    assert not Shortlist.objects.exists()
