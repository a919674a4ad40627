"""A supplier's own contracts at /supplier/contracts/, linked from the supplier dashboard."""

import pytest

from tests import factories
from tests.helpers import queries_to_get

pytestmark = pytest.mark.django_db

LIST = "/supplier/contracts/"


@pytest.fixture
def lot(db):
    return factories.framework_page().lots.get()


def references(response) -> list[str]:
    return [contract.reference for contract in response.context["page_obj"]]


def test_the_dashboard_links_the_suppliers_contracts(client, supplier_admin):
    client.force_login(supplier_admin)

    dashboard = client.get("/supplier/").content.decode()

    assert f'<a class="govuk-link" href="{LIST}">Your contracts</a>' in dashboard


def test_a_supplier_sees_its_own_contracts_and_never_anothers(
    client, supplier_editor, supplier, other_supplier, lot
):
    own = factories.contract(lot=lot, supplier=supplier, title="Park mowing")
    theirs = factories.contract(lot=lot, supplier=other_supplier, title="Hedge cutting")
    client.force_login(supplier_editor)

    response = client.get(LIST)

    assert response.status_code == 200
    assert references(response) == [own.reference]
    page = response.content.decode()
    assert f'href="/contracts/{own.reference}/">Park mowing</a>' in page
    assert theirs.reference not in page
    assert "Hedge cutting" not in page


def test_a_supplier_with_no_contracts_is_told_so(client, supplier_admin, supplier):
    client.force_login(supplier_admin)

    response = client.get(LIST)

    assert references(response) == []
    assert f"{supplier.name} has no contracts yet." in response.content.decode()


def test_a_buyer_is_told_the_page_is_for_suppliers(client, procurement_officer):
    client.force_login(procurement_officer)

    assert client.get(LIST).status_code == 403


def test_signed_out_people_are_asked_to_sign_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_the_list_pages_and_makes_as_many_queries_for_30_contracts_as_for_3(
    client, supplier_admin, supplier, lot
):
    client.force_login(supplier_admin)
    for _ in range(3):
        factories.contract(lot=lot, supplier=supplier)
    client.get(LIST)  # the first request after a page is published also caches the navigation
    few = queries_to_get(client, LIST)
    for _ in range(27):
        factories.contract(lot=lot, supplier=supplier)

    assert queries_to_get(client, LIST) == few
    response = client.get(LIST, {"page": 2})
    assert len(references(response)) == 5
