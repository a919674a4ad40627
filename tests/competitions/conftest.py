import pytest

from marketplace.competitions.services.invitations import invite_suppliers
from tests import factories
from tests.competitions import factories as competition_factories


@pytest.fixture
def lot(db):
    return competition_factories.competition_lot()


@pytest.fixture
def competition(buyer, procurement_officer, lot):
    return competition_factories.competition(organisation=buyer, actor=procurement_officer, lot=lot)


@pytest.fixture
def colleague(buyer):
    """A procurement officer of the same buyer who is not on the project's team."""
    return factories.MembershipFactory(organisation=buyer, role="procurement_officer").user


@pytest.fixture
def outsider(db):
    """A procurement officer of another buyer."""
    other_buyer = factories.OrganisationFactory(kind="buyer", council_code="GB-LDS")
    return factories.MembershipFactory(organisation=other_buyer, role="procurement_officer").user


@pytest.fixture
def invited(lot):
    """Two suppliers appointed to the lot, and an editor (who may answer call-offs) of each."""
    suppliers = [competition_factories.appointed_supplier(lot) for _ in range(2)]
    return [
        (supplier, factories.MembershipFactory(organisation=supplier, role="editor").user)
        for supplier in suppliers
    ]


@pytest.fixture
def opened(competition, procurement_officer, invited):
    """The competition with its brief written and `invited` invited: open for bids."""
    invite_suppliers(
        actor=procurement_officer,
        competition=competition_factories.written_brief(competition, actor=procurement_officer),
        left_out={},
    )
    competition.refresh_from_db()
    return competition
