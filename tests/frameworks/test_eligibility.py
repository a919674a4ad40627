"""Who can use a framework: eligibility() and the one indexed query that must agree with it."""

import importlib
from datetime import timedelta

from django.utils import timezone

from wagtail.models import Revision

import pytest

from frameworks.eligibility import (
    describe,
    eligibility,
    eligible_frameworks,
    eligible_frameworks_filter,
    framework_keys,
    organisation_keys,
    parse,
    rule_keys,
)
from frameworks.models import EligibilityRule, FrameworkPage, Variation, VariationGround
from marketplace.organisations.models import LocalAuthority, Region
from tests import factories

# Councils are rows the migrations load, so even the rule tests touch the database.
pytestmark = pytest.mark.django_db


def organisation(kind="buyer", region=Region.NORTH_WEST, pk=None, council=None):
    local_authority = LocalAuthority.objects.get(code=council) if council else None
    return factories.OrganisationFactory.build(
        kind=kind, region=region, pk=pk, local_authority=local_authority
    )


def council(code: str):
    """A saved buyer that is the council `code`, in the council's region."""
    local_authority = LocalAuthority.objects.get(code=code)
    return factories.OrganisationFactory(
        kind="buyer", region=local_authority.region, local_authority=local_authority
    )


# The keys -------------------------------------------------------------------------------------


def test_rule_keys_put_each_ticked_kind_in_each_ticked_region():
    assert rule_keys(kinds=["buyer", "authority"], regions=["TLD", "TLI"]) == [
        "kind:authority:TLD",
        "kind:authority:TLI",
        "kind:buyer:TLD",
        "kind:buyer:TLI",
    ]


def test_rule_keys_for_a_region_alone_mean_buyers_there_and_a_kind_alone_everywhere():
    assert rule_keys(regions=["TLD"]) == ["kind:buyer:TLD"]
    assert rule_keys(kinds=["supplier"]) == ["kind:supplier"]


def test_rule_keys_for_named_bodies_and_council_groups():
    assert rule_keys(
        organisations=[7], areas=["GMCA"], council_regions=["TLE"], counties=["LAN"]
    ) == ["area:GMCA", "councils:TLE", "county:LAN", "org:7"]


def test_no_choice_makes_no_rule():
    assert rule_keys() == []


def test_parse_takes_the_keys_apart_for_the_tick_boxes():
    rules = parse(["kind:buyer:TLD", "kind:buyer:TLI", "kind:supplier", "org:7", "area:GMCA"])

    assert (rules.kinds, rules.regional_kinds, rules.regions) == (
        ["supplier"],
        ["buyer"],
        ["TLD", "TLI"],
    )
    assert (rules.organisations, rules.areas) == ([7], ["GMCA"])


@pytest.mark.parametrize(
    "key", ["kind:charity", "kind:buyer:TLZ", "org:seven", "councils:XX", "area:", "region:TLD"]
)
def test_parse_refuses_an_unknown_key(key):
    with pytest.raises(ValueError, match="Not an eligibility rule"):
        parse([key])


def test_describe_says_who_each_rule_admits():
    assert describe(
        ["kind:buyer:TLD", "kind:buyer:TLI", "area:GMCA", "councils:TLE", "county:LAN", "org:3"]
    ) == [
        "buyers in North West (England) and London",
        "councils in the Greater Manchester Combined Authority area",
        "councils in Yorkshire and The Humber",
        "councils in Lancashire",
        "the organisations named on it",
    ]
    assert describe([]) == ["buyers"]


def test_an_organisations_keys_come_from_its_own_fields():
    assert organisation_keys(organisation(kind="supplier", pk=4)) == {
        "org:4",
        "kind:supplier",
        "kind:supplier:TLD",
    }


def test_a_councils_keys_add_its_region_and_combined_authority():
    assert organisation_keys(organisation(pk=5, council="BOL")) == {
        "org:5",
        "kind:buyer",
        "kind:buyer:TLD",
        "councils:TLD",
        "area:GMCA",
    }


def test_a_district_and_its_county_council_share_the_county_key():
    assert "county:LAN" in organisation_keys(organisation(council="PRE"))
    assert "county:LAN" in organisation_keys(organisation(council="LAN"))


def test_a_combined_authority_is_not_a_council():
    assert organisation_keys(organisation(pk=6, council="GMCA")) == {
        "org:6",
        "kind:buyer",
        "kind:buyer:TLD",
    }


def test_an_organisations_keys_cost_one_query_at_most(django_assert_num_queries):
    bolton = organisation(council="BOL")
    with django_assert_num_queries(1):
        organisation_keys(bolton)
    with django_assert_num_queries(0):
        organisation_keys(organisation(kind="supplier"))


# eligibility(): each rule, with its reason ------------------------------------------------------


def test_with_no_rules_any_buyer_may_use_it():
    result = eligibility(FrameworkPage(), organisation(), keys=[])

    assert (result.allowed, result.reason) == (True, "Any buyer can use this framework.")


@pytest.mark.parametrize(
    ("kind", "label"), [("supplier", "a supplier"), ("authority", "a regional authority")]
)
def test_with_no_rules_other_kinds_may_not(kind, label):
    result = eligibility(FrameworkPage(), organisation(kind=kind), keys=[])

    assert (result.allowed, result.reason) == (
        False,
        f"This framework is open to buyers; your organisation is {label} in North West (England).",
    )


def test_a_named_organisation_may_use_it_whatever_its_kind_and_region():
    result = eligibility(
        FrameworkPage(),
        organisation(kind="supplier", region=Region.WALES, pk=7),
        keys=["kind:authority:TLI", "org:7"],
    )

    assert (result.allowed, result.reason) == (
        True,
        "Your organisation is named as able to use this framework.",
    )


def test_a_listed_kind_may_use_it():
    result = eligibility(
        FrameworkPage(), organisation(kind="authority"), keys=["kind:authority", "kind:buyer"]
    )

    assert (result.allowed, result.reason) == (
        True,
        "Any regional authority can use this framework.",
    )


def test_a_kind_left_off_the_list_may_not():
    result = eligibility(
        FrameworkPage(), organisation(kind="buyer"), keys=["kind:authority", "kind:supplier"]
    )

    assert (result.allowed, result.reason) == (
        False,
        "This framework is open to regional authorities and suppliers; "
        "your organisation is a buyer in North West (England).",
    )


def test_an_organisation_in_a_listed_region_may_use_it():
    result = eligibility(
        FrameworkPage(),
        organisation(region=Region.NORTH_WEST),
        keys=rule_keys(regions=[Region.LONDON, Region.NORTH_WEST]),
    )

    assert (result.allowed, result.reason) == (
        True,
        "Buyers in North West (England) can use this framework.",
    )


def test_an_organisation_elsewhere_may_not():
    result = eligibility(
        FrameworkPage(),
        organisation(region=Region.NORTH_WEST),
        keys=rule_keys(regions=[Region.LONDON, Region.WALES]),
    )

    assert (result.allowed, result.reason) == (
        False,
        "This framework is open to buyers in London and Wales; "
        "your organisation is a buyer in North West (England).",
    )


def test_a_council_in_the_combined_authoritys_area_may_use_it_and_one_outside_may_not():
    keys = rule_keys(areas=["GMCA"])

    bolton = eligibility(FrameworkPage(), organisation(council="BOL"), keys=keys)
    leeds = eligibility(FrameworkPage(), organisation(council="LDS", region="TLE"), keys=keys)

    assert (bolton.allowed, bolton.reason) == (
        True,
        "Councils in the Greater Manchester Combined Authority area can use this framework.",
    )
    assert (leeds.allowed, leeds.reason) == (
        False,
        "This framework is open to councils in the Greater Manchester Combined Authority "
        "area; your organisation is a buyer in Yorkshire and The Humber.",
    )


def test_a_buyer_that_is_no_council_is_not_in_a_council_group():
    keys = rule_keys(areas=["GMCA"], council_regions=["TLD"])

    assert not eligibility(FrameworkPage(), organisation(), keys=keys)
    assert not eligibility(FrameworkPage(), organisation(council="GMCA"), keys=keys)
    assert not eligibility(FrameworkPage(), organisation(kind="supplier", council="BOL"), keys=keys)


def test_councils_in_a_region_may_use_it():
    keys = rule_keys(council_regions=[Region.NORTH_WEST])

    bolton = eligibility(FrameworkPage(), organisation(council="BOL"), keys=keys)

    assert (bolton.allowed, bolton.reason) == (
        True,
        "Councils in North West (England) can use this framework.",
    )
    assert not eligibility(FrameworkPage(), organisation(council="LDS", region="TLE"), keys=keys)


def test_councils_in_a_county_may_use_it():
    keys = rule_keys(counties=["LAN"])

    preston = eligibility(FrameworkPage(), organisation(council="PRE"), keys=keys)

    assert (preston.allowed, preston.reason) == (
        True,
        "Councils in Lancashire can use this framework.",
    )
    assert not eligibility(FrameworkPage(), organisation(council="BOL"), keys=keys)


def test_eligibility_is_falsy_when_refused():
    assert not eligibility(FrameworkPage(), organisation(kind="supplier"), keys=[])


def test_given_keys_save_the_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        result = eligibility(FrameworkPage(), organisation(pk=3), keys=["org:3"])

    assert result.allowed is True


def test_without_keys_the_frameworks_rules_are_read():
    buyer = factories.OrganisationFactory(kind="buyer", region=Region.LONDON)
    page = factories.framework_page(eligible_regions=[Region.WALES], eligible_organisations=[buyer])

    assert eligibility(page, buyer).allowed is True


# The query agrees with eligibility() ---------------------------------------------------------

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
    {"eligibility": ["area:GMCA"]},
    {"eligibility": ["area:WYCA", "councils:TLI"]},
    {"eligibility": ["county:LAN"]},
]
NAMES = [
    "north west buyer",
    "london buyer",
    "north west supplier",
    "north west authority",
    "welsh authority",
    "bolton",
    "leeds",
    "preston",
]


@pytest.fixture
def organisations():
    make = factories.OrganisationFactory
    return {
        "north west buyer": make(kind="buyer", region=Region.NORTH_WEST),
        "london buyer": make(kind="buyer", region=Region.LONDON),
        "north west supplier": make(kind="supplier", region=Region.NORTH_WEST),
        "north west authority": make(kind="authority", region=Region.NORTH_WEST),
        "welsh authority": make(kind="authority", region=Region.WALES),
        "bolton": council("BOL"),
        "leeds": council("LDS"),
        "preston": council("PRE"),
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


@pytest.mark.parametrize("name", NAMES)
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


def test_bolton_may_use_a_framework_for_councils_in_gmcas_area_and_leeds_may_not(organisations):
    framework = factories.framework_page(eligibility=["area:GMCA"])
    usable = eligible_frameworks(FrameworkPage.objects.all(), organisations["bolton"])

    assert list(usable) == [framework]
    assert not eligible_frameworks(FrameworkPage.objects.all(), organisations["leeds"]).exists()


# Live rules, never a draft's ------------------------------------------------------------------


NOT_AWARDED = {
    "applications_open_on": timezone.localdate() - timedelta(days=10),
    "applications_close_on": timezone.localdate(),
    "award_on": timezone.localdate() + timedelta(days=1),
    "starts_on": timezone.localdate() + timedelta(days=2),
    "ends_on": timezone.localdate() + timedelta(days=400),
}


def test_the_query_reads_the_live_rules_not_a_drafts():
    north_west = factories.OrganisationFactory(kind="buyer", region=Region.NORTH_WEST)
    london = factories.OrganisationFactory(kind="buyer", region=Region.LONDON)
    # Not awarded yet: after award a publish keeps the awarded rules (test_variations).
    page = factories.framework_page(eligible_regions=[Region.NORTH_WEST], **NOT_AWARDED)
    draft = page.get_latest_revision_as_object()
    draft.eligibility_rules = [EligibilityRule(key="kind:buyer:TLI")]
    revision = draft.save_revision()

    def usable(who):
        return list(eligible_frameworks(FrameworkPage.objects.all(), who))

    assert (usable(north_west), usable(london)) == ([page], [])
    assert eligibility(FrameworkPage.objects.get(pk=page.pk), north_west).allowed is True
    assert list(EligibilityRule.objects.filter(framework=page).values_list("key", flat=True)) == [
        "kind:buyer:TLD"
    ]

    revision.publish()

    assert (usable(north_west), usable(london)) == ([], [page])


def test_a_page_never_published_is_no_framework_to_use():
    buyer = factories.OrganisationFactory(kind="buyer")
    factories.framework_page(live=False)
    factories.framework_page(live=False, eligible_regions=[Region.NORTH_WEST])

    assert not eligible_frameworks(FrameworkPage.objects.all(), buyer).exists()


# The query count stays the same as frameworks grow ---------------------------------------------


@pytest.mark.parametrize("count", [2, 20])
def test_the_eligible_frameworks_query_count_is_constant(count, django_assert_num_queries):
    bolton = council("BOL")
    parent = factories.authority_page()
    mixes = [
        {"eligibility": ["area:GMCA"]},
        {"eligible_regions": [Region.NORTH_WEST, Region.LONDON], "eligible_kinds": ["buyer"]},
        {"eligible_organisations": [bolton]},
        {},
        {"eligibility": ["councils:TLE"]},
    ]
    for number in range(count):
        factories.framework_page(parent, **mixes[number % len(mixes)])

    # One query for the council's combined authority and county, one for the frameworks.
    with django_assert_num_queries(2):
        usable = list(eligible_frameworks(FrameworkPage.objects.all(), bolton))

    assert len(usable) == count - count // len(mixes)


# The migration from the old lists (frameworks 0009) ------------------------------------------

migration = importlib.import_module("frameworks.migrations.0009_eligibility_data")


@pytest.mark.parametrize(
    ("regions", "kinds", "named", "keys"),
    [
        ([], [], [], []),
        (["TLD"], [], [], ["kind:buyer:TLD"]),
        ([], ["authority", "buyer"], [], ["kind:authority", "kind:buyer"]),
        (["TLI"], ["supplier"], [4], ["kind:supplier:TLI", "org:4"]),
        # Named alone meant "named, or any buyer" (no kind ticked): the buyers stay in.
        ([], [], [4], ["kind:buyer", "org:4"]),
    ],
)
def test_the_migration_keeps_what_the_old_lists_meant(regions, kinds, named, keys):
    assert migration._keys(regions, kinds, named) == keys


def test_the_migration_rewrites_past_variations_of_the_lists_as_rules():
    page = factories.framework_page()
    made_by = factories.UserFactory()
    today = timezone.localdate()

    def varied(days, old, new):
        return Variation.objects.create(
            framework=page,
            ground=VariationGround.NOT_SUBSTANTIAL,
            explanation="Why",
            old_values=old,
            new_values=new,
            made_by=made_by,
            effective_on=today - timedelta(days=days),
        )

    first = varied(20, {"eligible_regions": []}, {"eligible_regions": ["TLD"]})
    second = varied(
        10,
        {"levy_rate": "1.00", "eligible_kinds": []},
        {"levy_rate": "2.00", "eligible_kinds": ["authority"]},
    )
    fee_only = varied(5, {"levy_rate": "2.00"}, {"levy_rate": "3.00"})
    today_lists = {"eligible_regions": ["TLD"], "eligible_kinds": ["authority"]}

    migration._rewrite_variations(Variation, page, today_lists)

    for variation in (first, second, fee_only):
        variation.refresh_from_db()
    assert (first.old_values, first.new_values) == (
        {"eligibility": []},
        {"eligibility": ["kind:buyer:TLD"]},
    )
    assert (second.old_values, second.new_values) == (
        {"levy_rate": "1.00", "eligibility": ["kind:buyer:TLD"]},
        {"levy_rate": "2.00", "eligibility": ["kind:authority:TLD"]},
    )
    assert fee_only.new_values == {"levy_rate": "3.00"}


def test_the_migration_gives_a_waiting_draft_its_own_rules():
    page = factories.framework_page(**NOT_AWARDED)
    revision = page.save_revision()
    revision.content = {
        **{k: v for k, v in revision.content.items() if k != "eligibility_rules"},
        "eligible_regions": ["TLI"],
        "eligible_kinds": [],
        "eligible_organisations": [],
    }
    revision.save(update_fields=["content"])
    page.refresh_from_db()

    migration._rewrite_draft(Revision, page)

    revision.refresh_from_db()
    assert "eligible_regions" not in revision.content
    assert revision.content["eligibility_rules"] == [
        {"pk": None, "framework": page.pk, "key": "kind:buyer:TLI"}
    ]
    draft = page.get_latest_revision_as_object()
    assert framework_keys(draft) == ["kind:buyer:TLI"]
