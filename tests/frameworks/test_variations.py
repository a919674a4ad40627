"""Terms fixed at award, changed only by a recorded variation (issue 9, point 6)."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

import pytest

from frameworks import services, terms
from frameworks.models import EligibilityRule, FrameworkPage, Lot, Variation, VariationGround
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied

GROUND = VariationGround.NOT_SUBSTANTIAL
WHY = "The fee is raised to cover the cost of running the framework"
VARY = "frameworks_admin:framework-vary"


def vary(framework, actor, organisation, changes, **kwargs):
    return services.vary_framework(
        actor=actor,
        organisation=organisation,
        framework=framework,
        changes=changes,
        **{"ground": GROUND, "explanation": WHY, **kwargs},
    )


# --- The terms ---------------------------------------------------------------------------------


def test_terms_of_holds_every_term_with_lots_by_number(framework):
    snapshot = terms.terms_of(framework)

    assert snapshot["levy_rate"] == "1.00"
    assert snapshot["eligibility"] == []
    assert snapshot["allows_supplier_replacement"] is False
    assert snapshot["award_criteria"] == []
    assert snapshot["lots"]["1"] == {
        "allows_direct_award": False,
        "allows_further_competition": True,
        "allows_narrowed_invitations": False,
        "minimum_value": None,
        "maximum_value": None,
        "maximum_term_months": 24,
        "direct_award_mechanism": "",
        "direct_award_method": "",
        "rotation_period_days": 0,
        "offer_response_working_days": 5,
        "shortlist_limit": 30,
        "closed": False,
        "ranking": [],
    }
    assert sorted(snapshot["lots"]) == ["1", "2"]


def test_a_framework_is_awarded_from_its_award_day(framework):
    assert terms.is_awarded(framework, as_of=framework.award_on)
    assert not terms.is_awarded(framework, as_of=framework.award_on - timedelta(days=1))


@pytest.mark.parametrize(
    ("weightings", "errors"),
    [
        ([], []),
        ([60, 40], []),
        ([100], []),
        ([60, 39], ["The award criteria's weightings must add up to 100%, not 99%"]),
        ([60, 41], ["The award criteria's weightings must add up to 100%, not 101%"]),
    ],
)
def test_award_criteria_weightings_add_up_to_100(weightings, errors):
    assert terms.award_criteria_errors(weightings) == errors


# --- vary_framework ----------------------------------------------------------------------------


def test_a_variation_keeps_the_old_and_new_terms_and_its_ground(
    framework, framework_manager, authority, today
):
    variation = vary(
        framework,
        framework_manager,
        authority,
        {"levy_rate": Decimal("2.50"), "lots": {"1": {"maximum_term_months": 36}}},
    )

    variation = Variation.objects.get()
    assert (variation.ground, variation.explanation, variation.made_by, variation.effective_on) == (
        GROUND,
        WHY,
        framework_manager,
        today,
    )
    assert variation.old_values == {"levy_rate": "1.00", "lots": {"1": {"maximum_term_months": 24}}}
    assert variation.new_values == {"levy_rate": "2.50", "lots": {"1": {"maximum_term_months": 36}}}
    assert FrameworkPage.objects.get(pk=framework.pk).levy_rate == Decimal("2.50")
    assert Lot.objects.get(framework=framework, number=1).maximum_term_months == 36


def test_a_variation_is_audited(framework, framework_manager, authority, today):
    variation = vary(framework, framework_manager, authority, {"levy_rate": "2.00"})

    event = AuditEvent.objects.get(kind="framework.varied")
    assert (event.actor_id, event.organisation_id, event.target_object_id, event.data) == (
        framework_manager.pk,
        authority.pk,
        str(framework.pk),
        {
            "variation": variation.pk,
            "ground": "not_substantial",
            "old": {"levy_rate": "1.00"},
            "new": {"levy_rate": "2.00"},
            "effective_on": today.isoformat(),
        },
    )


def test_a_variation_replaces_the_award_criteria(framework, framework_manager, authority):
    criteria = [
        {"title": "Quality", "weighting": 60, "social_value_theme": ""},
        {"title": "Local jobs", "weighting": 40, "social_value_theme": "local_jobs"},
    ]
    variation = vary(framework, framework_manager, authority, {"award_criteria": criteria})

    assert [str(c) for c in framework.award_criteria.all()] == ["Quality (60%)", "Local jobs (40%)"]
    assert variation.old_values == {"award_criteria": []}


def test_award_criteria_not_adding_up_to_100_are_refused(framework, framework_manager, authority):
    criteria = [{"title": "Quality", "weighting": 60}]
    with pytest.raises(DomainError, match="must add up to 100%, not 60%"):
        vary(framework, framework_manager, authority, {"award_criteria": criteria})
    assert not framework.award_criteria.exists()


def test_terms_on_a_day_before_a_variation_are_the_old_terms(
    framework, framework_manager, authority, today
):
    vary(
        framework,
        framework_manager,
        authority,
        {
            "levy_rate": "2.00",
            "lots": {
                "2": {
                    "allows_direct_award": True,
                    "direct_award_mechanism": "By rank",
                    "direct_award_method": "search_shortlist",
                }
            },
        },
        ground=VariationGround.PROVIDED_FOR,
        as_of=today,
    )
    vary(
        framework,
        framework_manager,
        authority,
        {"levy_rate": "3.00"},
        as_of=today + timedelta(days=10),
    )

    before = terms.terms_on(framework, today - timedelta(days=1))
    between = terms.terms_on(framework, today + timedelta(days=9))
    after = terms.terms_on(framework, today + timedelta(days=10))

    assert (before["levy_rate"], before["lots"]["2"]["allows_direct_award"]) == ("1.00", False)
    assert (between["levy_rate"], between["lots"]["2"]["allows_direct_award"]) == ("2.00", True)
    assert (after["levy_rate"], after["lots"]["2"]["allows_direct_award"]) == ("3.00", True)


def test_a_variation_needs_a_ground(framework, framework_manager, authority):
    with pytest.raises(DomainError, match="Choose the ground in the Procurement Act 2023"):
        vary(framework, framework_manager, authority, {"levy_rate": "2.00"}, ground="")
    assert not Variation.objects.exists()
    assert FrameworkPage.objects.get(pk=framework.pk).levy_rate == Decimal("1.00")


def test_a_variation_needs_an_explanation(framework, framework_manager, authority):
    with pytest.raises(DomainError, match="Explain why the terms change"):
        vary(framework, framework_manager, authority, {"levy_rate": "2.00"}, explanation="  ")
    assert not Variation.objects.exists()


@pytest.mark.parametrize(
    "changes", [{}, {"levy_rate": "1.00"}, {"lots": {"1": {"shortlist_limit": 30}}}]
)
def test_a_variation_that_changes_nothing_is_refused(
    framework, framework_manager, authority, changes
):
    with pytest.raises(DomainError, match="Change at least one term"):
        vary(framework, framework_manager, authority, changes)
    assert not Variation.objects.exists()


def test_a_variation_refuses_a_fee_over_the_limit(framework, framework_manager, authority):
    with pytest.raises(DomainError, match="Fee"):
        vary(framework, framework_manager, authority, {"levy_rate": "5.01"})
    assert FrameworkPage.objects.get(pk=framework.pk).levy_rate == Decimal("1.00")


def test_a_variation_refuses_a_lot_left_with_no_route(framework, framework_manager, authority):
    with pytest.raises(DomainError, match="Allow at least one route"):
        vary(
            framework,
            framework_manager,
            authority,
            {"lots": {"1": {"allows_further_competition": False}}},
        )
    assert Lot.objects.get(framework=framework, number=1).allows_further_competition


def test_a_variation_refuses_an_unknown_lot(framework, framework_manager, authority):
    with pytest.raises(DomainError, match="The framework has no lot 9"):
        vary(framework, framework_manager, authority, {"lots": {"9": {"shortlist_limit": 5}}})


def test_a_framework_is_varied_only_after_award(unawarded, framework_manager, authority):
    with pytest.raises(DomainError, match="not awarded yet"):
        vary(unawarded, framework_manager, authority, {"levy_rate": "2.00"})


def test_another_authoritys_manager_cannot_vary(framework, other_manager, other_authority):
    with pytest.raises(PolicyDenied):
        vary(framework, other_manager, other_authority, {"levy_rate": "2.00"})
    assert not Variation.objects.exists()


def test_a_reviewer_cannot_vary(framework, reviewer, authority):
    with pytest.raises(PolicyDenied):
        vary(framework, reviewer, authority, {"levy_rate": "2.00"})


# --- A page edit never changes a term after award ---------------------------------------------


def test_publishing_an_edited_draft_after_award_keeps_the_terms(framework):
    draft = framework.get_latest_revision_as_object()
    draft.levy_rate = Decimal("4.00")
    draft.lots.get(number=1).maximum_term_months = 60
    draft.summary = "A new summary."

    draft.save_revision().publish()

    live = FrameworkPage.objects.get(pk=framework.pk)
    assert (live.levy_rate, live.summary) == (Decimal("1.00"), "A new summary.")
    assert Lot.objects.get(framework=framework, number=1).maximum_term_months == 24


def test_publishing_an_old_revision_after_a_variation_keeps_the_varied_terms(
    framework, framework_manager, authority
):
    older = framework.live_revision
    vary(
        framework,
        framework_manager,
        authority,
        {"levy_rate": "2.00", "lots": {"1": {"shortlist_limit": 10}}},
    )

    older.publish()

    assert FrameworkPage.objects.get(pk=framework.pk).levy_rate == Decimal("2.00")
    assert Lot.objects.get(framework=framework, number=1).shortlist_limit == 10


def test_a_variation_replaces_the_eligibility_rules(framework, framework_manager, authority, buyer):
    EligibilityRule.objects.create(framework=framework, key=f"org:{buyer.pk}")

    variation = vary(
        framework,
        framework_manager,
        authority,
        {"eligibility": ["area:GMCA", "kind:buyer:TLI", f"org:{buyer.pk}"]},
    )

    assert (variation.old_values, variation.new_values) == (
        {"eligibility": [f"org:{buyer.pk}"]},
        {"eligibility": ["area:GMCA", "kind:buyer:TLI", f"org:{buyer.pk}"]},
    )
    assert sorted(framework.eligibility_rules.values_list("key", flat=True)) == [
        "area:GMCA",
        "kind:buyer:TLI",
        f"org:{buyer.pk}",
    ]
    assert terms.variation_changes(variation) == [
        (
            "Who can use the framework",
            "the organisations named on it",
            "buyers in London; councils in the Greater Manchester Combined Authority area; "
            "the organisations named on it",
        )
    ]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (["kind:charity"], "Who can use the framework: unknown rule"),
        (["region:TLD"], "Who can use the framework: unknown rule"),
    ],
)
def test_a_variation_refuses_an_unknown_rule(
    framework, framework_manager, authority, keys, message
):
    with pytest.raises(DomainError, match=message):
        vary(framework, framework_manager, authority, {"eligibility": keys})
    assert not framework.eligibility_rules.exists()


def test_a_variation_names_buyers_only(framework, framework_manager, authority, supplier):
    with pytest.raises(DomainError, match="Only buyers can be named"):
        vary(framework, framework_manager, authority, {"eligibility": [f"org:{supplier.pk}"]})
    assert not framework.eligibility_rules.exists()


def test_publishing_a_draft_after_award_keeps_the_eligibility_rules(framework):
    EligibilityRule.objects.create(framework=framework, key="kind:buyer:TLD")
    draft = FrameworkPage.objects.get(pk=framework.pk).get_latest_revision_as_object()
    draft.eligibility_rules = [EligibilityRule(key="kind:buyer:TLI")]

    draft.save_revision().publish()

    assert list(framework.eligibility_rules.values_list("key", flat=True)) == ["kind:buyer:TLD"]


def test_terms_change_freely_before_award(unawarded):
    draft = unawarded.get_latest_revision_as_object()
    draft.levy_rate = Decimal("4.00")

    draft.save_revision().publish()

    assert FrameworkPage.objects.get(pk=unawarded.pk).levy_rate == Decimal("4.00")


def test_publication_errors_report_a_lot_added_after_award(framework, today):
    draft = framework.get_latest_revision_as_object()
    draft.lots.add(Lot(number=3, title="New lot"))

    assert terms.publication_errors(draft, as_of=today) == [
        "Lot 3 is new: after award a lot can be added only by a variation"
    ]


def test_publication_errors_are_none_for_an_unchanged_awarded_framework(framework, today):
    assert terms.publication_errors(framework.get_latest_revision_as_object(), as_of=today) == []


def test_publication_errors_are_none_before_award(framework):
    draft = framework.get_latest_revision_as_object()
    draft.lots.add(Lot(number=3, title="New lot"))

    assert terms.publication_errors(draft, as_of=framework.award_on - timedelta(days=1)) == []


def test_the_editor_shows_the_terms_fixed_after_award(manager_client, framework):
    response = manager_client.get(reverse("wagtailadmin_pages:edit", args=(framework.pk,)))

    form = response.context["form"]
    assert form.fields["levy_rate"].disabled
    assert form.fields["levy_rate"].help_text.startswith("Fixed at award: change it by a variation")
    assert form.formsets["lots"].forms[0].fields["maximum_term_months"].disabled
    assert not form.fields["summary"].disabled


def test_the_editor_leaves_the_terms_open_before_award(manager_client, unawarded):
    response = manager_client.get(reverse("wagtailadmin_pages:edit", args=(unawarded.pk,)))

    assert not response.context["form"].fields["levy_rate"].disabled


# --- close_lot is a variation ------------------------------------------------------------------


def test_closing_a_lot_after_award_records_a_variation(
    framework, framework_manager, authority, today
):
    lot = framework.lots.get(number=2)
    services.close_lot(
        actor=framework_manager,
        organisation=authority,
        lot=lot,
        reason="Bought nationally now",
        ground=VariationGround.PROVIDED_FOR,
    )

    variation = Variation.objects.get()
    assert (
        variation.ground,
        variation.explanation,
        variation.old_values,
        variation.new_values,
    ) == (
        "provided_for",
        "Bought nationally now",
        {"lots": {"2": {"closed": False}}},
        {"lots": {"2": {"closed": True}}},
    )
    assert terms.terms_on(framework, today - timedelta(days=1))["lots"]["2"]["closed"] is False
    assert terms.terms_on(framework, today)["lots"]["2"]["closed"] is True


def test_closing_a_lot_after_award_needs_a_ground(framework, framework_manager, authority):
    with pytest.raises(DomainError, match="Choose the ground"):
        services.close_lot(
            actor=framework_manager,
            organisation=authority,
            lot=framework.lots.get(number=2),
            reason="Bought nationally now",
            ground="",
        )
    assert not Variation.objects.exists()


# --- The variation screen and the public page ---------------------------------------------------


def test_the_variation_screen_varies_the_terms(manager_client, framework):
    response = manager_client.get(reverse(VARY, args=(framework.pk,)))
    assert response.status_code == 200
    data = {name: field.initial for name, field in response.context["form"].fields.items()}
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    data |= {"levy_rate": "2.00", "ground": "not_substantial", "explanation": WHY}

    response = manager_client.post(reverse(VARY, args=(framework.pk,)), data)

    assert response.status_code == 302
    assert Variation.objects.get().new_values == {"levy_rate": "2.00"}


def test_the_variation_screen_varies_who_may_use_it_and_keeps_the_named_buyers(
    manager_client, framework, buyer
):
    EligibilityRule.objects.create(framework=framework, key=f"org:{buyer.pk}")
    response = manager_client.get(reverse(VARY, args=(framework.pk,)))
    assert "eligible_organisations" not in response.context["form"].fields
    data = {name: field.initial for name, field in response.context["form"].fields.items()}
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    data |= {"ground": "not_substantial", "explanation": WHY}
    data |= {"councils_in_areas": ["GMCA"], "eligible_regions": ["TLD"]}

    response = manager_client.post(reverse(VARY, args=(framework.pk,)), data)

    assert response.status_code == 302
    assert Variation.objects.get().new_values == {
        "eligibility": ["area:GMCA", "kind:buyer:TLD", f"org:{buyer.pk}"]
    }


def test_the_variation_screen_refuses_no_change(manager_client, framework):
    response = manager_client.get(reverse(VARY, args=(framework.pk,)))
    data = {name: field.initial for name, field in response.context["form"].fields.items()}
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    data |= {"ground": "not_substantial", "explanation": WHY}

    response = manager_client.post(reverse(VARY, args=(framework.pk,)), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Change at least one term"]
    assert not Variation.objects.exists()


def test_the_variation_screen_of_another_authoritys_framework_is_not_found(
    other_manager, other_section, framework, admin_client_for
):
    client = admin_client_for(other_manager)
    assert client.get(reverse(VARY, args=(framework.pk,))).status_code == 404
    assert not Variation.objects.exists()


def test_the_variation_screen_is_not_found_before_award(manager_client, unawarded):
    assert manager_client.get(reverse(VARY, args=(unawarded.pk,))).status_code == 404


def test_the_framework_page_lists_the_changes_to_its_terms(
    client, framework, framework_manager, authority
):
    vary(framework, framework_manager, authority, {"levy_rate": "2.00"})

    page = client.get(framework.url).content.decode()

    assert "Changes to the terms" in page
    assert "Not a substantial modification (s.74)" in page
    assert "Fee (% of call-off value)</dt>" in page
    assert '1.00 <span aria-hidden="true">→</span>' in page
