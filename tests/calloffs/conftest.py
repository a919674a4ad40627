import pytest

from tests import factories


@pytest.fixture
def other_buyer(db):
    return factories.OrganisationFactory(kind="buyer", council_code="GB-LDS")


@pytest.fixture
def colleague(buyer):
    """A second procurement officer of the same buyer."""
    return factories.MembershipFactory(organisation=buyer, role="procurement_officer").user


@pytest.fixture
def outsider(other_buyer):
    return factories.MembershipFactory(organisation=other_buyer, role="procurement_officer").user
