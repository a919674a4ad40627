"""Call-offs as OCDS 1.1 open data: one contracting process (one `ocid`) per call-off.

A call-off is published once its contract is entered into, from the register's Contract and
its award, with the helpers the frameworks' open data uses (frameworks.ocds), so parties,
dates, amounts and the package read the same. How it maps onto OCDS:

* The `ocid` is "<OCDS_OCID_PREFIX>-calloff-<project reference>": the buying project is the
  contracting process. `relatedProcesses` has one entry with relationship "framework": the
  framework's `ocid` and its release package URL, the lot named in its title.
* `tender`: the buyer is `procuringEntity`; `techniques.hasFrameworkAgreement`; direct award
  is `procurementMethod` "limited" with `competitive` false (the techniques extension) and
  the method withoutReopeningCompetition; further competition is "selective", competitive,
  withReopeningCompetition. `procurementMethodDetails` names the rules applied and, for
  direct award, the lot's mechanism.
* Parties are the buyer (buyer, procuringEntity) and the supplier, with the supplier's PPON
  (scheme GB-PPON) as an additional identifier when it has one. A further competition's
  `tender.tenderers` are the suppliers who bid (not those only invited), each a party with
  the role "tenderer".
* One award (the supplier, the value excluding VAT, the date it took effect, the contract
  award notice) and one contract (value, period, `dateSigned` the day it was entered into,
  status by today's date, the contract details notice and the published contract document).
  Published performance assessments (s.71) are contract `implementation.documents` that link
  the contract's public page.
* Nothing from bids but who bid, no selection reasons and no people.
"""

import hashlib
import json
from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from frameworks import ocds as framework_ocds
from frameworks.models import Route
from marketplace.competitions.models import Bid
from marketplace.organisations.models import Organisation

from .models import Contract

PPON_SCHEME = "GB-PPON"
PROCUREMENT_METHOD = {Route.DIRECT_AWARD: "limited", Route.FURTHER_COMPETITION: "selective"}
FRAMEWORK_METHOD = {
    Route.DIRECT_AWARD: "withoutReopeningCompetition",
    Route.FURTHER_COMPETITION: "withReopeningCompetition",
}


def ocid(contract: Contract) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-calloff-{contract.project.reference}"


def absolute(url: str) -> str:
    return framework_ocds._absolute(url)


def release_package_url(contract: Contract) -> str:
    return absolute(reverse("contracts:ocds", args=(contract.reference,)))


def contract_page_url(contract: Contract) -> str:
    return absolute(reverse("contracts:detail", args=(contract.reference,)))


def contract_status(contract: Contract, *, today: date) -> str:
    if today < contract.starts_on:
        return "pending"
    return "active" if today <= contract.ends_on else "terminated"


def procurement_method_details(contract: Contract) -> str:
    text = f"{contract.award.get_rules_applied_display()}: call-off under a framework agreement"
    if contract.route == Route.DIRECT_AWARD:
        mechanism = contract.award.get_direct_award_method_display()
        return f"{text}, direct award ({mechanism})" if mechanism else f"{text}, direct award"
    return f"{text}, further competition"


def _supplier_party(supplier: Organisation, roles: list[str]) -> dict:
    party = framework_ocds._party(supplier, roles)
    if supplier.ppon:
        party["additionalIdentifiers"] = [
            {"scheme": PPON_SCHEME, "id": supplier.ppon, "legalName": supplier.legal_name}
        ]
    return party


def tenderers_by_project(contracts) -> dict[int, list[Organisation]]:
    """The suppliers who bid in each further-competition call-off's competition, by project
    id, in one query (none when there is no such call-off)."""
    projects = [c.project_id for c in contracts if c.route == Route.FURTHER_COMPETITION]
    if not projects:
        return {}
    bidders = defaultdict(list)
    for supplier in (
        Organisation.objects.filter(
            competition_bids__competition__project_id__in=projects,
            competition_bids__status=Bid.Status.SUBMITTED,
        )
        .annotate(bid_project_id=F("competition_bids__competition__project_id"))
        .order_by("legal_name", "pk")
    ):
        bidders[supplier.bid_project_id].append(supplier)
    return bidders


def _parties(contract: Contract, tenderers: list[Organisation]) -> list[dict]:
    winner_bid = contract.supplier in tenderers
    return [
        framework_ocds._party(contract.buyer, ["buyer", "procuringEntity"]),
        _supplier_party(
            contract.supplier, ["supplier", "tenderer"] if winner_bid else ["supplier"]
        ),
        *(
            _supplier_party(tenderer, ["tenderer"])
            for tenderer in tenderers
            if tenderer != contract.supplier
        ),
    ]


def _related_framework(contract: Contract) -> dict:
    framework, lot = contract.framework, contract.lot
    return {
        "id": "framework",
        "relationship": ["framework"],
        "title": f"{framework.title}, lot {lot.number}: {lot.title}",
        "scheme": "ocid",
        "identifier": framework_ocds.ocid(framework),
        "uri": framework_ocds.release_package_url(framework),
    }


def award_notice_description(contract: Contract) -> str:
    award = contract.award
    if not award.notice_identifier:
        return ""
    published = award.notice_published_on.isoformat()
    return f"Contract award notice {award.notice_identifier} published {published}."


def details_notice_description(contract: Contract) -> str:
    if not contract.details_notice_identifier:
        return ""
    return (
        f"Contract details notice {contract.details_notice_identifier} published "
        f"{contract.details_notice_published_on.isoformat()}."
    )


def _contract_documents(contract: Contract) -> list[dict]:
    documents = [
        {
            "id": "contract-page",
            "documentType": "contractNotice",
            "title": contract.title,
            "url": contract_page_url(contract),
            "format": "text/html",
            "language": "en",
        }
    ]
    document = contract.contract_document
    if document is not None:
        documents.append(
            {
                "id": "contract-document",
                "documentType": "contractSigned",
                "title": document.title,
                "url": absolute(document.url),
                "datePublished": framework_ocds._datetime(document.created_at),
                "language": "en",
            }
        )
    return documents


def _assessment_documents(contract: Contract) -> list[dict]:
    return [
        {
            "id": f"assessment-{assessment.pk}",
            "documentType": "physicalProgressReport",
            "title": (
                f"Performance assessment, {assessment.period_start.isoformat()} to "
                f"{assessment.period_end.isoformat()}"
            ),
            "description": assessment.summary,
            "url": contract_page_url(contract) + f"#assessment-{assessment.pk}",
            "datePublished": framework_ocds._datetime(assessment.assessed_at),
            "format": "text/html",
            "language": "en",
        }
        for assessment in contract.assessments.all()
    ]


def release_date(contract: Contract) -> str:
    """When the published data last changed: entry into the contract, the award, an edit to
    either organisation, or the latest assessment."""
    moments = [
        contract.created_at,
        contract.award.awarded_at,
        contract.buyer.updated_at,
        contract.supplier.updated_at,
        *(assessment.assessed_at for assessment in contract.assessments.all()),
    ]
    return framework_ocds._datetime(max(moment for moment in moments if moment is not None))


def build_release(contract: Contract, *, today: date, tenderers: list[Organisation]) -> dict:
    """The call-off as one OCDS release, from register.contracts_for_open_data and, for a
    further competition, the suppliers who bid (tenderers_by_project)."""
    with translation.override("en"):
        return _build_release(contract, today=today, tenderers=tenderers)


def _build_release(contract: Contract, *, today: date, tenderers: list[Organisation]) -> dict:
    award, buyer = contract.award, contract.buyer
    award_id = f"award-{award.pk}"
    period = {
        "startDate": framework_ocds.start_of(contract.starts_on),
        "endDate": framework_ocds.end_of(contract.ends_on),
    }
    direct = contract.route == Route.DIRECT_AWARD
    release = {
        "ocid": ocid(contract),
        "date": release_date(contract),
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "en",
        "parties": _parties(contract, tenderers),
        "buyer": framework_ocds._organisation_reference(buyer),
        "relatedProcesses": [_related_framework(contract)],
        "tender": {
            "id": contract.project.reference,
            "title": contract.title,
            "status": "complete",
            "procuringEntity": framework_ocds._organisation_reference(buyer),
            "procurementMethod": PROCUREMENT_METHOD[contract.route],
            "procurementMethodDetails": procurement_method_details(contract),
            "competitive": not direct,
            "techniques": {
                "hasFrameworkAgreement": True,
                "frameworkAgreement": {"method": FRAMEWORK_METHOD[contract.route]},
            },
            "tenderers": [framework_ocds._organisation_reference(t) for t in tenderers],
            "numberOfTenderers": len(tenderers) if tenderers else None,
        },
        "awards": [
            {
                "id": award_id,
                "title": contract.title,
                "description": award_notice_description(contract),
                "status": "active",
                "date": framework_ocds._datetime(award.awarded_at) if award.awarded_at else None,
                "value": framework_ocds._value(contract.value),
                "suppliers": [framework_ocds._organisation_reference(contract.supplier)],
                "contractPeriod": period,
            }
        ],
        "contracts": [
            {
                "id": contract.reference,
                "awardID": award_id,
                "title": contract.title,
                "description": " ".join(
                    part
                    for part in (contract.description, details_notice_description(contract))
                    if part
                ),
                "status": contract_status(contract, today=today),
                "value": framework_ocds._value(contract.value),
                "period": period,
                "dateSigned": framework_ocds.start_of(contract.entered_into_on),
                "documents": _contract_documents(contract),
                "implementation": {"documents": _assessment_documents(contract)},
            }
        ],
    }
    release = framework_ocds._pruned(release)
    digest = hashlib.sha256(json.dumps(release, sort_keys=True).encode()).hexdigest()[:16]
    return {"ocid": release["ocid"], "id": f"{release['ocid']}-{digest}", **release}


def build_release_package(contracts, *, published_at: datetime, uri: str) -> dict:
    """A release package of the given contracts' call-off releases, as at `published_at`."""
    today = timezone.localdate(published_at, framework_ocds._london())
    contracts = list(contracts)
    tenderers = tenderers_by_project(contracts)
    return {
        "uri": uri,
        "version": framework_ocds.OCDS_VERSION,
        "extensions": list(framework_ocds.EXTENSIONS),
        "publishedDate": framework_ocds._datetime(published_at),
        "publisher": framework_ocds._publisher(),
        "releases": [
            build_release(contract, today=today, tenderers=tenderers.get(contract.project_id, []))
            for contract in contracts
        ],
    }
