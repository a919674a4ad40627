"""The data of the contract award notice (UK6) for a call-off under the Procurement Act 2023.

The notice is published on the central digital platform, which this service cannot reach: the
buyer copies this data there (or downloads it as JSON) and records the notice's identifier.
Money is text in pounds to the penny and dates ISO 8601, so the JSON is exact.
"""

from django.utils import timezone

from frameworks.models import Route

from .models import Award

UK6 = "UK6"


def _address(organisation) -> dict:
    return {
        "line_1": organisation.address_line_1,
        "line_2": organisation.address_line_2,
        "town": organisation.town,
        "postcode": organisation.postcode,
    }


def contract_award_notice(award: Award) -> dict:
    """What the UK6 notice says about `award`: the framework's procurement, the buyer, the
    supplier and the contract."""
    project = award.project
    lot = project.lot
    framework = lot.framework
    buyer, supplier = project.organisation, award.supplier
    return {
        "notice_type": UK6,
        "procurement": {
            "framework": framework.title,
            "framework_reference": framework.reference,
            "procurement_identifier": framework.award_notice_identifier,
            "lot": {"number": lot.number, "title": lot.title},
        },
        "buyer": {
            "name": buyer.name,
            "ppon": buyer.ppon,
            "address": _address(buyer),
            "email": buyer.contact_email,
        },
        "supplier": {
            "name": supplier.name,
            "ppon": supplier.ppon,
            "address": _address(supplier),
            "email": supplier.contact_email,
        },
        "award": {
            "project_reference": project.reference,
            "route": award.get_route_display(),
            "competitive": award.route == Route.FURTHER_COMPETITION,
            "mechanism": award.get_direct_award_method_display(),
            "selection_reason": award.selection_reason,
            "rules_applied": award.get_rules_applied_display(),
            "awarded_on": timezone.localdate(award.awarded_at).isoformat()
            if award.awarded_at
            else None,
        },
        "contract": {
            "title": project.title,
            "description": award.description,
            "value_excluding_vat": f"{award.value:.2f}",
            "value_including_vat": f"{award.value_including_vat:.2f}",
            "currency": "GBP",
            "starts_on": award.starts_on.isoformat(),
            "ends_on": award.ends_on.isoformat(),
            "light_touch": award.is_light_touch,
            "kpis": [{"title": kpi.title, "target": kpi.target} for kpi in award.kpis.all()],
            "kpi_none_reason": award.kpi_none_reason,
        },
    }
