"""A lot's direct-award method: required with direct award, checked against the lot's
suppliers and rotation period, and fixed at award as a term."""

import pytest

from frameworks import rules, services, terms
from frameworks.models import Lot, VariationGround
from marketplace.exceptions import DomainError

BASE = {
    "minimum_value": None,
    "maximum_value": None,
    "allows_direct_award": True,
    "allows_further_competition": False,
    "direct_award_mechanism": "Written mechanism.",
    "active_supplier_count": 3,
}


def test_direct_award_needs_a_method():
    assert rules.lot_errors(**BASE) == {
        "direct_award_method": "Choose the direct-award method: search and shortlist, ranked "
        "list with rotation, or single supplier"
    }


def test_a_single_supplier_lot_has_at_most_one_active_supplier():
    assert rules.lot_errors(**BASE, direct_award_method="single_supplier") == {
        "direct_award_method": "A single-supplier direct award needs a lot with at most one "
        "active supplier; this lot has 3"
    }
    assert (
        rules.lot_errors(
            **{**BASE, "active_supplier_count": 1}, direct_award_method="single_supplier"
        )
        == {}
    )


def test_a_ranked_list_needs_a_rotation_period():
    assert rules.lot_errors(**BASE, direct_award_method="ranked_rotation") == {
        "rotation_period_days": "A ranked list with rotation needs a rotation period: enter "
        "how many days an awarded supplier waits at the bottom of the ranking"
    }
    assert (
        rules.lot_errors(**BASE, direct_award_method="ranked_rotation", rotation_period_days=90)
        == {}
    )


def test_without_direct_award_no_method_is_needed():
    assert (
        rules.lot_errors(
            **{**BASE, "allows_direct_award": False, "allows_further_competition": True}
        )
        == {}
    )


@pytest.mark.django_db
def test_the_method_and_its_periods_are_terms_varied_with_a_record(
    framework, framework_manager, authority
):
    before = terms.terms_of(framework)["lots"]["1"]
    assert (
        before["direct_award_method"],
        before["rotation_period_days"],
        before["offer_response_working_days"],
    ) == ("", 0, 5)

    variation = services.vary_framework(
        actor=framework_manager,
        organisation=authority,
        framework=framework,
        changes={
            "lots": {
                "1": {
                    "allows_direct_award": True,
                    "direct_award_mechanism": "Offered down the ranking.",
                    "direct_award_method": "ranked_rotation",
                    "rotation_period_days": 60,
                    "offer_response_working_days": 3,
                }
            }
        },
        ground=VariationGround.NOT_SUBSTANTIAL,
        explanation="Direct award by ranking is added.",
    )

    lot = Lot.objects.get(framework=framework, number=1)
    assert (lot.direct_award_method, lot.rotation_period_days, lot.offer_response_working_days) == (
        "ranked_rotation",
        60,
        3,
    )
    assert variation.old_values["lots"]["1"]["rotation_period_days"] == 0


@pytest.mark.django_db
def test_a_variation_to_a_ranked_list_without_a_period_is_refused(
    framework, framework_manager, authority
):
    with pytest.raises(DomainError, match="needs a rotation period"):
        services.vary_framework(
            actor=framework_manager,
            organisation=authority,
            framework=framework,
            changes={
                "lots": {
                    "1": {
                        "allows_direct_award": True,
                        "direct_award_mechanism": "By rank.",
                        "direct_award_method": "ranked_rotation",
                    }
                }
            },
            ground=VariationGround.NOT_SUBSTANTIAL,
            explanation="Adding direct award.",
        )
    assert Lot.objects.get(framework=framework, number=1).direct_award_method == ""
