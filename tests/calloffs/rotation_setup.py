"""Builders for the ranked-list and single-supplier tests: a lot using the mechanism, ranked
appointments, buying projects on it, and standing awards made directly as rows (the award
service is tested on its own)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from frameworks.models import DirectAwardMethod, Route
from marketplace.calloffs.models import Award, BuyingProject, RulesApplied
from tests import factories

_references = count(1)


def rotation_lot(*, method=DirectAwardMethod.RANKED_ROTATION, period_days=30, answer_days=5):
    return factories.framework_page(
        lots=[
            {
                "number": 1,
                "title": "Housing repairs",
                "allows_direct_award": True,
                "direct_award_mechanism": "Offered down the ranking from the evaluation.",
                "direct_award_method": method,
                "rotation_period_days": period_days,
                "offer_response_working_days": answer_days,
            }
        ]
    ).lots.get()


def ranked_suppliers(lot, names):
    """Suppliers appointed to `lot`, ranked 1, 2, ... in the order named."""
    return [
        factories.AppointmentFactory(
            lot=lot,
            supplier=factories.OrganisationFactory(kind="supplier", legal_name=name),
            rank=rank,
        ).supplier
        for rank, name in enumerate(names, start=1)
    ]


def project_on(lot, *, buyer, officer, title="Boiler replacement"):
    return BuyingProject.objects.create(
        reference=f"BP-2026-{next(_references):06d}",
        organisation=buyer,
        title=title,
        need="Replace the boilers in 40 homes.",
        estimated_value=Decimal("80000.00"),
        estimated_term_months=12,
        created_by=officer,
        lot=lot,
        route=Route.DIRECT_AWARD,
        direct_award_method=lot.direct_award_method,
    )


def award_on(lot, *, supplier, awarded_on: date, buyer, officer, status=Award.Status.AWARDED):
    """A standing ranked-list award to `supplier`, taking effect at noon on `awarded_on`."""
    project = project_on(lot, buyer=buyer, officer=officer, title=f"Earlier job for {supplier}")
    awarded_at = timezone.make_aware(datetime.combine(awarded_on, time(12)))
    return Award.objects.create(
        project=project,
        status=status,
        route=Route.DIRECT_AWARD,
        direct_award_method=DirectAwardMethod.RANKED_ROTATION,
        supplier=supplier,
        selection_reason="First in the ranking to accept.",
        rules_applied=RulesApplied.PROCUREMENT_ACT_2023,
        description="Repairs.",
        value=Decimal("10000.00"),
        value_including_vat=Decimal("12000.00"),
        starts_on=awarded_on,
        ends_on=awarded_on + timedelta(days=365),
        awarded_by=officer,
        awarded_at=awarded_at,
        withdrawal_reason="Awarded in error." if status == Award.Status.WITHDRAWN else "",
    )
