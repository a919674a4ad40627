"""make_award: the contract's terms against the lot's, the KPI rule, which rules apply, and
the supplier checked again at award."""

from datetime import date
from decimal import Decimal

import pytest

from frameworks.models import Appointment
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Award, BuyingProject, RulesApplied
from marketplace.calloffs.services import awards as services
from marketplace.organisations.models import LocalAuthority, Region
from marketplace.organisations.policy import PolicyDenied
from tests import factories

from .award_setup import PCR_2015_FRAMEWORK, award_lot, make_award, project_to_award

pytestmark = pytest.mark.django_db

THREE_KPIS = [
    {"title": "Grass cut on schedule", "target": "95% of cuts on the planned day"},
    {"title": "Complaints answered", "target": "All within 5 working days"},
    {"title": "Litter cleared", "target": "Every bin emptied twice a week"},
]


@pytest.fixture
def project(buyer, procurement_officer):
    return project_to_award(buyer=buyer, officer=procurement_officer)


def refusal(actor, project, **terms) -> str:
    with pytest.raises(services.AwardError) as caught:
        make_award(actor=actor, project=project, **terms)
    return str(caught.value)


def assert_nothing_saved(project):
    assert Award.objects.filter(project=project).count() == 0
    assert not AuditEvent.objects.filter(kind=AuditKind.AWARD_MADE).exists()
    project.refresh_from_db()
    assert project.status == BuyingProject.Status.PREPARING


def test_an_award_below_any_threshold_takes_effect_at_once(project, procurement_officer):
    award = make_award(actor=procurement_officer, project=project)

    assert award.status == Award.Status.AWARDED
    assert award.awarded_at is not None
    assert award.needs_sign_off is False
    project.refresh_from_db()
    assert project.status == BuyingProject.Status.AWARDED


def test_the_award_copies_the_projects_selection(project, procurement_officer):
    award = make_award(actor=procurement_officer, project=project)

    assert (award.route, award.direct_award_method) == ("direct_award", "single_supplier")
    assert award.supplier == project.selected_supplier
    assert award.offering is None
    assert award.shortlist_item is None
    assert award.rotation_offer is None
    assert award.selection_reason == "The lot's one supplier."
    assert award.rules_applied == RulesApplied.PROCUREMENT_ACT_2023
    assert award.is_light_touch is False
    assert award.awarded_by == procurement_officer


def test_the_award_is_audited_with_all_its_terms(project, procurement_officer):
    award = make_award(actor=procurement_officer, project=project, kpis=THREE_KPIS[:1])

    event = AuditEvent.objects.get(kind=AuditKind.AWARD_MADE)
    assert event.organisation_id == project.organisation_id
    assert event.actor_id == procurement_officer.pk
    assert event.data == {
        "award": award.pk,
        "status": "awarded",
        "route": "direct_award",
        "method": "single_supplier",
        "supplier": project.selected_supplier_id,
        "offering": None,
        "shortlist_item": None,
        "rotation_offer": None,
        "selection_reason": "The lot's one supplier.",
        "rules_applied": "pa2023",
        "light_touch": False,
        "description": "Mowing, hedges and litter picking at 12 parks.",
        "value": "100000.00",
        "value_including_vat": "120000.00",
        "starts_on": "2027-04-01",
        "ends_on": "2029-03-31",
        "kpis": [THREE_KPIS[0]],
        "kpi_none_reason": "",
        "needs_sign_off": False,
        "approval_threshold": None,
    }
    moved = AuditEvent.objects.get(kind=AuditKind.PROJECT_STATUS_CHANGED)
    assert moved.data == {"from": "preparing", "to": "awarded", "award": award.pk}


def test_kpis_are_kept_in_the_order_given(project, procurement_officer):
    award = make_award(actor=procurement_officer, project=project, kpis=THREE_KPIS)

    assert [(kpi.position, kpi.title) for kpi in award.kpis.all()] == [
        (1, "Grass cut on schedule"),
        (2, "Complaints answered"),
        (3, "Litter cleared"),
    ]


def test_a_value_below_the_lots_minimum_is_refused(project, procurement_officer):
    message = refusal(procurement_officer, project, value=Decimal("9999.99"))

    assert message == "The value must be at least £10,000.00, the lot's minimum"
    assert_nothing_saved(project)


def test_a_value_above_the_lots_maximum_is_refused(project, procurement_officer):
    message = refusal(
        procurement_officer,
        project,
        value=Decimal("8000000.01"),
        value_including_vat=Decimal("9600000.00"),
    )

    assert message == "The value must be no more than £8,000,000.00, the lot's maximum"
    assert_nothing_saved(project)


def test_a_value_on_the_lots_limits_is_allowed(project, procurement_officer):
    award = make_award(actor=procurement_officer, project=project, value=Decimal("10000.00"))

    assert award.value == Decimal("10000.00")


def test_the_band_is_the_one_in_the_terms_on_the_award_date(buyer, procurement_officer):
    lot = award_lot()
    project = project_to_award(buyer=buyer, officer=procurement_officer, lot=lot)
    # A variation narrows the band from next year: today the old, wider band still applies.
    lot.framework.variations.create(
        ground="not_substantial",
        explanation="Band narrowed.",
        made_by=procurement_officer,
        effective_on=date.today().replace(year=date.today().year + 1),
        old_values={"lots": {"1": {"minimum_value": "1000.00"}}},
        new_values={"lots": {"1": {"minimum_value": "10000.00"}}},
    )

    award = make_award(actor=procurement_officer, project=project, value=Decimal("5000.00"))

    assert award.value == Decimal("5000.00")


def test_a_term_over_the_lots_maximum_is_refused(project, procurement_officer):
    message = refusal(
        procurement_officer, project, starts_on=date(2027, 4, 1), ends_on=date(2030, 4, 1)
    )

    assert message == "The contract runs for 37 months; the lot allows at most 36"
    assert_nothing_saved(project)


def test_a_term_of_exactly_the_maximum_is_allowed(project, procurement_officer):
    award = make_award(
        actor=procurement_officer,
        project=project,
        starts_on=date(2027, 4, 1),
        ends_on=date(2030, 3, 31),
    )

    assert award.ends_on == date(2030, 3, 31)


def test_an_end_before_the_start_is_refused(project, procurement_officer):
    message = refusal(
        procurement_officer, project, starts_on=date(2027, 4, 1), ends_on=date(2027, 3, 31)
    )

    assert message == "The end date must be on or after the start date"
    assert_nothing_saved(project)


def test_a_value_including_vat_below_the_value_is_refused(project, procurement_officer):
    message = refusal(procurement_officer, project, value_including_vat=Decimal("99999.99"))

    assert message == "The value including VAT cannot be less than the value excluding VAT"


def test_a_contract_description_is_required(project, procurement_officer):
    assert refusal(procurement_officer, project, description="  ") == "Describe the contract"


def test_a_contract_over_5_million_including_vat_needs_three_kpis(project, procurement_officer):
    message = refusal(
        procurement_officer,
        project,
        value=Decimal("4200000.00"),
        value_including_vat=Decimal("5040000.00"),
        kpis=THREE_KPIS[:2],
    )

    assert message == (
        "A contract worth more than £5,000,000 including VAT needs at least 3 key performance "
        "indicators, or the reason for setting none"
    )
    assert_nothing_saved(project)


def test_three_kpis_satisfy_the_rule(project, procurement_officer):
    award = make_award(
        actor=procurement_officer,
        project=project,
        value=Decimal("4200000.00"),
        value_including_vat=Decimal("5040000.00"),
        kpis=THREE_KPIS,
    )

    assert award.kpis.count() == 3


def test_a_reason_for_setting_no_kpis_satisfies_the_rule(project, procurement_officer):
    award = make_award(
        actor=procurement_officer,
        project=project,
        value=Decimal("4200000.00"),
        value_including_vat=Decimal("5040000.00"),
        kpi_none_reason="Performance is measured by the statutory inspection.",
    )

    assert award.kpi_none_reason == "Performance is measured by the statutory inspection."


def test_exactly_5_million_including_vat_needs_no_kpis(project, procurement_officer):
    award = make_award(
        actor=procurement_officer,
        project=project,
        value=Decimal("4166666.67"),
        value_including_vat=Decimal("5000000.00"),
    )

    assert award.kpis.count() == 0


def test_a_light_touch_contract_needs_no_kpis(buyer, procurement_officer):
    lot = award_lot(framework_fields={"kind": "light_touch"})
    project = project_to_award(buyer=buyer, officer=procurement_officer, lot=lot)

    award = make_award(
        actor=procurement_officer,
        project=project,
        value=Decimal("6000000.00"),
        value_including_vat=Decimal("7200000.00"),
    )

    assert award.is_light_touch is True


def test_a_kpi_without_a_target_is_refused(project, procurement_officer):
    message = refusal(
        procurement_officer, project, kpis=[{"title": "Grass cut on schedule", "target": ""}]
    )

    assert message == "Give each key performance indicator a target"


def test_a_supplier_suspended_since_selection_is_refused_with_the_reason(
    project, procurement_officer
):
    Appointment.objects.filter(supplier=project.selected_supplier).update(
        status=Appointment.Status.SUSPENDED, reason="Insurance lapsed"
    )

    message = refusal(procurement_officer, project)

    assert message == (
        "Greenway Grounds Ltd's appointment to this lot is suspended: Insurance lapsed"
    )
    assert_nothing_saved(project)


def test_a_debarred_supplier_is_refused(project, procurement_officer):
    factories.debarment_entry(supplier=project.selected_supplier)

    message = refusal(procurement_officer, project)

    assert "Greenway Grounds Ltd" in message
    assert_nothing_saved(project)


def test_a_project_without_a_selected_supplier_cannot_be_awarded(buyer, procurement_officer):
    project = project_to_award(buyer=buyer, officer=procurement_officer)
    BuyingProject.objects.filter(pk=project.pk).update(selected_supplier=None)
    project.refresh_from_db()

    message = refusal(procurement_officer, project)

    assert message == "Choose the supplier first, by the lot's direct-award mechanism"


def test_a_project_has_one_standing_award(project, procurement_officer):
    make_award(actor=procurement_officer, project=project)
    project.refresh_from_db()

    message = refusal(procurement_officer, project)

    assert message == "This project is awarded: it cannot be awarded"
    assert Award.objects.filter(project=project).count() == 1


def test_an_award_awaiting_sign_off_blocks_another(buyer, project, procurement_officer):
    from .award_setup import set_threshold

    set_threshold(buyer, "50000.00")
    make_award(actor=procurement_officer, project=project)

    assert refusal(procurement_officer, project) == "This project already has an award"


def test_a_colleague_off_the_team_cannot_award(project, colleague):
    with pytest.raises(PolicyDenied):
        make_award(actor=colleague, project=project)

    assert_nothing_saved(project)


def test_someone_from_another_organisation_cannot_award(project, outsider):
    with pytest.raises(PolicyDenied):
        make_award(actor=outsider, project=project)


def test_a_pcr_2015_framework_awards_under_its_regime(buyer, procurement_officer):
    lot = award_lot(framework_fields=PCR_2015_FRAMEWORK)
    project = project_to_award(buyer=buyer, officer=procurement_officer, lot=lot)

    assert services.rules_applied_for(project) == RulesApplied.PCR_2015


def test_a_buyer_in_scotland_follows_the_devolved_scottish_rules(procurement_officer):
    buyer = factories.OrganisationFactory(kind="buyer", region=Region.SCOTLAND)
    project = project_to_award(buyer=buyer, officer=procurement_officer)

    assert services.rules_applied_for(project) == RulesApplied.DEVOLVED_SCOTTISH


def test_a_scottish_council_follows_the_devolved_scottish_rules(procurement_officer):
    council = LocalAuthority.objects.filter(nation="Scotland").first()
    buyer = factories.OrganisationFactory(
        kind="buyer", region=Region.NORTH_WEST, local_authority=council
    )
    project = project_to_award(buyer=buyer, officer=procurement_officer)

    assert services.rules_applied_for(project) == RulesApplied.DEVOLVED_SCOTTISH


def test_an_english_buyer_on_an_act_framework_follows_the_act(project):
    assert services.rules_applied_for(project) == RulesApplied.PROCUREMENT_ACT_2023


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "months"),
    [
        (date(2027, 1, 1), date(2028, 12, 31), 24),
        (date(2027, 1, 15), date(2028, 1, 14), 12),
        (date(2027, 1, 15), date(2028, 1, 15), 13),
        (date(2027, 1, 1), date(2027, 1, 1), 1),
        (date(2027, 3, 1), date(2027, 3, 31), 1),
    ],
)
def test_term_months_counts_a_part_month_as_whole(starts_on, ends_on, months):
    assert services.term_months(starts_on, ends_on) == months
