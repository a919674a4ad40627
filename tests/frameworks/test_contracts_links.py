"""A framework's page and its lots' pages link to the contracts register filtered to them, once
something has been called off; before that they say none has."""

import re

import pytest

from tests import factories
from tests.helpers import queries_to_get

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def register_references(response) -> list[str]:
    return [contract.reference for contract in response.context["page_obj"]]


@pytest.fixture
def framework(db):
    return factories.framework_page(
        lots=[{"number": 1, "title": "Grounds"}, {"number": 2, "title": "Parks"}]
    )


@pytest.fixture
def elsewhere(db):
    """A contract called off from another framework, which no link may lead to."""
    return factories.contract(lot=factories.framework_page().lots.get())


def test_the_framework_page_links_the_register_filtered_to_its_contracts(
    client, framework, elsewhere
):
    grounds, parks = framework.lots.order_by("number")
    first = factories.contract(lot=grounds)
    second = factories.contract(lot=parks)
    href = f"/contracts/?framework={framework.pk}"

    page = html(client.get(framework.url))
    register = client.get(href)

    assert (
        f'<p class="govuk-body" id="framework-contracts"><a class="govuk-link" href="{href}">'
        "See the 2 contracts called off from this framework</a> in the contracts register.</p>"
    ) in page
    assert register.status_code == 200
    assert sorted(register_references(register)) == sorted([first.reference, second.reference])


def test_each_lot_links_the_register_filtered_to_its_contracts_from_both_pages(
    client, framework, elsewhere
):
    grounds, parks = framework.lots.order_by("number")
    contracts = [factories.contract(lot=grounds), factories.contract(lot=grounds)]
    factories.contract(lot=parks)
    href = f"/contracts/?lot={grounds.pk}"
    link = (
        f'<a class="govuk-link" href="{href}">2 contracts'
        '<span class="govuk-visually-hidden"> called off from lot 1</span></a>'
    )

    framework_page = html(client.get(framework.url))
    lot_page = html(client.get(f"{framework.url}lots/1/"))
    register = client.get(href)

    assert link in framework_page
    assert f'href="/contracts/?lot={parks.pk}">1 contract<span' in framework_page
    assert link in lot_page
    assert sorted(register_references(register)) == sorted(c.reference for c in contracts)


def test_a_framework_with_nothing_called_off_says_so_and_links_nowhere(
    client, framework, elsewhere
):
    page = html(client.get(framework.url))
    lot_page = html(client.get(f"{framework.url}lots/1/"))

    assert (
        '<p class="govuk-body" id="framework-contracts">'
        "No contracts have been called off from this framework yet.</p>"
    ) in page
    assert page.count('<dd class="govuk-summary-list__value">None yet</dd>') == 2
    assert '<dd class="govuk-summary-list__value">None yet</dd>' in lot_page
    assert "/contracts/?" not in page + lot_page


def test_the_framework_page_queries_do_not_grow_with_contracts(client, framework):
    grounds, parks = framework.lots.order_by("number")
    factories.contract(lot=grounds)
    client.get(framework.url)  # the first request after a page is published caches navigation
    one = queries_to_get(client, framework.url)
    for lot in (grounds, parks) * 5:
        factories.contract(lot=lot)

    assert queries_to_get(client, framework.url) == one
