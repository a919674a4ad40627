"""The data of a contract details notice (UK7, Procurement Act 2023 s.53) for a call-off.

The buyer publishes the notice on the central digital platform, which this service cannot
reach; this gives them what it asks for, as a summary to copy and as JSON. Values are text
(money to the penny, dates in ISO 8601), so the JSON says exactly what the page says.
"""

from django.utils.translation import gettext_lazy as _

from frameworks.models import DirectAwardMethod, Route
from marketplace.organisations.models import Organisation

from .models import Contract, RulesApplied
from .services.awards import KPI_THRESHOLD

# Why a direct award is not a competitive selection: the framework's mechanism picked the
# supplier (s.45(4)).
MECHANISM_EXPLANATIONS = {
    DirectAwardMethod.SEARCH_AND_SHORTLIST: _(
        "Awarded without competition under the framework: the buyer searched the lot's "
        "offerings, froze the results as a shortlist and chose among the items it kept."
    ),
    DirectAwardMethod.RANKED_ROTATION: _(
        "Awarded without competition under the framework: offered to the highest-ranked "
        "supplier on the lot's ranked list, with rotation, who accepted."
    ),
    DirectAwardMethod.SINGLE_SUPPLIER: _(
        "Awarded without competition under the framework: the lot has a single supplier."
    ),
}


def _organisation(organisation: Organisation) -> dict:
    address = ", ".join(
        part
        for part in (
            organisation.address_line_1,
            organisation.address_line_2,
            organisation.town,
            organisation.postcode,
        )
        if part
    )
    return {
        "name": organisation.name,
        "ppon": organisation.ppon,
        "address": address,
        "email": organisation.contact_email,
    }


def kpis_required(contract: Contract) -> bool:
    """Whether s.52 asks for at least three KPIs (or the reason for none), from what the
    award recorded: over £5 million including VAT, not light-touch, under the Act."""
    award = contract.award
    return (
        award.rules_applied == RulesApplied.PROCUREMENT_ACT_2023
        and not award.is_light_touch
        and award.value_including_vat > KPI_THRESHOLD
    )


def contract_details_notice(contract: Contract) -> dict:
    """What the UK7 for the contract says: the contract, the parties, how the supplier was
    chosen (competitive or not, and the mechanism when not), the KPIs or the reason for none,
    and the published contract document."""
    award = contract.award
    competitive = contract.route == Route.FURTHER_COMPETITION
    document = contract.contract_document
    return {
        "notice": "UK7",
        "contract": {
            "reference": contract.reference,
            "title": contract.title,
            "description": contract.description,
            "value": str(contract.value),
            "value_including_vat": str(contract.value_including_vat),
            "starts_on": contract.starts_on.isoformat(),
            "ends_on": contract.ends_on.isoformat(),
            "entered_into_on": contract.entered_into_on.isoformat(),
            "light_touch": award.is_light_touch,
        },
        "rules_applied": str(award.get_rules_applied_display()),
        "due_on": (
            contract.details_notice_due_on.isoformat() if contract.details_notice_due_on else None
        ),
        "buyer": _organisation(contract.buyer),
        "supplier": _organisation(contract.supplier),
        "framework": {
            "title": contract.framework.title,
            "reference": contract.framework.reference,
            "award_notice_identifier": contract.framework.award_notice_identifier,
            "lot": str(contract.lot),
        },
        "contract_award_notice": {
            "identifier": award.notice_identifier,
            "published_on": (
                award.notice_published_on.isoformat() if award.notice_published_on else None
            ),
        },
        "competitive_selection": competitive,
        "direct_award": None
        if competitive
        else {
            "mechanism": str(award.get_direct_award_method_display()),
            "explanation": str(MECHANISM_EXPLANATIONS.get(award.direct_award_method, "")),
            "framework_mechanism": contract.lot.direct_award_mechanism,
            "selection_reason": award.selection_reason,
        },
        "kpis_required": kpis_required(contract),
        "kpis": [
            {"title": kpi.title, "target": kpi.target, "social_value": kpi.is_social_value}
            for kpi in award.kpis.all()
        ],
        "kpi_none_reason": award.kpi_none_reason,
        "contract_document": document.url if document else None,
    }
