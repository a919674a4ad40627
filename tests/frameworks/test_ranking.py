"""A lot's ranking (ranked list with rotation): set by the authority before award, varied
after it, validated, audited, and edited on its own admin screen."""

from django.urls import reverse

import pytest

from frameworks import services, terms
from frameworks.models import Appointment, DirectAwardMethod, Lot, Variation, VariationGround
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied
from tests import factories

RANKING = "frameworks_admin:lot-ranking"


def ranked_lot(framework):
    Lot.objects.filter(framework=framework, number=1).update(
        allows_direct_award=True,
        direct_award_mechanism="Offered down the ranking.",
        direct_award_method=DirectAwardMethod.RANKED_ROTATION,
        rotation_period_days=30,
    )
    return Lot.objects.get(framework=framework, number=1)


@pytest.fixture
def suppliers(framework):
    lot = ranked_lot(framework)
    return [
        factories.AppointmentFactory(
            lot=lot, supplier=factories.OrganisationFactory(kind="supplier", legal_name=name)
        ).supplier
        for name in ("Alpha Ltd", "Bravo Ltd", "Charlie Ltd")
    ]


def ranks(lot):
    return list(
        Appointment.objects.filter(lot=lot)
        .order_by("supplier__legal_name")
        .values_list("supplier__legal_name", "rank")
    )


def test_before_award_the_ranking_is_set_and_audited(unawarded, framework_manager, authority):
    lot = ranked_lot(unawarded)
    alpha, bravo = (
        factories.AppointmentFactory(
            lot=lot, supplier=factories.OrganisationFactory(kind="supplier", legal_name=name)
        ).supplier
        for name in ("Alpha Ltd", "Bravo Ltd")
    )

    services.set_lot_ranking(
        actor=framework_manager, organisation=authority, lot=lot, supplier_ids=[bravo.pk, alpha.pk]
    )

    assert ranks(lot) == [("Alpha Ltd", 2), ("Bravo Ltd", 1)]
    event = AuditEvent.objects.get(kind=AuditKind.LOT_RANKING_SET)
    assert event.data == {"lot": 1, "old": [], "new": [bravo.pk, alpha.pk], "variation": None}
    assert not Variation.objects.exists()


def test_after_award_the_ranking_changes_only_by_a_variation(
    framework, suppliers, framework_manager, authority
):
    lot = Lot.objects.get(framework=framework, number=1)
    alpha, bravo, charlie = suppliers
    with pytest.raises(DomainError, match="Choose the ground"):
        services.set_lot_ranking(
            actor=framework_manager,
            organisation=authority,
            lot=lot,
            supplier_ids=[alpha.pk, bravo.pk, charlie.pk],
        )
    assert ranks(lot) == [("Alpha Ltd", None), ("Bravo Ltd", None), ("Charlie Ltd", None)]

    services.set_lot_ranking(
        actor=framework_manager,
        organisation=authority,
        lot=lot,
        supplier_ids=[charlie.pk, alpha.pk, bravo.pk],
        ground=VariationGround.NOT_SUBSTANTIAL,
        explanation="The evaluation was re-marked.",
    )

    assert ranks(lot) == [("Alpha Ltd", 2), ("Bravo Ltd", 3), ("Charlie Ltd", 1)]
    variation = Variation.objects.get()
    assert variation.old_values == {"lots": {"1": {"ranking": []}}}
    assert variation.new_values == {"lots": {"1": {"ranking": [charlie.pk, alpha.pk, bravo.pk]}}}
    assert terms.variation_changes(variation) == [
        ("Lot 1: Ranking of suppliers", "none", "1. Charlie Ltd; 2. Alpha Ltd; 3. Bravo Ltd")
    ]
    assert AuditEvent.objects.get(kind=AuditKind.LOT_RANKING_SET).data["variation"] == (
        variation.pk
    )


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ([0, 1], "Give Charlie Ltd a rank"),
        ([0, 1, 1], "Bravo Ltd's rank must be from 1 to 3, one per active supplier"),
    ],
)
def test_a_ranking_must_rank_every_active_supplier_once(
    framework, suppliers, framework_manager, authority, order, message
):
    lot = Lot.objects.get(framework=framework, number=1)

    with pytest.raises(DomainError) as refusal:
        services.set_lot_ranking(
            actor=framework_manager,
            organisation=authority,
            lot=lot,
            supplier_ids=[suppliers[index].pk for index in order],
            ground=VariationGround.NOT_SUBSTANTIAL,
            explanation="Re-marked.",
        )

    assert message in str(refusal.value)
    assert not Variation.objects.exists()
    assert not Appointment.objects.filter(lot=lot, rank__isnull=False).exists()


def test_another_authority_cannot_rank_the_lot(
    framework, suppliers, other_manager, other_authority
):
    lot = Lot.objects.get(framework=framework, number=1)

    with pytest.raises(PolicyDenied):
        services.set_lot_ranking(
            actor=other_manager,
            organisation=other_authority,
            lot=lot,
            supplier_ids=[supplier.pk for supplier in suppliers],
        )


def test_the_ranking_screen_varies_the_ranking(manager_client, framework, suppliers):
    appointments = {
        appointment.supplier.legal_name: appointment
        for appointment in Appointment.objects.filter(lot__framework=framework)
    }
    url = reverse(RANKING, args=(framework.pk, 1))
    framework_url = reverse("wagtailadmin_pages:edit", args=(framework.pk,))
    assert "Rank Lot 1&#x27;s suppliers" in manager_client.get(framework_url).content.decode()

    duplicate = manager_client.post(
        url,
        {
            f"rank-{appointments['Alpha Ltd'].pk}": "1",
            f"rank-{appointments['Bravo Ltd'].pk}": "1",
            f"rank-{appointments['Charlie Ltd'].pk}": "2",
            "ground": "not_substantial",
            "explanation": "Re-marked.",
        },
    )
    assert "Alpha Ltd and Bravo Ltd share rank 1: give each supplier its own rank" in (
        duplicate.content.decode()
    )

    response = manager_client.post(
        url,
        {
            f"rank-{appointments['Alpha Ltd'].pk}": "2",
            f"rank-{appointments['Bravo Ltd'].pk}": "1",
            f"rank-{appointments['Charlie Ltd'].pk}": "3",
            "ground": "not_substantial",
            "explanation": "Re-marked.",
        },
    )

    assert response.status_code == 302
    lot = Lot.objects.get(framework=framework, number=1)
    assert ranks(lot) == [("Alpha Ltd", 2), ("Bravo Ltd", 1), ("Charlie Ltd", 3)]


def test_the_ranking_screen_is_only_for_a_ranked_lot(manager_client, framework):
    assert manager_client.get(reverse(RANKING, args=(framework.pk, 2))).status_code == 404
