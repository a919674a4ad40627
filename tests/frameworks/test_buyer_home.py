"""The buyer home at /buy/: the live frameworks and lots a buyer's organisation may use."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from frameworks import services
from marketplace.organisations.models import Region
from tests import factories

BUY = "/buy/"
TODAY = timezone.localdate()
EXPIRED = {
    "applications_open_on": TODAY - timedelta(days=900),
    "applications_close_on": TODAY - timedelta(days=850),
    "award_on": TODAY - timedelta(days=800),
    "starts_on": TODAY - timedelta(days=780),
    "ends_on": TODAY - timedelta(days=10),
}
COMING = {
    "applications_open_on": TODAY + timedelta(days=10),
    "applications_close_on": TODAY + timedelta(days=40),
    "award_on": TODAY + timedelta(days=60),
    "starts_on": TODAY + timedelta(days=90),
    "ends_on": TODAY + timedelta(days=800),
}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def framework_titles(response) -> list[str]:
    return re.findall(
        r'<h4 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="[^"]+">'
        r"([^<]+)</a></h4>",
        response.content.decode(),
    )


def categories(response) -> list[str]:
    return re.findall(r'<h3 class="govuk-heading-m" id="category-\d+">([^<]+)</h3>', text(response))


@pytest.fixture
def manchester(db):
    return factories.authority_page(factories.OrganisationFactory(kind="authority"))


@pytest.fixture
def buyer_client(client, procurement_officer):
    client.force_login(procurement_officer)
    return client


def test_buyer_home_lists_only_live_frameworks_the_buyer_may_use(buyer_client, manchester, buyer):
    factories.framework_page(manchester, title="Any buyer")
    factories.framework_page(manchester, title="North West", eligible_regions=[Region.NORTH_WEST])
    factories.framework_page(manchester, title="London only", eligible_regions=[Region.LONDON])
    factories.framework_page(manchester, title="Suppliers only", eligible_kinds=["supplier"])
    factories.framework_page(
        manchester, title="Named", eligible_regions=[Region.LONDON], eligible_organisations=[buyer]
    )
    factories.framework_page(manchester, title="Expired", **EXPIRED)
    factories.framework_page(manchester, title="Coming", **COMING)
    factories.framework_page(manchester, title="Draft", live=False)

    response = buyer_client.get(BUY)

    assert response.status_code == 200
    assert framework_titles(response) == ["Any buyer", "Named", "North West"]
    assert "3 live frameworks open to" in text(response)


def test_buyer_home_groups_frameworks_by_their_main_cpv_division(buyer_client, manchester):
    factories.framework_page(manchester, title="Software", cpv_codes=("72200000-7",))
    factories.framework_page(
        manchester, title="Mostly IT", cpv_codes=("45000000-7", "72000000-5", "72200000-7")
    )
    factories.framework_page(manchester, title="Even", cpv_codes=("72000000-5", "45000000-7"))
    factories.framework_page(manchester, title="Uncoded")

    response = buyer_client.get(BUY)

    assert categories(response) == [
        "Construction work",
        "IT services: consulting, software development, Internet and support",
        "Other",
    ]
    # Each framework once: under the division most of its codes are in, the lowest on a tie.
    assert framework_titles(response) == ["Even", "Mostly IT", "Software", "Uncoded"]


def test_buyer_home_links_each_framework_and_its_lots(buyer_client, manchester):
    framework = factories.framework_page(manchester, title="Digital", lots=2)

    page = text(buyer_client.get(BUY))

    assert f'<a class="govuk-link" href="{framework.url}">Digital</a>' in page
    assert f'<a class="govuk-link" href="{framework.url}lots/1/">Lot 1: Lot 1 work</a>' in page
    assert f'<a class="govuk-link" href="{framework.url}lots/2/">Lot 2: Lot 2 work</a>' in page


def test_buyer_home_leaves_out_closed_lots(buyer_client, manchester):
    framework = factories.framework_page(manchester, title="Digital", lots=2)
    manager = factories.MembershipFactory(
        organisation=manchester.authority, role="framework_manager"
    ).user
    services.close_lot(
        actor=manager,
        organisation=manchester.authority,
        lot=framework.lots.get(number=2),
        reason="No longer needed.",
        ground="not_substantial",
    )

    page = text(buyer_client.get(BUY))

    assert "Lot 1: Lot 1 work" in page
    assert "Lot 2: Lot 2 work" not in page


def test_buyer_home_says_what_is_coming_soon(buyer_client, manchester):
    page = text(buyer_client.get(BUY))

    assert "Search across every offering, filter by price" in page
    assert "Direct award and further competition both work" in page
    assert 'id="no-frameworks"' in page


def test_anonymous_visitor_is_sent_to_sign_in_first(client):
    response = client.get(BUY)

    assert response.status_code == 302
    assert response.url == "/account/sign-in/?next=/buy/"


def test_supplier_is_pointed_to_the_supplier_dashboard(client, supplier_admin):
    client.force_login(supplier_admin)

    response = client.get(BUY)

    assert response.status_code == 200
    assert response.templates[0].name == "frameworks/not_a_buyer.html"
    assert 'href="/supplier/">go to your supplier dashboard</a>' in text(response)


def test_someone_without_an_organisation_gets_advice(client, db):
    client.force_login(factories.UserFactory())

    response = client.get(BUY)

    assert response.templates[0].name == "frameworks/not_a_buyer.html"
    assert "choose it on your account page" in text(response)


def test_member_of_several_organisations_acts_for_the_buyer_chosen(
    client, procurement_officer, supplier, manchester
):
    factories.MembershipFactory(user=procurement_officer, organisation=supplier)
    factories.framework_page(manchester, title="Any buyer")
    client.force_login(procurement_officer)

    assert client.get(BUY).templates[0].name == "frameworks/not_a_buyer.html"
    session = client.session
    session["acting_organisation_id"] = procurement_officer.memberships.get(
        organisation__kind="buyer"
    ).organisation_id
    session.save()
    assert framework_titles(client.get(BUY)) == ["Any buyer"]


def test_buyer_home_queries_do_not_grow_with_frameworks(
    buyer_client, manchester, django_assert_max_num_queries
):
    for _ in range(15):
        factories.framework_page(manchester, lots=3, cpv_codes=("72000000-5", "45000000-7"))

    buyer_client.get(BUY)  # the first request of a site creates its settings
    # 19: one of them finds the buyer's late contract details notices (calloffs).
    with django_assert_max_num_queries(19):
        response = buyer_client.get(BUY)

    assert len(framework_titles(response)) == 15


def test_buyer_home_search_hint_suggests_no_search_that_may_find_nothing(buyer_client, manchester):
    factories.framework_page(manchester, title="ICT and Digital Services")

    page = text(buyer_client.get(BUY))

    assert (
        '<div class="govuk-hint" id="buyer-search-hint">Describe what you need in a few words, '
        "or leave it empty to see every offering you can buy</div>"
    ) in page
    assert "grounds maintenance" not in page
    assert "case management" not in page
