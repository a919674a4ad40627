"""Demo offerings: believable listings by the demo suppliers on the lots they are appointed to.

Follows demo.organisations's shape. What to create is decided by ``random.Random`` seeded from
the seed (never the global random) and by stable keys (framework reference, lot number,
company number), not database ids, so a seed always describes the same offerings, and the
first n of them are the same whatever the count. build_offerings() creates those not already
there (matched by supplier, lot and title), so a second run creates nothing.

Answers to the lot's questions go through suppliers.attributes.clean_attributes, the schema
check every offering passes, and the rest is typed as clean_offering returns it (the tests run
every seeded offering through clean_offering; doing so here too would double the time of a
large seed for nothing). Rows are written with bulk_create in batches, each with its first
revision (suppliers.bulk.imports.create_in_bulk): live offerings are published (live, with a
live revision), the rest are drafts or awaiting review. Each revision records a person, as one
made in the portal would: the supplier's administrator, who registered it. The demo
superuser records the run itself, as one OFFERINGS_IMPORTED event.
"""

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import reset_queries, transaction
from django.utils import timezone

from demo.catalogue import FRAMEWORKS
from demo.organisations import ADMIN_EMAIL
from frameworks.attributes import AttributeKind, AttributeSpec
from frameworks.lifecycle import Lifecycle
from frameworks.models import Appointment, DirectAwardMethod, Lot, Regime
from frameworks.selectors import published_frameworks
from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from marketplace.organisations.models import Membership, Region
from marketplace.organisations.roles import Role
from suppliers.attributes import clean_attributes
from suppliers.bulk.imports import create_in_bulk
from suppliers.models import Offering, new_offering_reference
from suppliers.pricing import PriceUnit, VatTreatment
from suppliers.selectors import current_appointments

DEFAULT_OFFERINGS = 2_000
BATCH_SIZE = 1_000
# Shares of the offerings in each status; the rest are drafts.
LIVE_SHARE = 0.85
SUBMITTED_SHARE = 0.05
# Frameworks whose suppliers list offerings: live ones, and a suspended one (its offerings are
# hidden from buyers until it is reinstated, which the demo shows).
LISTING_STATES = (Lifecycle.LIVE, Lifecycle.SUSPENDED)
# Of those, the Act's: the PCR 2015 framework is in the demo for its call-offs alone.
LISTING_REGIME = Regime.PROCUREMENT_ACT_2023

# Region.values is rebuilt (and its labels translated) on every call: too slow per row.
REGION_CODES = tuple(Region.values)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Theme:
    """What a lot's offerings are like."""

    services: tuple[str, ...]  # the start of each title
    features: tuple[str, ...]  # what the service includes, as phrases after "includes"
    prices: tuple[tuple[str, int, int], ...]  # (PriceUnit, lowest, highest) in pounds


THEMES: dict[str, Theme] = {
    # ICT and Digital Services (GMCA)
    "Cloud hosting": Theme(
        (
            "Managed cloud hosting",
            "Kubernetes platform as a service",
            "Cloud migration",
            "Managed database service",
            "Disaster recovery as a service",
            "Sovereign UK cloud",
            "Backup and archive",
        ),
        (
            "24/7 monitoring",
            "patching and upgrades",
            "quarterly cost reviews",
            "infrastructure as code",
            "daily backups held in the UK",
            "a named technical account manager",
        ),
        (
            (PriceUnit.PER_MONTH, 400, 9_000),
            (PriceUnit.PER_DAY, 550, 1_100),
            (PriceUnit.FIXED, 4_000, 60_000),
        ),
    ),
    "Software development": Theme(
        (
            "Discovery and alpha team",
            "Digital service delivery team",
            "Citizen-facing web application",
            "Case management system build",
            "Legacy system replacement",
            "API and integration development",
            "Low-code application development",
        ),
        (
            "user research with residents",
            "agile delivery in two-week sprints",
            "GOV.UK Design System components",
            "automated testing and deployment",
            "support through a service assessment",
            "handover and knowledge transfer",
        ),
        ((PriceUnit.PER_DAY, 500, 1_200), (PriceUnit.FIXED, 25_000, 400_000)),
    ),
    "Cyber security": Theme(
        (
            "Penetration testing",
            "Managed security operations centre",
            "Incident response retainer",
            "Phishing simulation and awareness training",
            "Security architecture review",
            "Vulnerability management service",
            "PSN and Cyber Essentials readiness",
        ),
        (
            "CHECK-qualified testers",
            "a written report with prioritised fixes",
            "a retest after remediation",
            "round-the-clock triage",
            "threat intelligence for local government",
            "board-level briefings",
        ),
        (
            (PriceUnit.PER_DAY, 650, 1_400),
            (PriceUnit.PER_MONTH, 1_500, 18_000),
            (PriceUnit.FIXED, 3_500, 45_000),
        ),
    ),
    "Digital accessibility": Theme(
        (
            "WCAG 2.2 AA audit",
            "Accessibility statement review",
            "Testing with disabled users",
            "Accessible documents remediation",
            "Accessibility training for content designers",
            "Assistive technology testing",
        ),
        (
            "testing with screen readers and magnifiers",
            "an issue log with code-level fixes",
            "a draft accessibility statement",
            "retesting after fixes",
            "sessions with disabled residents",
        ),
        (
            (PriceUnit.PER_DAY, 450, 950),
            (PriceUnit.FIXED, 1_500, 25_000),
            (PriceUnit.PER_UNIT, 60, 400),
        ),
    ),
    "Data and analytics": Theme(
        (
            "Data platform build",
            "Power BI dashboards",
            "Data protection impact assessment support",
            "Predictive analytics for children's services",
            "Data engineering team",
            "Open data publishing",
        ),
        (
            "data modelling and pipelines",
            "self-service dashboards",
            "training for council analysts",
            "data quality reporting",
            "documentation of every data flow",
        ),
        ((PriceUnit.PER_DAY, 500, 1_100), (PriceUnit.PER_USER_PER_MONTH, 8, 45)),
    ),
    "Service desk and end-user support": Theme(
        (
            "Managed service desk",
            "Desktop and device support",
            "On-site engineer service",
            "Microsoft 365 support",
            "School IT support",
            "Device build and deployment",
        ),
        (
            "a single point of contact",
            "remote fixes within agreed service levels",
            "on-site visits when needed",
            "monthly performance reports",
            "asset tracking",
            "secure device disposal",
        ),
        (
            (PriceUnit.PER_USER_PER_MONTH, 6, 38),
            (PriceUnit.PER_HOUR, 35, 85),
            (PriceUnit.PER_UNIT, 40, 180),
        ),
    ),
    # Facilities Management and Building Maintenance (NEPO)
    "Mechanical and electrical maintenance": Theme(
        (
            "Planned preventive maintenance",
            "Reactive repairs service",
            "Boiler servicing and repair",
            "Fire alarm and emergency lighting maintenance",
            "Air conditioning maintenance",
            "Legionella risk assessment and monitoring",
            "Electrical installation condition reports",
        ),
        (
            "SFG20 maintenance schedules",
            "a 24-hour emergency call-out",
            "compliance certificates on a client portal",
            "Gas Safe and NICEIC engineers",
            "asset condition surveys",
        ),
        (
            (PriceUnit.PER_HOUR, 38, 75),
            (PriceUnit.PER_MONTH, 350, 6_500),
            (PriceUnit.PER_UNIT, 85, 650),
        ),
    ),
    "Cleaning and hygiene": Theme(
        (
            "Office cleaning",
            "School cleaning",
            "Deep cleaning",
            "Washroom services",
            "Window cleaning",
            "Clinical cleaning",
            "Leisure centre cleaning",
        ),
        (
            "trained and vetted operatives",
            "eco-friendly products",
            "quality audits every month",
            "cover for holidays and sickness",
            "out-of-hours working",
        ),
        ((PriceUnit.PER_HOUR, 16, 28), (PriceUnit.PER_MONTH, 600, 12_000)),
    ),
    "Security and guarding": Theme(
        (
            "Manned guarding",
            "Key holding and alarm response",
            "Remote CCTV monitoring",
            "Mobile patrols",
            "Event security",
            "Reception and concierge security",
        ),
        (
            "SIA-licensed officers",
            "a 24-hour control room",
            "incident reporting within the hour",
            "site-specific assignment instructions",
            "lone worker monitoring",
        ),
        ((PriceUnit.PER_HOUR, 17, 32), (PriceUnit.PER_MONTH, 150, 9_000)),
    ),
    "Catering": Theme(
        (
            "School meals service",
            "Staff restaurant",
            "Hospitality and event catering",
            "Vending and coffee service",
            "Civic centre café",
            "Meals for day centres",
        ),
        (
            "menus meeting the School Food Standards",
            "locally sourced produce",
            "allergen management",
            "a food hygiene rating of 5",
            "reduced food waste reporting",
        ),
        ((PriceUnit.PER_UNIT, 3, 14), (PriceUnit.PER_MONTH, 2_000, 30_000)),
    ),
    "Grounds maintenance and arboriculture": Theme(
        (
            "Grounds maintenance",
            "Tree surgery",
            "Tree safety surveys",
            "Weed control",
            "Play area inspection",
            "Sports pitch maintenance",
            "Cemetery grounds care",
        ),
        (
            "qualified arborists",
            "battery-powered equipment",
            "biodiversity-friendly mowing regimes",
            "photo evidence of completed work",
            "RoSPA-certified inspectors",
        ),
        (
            (PriceUnit.PER_DAY, 280, 850),
            (PriceUnit.PER_UNIT, 45, 1_200),
            (PriceUnit.PER_MONTH, 400, 7_500),
        ),
    ),
    "Waste collection and recycling": Theme(
        (
            "Commercial waste collection",
            "Confidential waste shredding",
            "Clinical waste collection",
            "Food waste collection",
            "Dry mixed recycling",
            "Bulky waste clearance",
        ),
        (
            "scheduled collections",
            "waste transfer notes online",
            "recycling rate reporting",
            "secure shredding certificates",
            "bins supplied and maintained",
        ),
        ((PriceUnit.PER_UNIT, 8, 95), (PriceUnit.PER_MONTH, 120, 4_500)),
    ),
    "Total facilities management": Theme(
        (
            "Total facilities management",
            "Integrated facilities management",
            "Hard and soft FM for schools",
            "Civic estate facilities management",
            "Facilities helpdesk and CAFM",
        ),
        (
            "a single helpdesk for every service",
            "an on-site contract manager",
            "monthly key performance indicators",
            "social value commitments",
            "a lifecycle replacement plan",
        ),
        ((PriceUnit.PER_MONTH, 15_000, 180_000), (PriceUnit.FIXED, 250_000, 3_000_000)),
    ),
    # Fleet Vehicles and Maintenance (WMCA)
    "Cars and light commercial vehicles": Theme(
        (
            "Electric pool car lease",
            "Panel van contract hire",
            "Minibus supply",
            "Hybrid car contract hire",
            "Electric van lease",
            "Crew cab van supply",
        ),
        (
            "maintenance included",
            "delivery to your depot",
            "replacement vehicles",
            "telematics fitted",
            "driver handover training",
        ),
        ((PriceUnit.PER_MONTH, 220, 950), (PriceUnit.PER_UNIT, 18_000, 65_000)),
    ),
    "Heavy goods and specialist vehicles": Theme(
        (
            "Refuse collection vehicle",
            "Electric refuse collection vehicle",
            "Gritter supply",
            "Road sweeper hire",
            "Tipper truck supply",
        ),
        (
            "body and chassis warranty",
            "operator training",
            "spares held in the UK",
            "a mobile service team",
        ),
        ((PriceUnit.PER_UNIT, 120_000, 450_000), (PriceUnit.PER_MONTH, 2_500, 9_500)),
    ),
    "Vehicle maintenance and repair": Theme(
        (
            "Fleet servicing and MOT",
            "Mobile vehicle servicing",
            "Accident repair",
            "Tyre management",
            "Electric vehicle maintenance",
        ),
        (
            "DVSA-approved testing lane",
            "collection and delivery",
            "IRTEC-accredited technicians",
            "online job tracking",
        ),
        ((PriceUnit.PER_HOUR, 55, 110), (PriceUnit.PER_UNIT, 45, 450)),
    ),
    "Fuel cards and charging": Theme(
        (
            "Fuel card",
            "Electric vehicle charging card",
            "Depot charging installation",
            "Fleet telematics and reporting",
        ),
        (
            "nationwide site coverage",
            "monthly consolidated invoices",
            "mileage and emissions reports",
            "fraud alerts",
        ),
        ((PriceUnit.PER_UNIT, 1, 12), (PriceUnit.PER_MONTH, 50, 1_200)),
    ),
}

# Title parts that make different titles from the same service: blank is the likeliest.
FOR_WHOM = (
    "",
    "",
    "for councils",
    "for schools",
    "for small sites",
    "for large estates",
    "for housing providers",
    "for NHS and care settings",
    "for libraries and leisure centres",
)
PACKAGES = (
    "",
    "",
    "– standard",
    "– enhanced",
    "– premium",
    "– pilot package",
    "– 12-month term",
    "– 3-year term",
    "– rapid start",
)
# Drawn for a title as before (so the same seed draws the same numbers), but only to say
# whether the title names where the offering is delivered: the name itself comes from the
# regions it serves (area_of_regions), so the two never disagree.
AREAS = (
    "",
    "",
    "(North of England)",
    "(North West)",
    "(North East)",
    "(Midlands)",
    "(UK-wide)",
)
# Short names of regions for titles: "(North West)", not "(North West (England))".
REGION_SHORT_NAMES = {
    "TLC": "North East",
    "TLD": "North West",
    "TLE": "Yorkshire and The Humber",
    "TLF": "East Midlands",
    "TLG": "West Midlands",
    "TLH": "East of England",
    "TLI": "London",
    "TLJ": "South East",
    "TLK": "South West",
    "TLL": "Wales",
    "TLM": "Scotland",
    "TLN": "Northern Ireland",
}
NORTH_OF_ENGLAND = frozenset({"TLC", "TLD", "TLE"})
MIDLANDS = frozenset({"TLF", "TLG"})
AUDIENCES = (
    "councils, schools and other public bodies",
    "local authorities and their partners",
    "public buildings of every size",
    "councils with small teams",
    "multi-site public sector estates",
)
DELIVERY = (
    "A named account manager is your single point of contact from start to finish.",
    "We report against the agreed service levels every month and meet quarterly to review.",
    "Our team is based locally, so we can be on site quickly when you need us.",
    "We work to ISO 9001 and ISO 14001 and hold Cyber Essentials.",
    "Mobilisation takes a few weeks and follows a plan agreed with you in advance.",
)
SOCIAL_VALUE = (
    "Social value: we pay the real Living Wage and recruit apprentices locally.",
    "Social value: we volunteer with community groups in the areas we work in.",
    "Social value: we report our carbon emissions and are cutting them every year.",
    "Social value: at least half of our spend goes to small local suppliers.",
)
LEAD_TIMES = (0, 2, 5, 5, 10, 10, 15, 20, 30, 45, 60)
# Numbers for the lots' questions: by attribute key first, then by unit.
NUMBER_RANGES: dict[str, tuple[float, float, int]] = {
    "availability": (99.5, 99.99, 2),
    "first_time_fix": (68, 96, 0),
    "response_time": (1, 8, 0),
    "labour_rate": (55, 110, 2),
    "callout": (1, 4, 0),
    "£ per day": (450, 1_250, 0),
    "£ per hour": (16, 95, 2),
    "£ per meal": (2.4, 6.5, 2),
    "%": (70, 99, 1),
    "% of pay rate": (8, 25, 1),
    "hours": (1, 48, 0),
    "weeks": (2, 26, 0),
    "people": (3, 60, 0),
    "vehicles": (2, 30, 0),
    "sites": (600, 8_500, 0),
    "crews": (2, 18, 0),
}
TEXT_ANSWERS: dict[str, Callable[[random.Random], str]] = {
    "cqc_location": lambda rng: f"1-{rng.randint(100_000_000, 999_999_999)}",
    "waste_carrier": lambda rng: f"CBDU{rng.randint(100_000, 999_999)}",
    "cafm": lambda rng: rng.choice(("Planon", "Concept Evolution", "MRI Evolve", "IBM Maximo")),
}


def theme_for(lot: Lot) -> Theme:
    """The lot's theme, or one made from its title for a lot the demo does not describe."""
    theme = THEMES.get(lot.title)
    if theme is not None:
        return theme
    return Theme(
        services=(lot.title, f"{lot.title} service", f"Specialist {lot.title.lower()}"),
        features=("experienced staff", "clear reporting", "a named account manager"),
        prices=((PriceUnit.PER_DAY, 350, 1_000), (PriceUnit.FIXED, 2_000, 50_000)),
    )


# --- Specs (no database) -------------------------------------------------------------------


@dataclass(frozen=True)
class OfferingSpec:
    appointment: Appointment
    status: str
    content: dict  # as clean_offering returns it
    # The title earlier demos gave it (before titles named only the regions served): found
    # under it, an offering a demo database already has is not made again.
    former_title: str = ""


def _round_price(rng: random.Random, unit: str, low: int, high: int) -> Decimal:
    amount = Decimal(str(rng.uniform(low, high)))
    step = {
        PriceUnit.PER_HOUR: Decimal("0.50"),
        PriceUnit.PER_USER_PER_MONTH: Decimal("0.25"),
        PriceUnit.PER_DAY: Decimal("5"),
    }.get(unit)
    if step is None:
        step = Decimal("1") if high < 100 else Decimal("10") if high < 10_000 else Decimal("50")
    return ((amount / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step).quantize(
        Decimal("0.01")
    )


def _number(rng: random.Random, spec: AttributeSpec) -> str:
    low, high, places = NUMBER_RANGES.get(spec.key) or NUMBER_RANGES.get(spec.unit, (1, 100, 0))
    value = round(rng.uniform(low, high), places)
    return str(int(value)) if places == 0 else f"{value:.{places}f}"


def _answer(rng: random.Random, spec: AttributeSpec, theme: Theme):
    if spec.kind == AttributeKind.YES_NO:
        return rng.random() < 0.8
    if spec.kind == AttributeKind.ONE_OF:
        return rng.choices(spec.options, weights=range(len(spec.options) + 1, 1, -1))[0]
    if spec.kind == AttributeKind.MANY_OF:
        return rng.sample(spec.options, rng.randint(1, len(spec.options)))
    if spec.kind == AttributeKind.NUMBER:
        return _number(rng, spec)
    if spec.key in TEXT_ANSWERS:
        return TEXT_ANSWERS[spec.key](rng)
    first, second = rng.sample(theme.features, 2)
    return f"Our service includes {first} and {second}."


def _regions(rng: random.Random, appointment: Appointment) -> list[str]:
    home = {appointment.supplier.region, appointment.lot.framework.authority.region} - {""}
    others = [code for code in REGION_CODES if code not in home]
    extra = rng.sample(others, rng.choice((0, 0, 1, 2, 4)) or (0 if home else 1))
    return [code for code in REGION_CODES if code in home or code in extra]


def area_of_regions(regions: list[str]) -> str:
    """What a title may say about where an offering is delivered, true of `regions`: every
    region "UK-wide", one region its name, two or three northern ones "North of England", the
    two Midlands "Midlands"; any other spread is not named ("")."""
    served = frozenset(regions)
    if served >= frozenset(REGION_CODES):
        return "UK-wide"
    if len(served) == 1:
        return REGION_SHORT_NAMES.get(next(iter(served)), "")
    if len(served) > 1 and served <= NORTH_OF_ENGLAND:
        return "North of England"
    if served == MIDLANDS:
        return "Midlands"
    return ""


@dataclass(frozen=True)
class _Pick:
    service: str
    title: str  # as drawn (what uniqueness of the draws is checked on)
    plain: str  # the title without an area
    names_area: bool


class _Titles:
    """Titles unique per supplier and lot: service and variants, then numbered options; the
    area a title names is that of the regions served."""

    def __init__(self):
        self.used: dict[tuple[int, int], set[str]] = {}
        self.given: dict[tuple[int, int], set[str]] = {}

    def pick(self, rng: random.Random, appointment: Appointment, theme: Theme) -> _Pick:
        used = self.used.setdefault((appointment.supplier_id, appointment.lot_id), set())
        for _attempt in range(8):
            service = rng.choice(theme.services)
            parts = (service, rng.choice(FOR_WHOM), rng.choice(PACKAGES))
            area = rng.choice(AREAS)
            plain = " ".join(part for part in parts if part)
            title = f"{plain} {area}" if area else plain
            if title.lower() not in used:
                break
        else:
            title = plain = f"{service} – option {len(used) + 1}"
            area = ""
        used.add(title.lower())
        return _Pick(service=service, title=title, plain=plain, names_area=bool(area))

    def give(self, appointment: Appointment, pick: _Pick, regions: list[str]) -> str:
        """The title to use: the plain title with the regions' area (when the draw named one
        and the regions have one), unique for the supplier and lot."""
        given = self.given.setdefault((appointment.supplier_id, appointment.lot_id), set())
        area = area_of_regions(regions) if pick.names_area else ""
        title = f"{pick.plain} ({area})" if area else pick.plain
        number = len(given) + 1
        while title.lower() in given:
            title = f"{pick.service} – option {number}"
            number += 1
        given.add(title.lower())
        return title


def _status(rng: random.Random) -> str:
    draw = rng.random()
    if draw < LIVE_SHARE:
        return Offering.Status.LIVE
    if draw < LIVE_SHARE + SUBMITTED_SHARE:
        return Offering.Status.SUBMITTED
    return Offering.Status.DRAFT


def offering_specs(
    seed: int, appointments: list[Appointment], count: int
) -> Iterator[OfferingSpec]:
    """``count`` offerings over the appointments; the first n are the same for any count."""
    if not appointments:
        return
    # Some suppliers list many offerings on a lot, some only one or two.
    weights_rng = random.Random(f"{seed}:offering weights")  # noqa: S311 - demo data
    weights = [weights_rng.choice((1, 1, 2, 3, 5, 8)) for _ in appointments]
    rng = random.Random(f"{seed}:offerings")  # noqa: S311 - demo data, not secrets
    titles = _Titles()
    questions: dict[int, list[AttributeSpec]] = {}
    for _index in range(count):
        appointment = rng.choices(appointments, weights)[0]
        theme = theme_for(appointment.lot)
        pick = titles.pick(rng, appointment, theme)
        service = pick.service
        unit, low, high = rng.choice(theme.prices)
        features = rng.sample(theme.features, 3)
        audience = rng.choice(AUDIENCES)
        description = (
            f"{service} from {appointment.supplier.name}, for {audience}. The service "
            f"includes {features[0]}, {features[1]} and {features[2]}.\n\n"
            f"{rng.choice(DELIVERY)} {rng.choice(SOCIAL_VALUE)}"
        )
        minimum = None
        if rng.random() < 0.4:
            minimum = Decimal(rng.choice((500, 1_000, 2_500, 5_000, 10_000, 25_000)))
        if appointment.lot_id not in questions:
            questions[appointment.lot_id] = appointment.lot.attributes()
        specs = questions[appointment.lot_id]
        content = {
            "title": "",  # once the regions are drawn
            "summary": f"{service} for {audience}, including {features[0]}.",
            "description": description,
            "price": _round_price(rng, unit, low, high),
            "price_unit": unit,
            "vat_treatment": rng.choices(
                (VatTreatment.EXCLUSIVE, VatTreatment.INCLUSIVE, VatTreatment.EXEMPT),
                (85, 12, 3),
            )[0],
            "minimum_contract_value": minimum,
            "regions_served": _regions(rng, appointment),
            "lead_time_days": rng.choice(LEAD_TIMES),
            "attributes": clean_attributes(
                specs,
                {
                    spec.key: _answer(rng, spec, theme)
                    for spec in specs
                    if spec.required or rng.random() < 0.7
                },
            ),
        }
        content["title"] = titles.give(appointment, pick, content["regions_served"])
        yield OfferingSpec(
            appointment=appointment,
            status=_status(rng),
            content=content,
            former_title=pick.title if pick.title != content["title"] else "",
        )


# --- Building (database) -------------------------------------------------------------------


def listing_appointments(*, on: date) -> list[Appointment]:
    """Current active appointments on the demo frameworks that suppliers list offerings on,
    but for single-supplier lots: a buyer awards those to their one supplier, with nothing to
    compare. Leaving those and the PCR 2015 framework out also keeps a seed's offerings the
    same as before the demo had them, which the browser journeys count on."""
    frameworks = published_frameworks(today=on).filter(
        reference__in=[spec.reference for spec in FRAMEWORKS],
        lifecycle__in=LISTING_STATES,
        regime=LISTING_REGIME,
    )
    return list(
        current_appointments(on=on)
        .filter(lot__framework__in=frameworks.values("pk"))
        .exclude(lot__direct_award_method=DirectAwardMethod.SINGLE_SUPPLIER)
        .select_related("supplier", "lot__framework__authority")
        .order_by("lot__framework__reference", "lot__number", "supplier__company_number")
    )


@dataclass
class OfferingsResult:
    created: int = 0
    existing: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.created / self.seconds if self.seconds else 0
        return (
            f"Offerings: {self.created:,} created, {self.existing:,} already present "
            f"in {self.seconds:.1f} s ({rate:,.0f} a second)"
        )


def _authors(appointments: list[Appointment]):
    """Who offerings are recorded against: (demo superuser, {supplier id: its administrator})."""
    superuser = get_user_model().objects.filter(email=ADMIN_EMAIL, is_superuser=True).first()
    administrators = {}
    for membership in (
        Membership.objects.filter(
            role=Role.SUPPLIER_ADMIN,
            organisation__in={appointment.supplier_id for appointment in appointments},
        )
        .select_related("user")
        .order_by("-pk")  # the first administrator wins
    ):
        administrators[membership.organisation_id] = membership.user
    return superuser, administrators


def _offering(spec: OfferingSpec, now, *, reference: str) -> Offering:
    live = spec.status == Offering.Status.LIVE
    return Offering(
        reference=reference,
        supplier=spec.appointment.supplier,
        lot=spec.appointment.lot,
        status=spec.status,
        live=live,
        has_unpublished_changes=not live,
        first_published_at=now if live else None,
        last_published_at=now if live else None,
        submitted_at=now if spec.status == Offering.Status.SUBMITTED else None,
        **spec.content,
    )


def build_offerings(
    *, seed: int, count: int = DEFAULT_OFFERINGS, progress: Progress | None = None
) -> OfferingsResult:
    """Create the seed's first ``count`` offerings that are not there yet, in batches."""
    started = time.perf_counter()
    appointments = listing_appointments(on=timezone.localdate())
    # References are random: at 100,000 offerings a few would collide, and one collision undoes
    # a whole batch. Each new one is checked against those taken.
    references = set(Offering.objects.values_list("reference", flat=True))

    def unique_reference() -> str:
        while (reference := new_offering_reference()) in references:
            pass
        references.add(reference)
        return reference

    existing = {
        (supplier_id, lot_id, title.lower())
        for supplier_id, lot_id, title in Offering.objects.filter(
            lot__in={appointment.lot_id for appointment in appointments}
        ).values_list("supplier_id", "lot_id", "title")
    }
    result = OfferingsResult()
    batch: list[Offering] = []
    now = timezone.now()
    superuser, administrators = _authors(appointments)

    def flush():
        by_author: dict = {}
        for offering in batch:
            author = administrators[offering.supplier_id]
            by_author.setdefault(author, []).append(offering)
        with transaction.atomic():
            for author, offerings in by_author.items():
                create_in_bulk(offerings, user=author)
        result.created += len(batch)
        batch.clear()
        # With DEBUG on, Django keeps the last 9,000 queries; these inserts are huge.
        reset_queries()

    for done, spec in enumerate(offering_specs(seed, appointments, count), start=1):
        appointment = spec.appointment
        key = (appointment.supplier_id, appointment.lot_id, spec.content["title"].lower())
        former = (appointment.supplier_id, appointment.lot_id, spec.former_title.lower())
        if key in existing or (spec.former_title and former in existing):
            result.existing += 1
        else:
            batch.append(_offering(spec, now, reference=unique_reference()))
        if len(batch) == BATCH_SIZE:
            flush()
        if progress and (done % BATCH_SIZE == 0 or done == count):
            progress(done, count)
    if batch:
        flush()
    if result.created:
        record(
            actor=superuser,
            organisation=None,
            kind=AuditKind.OFFERINGS_IMPORTED,
            data={"source": "demo data", "seed": seed, "count": result.created},
        )
    result.seconds = time.perf_counter() - started
    return result
