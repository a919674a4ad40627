"""Who can use a framework: eligibility() and the queryset filter that must agree with it."""

import pytest

from frameworks.eligibility import eligibility, eligible_frameworks, eligible_frameworks_filter
from frameworks.models import FrameworkPage
from marketplace.organisations.models import Region
from tests import factories

# Building a page looks up the default locale, so even the rule tests touch the database.
pytestmark = pytest.mark.django_db


def framework(**rules) -> FrameworkPage:
    """An unsaved framework: eligibility() reads only its rules when given named_ids."""
    return FrameworkPage(
        eligible_kinds=rules.get("kinds", []), eligible_regions=rules.get("regions", [])
    )


def organisation(kind="buyer", region=Region.NORTH_WEST, pk=None):
    return factories.OrganisationFactory.build(kind=kind, region=region, pk=pk)


def test_a_named_organisation_may_use_it_whatever_its_kind_and_region():
    result = eligibility(
        framework(kinds=["authority"], regions=[Region.LONDON]),
        organisation(kind="supplier", region=Region.WALES, pk=7),
        named_ids={7},
    )

    assert (result.allowed, result.reason) == (
        True,
        "Your organisation is named as able to use this framework.",
    )


def test_with_no_rules_any_buyer_may_use_it():
    result = eligibility(framework(), organisation(kind="buyer"), named_ids=set())

    assert (result.allowed, result.reason) == (True, "Any buyer can use this framework.")


@pytest.mark.parametrize(
    ("kind", "label"), [("supplier", "a supplier"), ("authority", "a regional authority")]
)
def test_with_no_rules_other_kinds_may_not(kind, label):
    result = eligibility(framework(), organisation(kind=kind), named_ids=set())

    assert (result.allowed, result.reason) == (
        False,
        f"This framework is for buyer; your organisation is {label}.",
    )


def test_a_listed_kind_may_use_it():
    result = eligibility(
        framework(kinds=["buyer", "authority"]), organisation(kind="authority"), named_ids=set()
    )

    assert (result.allowed, result.reason) == (
        True,
        "Any regional authority can use this framework.",
    )


def test_a_kind_left_off_the_list_may_not():
    result = eligibility(
        framework(kinds=["supplier", "authority"]), organisation(kind="buyer"), named_ids=set()
    )

    assert (result.allowed, result.reason) == (
        False,
        "This framework is for supplier, regional authority; your organisation is a buyer.",
    )


def test_an_organisation_in_a_listed_region_may_use_it():
    result = eligibility(
        framework(regions=[Region.LONDON, Region.NORTH_WEST]),
        organisation(region=Region.NORTH_WEST),
        named_ids=set(),
    )

    assert (result.allowed, result.reason) == (
        True,
        "Organisations in North West (England) can use this framework.",
    )


def test_an_organisation_elsewhere_may_not():
    result = eligibility(
        framework(regions=[Region.LONDON, Region.WALES]),
        organisation(region=Region.NORTH_WEST),
        named_ids=set(),
    )

    assert (result.allowed, result.reason) == (
        False,
        "This framework is open to organisations in London, Wales; "
        "yours is in North West (England).",
    )


def test_the_kind_is_checked_before_the_region():
    result = eligibility(
        framework(regions=[Region.LONDON]),
        organisation(kind="supplier", region=Region.NORTH_WEST),
        named_ids=set(),
    )

    assert result.reason == "This framework is for buyer; your organisation is a supplier."


def test_eligibility_is_falsy_when_refused():
    assert not eligibility(framework(), organisation(kind="supplier"), named_ids=set())


def test_named_ids_save_the_query(db, django_assert_num_queries):
    page, member = framework(regions=[Region.WALES]), organisation(pk=3)

    with django_assert_num_queries(0):
        result = eligibility(page, member, named_ids={3})

    assert result.allowed is True


def test_without_named_ids_the_named_organisations_are_read(db):
    buyer = factories.OrganisationFactory(kind="buyer", region=Region.LONDON, council_code="GB-LND")
    page = factories.framework_page(eligible_regions=[Region.WALES], eligible_organisations=[buyer])

    assert eligibility(page, buyer).allowed is True


# The filter agrees with eligibility() ----------------------------------------------------------

RULES = [
    {},
    {"eligible_regions": [Region.NORTH_WEST]},
    {"eligible_regions": [Region.LONDON, Region.WALES]},
    {"eligible_kinds": ["supplier"]},
    {"eligible_kinds": ["buyer", "authority"], "eligible_regions": [Region.NORTH_WEST]},
    {"eligible_kinds": ["authority"]},
    {"eligible_regions": [Region.LONDON], "named": "north west buyer"},
    {"eligible_kinds": ["supplier"], "named": "welsh authority"},
    {"eligible_kinds": ["buyer"], "eligible_regions": [Region.WALES], "named": "both"},
]


@pytest.fixture
def organisations(db):
    make = factories.OrganisationFactory
    return {
        "north west buyer": make(kind="buyer", region=Region.NORTH_WEST, council_code="GB-MAN"),
        "london buyer": make(kind="buyer", region=Region.LONDON, council_code="GB-LND"),
        "north west supplier": make(kind="supplier", region=Region.NORTH_WEST),
        "north west authority": make(kind="authority", region=Region.NORTH_WEST),
        "welsh authority": make(kind="authority", region=Region.WALES),
    }


@pytest.fixture
def frameworks(organisations):
    parent = factories.authority_page()
    pages = []
    for rules in RULES:
        rules = dict(rules)
        named = rules.pop("named", None)
        if named == "both":
            named_organisations = [organisations["north west buyer"], organisations["london buyer"]]
        else:
            named_organisations = [organisations[named]] if named else []
        pages.append(
            factories.framework_page(parent, eligible_organisations=named_organisations, **rules)
        )
    return pages


@pytest.mark.parametrize(
    "name",
    [
        "north west buyer",
        "london buyer",
        "north west supplier",
        "north west authority",
        "welsh authority",
    ],
)
def test_the_filter_admits_exactly_the_frameworks_eligibility_allows(
    frameworks, organisations, name
):
    who = organisations[name]
    expected = {page.pk for page in frameworks if eligibility(page, who)}

    filtered = FrameworkPage.objects.filter(eligible_frameworks_filter(who)).values_list(
        "pk", flat=True
    )

    assert set(filtered) == expected
    assert 0 < len(expected) < len(frameworks)  # the mix admits and refuses each organisation


def test_eligible_frameworks_lists_each_framework_once(frameworks, organisations):
    who = organisations["north west buyer"]

    pks = list(eligible_frameworks(FrameworkPage.objects.all(), who).values_list("pk", flat=True))

    assert len(pks) == len(set(pks))
