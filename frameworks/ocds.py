"""Frameworks as OCDS 1.1 open data: one contracting process (one `ocid`) per framework.

Build from the published page only (`FrameworkPage.objects.live()`): the page row and its lots
hold the published version; drafts live in revisions, which nothing here reads.

How our data maps onto OCDS (1.1, with the lots, techniques and submissionTerms extensions):

* The framework is a tender with `techniques.hasFrameworkAgreement`; each lot is a `tender.lots`
  entry (`lot-<number>`); the authority is the `buyer` and the `procuringEntity`.
* Tender (and lot) status from the lifecycle: coming → planned; open, evaluating and
  standstill → active (the competition for places is still running until the agreement is
  concluded); live and expired → complete. A suspended framework keeps the status its dates
  give: tenderStatus has no code for a suspension. A closed lot is "cancelled": it takes no
  more call-offs, though its award stays on record.
* `procurementMethod` is "open": any supplier may apply while applications are open.
  `procurementMethodDetails` names the law (Procurement Act 2023 or Public Contracts
  Regulations 2015) and the kind of framework. Each award's `description` gives the contract
  award notice's identifier and publication date, and under the Act the standstill's end.
* Each lot with at least one listed supplier has an award (`award-lot-<number>`) naming the
  suppliers with an active appointment that has not ended; suspended and excluded suppliers
  are not listed. The award is "pending" until the framework starts, then "active".
* Each recorded variation of the awarded terms is a `tender.amendments` entry
  (`variation-<id>`): its `date` is the start of the day the new terms took effect, its
  `rationale` the ground in the Act and the explanation, its `description` each changed
  term's old and new value. Who recorded it is a person, so it is not published.
* Lot `value` and `minimumValue` are the lot's maximum and minimum call-off values (GBP).
  Lot `contractPeriod.durationInDays` is the maximum call-off term, counted from the start.
* `frameworkAgreement.method` from the routes the lots allow: direct award only →
  withoutReopeningCompetition, further competition only → withReopeningCompetition, both →
  withAndWithoutReopeningCompetition.
* Parties are organisations only: the organisation's own contact e-mail, never a person's.
  Party ids: GB-COH-<company number>, GB-CHC / GB-SC / GB-NIC-<charity number>, otherwise a
  local scheme "<OCDS_OCID_PREFIX>-org" with our organisation id.
* Dates are RFC 3339 date-times in Europe/London: a period starts at 00:00:00 on its first day
  and ends at 23:59:59 on its last. Amounts are JSON numbers quantised to pence.
* The release `id` is the ocid and a hash of the release's content, so it changes exactly when
  the published data does; its `date` is the last change: publication, an edit to an
  organisation named in it, an appointment change, a lot's closure, a variation, or the
  lifecycle date that last moved the status.
"""

import calendar
import copy
import hashlib
import json
import mimetypes
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.organisations.models import Organisation, Region

from . import selectors, terms
from .eligibility import describe, framework_keys
from .lifecycle import Lifecycle, status_from_dates
from .models import Appointment, FrameworkPage, Lot, LotClosure, Regime, Variation

OCDS_VERSION = "1.1"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_submissionTerms_extension/master/extension.json",
]
CURRENCY = "GBP"
COUNTRY = "United Kingdom"

TENDER_STATUS = {
    Lifecycle.COMING: "planned",
    Lifecycle.OPEN: "active",
    Lifecycle.EVALUATING: "active",
    Lifecycle.STANDSTILL: "active",
    Lifecycle.LIVE: "complete",
    Lifecycle.EXPIRED: "complete",
}

METHOD_BY_ROUTES = {
    (True, False): "withoutReopeningCompetition",
    (False, True): "withReopeningCompetition",
    (True, True): "withAndWithoutReopeningCompetition",
}

PENNY = Decimal("0.01")


# --- Identifiers and URLs ---------------------------------------------------------------------


def ocid(framework: FrameworkPage) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-framework-{framework.pk}"


def local_scheme() -> str:
    return f"{settings.OCDS_OCID_PREFIX}-org"


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def release_package_url(framework: FrameworkPage) -> str:
    return _absolute(reverse("frameworks:ocds", kwargs={"slug": framework.slug}))


def record_package_url(framework: FrameworkPage) -> str:
    return _absolute(reverse("frameworks:ocds-record", kwargs={"slug": framework.slug}))


def organisation_identifier(organisation: Organisation) -> dict:
    """{scheme, id, legalName} from the best register the organisation is known by."""
    if organisation.company_number:
        scheme, register_id = "GB-COH", organisation.company_number
    elif organisation.charity_number.startswith("SC"):
        scheme, register_id = "GB-SC", organisation.charity_number
    elif organisation.charity_number.startswith("NIC"):
        scheme, register_id = "GB-NIC", organisation.charity_number.removeprefix("NIC")
    elif organisation.charity_number:
        scheme, register_id = "GB-CHC", organisation.charity_number
    else:
        scheme, register_id = local_scheme(), str(organisation.pk)
    return {"scheme": scheme, "id": register_id, "legalName": organisation.legal_name}


def party_id(organisation: Organisation) -> str:
    identifier = organisation_identifier(organisation)
    return f"{identifier['scheme']}-{identifier['id']}"


# --- Values -----------------------------------------------------------------------------------


def _london() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def start_of(day: date) -> str:
    return datetime.combine(day, time.min, tzinfo=_london()).isoformat()


def end_of(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), tzinfo=_london()).isoformat()


def _datetime(moment: datetime) -> str:
    return timezone.localtime(moment, _london()).isoformat(timespec="seconds")


def amount(value: Decimal) -> int | float:
    """A Decimal as a JSON number, in pence precision. Floats appear only at this boundary."""
    value = value.quantize(PENNY)
    return int(value) if value == value.to_integral_value() else float(value)


def _value(value: Decimal) -> dict:
    return {"amount": amount(value), "currency": CURRENCY}


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _pruned(value):
    """Drop None, empty strings, lists and objects, recursively: OCDS omits unknown fields."""
    if isinstance(value, dict):
        pruned = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        pruned = [_pruned(item) for item in value]
        return [item for item in pruned if item not in (None, "", [], {})]
    return value


# --- Parts of a release -----------------------------------------------------------------------


def _status_by_dates(framework: FrameworkPage, today: date) -> Lifecycle:
    """The lifecycle status ignoring a suspension, which tenderStatus cannot express."""
    return status_from_dates(
        today=today,
        applications_open_on=framework.applications_open_on,
        applications_close_on=framework.applications_close_on,
        award_on=framework.award_on,
        starts_on=framework.starts_on,
        ends_on=framework.ends_on,
        reopenings=framework.reopening_windows(),
    )


def _organisation_reference(organisation: Organisation) -> dict:
    return {"id": party_id(organisation), "name": organisation.name}


def _party(organisation: Organisation, roles: list[str]) -> dict:
    return {
        "id": party_id(organisation),
        "name": organisation.name,
        "identifier": organisation_identifier(organisation),
        "address": {
            "streetAddress": ", ".join(
                line for line in (organisation.address_line_1, organisation.address_line_2) if line
            ),
            "locality": organisation.town,
            "region": str(Region(organisation.region).label) if organisation.region else "",
            "postalCode": organisation.postcode,
            "countryName": COUNTRY,
        },
        "contactPoint": {"name": organisation.name, "email": organisation.contact_email},
        "roles": roles,
    }


def _classification(cpv) -> dict:
    return {"scheme": "CPV", "id": cpv.code.split("-")[0], "description": cpv.title}


def procurement_category(cpv_code: str) -> str:
    """CPV divisions: 45 is works; 03 to 44 and 48 are goods; the rest are services."""
    division = int(cpv_code[:2])
    if division == 45:
        return "works"
    if division <= 44 or division == 48:
        return "goods"
    return "services"


def _method(lots: list[Lot]) -> str | None:
    direct = any(lot.allows_direct_award for lot in lots)
    competition = any(lot.allows_further_competition for lot in lots)
    return METHOD_BY_ROUTES.get((direct, competition))


def buyer_categories(framework: FrameworkPage) -> str:
    """Who may use the framework, in words: "Buyers in North West (England)"."""
    text = "; ".join(describe(framework_keys(framework)))
    return f"{text[0].upper()}{text[1:]}"


def _lot(lot: Lot, *, framework: FrameworkPage, status: str) -> dict:
    term_end = _add_months(framework.starts_on, lot.maximum_term_months)
    return {
        "id": f"lot-{lot.number}",
        "title": lot.title,
        "description": lot.description,
        "status": status,
        "value": _value(lot.maximum_value) if lot.maximum_value is not None else None,
        "minimumValue": _value(lot.minimum_value) if lot.minimum_value is not None else None,
        "contractPeriod": {"durationInDays": (term_end - framework.starts_on).days},
        "additionalClassifications": [_classification(cpv) for cpv in lot.cpv_codes.all()],
        "techniques": {
            "hasFrameworkAgreement": True,
            "frameworkAgreement": {
                "method": _method([lot]),
                "description": lot.direct_award_mechanism if lot.allows_direct_award else "",
            },
        },
    }


def _documents(framework: FrameworkPage) -> list[dict]:
    documents = []
    page_url = framework.get_url()
    if page_url:
        documents.append(
            {
                "id": "framework-page",
                "documentType": "tenderNotice",
                "title": framework.title,
                "description": framework.summary,
                "url": _absolute(page_url),
                "format": "text/html",
                "language": "en",
            }
        )
    for attached in framework.documents.select_related("document").order_by("sort_order", "pk"):
        document = attached.document
        documents.append(
            {
                "id": f"document-{attached.pk}",
                "title": attached.link_text,
                "url": _absolute(document.url),
                "format": mimetypes.guess_type(document.filename)[0],
                "datePublished": _datetime(document.created_at),
                "language": "en",
            }
        )
    return documents


def _award(lot: Lot, *, framework: FrameworkPage, today: date) -> dict:
    return {
        "id": f"award-lot-{lot.number}",
        "title": f"Lot {lot.number}: {lot.title}",
        "status": "active" if today >= framework.starts_on else "pending",
        "date": start_of(framework.award_on),
        "description": award_notice_description(framework),
        "relatedLots": [f"lot-{lot.number}"],
        "suppliers": [
            _organisation_reference(appointment.supplier) for appointment in lot.listed_appointments
        ],
        "contractPeriod": {
            "startDate": start_of(framework.starts_on),
            "endDate": end_of(framework.ends_on),
        },
    }


def _amendment(variation: Variation) -> dict:
    return {
        "id": f"variation-{variation.pk}",
        "date": start_of(variation.effective_on),
        "rationale": f"{variation.get_ground_display()}. {variation.explanation}",
        "description": "; ".join(
            f"{term}: {old} changed to {new}"
            for term, old, new in terms.variation_changes(variation)
        ),
    }


def procurement_method_details(framework: FrameworkPage) -> str:
    """Which law the framework was procured under, and its kind: OCDS 1.1 has no field of its
    own for either."""
    return f"{framework.get_regime_display()}: {framework.get_kind_display()}"


def award_notice_description(framework: FrameworkPage) -> str:
    """The contract award notice on the central platform and the standstill it started."""
    if framework.award_notice_published_on is None:
        return ""
    text = "Contract award notice {identifier} published {published}.".format(
        identifier=framework.award_notice_identifier or "(no identifier)",
        published=framework.award_notice_published_on.isoformat(),
    )
    if framework.regime == Regime.PROCUREMENT_ACT_2023:
        text += f" Standstill (s.51) ends {framework.standstill_ends_on().isoformat()}."
    return text


def release_date(
    framework: FrameworkPage, *, today: date, organisations: list[Organisation] = ()
) -> str:
    """When the published data last changed, as seen on `today`: publication, an edit to an
    organisation named in it, an appointment change, a lot's closure, a variation, or the date
    that last moved the status."""
    moments = [framework.last_published_at, *(org.updated_at for org in organisations)]
    latest_appointment = Appointment.objects.filter(lot__framework=framework).aggregate(
        latest=Max("updated_at")
    )["latest"]
    moments.append(latest_appointment)
    moments.append(
        LotClosure.objects.filter(lot__framework=framework).aggregate(latest=Max("closed_at"))[
            "latest"
        ]
    )
    moments.append(framework.variations.aggregate(latest=Max("made_at"))["latest"])
    one_day = timedelta(days=1)
    boundaries = [
        framework.applications_open_on,
        framework.applications_close_on + one_day,
        framework.award_on,
        framework.starts_on,
        framework.ends_on + one_day,
    ]
    for opens_on, closes_on in framework.reopening_windows():
        boundaries += [opens_on, closes_on + one_day]
    passed = [day for day in boundaries if day <= today]
    if passed:
        moments.append(datetime.combine(max(passed), time.min, tzinfo=_london()))
    moments = [moment for moment in moments if moment is not None]
    if not moments:
        return start_of(today)
    return _datetime(max(moments))


# --- Releases, packages, records --------------------------------------------------------------


def build_release(framework: FrameworkPage, *, today: date) -> dict:
    """The framework's current state as one OCDS release (tender, and awards once appointed)."""
    with translation.override("en"):
        return _build_release(framework, today=today)


def _build_release(framework: FrameworkPage, *, today: date) -> dict:
    authority = framework.authority
    status = TENDER_STATUS[_status_by_dates(framework, today)]
    lots = selectors.lots_for_open_data(framework=framework, on=today)
    cpv_codes = sorted(framework.cpv_codes.all(), key=lambda cpv: cpv.code)
    awarded = [lot for lot in lots if lot.listed_appointments]
    suppliers = {
        appointment.supplier.pk: appointment.supplier
        for lot in awarded
        for appointment in lot.listed_appointments
    }
    contract_period = {
        "startDate": start_of(framework.starts_on),
        "endDate": end_of(framework.ends_on),
    }
    release = {
        "ocid": ocid(framework),
        "date": release_date(
            framework, today=today, organisations=[authority, *suppliers.values()]
        ),
        "tag": ["tender", "award"] if awarded else ["tender"],
        "initiationType": "tender",
        "language": "en",
        "parties": [
            _party(authority, ["buyer", "procuringEntity"]),
            *(
                _party(supplier, ["supplier"])
                for supplier in sorted(suppliers.values(), key=lambda org: org.legal_name)
            ),
        ],
        "buyer": _organisation_reference(authority),
        "tender": {
            "id": framework.reference,
            "title": framework.title,
            "description": framework.summary,
            "status": status,
            "procuringEntity": _organisation_reference(authority),
            "procurementMethod": "open",
            "procurementMethodDetails": procurement_method_details(framework),
            "mainProcurementCategory": procurement_category(cpv_codes[0].code)
            if cpv_codes
            else None,
            "classification": _classification(cpv_codes[0]) if cpv_codes else None,
            "additionalClassifications": [_classification(cpv) for cpv in cpv_codes[1:]],
            "tenderPeriod": {
                "startDate": start_of(framework.applications_open_on),
                "endDate": end_of(framework.applications_close_on),
            },
            "contractPeriod": contract_period,
            "techniques": {
                "hasFrameworkAgreement": True,
                "frameworkAgreement": {
                    "method": _method(lots),
                    "buyerCategories": buyer_categories(framework),
                    "period": contract_period,
                },
            },
            "submissionTerms": {"electronicSubmissionPolicy": "required", "languages": ["en"]},
            "lots": [
                _lot(lot, framework=framework, status="cancelled" if lot.is_closed else status)
                for lot in lots
            ],
            "documents": _documents(framework),
            "amendments": [
                _amendment(variation)
                for variation in framework.variations.order_by("effective_on", "made_at", "pk")
            ],
        },
        "awards": [_award(lot, framework=framework, today=today) for lot in awarded],
    }
    release = _pruned(release)
    digest = hashlib.sha256(json.dumps(release, sort_keys=True).encode()).hexdigest()[:16]
    return {"ocid": release["ocid"], "id": f"{release['ocid']}-{digest}", **release}


def _publisher() -> dict:
    return {
        "name": getattr(settings, "OCDS_PUBLISHER_NAME", settings.WAGTAIL_SITE_NAME),
        "uri": settings.WAGTAILADMIN_BASE_URL,
    }


def build_release_package(framework: FrameworkPage, *, published_at: datetime) -> dict:
    """A release package holding the framework's current release, as at `published_at`."""
    today = timezone.localdate(published_at, _london())
    return {
        "uri": release_package_url(framework),
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": _datetime(published_at),
        "publisher": _publisher(),
        "releases": [build_release(framework, today=today)],
    }


def build_record_package(framework: FrameworkPage, *, published_at: datetime | None = None) -> dict:
    """A record package: the framework's record, its release embedded and compiled.

    We keep no history of past releases, so the record holds the current release; the
    compiled release is that release tagged "compiled".
    """
    published_at = published_at or timezone.now()
    package = build_release_package(framework, published_at=published_at)
    release = package["releases"][0]
    compiled = copy.deepcopy(release)
    compiled["id"] = f"{release['id']}-compiled"
    compiled["tag"] = ["compiled"]
    return {
        "uri": record_package_url(framework),
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": package["publishedDate"],
        "publisher": package["publisher"],
        "packages": [package["uri"]],
        "records": [{"ocid": release["ocid"], "releases": [release], "compiledRelease": compiled}],
    }


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
