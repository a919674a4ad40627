"""The sealed-bid canary on the service's own pages and downloads (issue 13).

A bid carries the canary (tests.competitions.test_canary) in its answer on quality, its
commitment under local jobs, and a document's name and content. Every page of the
competition and its project, the supplier's pages, the contracts register and its downloads,
the open data, the searches and the homes are fetched by each person who might reach them:
the buyer's procurement officer (on the project's team), an approver, a second approver who
declares a conflict, the bidder's editor, the other invited supplier's editor and a platform
superuser.

Before the deadline no page shows the canary to anyone. From the deadline the answer and the
document are shown only on the canary bid's evaluation page and its document download, to an
evaluator who declared no conflict. Once awarded, the commitment is the contract's KPI: it is
on the award form, the award notice and the contract's pages (its own purpose), never the
answer or the document.

The competition routes are read from the apps' urlpatterns, so a new page fails
test_every_competition_route_is_in_the_expected_table until it is added there.
"""

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from marketplace.calloffs import urls as calloff_urls
from marketplace.calloffs import urls_register, urls_supplier
from marketplace.calloffs.models import Award
from marketplace.calloffs.services.awards import make_award, record_award_notice, sign_off_award
from marketplace.calloffs.services.contracts import enter_into_contract
from marketplace.competitions import urls as buyer_urls
from marketplace.competitions import urls_supplier as supplier_urls
from marketplace.competitions.models import Competition
from marketplace.competitions.selectors.evaluation import kpi_suggestions
from marketplace.competitions.services.award import award_to_winner
from marketplace.competitions.services.bids import close_if_due, save_bid
from marketplace.competitions.services.clarifications import ask_clarification
from marketplace.competitions.services.evaluation import (
    declare_conflict,
    moderate_score,
    record_score,
)
from marketplace.opendata import urls as opendata_urls
from tests import factories
from tests.competitions.test_canary import (
    CANARY,
    assert_no_canary_in_pages,
    canary_in_pages,
    criteria,  # noqa: F401 (fixture)
    submit_canary_bid,
)

pytestmark = pytest.mark.django_db

# Where each part of the canary bid would show, told apart by the words around the canary.
FRAGMENTS = {
    "answer": f"marked {CANARY}",
    "commitment": f"4 apprenticeships ({CANARY})",
    "document name": f"{CANARY}-method.pdf",
    "document content": f"method statement {CANARY}",
}

PEOPLE = ("officer", "approver", "conflicted", "bidder", "other", "superuser")

# Every competition route, and what its owner gets: the buyer's procurement officer for the
# buyer's pages, the bidder's editor for the supplier's. Before the deadline, once the bids
# are open (closed, with declarations made), and once awarded.
BUYER_ROUTES = {
    # name: (before, opened, awarded)
    "summary": (200, 200, 200),
    "start": (302, 302, 302),  # the competition exists: to its summary
    "brief": (403, 403, 403),  # read-only once the brief is sent
    "invite": (200, 200, 200),  # once sent, who was invited and why not the others
    "questions": (200, 200, 200),
    "answer": (200, 200, 200),  # the question; answering closes with the deadline
    "evaluate": (200, 200, 200),
    "evaluate-bid": (403, 200, 200),  # sealed before the deadline
    "evaluate-document": (403, 200, 200),
    "moderate": (403, 200, 200),
    "ranking": (403, 403, 200),  # ranked once every cell is moderated
}
SUPPLIER_ROUTES = {
    "competition-list": (200, 200, 200),
    "competition": (200, 200, 200),
    "bid": (200, 200, 200),
    "outcome": (404, 404, 200),
    "bid-document-add": (405, 405, 405),  # POST only
    "bid-document-remove": (405, 405, 405),
}
STAGES = ("before", "opened", "awarded")


# People and their clients ------------------------------------------------------------------------


@pytest.fixture
def conflicted(buyer):
    """A second approver of the buyer, who declares a conflict of interest."""
    return factories.MembershipFactory(organisation=buyer, role="approver").user


@pytest.fixture
def people(procurement_officer, approver, conflicted, invited, verified_client):
    """Each person's own signed-in client; the superuser's (the test's `client`) with its
    second factor."""
    users = {
        "officer": procurement_officer,
        "approver": approver,
        "conflicted": conflicted,
        "bidder": invited[0][1],
        "other": invited[1][1],
    }
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    clients["superuser"] = verified_client(factories.platform_admin())
    # Signed in past the second factor: the superuser's sweep is not of sign-in pages.
    assert clients["superuser"].get("/admin/").status_code == 200
    return clients


@pytest.fixture
def canary_bid(opened, invited, criteria):  # noqa: F811 (fixture)
    """The canary bid, a plain bid from the other supplier, and a question it asked."""
    bid, document = submit_canary_bid(opened, invited[0], criteria)
    other_supplier, other_editor = invited[1]
    other_bid = save_bid(
        actor=other_editor,
        competition=opened,
        supplier=other_supplier,
        price=Decimal("16000.00"),
        answers={criterion.pk: "A plain answer." for criterion in criteria.values()},
        commitments={criteria["Local jobs"].pk: "2 apprenticeships"},
    )
    clarification = ask_clarification(
        actor=other_editor,
        competition=opened,
        supplier=other_supplier,
        question="May we visit the parks before we bid?",
    )
    return bid, document, other_bid, clarification


# The pages ---------------------------------------------------------------------------------------


def _url(namespace, pattern, values, *, prefix=()) -> str:
    """The pattern's URL, its arguments (and those of the prefix it is included under)
    taken from `values`."""
    return reverse(
        f"{namespace}:{pattern.name}",
        kwargs={name: values[name] for name in (*prefix, *pattern.pattern.converters)},
    )


def competition_urls(competition, bid, document, clarification) -> dict[str, str]:
    """Every competition route, buyer's and supplier's, by name, its arguments filled in
    from the objects."""
    buyer_values = {
        "pk": competition.project.pk,
        "bid_pk": bid.pk,
        "document_pk": document.pk,
        "clarification_pk": clarification.pk,
    }
    supplier_values = {"pk": competition.pk, "document_pk": document.pk}
    urls = {
        f"buyer_competition:{pattern.name}": _url(
            "buyer_competition", pattern, buyer_values, prefix=("pk",)
        )
        for pattern in buyer_urls.urlpatterns
    }
    urls |= {
        f"supplier_competitions:{pattern.name}": _url(
            "supplier_competitions", pattern, supplier_values
        )
        for pattern in supplier_urls.urlpatterns
    }
    return urls


def project_urls(project, contract=None) -> list[str]:
    """The buyer's call-off pages of the project (task list, award, notice, contract…) and
    the buyer's lists; with a contract, its pages too. Routes of other objects (a saved
    search, a shortlist's item) are left out: the project has none."""
    values = {"pk": project.pk, "fmt": "csv"}
    if contract is not None:
        values["reference"] = contract.reference
    urls = []
    for pattern in calloff_urls.urlpatterns:
        route = str(pattern.pattern)
        names = set(pattern.pattern.converters)
        if names and not route.startswith(("projects/<int:pk>/", "contracts/<str:reference>/")):
            continue
        if names <= set(values) and "item_pk" not in names:
            urls.append(_url("calloffs", pattern, values))
    return urls


def public_urls(lot, bidder_supplier, contract=None) -> list[str]:
    """The contracts register and its downloads, the open data, the framework's OCDS, the
    searches (for words beside the canary), the homes and the suppliers' own lists."""
    urls = [_url("opendata", pattern, {}) for pattern in opendata_urls.urlpatterns]
    values = {} if contract is None else {"reference": contract.reference}
    urls += [
        _url("contracts", pattern, values)
        for pattern in urls_register.urlpatterns
        if set(pattern.pattern.converters) <= set(values)
    ]
    urls += [  # a supplier's offers and contracts (an offer's own page is of no bid)
        _url("supplier_calloffs", pattern, {})
        for pattern in urls_supplier.urlpatterns
        if not pattern.pattern.converters
    ]
    slug = lot.framework.slug
    urls += [
        reverse("frameworks:ocds", args=[slug]),
        reverse("frameworks:ocds-record", args=[slug]),
        lot.framework.url,
        reverse("frameworks:buyer-home"),
        reverse("suppliers:dashboard"),
        reverse("suppliers:supplier", args=[bidder_supplier.slug]),
        reverse("accounts:dashboard"),
        reverse("search:search") + "?q=marked",
        reverse("search:search") + "?q=apprenticeships",
        reverse("search:search") + "?q=method",
        "/",
    ]
    return urls


def sightings(client, urls) -> dict[str, list[str]]:
    """Which parts of the canary bid each page shows (in its body or headers), for the pages
    that show any; "elsewhere" for a canary in words no part of the bid has. (A page that
    fails raises here: the test client re-raises a view's exception.)"""
    found = {}
    for url in urls:
        if not canary_in_pages(client, [url]):
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace") + "\n" + str(response.headers)
        parts = sorted(part for part, words in FRAGMENTS.items() if words in text)
        found[url] = parts or ["elsewhere"]
    return found


def expected_statuses(stage: str) -> dict[str, int]:
    index = STAGES.index(stage)
    return {
        **{f"buyer_competition:{name}": row[index] for name, row in BUYER_ROUTES.items()},
        **{f"supplier_competitions:{name}": row[index] for name, row in SUPPLIER_ROUTES.items()},
    }


def owners_statuses(clients, urls: dict[str, str]) -> dict[str, int]:
    """The buyer's routes as the officer gets them, the supplier's as the bidder does."""
    return {
        name: clients["officer" if name.startswith("buyer_") else "bidder"].get(url).status_code
        for name, url in urls.items()
    }


def every_url(competition, bid, document, clarification, contract=None) -> list[str]:
    project = competition.project
    return [
        *competition_urls(competition, bid, document, clarification).values(),
        *project_urls(project, contract),
        *public_urls(project.lot, bid.supplier, contract),
    ]


# Moving the competition along --------------------------------------------------------------------


def open_bids(competition, officer, approver, conflicted) -> Competition:
    """The deadline passes (moved an hour into the past, as the clock would); the service
    closes the competition; the officer and approver declare no conflict, the other approver
    a conflict."""
    now = timezone.now()
    Competition.objects.filter(pk=competition.pk).update(
        clarification_deadline=now - timedelta(hours=2),
        submission_deadline=now - timedelta(hours=1),
    )
    competition.refresh_from_db()
    competition = close_if_due(competition)
    assert competition.status == Competition.Status.CLOSED
    for evaluator in (officer, approver):
        declare_conflict(actor=evaluator, competition=competition, has_conflict=False)
    declare_conflict(
        actor=conflicted,
        competition=competition,
        has_conflict=True,
        details="My sister runs one of the bidders.",
        action="Stood down from the evaluation.",
    )
    return competition


def evaluate_and_award(competition, bids, officer, approver) -> Competition:
    """Both evaluators mark every criterion; the officer moderates; the canary bid, marked
    higher, wins."""
    for bid, mark in zip(bids, (9, 5), strict=True):
        for criterion in competition.criteria.order_by("position"):
            for evaluator in (officer, approver):
                record_score(
                    actor=evaluator, bid=bid, criterion=criterion, mark=mark, reason="Read."
                )
            moderate_score(actor=officer, bid=bid, criterion=criterion, mark=mark, reason="Agreed.")
    competition.refresh_from_db()
    assert competition.status == Competition.Status.EVALUATED
    award_to_winner(actor=officer, competition=competition, reason="")
    competition.refresh_from_db()
    assert competition.project.selected_supplier == bids[0].supplier
    return competition


def enter_contract(competition, officer, approver):
    """The award, from the winner's commitments as KPIs, its notice and the contract."""
    project = competition.project
    project.refresh_from_db()
    kpis = kpi_suggestions(project)
    assert {"title": "Local jobs", "target": FRAGMENTS["commitment"]} in kpis
    today = timezone.localdate()
    award = make_award(
        actor=officer,
        project=project,
        description="Mowing at 12 parks.",
        value=Decimal("14250.75"),
        value_including_vat=Decimal("17100.90"),
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=394),
        kpis=kpis,
    )
    if award.status == Award.Status.AWAITING_SIGN_OFF:
        award = sign_off_award(actor=approver, award=award)
    record_award_notice(
        actor=officer,
        award=award,
        identifier="UK6-CANARY-PAGES",
        published_on=today,
        standstill_ends_on=None,
    )
    return enter_into_contract(actor=officer, project=project, entered_into_on=today)


# The tests ---------------------------------------------------------------------------------------


def test_every_competition_route_is_in_the_expected_table():
    names = {pattern.name for pattern in buyer_urls.urlpatterns}
    supplier_names = {pattern.name for pattern in supplier_urls.urlpatterns}

    assert names == set(BUYER_ROUTES)
    assert supplier_names == set(SUPPLIER_ROUTES)


def test_before_the_deadline_no_page_shows_the_canary_to_anyone(opened, canary_bid, people):
    bid, document, _other_bid, clarification = canary_bid
    clients = people
    routes = competition_urls(opened, bid, document, clarification)
    urls = every_url(opened, bid, document, clarification)

    # Every competition route is among the pages fetched, and answers its owner as expected:
    # the summary and the bid page are real pages, not blank refusals.
    assert set(routes.values()) <= set(urls)
    assert set(routes) == set(expected_statuses("before"))
    assert owners_statuses(clients, routes) == expected_statuses("before")
    # The other pages are real pages to those they are for, not refusals.
    project = opened.project
    real_pages = {
        reverse("calloffs:project", args=[project.pk]): "officer",
        reverse("calloffs:project-list"): "approver",
        reverse("frameworks:buyer-home"): "officer",
        reverse("suppliers:dashboard"): "bidder",
        reverse("supplier_calloffs:contract-list"): "bidder",
        reverse("contracts:list"): "other",
        reverse("contracts:csv"): "other",
        reverse("contracts:ocds-all"): "other",
        reverse("opendata:index"): "other",
        reverse("search:search") + "?q=marked": "other",
    }
    assert set(real_pages) <= set(urls)
    assert {
        url: clients[role].get(url).status_code for url, role in real_pages.items()
    } == dict.fromkeys(real_pages, 200)
    for role in PEOPLE:
        assert canary_in_pages(clients[role], urls) == [], role
    # Still sealed: fetching did not open anything.
    opened.refresh_from_db()
    assert opened.status == Competition.Status.OPEN


def test_from_the_deadline_only_a_declared_evaluator_sees_the_bid(
    opened, canary_bid, people, procurement_officer, approver, conflicted
):
    bid, document, other_bid, clarification = canary_bid
    clients = people
    competition = open_bids(opened, procurement_officer, approver, conflicted)
    routes = competition_urls(competition, bid, document, clarification)
    urls = every_url(competition, bid, document, clarification)
    other_bid_page = reverse(
        "buyer_competition:evaluate-bid", args=[competition.project.pk, other_bid.pk]
    )

    assert owners_statuses(clients, routes) == expected_statuses("opened")
    intended = {
        routes["buyer_competition:evaluate-bid"]: ["answer", "commitment"],
        routes["buyer_competition:evaluate-document"]: ["document content", "document name"],
    }
    for role in ("officer", "approver"):
        assert sightings(clients[role], [*urls, other_bid_page]) == intended, role
    # A declared conflict is refused the bid, its document, moderation and ranking alike.
    for name in ("evaluate-bid", "evaluate-document", "moderate", "ranking"):
        page = routes[f"buyer_competition:{name}"]
        assert clients["conflicted"].get(page).status_code == 403, name
    for role in ("conflicted", "bidder", "other", "superuser"):
        assert canary_in_pages(clients[role], [*urls, other_bid_page]) == [], role


def test_once_awarded_the_commitment_is_the_contracts_kpi_and_nothing_else_shows(
    opened, canary_bid, people, procurement_officer, approver, conflicted
):
    bid, document, other_bid, clarification = canary_bid
    clients = people
    competition = open_bids(opened, procurement_officer, approver, conflicted)
    competition = evaluate_and_award(competition, [bid, other_bid], procurement_officer, approver)
    routes = competition_urls(competition, bid, document, clarification)
    project = competition.project

    # The award form starts from the winner's commitments: the KPI is meant to be there.
    award_form = reverse("calloffs:award", args=[project.pk])
    assert owners_statuses(clients, routes) == expected_statuses("awarded")
    before_contract = every_url(competition, bid, document, clarification)
    evaluator_view = {
        routes["buyer_competition:evaluate-bid"]: ["answer", "commitment"],
        routes["buyer_competition:evaluate-document"]: ["document content", "document name"],
    }
    assert sightings(clients["officer"], before_contract) == {
        **evaluator_view,
        award_form: ["commitment"],
    }

    contract = enter_contract(competition, procurement_officer, approver)
    urls = every_url(competition, bid, document, clarification, contract)
    reference = contract.reference
    # The KPI is where a contract's KPIs are: the award, its notice (UK6 and its JSON) and the
    # buyer's contract pages, and the contract's public page; not its OCDS, the CSV or the
    # open data.
    buyer_kpi_pages = {
        award_form: ["commitment"],
        reverse("calloffs:award-notice", args=[project.pk]): ["commitment"],
        reverse("calloffs:award-notice-json", args=[project.pk]): ["commitment"],
        reverse("calloffs:contract-manage", args=[reference]): ["commitment"],
        reverse("calloffs:contract-details-notice", args=[reference]): ["commitment"],
        reverse("calloffs:contract-assess", args=[reference]): ["commitment"],
    }
    public_kpi_pages = {reverse("contracts:detail", args=[reference]): ["commitment"]}
    assert set(buyer_kpi_pages) | set(public_kpi_pages) <= set(urls)
    expected = {
        "officer": {**evaluator_view, **buyer_kpi_pages, **public_kpi_pages},
        "approver": {**evaluator_view, **buyer_kpi_pages, **public_kpi_pages},
        "conflicted": {**buyer_kpi_pages, **public_kpi_pages},
        # The suppliers and the superuser, the other supplier's outcome page included: the
        # public contract's KPI, never the answer or the document.
        "bidder": public_kpi_pages,
        "other": public_kpi_pages,
        "superuser": public_kpi_pages,
    }
    assert {role: sightings(clients[role], urls) for role in PEOPLE} == expected
    # The other supplier's outcome is a real page: its scores and the winner's, no bid.
    outcome = routes["supplier_competitions:outcome"]
    assert outcome in urls
    assert clients["other"].get(outcome).status_code == 200
    assert_no_canary_in_pages(clients["other"], [outcome])
