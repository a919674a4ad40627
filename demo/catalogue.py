"""What the demo frameworks are: nine UK public-sector frameworks, their lots and questions.

Pure data (no database): demo.frameworks builds it. Attribute schemas are written as the
(block type, raw value) pairs Wagtail's StreamField accepts for a lot's attribute_schema.
"""

from dataclasses import dataclass, field
from datetime import date

from frameworks.lifecycle import Lifecycle
from frameworks.models import Appointment, FrameworkKind, Regime

# --- Attribute schema blocks: (block type, raw value) as Wagtail's StreamField accepts them ------


def _attribute(
    kind: str, key: str, label: str, *, required=True, filterable=False, hint="", **extra
):
    return (
        kind,
        {
            "key": key,
            "label": label,
            "help_text": hint,
            "required": required,
            "filterable": filterable,
            **extra,
        },
    )


def text(key, label, **options):
    return _attribute("text", key, label, **options)


def number(key, label, unit, **options):
    # A question answered in per cent is a percentage: bounded 0 to 100.
    return _attribute("number", key, label, unit=unit, percentage=unit == "%", **options)


def yes_no(key, label, **options):
    return _attribute("yes_no", key, label, **options)


def one_of(key, label, choices, **options):
    return _attribute("one_of", key, label, options=list(choices), **options)


def many_of(key, label, choices, **options):
    return _attribute("many_of", key, label, options=list(choices), **options)


# Objective direct-award mechanisms (Procurement Act 2023 s45), written as a buyer applies them.
RANKED_ROTATION = (
    "Highest-ranked supplier from the evaluation of the framework's price and quality scores "
    "for the lot, with a rotation: a supplier awarded a call-off moves to the bottom of the "
    "ranking for the next 90 days, so work is shared among the top-ranked suppliers. If it "
    "declines or cannot meet the buyer's start date, the next-ranked supplier is asked."
)
LOWEST_PRICE = (
    "Lowest total price for the buyer's stated quantities, calculated from each supplier's "
    "framework rate card with the lot's published price calculator. Ties go to the supplier "
    "with the higher quality score from the framework evaluation."
)
SINGLE_SUPPLIER = (
    "Single supplier: the developer of the system the lot covers, its only authorised support "
    "partner, is the one supplier appointed. A buyer that runs the system awards its call-off "
    "to that supplier directly."
)
CARE_CAPACITY = (
    "Highest-ranked provider on the framework's quality evaluation that has capacity in the "
    "person's area and confirms within two working days that it can start the package on the "
    "date needed; if it cannot, the next-ranked provider in that area is asked."
)


@dataclass(frozen=True)
class LotSpec:
    title: str
    description: str
    cpv: tuple[str, ...]
    minimum: str
    maximum: str
    term_months: int
    attributes: tuple
    mechanism: str = ""  # blank: further competition only
    further_competition: bool = True
    shortlist_limit: int = 30


@dataclass(frozen=True)
class StatusChange:
    lot: int
    position: int  # which of the lot's appointees, in the order they were chosen
    status: str
    reason: str


@dataclass(frozen=True)
class FrameworkSpec:
    authority: str  # the authority's trading name
    reference: str
    title: str
    summary: str
    scope: tuple[str, ...]  # paragraphs of the description
    state: Lifecycle
    levy: str
    lots: tuple[LotSpec, ...]
    trades: tuple[str, ...]  # words in supplier names that suit the theme
    contact: str  # the category team's name; its e-mail is made from the reference
    regime: str = Regime.PROCUREMENT_ACT_2023
    kind: str = FrameworkKind.STANDARD
    longer_term_reason: str = ""  # required past 4 years (defence and security, utilities)
    term_years: int = 4
    eligibility: str = "all"  # "all", "region" (the authority's own) or "named"
    named_councils: tuple[str, ...] = ()  # council codes, for "named"
    started_days_ago: int = 300  # for live and suspended frameworks
    # A fixed start instead, where the law ties the framework to the calendar: PCR 2015
    # frameworks were all procured before 24 February 2025.
    starts_on: date | None = None
    status_changes: tuple[StatusChange, ...] = field(default_factory=tuple)
    suspension_reason: str = ""


# --- The frameworks ------------------------------------------------------------------------------

GM_AREAS = (
    "Bolton",
    "Bury",
    "Manchester",
    "Oldham",
    "Rochdale",
    "Salford",
    "Stockport",
    "Tameside",
    "Trafford",
    "Wigan",
)
NE_AREAS = ("Northumberland", "Tyne and Wear", "County Durham", "Tees Valley")
CYBER_ESSENTIALS = yes_no(
    "cyber_essentials_plus", "Cyber Essentials Plus certified", filterable=True
)
DAY_RATE = number("day_rate", "Standard day rate", "£ per day", filterable=True)
GM_COVERAGE = many_of(
    "areas", "Boroughs covered", GM_AREAS, filterable=True, hint="Tick every borough you serve."
)
NE_COVERAGE = many_of("areas", "Areas covered", NE_AREAS, filterable=True)
CQC_RATING = one_of(
    "cqc_rating",
    "Current CQC rating",
    ("Outstanding", "Good", "Requires improvement"),
    filterable=True,
    hint="As published by the Care Quality Commission for the registered location.",
)
MARGIN = number(
    "margin", "Agency margin", "% of pay rate", filterable=True, hint="Before employer costs."
)
NRSWA = yes_no("nrswa", "Operatives hold New Roads and Street Works Act cards", filterable=False)
NERS = yes_no(
    "ners", "NERS accredited for electrical connections", filterable=True, hint="Lloyd's Register."
)

ICT = FrameworkSpec(
    authority="GMCA",
    reference="GMCA-ICT-2026",
    title="ICT and Digital Services",
    summary=(
        "Cloud, software, cyber security, accessibility, data and end-user support for any UK "
        "public body, from a single day's audit to a multi-year managed service."
    ),
    scope=(
        "This open framework covers the digital and technology services a council, school, "
        "fire service or NHS body buys most often. Suppliers range from specialist SMEs to "
        "national providers, and every lot can be used by buyers anywhere in the UK.",
        "Services must meet the Technology Code of Practice and, for anything the public uses, "
        "the Service Standard and WCAG 2.2 AA.",
    ),
    state=Lifecycle.LIVE,
    levy="1.00",
    kind=FrameworkKind.OPEN,
    term_years=6,
    trades=("Digital", "Software", "Data", "Cyber", "Consulting"),
    contact="Digital and technology category team",
    lots=(
        LotSpec(
            "Cloud hosting",
            "Infrastructure and platform hosting, migration and managed cloud operations.",
            ("72400000-4", "72500000-0", "48800000-6"),
            "10000",
            "2000000",
            36,
            (
                CYBER_ESSENTIALS,
                one_of(
                    "data_location",
                    "Where data is held",
                    ("UK only", "UK and EEA", "Worldwide"),
                    filterable=True,
                ),
                number("availability", "Guaranteed availability", "%"),
                many_of(
                    "hosting_model",
                    "Hosting models offered",
                    ("Public cloud", "Private cloud", "Hybrid", "Colocation"),
                    filterable=True,
                ),
                text("service_description", "What the service includes"),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Software development",
            "Discovery, alpha, beta and live development of digital services.",
            ("72200000-7", "72000000-5"),
            "25000",
            "5000000",
            24,
            (
                CYBER_ESSENTIALS,
                DAY_RATE,
                yes_no(
                    "service_assessments",
                    "Has taken services through GDS service assessments",
                    filterable=True,
                ),
                many_of(
                    "languages",
                    "Main languages",
                    ("Python", "Java", ".NET", "JavaScript or TypeScript", "Ruby", "Go"),
                    filterable=True,
                    required=False,
                ),
                number("team_size", "Largest team you can field", "people", required=False),
            ),
            shortlist_limit=20,
        ),
        LotSpec(
            "Cyber security",
            "Testing, monitoring, incident response and security architecture.",
            ("72800000-8", "72600000-6"),
            "5000",
            "1000000",
            24,
            (
                CYBER_ESSENTIALS,
                yes_no(
                    "ncsc_assured",
                    "NCSC assured service (CHECK, CIR or CREST)",
                    filterable=True,
                ),
                many_of(
                    "services",
                    "Services",
                    (
                        "Penetration testing",
                        "Incident response",
                        "Security operations centre",
                        "Security architecture",
                        "Training and awareness",
                    ),
                    filterable=True,
                ),
                one_of(
                    "clearance",
                    "Highest staff security clearance",
                    ("BPSS", "SC", "DV"),
                    filterable=True,
                ),
                number("response_time", "Incident response time", "hours", required=False),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Digital accessibility",
            "Accessibility audits, testing with disabled people, remediation and training.",
            ("72800000-8", "80500000-9"),
            "2000",
            "250000",
            12,
            (
                yes_no("wcag_audit", "Audits against WCAG 2.2 AA"),
                yes_no(
                    "user_testing",
                    "Tests with disabled people and assistive technology",
                    filterable=True,
                ),
                number("audit_day_rate", "Audit day rate", "£ per day", filterable=True),
                many_of(
                    "standards",
                    "Standards covered",
                    ("WCAG 2.2 AA", "EN 301 549", "PDF/UA"),
                    required=False,
                ),
            ),
            mechanism=LOWEST_PRICE,
        ),
        LotSpec(
            "Data and analytics",
            "Data engineering, dashboards, analysis and data protection impact work.",
            ("72300000-8", "79300000-7"),
            "10000",
            "1500000",
            24,
            (
                CYBER_ESSENTIALS,
                many_of(
                    "platforms",
                    "Platforms",
                    ("Power BI", "Tableau", "Looker", "Open source"),
                    filterable=True,
                ),
                yes_no("analysis_standards", "Works to the Government Analysis Function standards"),
                DAY_RATE,
            ),
        ),
        LotSpec(
            "Service desk and end-user support",
            "Service desk, device support and on-site engineers, up to a managed end-user "
            "service for every site of a large council.",
            ("72600000-6", "30000000-9"),
            "20000",
            "6000000",
            36,
            (
                CYBER_ESSENTIALS,
                one_of(
                    "hours",
                    "Support hours",
                    ("Office hours", "Extended hours", "24/7"),
                    filterable=True,
                ),
                number("first_time_fix", "First-time fix rate last year", "%"),
                many_of(
                    "on_site",
                    "On-site support in",
                    ("North West", "North East", "Yorkshire", "Midlands", "Remote only"),
                    filterable=True,
                ),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Revenues and benefits system support",
            "Support, upgrades, hosting and training for the revenues and benefits system most "
            "Greater Manchester councils licence, from its developer.",
            ("72260000-5", "72250000-2", "48000000-8"),
            "10000",
            "2000000",
            36,
            (
                one_of(
                    "hosting",
                    "Where the system runs",
                    ("Supplier's UK cloud", "Council's own data centre"),
                    filterable=True,
                ),
                number("support_hours", "Support desk hours", "hours a week"),
                yes_no(
                    "annual_billing",
                    "Supports the annual council tax billing run",
                    filterable=True,
                ),
                text("releases", "How legislative changes reach the system", required=False),
            ),
            mechanism=SINGLE_SUPPLIER,
            further_competition=False,
        ),
    ),
    status_changes=(
        StatusChange(
            lot=1,
            position=0,
            status=Appointment.Status.SUSPENDED,
            reason=(
                "Cyber Essentials Plus certificate lapsed at renewal: suspended until the "
                "supplier sends a current certificate."
            ),
        ),
    ),
)

ADULT_SOCIAL_CARE = FrameworkSpec(
    authority="GMCA",
    reference="GMCA-ASC-2027",
    title="Adult Social Care and Support",
    summary=(
        "Home care, supported living, day opportunities, reablement and carers' support for "
        "the ten Greater Manchester councils."
    ),
    scope=(
        "A light-touch framework under the Procurement Act 2023 for care and support services "
        "commissioned by Greater Manchester councils and their health partners.",
        "Providers must be registered with the Care Quality Commission where the service is "
        "regulated, pay at least the real Living Wage and sign up to the Greater Manchester "
        "Good Employment Charter.",
    ),
    state=Lifecycle.OPEN,
    levy="0.50",
    eligibility="region",
    trades=("Care", "Community", "Foundation", "Trust", "Training"),
    contact="Adult social care commissioning team",
    lots=(
        LotSpec(
            "Home care",
            "Personal care and support in people's own homes, including rapid hospital discharge.",
            ("85300000-2", "85000000-9"),
            "5000",
            "3000000",
            48,
            (
                CQC_RATING,
                text("cqc_location", "CQC location ID", hint="From the CQC register."),
                GM_COVERAGE,
                number("hourly_rate", "Hourly rate", "£ per hour", filterable=True),
                yes_no("rapid_start", "Can start a package within 48 hours", filterable=True),
            ),
            mechanism=CARE_CAPACITY,
            shortlist_limit=15,
        ),
        LotSpec(
            "Supported living",
            "Support for adults with a learning disability, autism or mental health needs.",
            ("85300000-2", "98000000-3"),
            "20000",
            "4000000",
            48,
            (
                CQC_RATING,
                GM_COVERAGE,
                many_of(
                    "client_groups",
                    "People supported",
                    (
                        "Learning disabilities",
                        "Autism",
                        "Mental health",
                        "Physical disabilities",
                        "Older people",
                    ),
                    filterable=True,
                ),
                number("capacity", "Places available", "people", required=False),
            ),
        ),
        LotSpec(
            "Day opportunities",
            "Community-based day support, skills and activities.",
            ("85300000-2", "92000000-1", "80400000-8"),
            "2000",
            "750000",
            36,
            (
                GM_COVERAGE,
                yes_no("transport", "Provides transport to and from sessions", filterable=True),
                number("daily_rate", "Daily rate", "£ per day"),
            ),
            mechanism=CARE_CAPACITY,
        ),
        LotSpec(
            "Reablement and intermediate care",
            "Short-term support to regain independence after illness or a hospital stay.",
            ("85100000-0", "85300000-2"),
            "50000",
            "5000000",
            36,
            (
                CQC_RATING,
                GM_COVERAGE,
                yes_no("therapists", "Employs occupational therapists"),
                number("discharge_hours", "Time to accept a hospital discharge", "hours"),
            ),
        ),
        LotSpec(
            "Carers' support and respite",
            "Breaks, advice and emotional support for unpaid carers.",
            ("85300000-2", "98000000-3"),
            "1000",
            "500000",
            36,
            (
                GM_COVERAGE,
                yes_no("overnight", "Offers overnight respite", filterable=True),
                text("approach", "How you involve carers in designing support"),
            ),
            mechanism=CARE_CAPACITY,
        ),
    ),
)

AGENCY_STAFF = FrameworkSpec(
    authority="GMCA",
    reference="GMCA-TAS-2023",
    title="Temporary and Agency Staff",
    summary="Agency workers and interim professionals for councils and public bodies in the UK.",
    scope=(
        "The previous managed framework for temporary staff, procured before the Procurement "
        "Act 2023 came into force. It has ended: existing call-offs run to their own end dates.",
    ),
    state=Lifecycle.EXPIRED,
    levy="1.50",
    regime=Regime.PCR_2015,
    term_years=3,
    trades=("Recruitment", "Consulting", "Care"),
    contact="Workforce category team",
    lots=(
        LotSpec(
            "Administrative and clerical",
            "Office, reception, finance and data entry staff.",
            ("79600000-0", "79500000-9"),
            "1000",
            "500000",
            12,
            (
                MARGIN,
                yes_no("awr", "Complies with the Agency Workers Regulations 2010"),
                number("fill_time", "Average time to fill a booking", "hours", required=False),
                many_of(
                    "roles",
                    "Roles supplied",
                    ("Administrator", "Receptionist", "Finance assistant", "Data entry"),
                ),
            ),
            mechanism=LOWEST_PRICE,
        ),
        LotSpec(
            "Social work and social care",
            "Qualified social workers, occupational therapists and care staff.",
            ("79600000-0", "85300000-2"),
            "1000",
            "1000000",
            12,
            (
                MARGIN,
                yes_no(
                    "swe_checks",
                    "Checks Social Work England registration before every placement",
                    filterable=True,
                ),
                yes_no("enhanced_dbs", "Enhanced DBS check for every worker"),
                many_of(
                    "specialisms",
                    "Specialisms",
                    ("Children's services", "Adult services", "Mental health (AMHP)"),
                    filterable=True,
                ),
            ),
            mechanism=LOWEST_PRICE,
        ),
        LotSpec(
            "Manual and operational",
            "Drivers, loaders, grounds, cleaning and catering staff.",
            ("79600000-0", "90500000-2"),
            "1000",
            "750000",
            12,
            (
                MARGIN,
                many_of(
                    "roles",
                    "Roles supplied",
                    ("Refuse loader", "HGV driver", "Grounds operative", "Cleaner"),
                    filterable=True,
                ),
                yes_no("licence_checks", "Checks driving licences with the DVLA"),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Interim executives and professionals",
            "Interim directors, heads of service and senior specialists.",
            ("79600000-0", "79400000-8"),
            "10000",
            "1000000",
            18,
            (
                MARGIN,
                many_of(
                    "disciplines",
                    "Disciplines",
                    ("Finance", "HR", "Legal", "IT", "Programme management"),
                    filterable=True,
                ),
                one_of(
                    "engagement",
                    "How interims are engaged",
                    ("PAYE", "Umbrella company", "Statement of work"),
                ),
            ),
        ),
    ),
)

FACILITIES = FrameworkSpec(
    authority="NEPO",
    reference="NEPO-FM-2026",
    title="Facilities Management and Building Maintenance",
    summary=(
        "Hard and soft facilities management for public buildings in the North East, from "
        "reactive repairs to total facilities management."
    ),
    scope=(
        "Planned and reactive maintenance, cleaning, security, catering, grounds and waste "
        "services for offices, schools, depots, leisure centres and libraries.",
        "Suppliers commit to the real Living Wage, to social value targets agreed at call-off "
        "and to reporting their carbon emissions each year.",
    ),
    state=Lifecycle.LIVE,
    levy="1.25",
    eligibility="region",
    started_days_ago=200,
    trades=(
        "Facilities",
        "Building",
        "Cleaning",
        "Security",
        "Catering",
        "Landscapes",
        "Waste",
        "Engineering",
    ),
    contact="Construction and facilities category team",
    lots=(
        LotSpec(
            "Mechanical and electrical maintenance",
            "Planned and reactive maintenance of heating, ventilation, electrical and water "
            "systems.",
            ("50700000-2", "45300000-0", "71300000-1"),
            "5000",
            "2000000",
            36,
            (
                yes_no("sfg20", "Plans maintenance to SFG20", filterable=True),
                yes_no("gas_safe", "Gas Safe registered engineers"),
                number("callout", "Emergency call-out time", "hours", filterable=True),
                NE_COVERAGE,
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Cleaning and hygiene",
            "Routine, deep and specialist cleaning and washroom services.",
            ("90900000-6", "90600000-3"),
            "2000",
            "1500000",
            36,
            (
                NE_COVERAGE,
                number("hourly_rate", "Hourly charge", "£ per hour"),
                yes_no("living_wage", "Pays at least the real Living Wage", filterable=True),
                many_of(
                    "specialist",
                    "Specialist cleaning",
                    ("Deep cleaning", "Clinical cleaning", "Window cleaning", "Washrooms"),
                    required=False,
                ),
            ),
            mechanism=LOWEST_PRICE,
        ),
        LotSpec(
            "Security and guarding",
            "Manned guarding, key holding, alarm response and CCTV monitoring.",
            ("79700000-1", "35000000-4"),
            "5000",
            "1000000",
            36,
            (
                NE_COVERAGE,
                yes_no("sia_acs", "SIA Approved Contractor Scheme", filterable=True),
                many_of(
                    "services",
                    "Services",
                    ("Manned guarding", "Key holding", "CCTV monitoring", "Mobile patrols"),
                    filterable=True,
                ),
            ),
        ),
        LotSpec(
            "Catering",
            "Staff restaurants, school meals and event catering.",
            ("55000000-0", "15000000-8"),
            "10000",
            "3000000",
            48,
            (
                NE_COVERAGE,
                one_of(
                    "hygiene_rating",
                    "Lowest food hygiene rating across your sites",
                    ("5", "4", "3"),
                    filterable=True,
                ),
                yes_no("school_food", "Meets the School Food Standards", filterable=True),
                number("meal_price", "Price of a standard meal", "£ per meal", required=False),
            ),
        ),
        LotSpec(
            "Grounds maintenance and arboriculture",
            "Grass cutting, tree work, weed control and play area inspections.",
            ("77000000-0",),
            "2000",
            "750000",
            36,
            (
                NE_COVERAGE,
                many_of(
                    "services",
                    "Services",
                    ("Grass cutting", "Tree surgery", "Weed control", "Play area inspection"),
                    filterable=True,
                ),
                number("crews", "Crews available", "crews", required=False),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Waste collection and recycling",
            "Commercial, confidential and clinical waste collection from public buildings.",
            ("90500000-2", "90000000-7"),
            "2000",
            "1000000",
            36,
            (
                NE_COVERAGE,
                text("waste_carrier", "Waste carrier registration number"),
                many_of(
                    "streams",
                    "Waste streams",
                    (
                        "General waste",
                        "Dry mixed recycling",
                        "Food waste",
                        "Confidential waste",
                        "Clinical waste",
                    ),
                    filterable=True,
                ),
                yes_no("zero_landfill", "Sends no waste to landfill", required=False),
            ),
        ),
        LotSpec(
            "Total facilities management",
            "One supplier managing every hard and soft service across a buyer's estate.",
            ("79900000-3", "50700000-2", "90900000-6"),
            "500000",
            "20000000",
            84,
            (
                NE_COVERAGE,
                text("cafm", "Computer-aided facilities management system used"),
                one_of("helpdesk", "Helpdesk hours", ("Office hours", "24/7"), filterable=True),
                yes_no("iso41001", "ISO 41001 certified", filterable=True),
            ),
            shortlist_limit=10,
        ),
    ),
    status_changes=(
        StatusChange(
            lot=2,
            position=1,
            status=Appointment.Status.SUSPENDED,
            reason=(
                "Public liability insurance lapsed at renewal: suspended until a valid "
                "certificate is provided."
            ),
        ),
        StatusChange(
            lot=4,
            position=3,
            status=Appointment.Status.EXCLUDED,
            reason=(
                "Excluded under section 57 of the Procurement Act 2023: discretionary "
                "exclusion ground (Schedule 7, breach of contract and poor performance) "
                "confirmed after the supplier's representations. Fictional demo decision."
            ),
        ),
    ),
)

HIGHWAYS = FrameworkSpec(
    authority="NEPO",
    reference="NEPO-HWY-2026",
    title="Highways Maintenance and Street Lighting",
    summary=(
        "Resurfacing, drainage, winter service, street lighting and structures inspection "
        "for North East highway authorities and two neighbouring councils."
    ),
    scope=(
        "Term maintenance and scheme delivery on the local road network, procured with the "
        "North East highway authorities and open to two named councils beyond the region.",
        "Work on the highway follows the Code of Practice for Well-managed Highway "
        "Infrastructure and the New Roads and Street Works Act 1991.",
    ),
    state=Lifecycle.STANDSTILL,
    levy="0.75",
    eligibility="named",
    named_councils=("GB-LDS", "GB-SHF"),
    trades=("Construction", "Engineering", "Transport", "Environmental", "Surveying"),
    contact="Highways and infrastructure category team",
    lots=(
        LotSpec(
            "Carriageway resurfacing and patching",
            "Planing and inlay, surface dressing and pothole repair.",
            ("45200000-9", "44000000-0"),
            "50000",
            "10000000",
            36,
            (
                NE_COVERAGE,
                yes_no(
                    "ssip",
                    "SSIP accredited (for example CHAS or Constructionline)",
                    filterable=True,
                ),
                NRSWA,
                many_of(
                    "methods",
                    "Methods",
                    ("Planing and inlay", "Surface dressing", "Micro-asphalt", "Jet patching"),
                    filterable=True,
                ),
                number("capacity", "Annual capacity", "square metres", required=False),
            ),
        ),
        LotSpec(
            "Gully cleansing and drainage",
            "Cyclic gully emptying, jetting and drainage surveys.",
            ("90600000-3", "45200000-9"),
            "10000",
            "1000000",
            36,
            (
                NE_COVERAGE,
                number("tankers", "Gully tankers", "vehicles", filterable=True),
                yes_no("cctv_survey", "Carries out CCTV drainage surveys"),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Winter maintenance",
            "Precautionary gritting, snow clearance and salt supply.",
            ("90600000-3", "60100000-9"),
            "10000",
            "2000000",
            48,
            (
                NE_COVERAGE,
                number("gritters", "Gritters available", "vehicles", filterable=True),
                one_of(
                    "standby",
                    "Time from call-out to gritting",
                    ("1 hour", "2 hours", "4 hours"),
                    filterable=True,
                ),
                yes_no("salt_storage", "Has covered salt storage in the region"),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Street lighting and illuminated signs",
            "Maintenance, LED conversion and electrical connections.",
            ("31000000-6", "50800000-3", "45300000-0"),
            "5000",
            "3000000",
            48,
            (
                NE_COVERAGE,
                NERS,
                yes_no("led_conversion", "Delivers LED conversion schemes", filterable=True),
                number("fault_response", "Emergency fault response", "hours"),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Bridges and structures inspection",
            "General and principal inspections, assessments and scour surveys.",
            ("71300000-1", "71500000-3"),
            "5000",
            "500000",
            24,
            (
                number("inspectors", "Qualified bridge inspectors", "inspectors"),
                many_of(
                    "inspections",
                    "Inspections and assessments",
                    ("General inspection", "Principal inspection", "Load assessment", "Scour"),
                    filterable=True,
                ),
                yes_no("chartered", "A chartered engineer leads each inspection"),
            ),
        ),
    ),
)

UTILITIES = FrameworkSpec(
    authority="NEPO",
    reference="NEPO-UTL-2027",
    title="Energy and Water Utility Works",
    summary=(
        "Heat networks, electrical connections, EV charging and water mains works for public "
        "bodies carrying out utility activities."
    ),
    scope=(
        "A utilities framework for councils and public companies that run heat networks, "
        "distribute energy or supply water. Its longer term matches the investment cycle of "
        "the networks it serves.",
    ),
    state=Lifecycle.COMING,
    levy="0.50",
    kind=FrameworkKind.UTILITIES,
    term_years=7,
    longer_term_reason=(
        "Heat network and water mains schemes take 5 to 7 years from design to commissioning; "
        "a shorter framework would end mid-scheme and force a change of contractor."
    ),
    trades=("Energy", "Engineering", "Construction", "Environmental", "Building Services"),
    contact="Energy and utilities category team",
    lots=(
        LotSpec(
            "Heat networks and low-carbon heating",
            "Design and installation of heat networks and heat pumps.",
            ("45300000-0", "09000000-3", "71300000-1"),
            "100000",
            "25000000",
            60,
            (
                yes_no("mcs", "MCS certified installer", filterable=True),
                many_of(
                    "technologies",
                    "Technologies",
                    (
                        "Air source heat pumps",
                        "Ground source heat pumps",
                        "District heat networks",
                        "Solar thermal",
                    ),
                    filterable=True,
                ),
                yes_no("heat_trust", "Registered with Heat Trust", required=False),
                number("capacity", "Installed capacity a year", "MW"),
            ),
        ),
        LotSpec(
            "Electrical connections and EV charging",
            "Grid connections and public and fleet charging infrastructure.",
            ("51000000-9", "31000000-6", "65000000-3"),
            "20000",
            "8000000",
            60,
            (
                NERS,
                yes_no("ozev", "OZEV approved installer", filterable=True),
                number("max_kw", "Largest charger installed", "kW", filterable=True),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Water mains and drainage works",
            "Mains laying and renewal, service connections and sustainable drainage.",
            ("45200000-9", "41000000-9", "65000000-3"),
            "50000",
            "15000000",
            60,
            (
                yes_no("wirs", "Water Industry Registration Scheme accredited", filterable=True),
                one_of(
                    "pipe_size",
                    "Largest pipe diameter laid",
                    ("Up to 180 mm", "Up to 630 mm", "Over 630 mm"),
                    filterable=True,
                ),
                NRSWA,
            ),
        ),
    ),
)

PROFESSIONAL = FrameworkSpec(
    authority="WMCA",
    reference="WMCA-PS-2027",
    title="Professional Services: Legal, Consultancy and Finance",
    summary=(
        "Legal advice, management consultancy, audit and finance, property advice and research "
        "for public bodies in the West Midlands."
    ),
    scope=(
        "Advice and assurance for West Midlands councils, the combined authority and its "
        "partners, from a single piece of legal advice to a multi-year transformation "
        "programme.",
        "Suppliers publish their day rates for each grade; buyers may ask for fixed prices.",
    ),
    state=Lifecycle.EVALUATING,
    levy="1.75",
    eligibility="region",
    trades=("Legal", "Consulting", "Surveying", "Data"),
    contact="Corporate services category team",
    lots=(
        LotSpec(
            "Legal services",
            "Employment, property, planning, contracts, litigation and information law.",
            ("79100000-5",),
            "1000",
            "2000000",
            36,
            (
                yes_no("sra", "Regulated by the Solicitors Regulation Authority", filterable=True),
                many_of(
                    "practice_areas",
                    "Practice areas",
                    (
                        "Employment",
                        "Property",
                        "Planning",
                        "Procurement and contracts",
                        "Litigation",
                        "Information law",
                    ),
                    filterable=True,
                ),
                number("partner_rate", "Partner hourly rate", "£ per hour"),
                yes_no("lexcel", "Lexcel accredited", required=False),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Management consultancy",
            "Strategy, transformation, programme management and organisational design.",
            ("79400000-8",),
            "10000",
            "3000000",
            24,
            (
                many_of(
                    "specialisms",
                    "Specialisms",
                    (
                        "Strategy",
                        "Transformation",
                        "Programme management",
                        "Organisational design",
                        "Economic development",
                    ),
                    filterable=True,
                ),
                DAY_RATE,
                text("case_study", "A recent public sector case study", required=False),
            ),
        ),
        LotSpec(
            "Finance, audit and assurance",
            "Internal audit, grant assurance, treasury and tax advice.",
            ("79200000-6", "66000000-0"),
            "5000",
            "1500000",
            36,
            (
                yes_no(
                    "registered_auditor",
                    "Registered auditor (ICAEW, ICAS or ACCA)",
                    filterable=True,
                ),
                many_of(
                    "services",
                    "Services",
                    ("Internal audit", "Grant assurance", "Treasury advice", "VAT and tax"),
                    filterable=True,
                ),
                DAY_RATE,
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Property and estates advice",
            "Valuation, asset strategy, lease advice and building surveying.",
            ("70000000-1", "70300000-4", "71000000-8"),
            "2000",
            "1000000",
            24,
            (
                yes_no("rics", "RICS regulated firm", filterable=True),
                many_of(
                    "services",
                    "Services",
                    ("Valuation", "Asset strategy", "Lease advice", "Building surveying"),
                ),
                DAY_RATE,
            ),
        ),
        LotSpec(
            "Research and evaluation",
            "Surveys, qualitative research, impact evaluation and economic modelling.",
            ("79300000-7", "73000000-2"),
            "5000",
            "750000",
            24,
            (
                many_of(
                    "methods",
                    "Methods",
                    ("Surveys", "Qualitative research", "Impact evaluation", "Economic modelling"),
                    filterable=True,
                ),
                yes_no("mrs_partner", "Market Research Society company partner"),
                DAY_RATE,
            ),
        ),
    ),
)

FLEET = FrameworkSpec(
    authority="WMCA",
    reference="WMCA-FLEET-2026",
    title="Fleet Vehicles and Maintenance",
    summary=(
        "Cars, vans, specialist vehicles, maintenance and fuel cards for public sector fleets, "
        "with electric options on every lot."
    ),
    scope=(
        "Buy, lease and look after the vehicles councils and emergency services run, from "
        "pool cars to refuse collection vehicles.",
        "Every vehicle lot includes zero-emission options so buyers can meet their fleet "
        "decarbonisation plans.",
    ),
    state=Lifecycle.SUSPENDED,
    levy="1.00",
    started_days_ago=150,
    trades=("Fleet", "Transport", "Engineering", "Energy"),
    contact="Fleet and transport category team",
    suspension_reason=(
        "Suspended while a challenge to the lot 2 evaluation is considered. Existing call-offs "
        "continue; no new call-offs may be made until the framework is reinstated."
    ),
    lots=(
        LotSpec(
            "Cars and light commercial vehicles",
            "Purchase and contract hire of cars, vans and minibuses.",
            ("34100000-8",),
            "15000",
            "5000000",
            48,
            (
                many_of(
                    "vehicle_types",
                    "Vehicle types",
                    ("Cars", "Vans up to 3.5 tonnes", "Minibuses", "Electric vehicles"),
                    filterable=True,
                ),
                number("lead_time", "Typical lead time", "weeks"),
                many_of(
                    "purchase_options",
                    "Ways to buy",
                    ("Outright purchase", "Contract hire", "Finance lease"),
                    filterable=True,
                ),
            ),
            mechanism=LOWEST_PRICE,
        ),
        LotSpec(
            "Heavy goods and specialist vehicles",
            "Refuse collection vehicles, gritters, sweepers and tippers.",
            ("34100000-8", "34000000-7"),
            "100000",
            "15000000",
            60,
            (
                many_of(
                    "vehicle_types",
                    "Vehicle types",
                    ("Refuse collection vehicles", "Gritters", "Road sweepers", "Tippers"),
                    filterable=True,
                ),
                many_of("fuel", "Fuels offered", ("Diesel", "Electric", "Hydrogen", "HVO")),
                number("lead_time", "Typical lead time", "weeks"),
            ),
        ),
        LotSpec(
            "Vehicle maintenance and repair",
            "Servicing, MOT testing, repairs and mobile technicians.",
            ("50100000-6", "34300000-0"),
            "2000",
            "1000000",
            36,
            (
                yes_no("dvsa_atf", "DVSA authorised testing facility", filterable=True),
                yes_no("irtec", "IRTEC accredited technicians"),
                number("labour_rate", "Labour rate", "£ per hour", filterable=True),
                yes_no("mobile", "Offers mobile servicing", filterable=True, required=False),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Fuel cards and charging",
            "Fuel and charging cards with fleet reporting.",
            ("09000000-3",),
            "5000",
            "2000000",
            36,
            (
                number("sites", "Fuelling sites accepting the card", "sites"),
                yes_no("ev_charging", "Includes public EV charging", filterable=True),
                yes_no("telematics", "Provides fleet telematics and reporting"),
            ),
            mechanism=LOWEST_PRICE,
        ),
    ),
    status_changes=(
        StatusChange(
            lot=3,
            position=0,
            status=Appointment.Status.SUSPENDED,
            reason=(
                "Quality audit found incomplete repair records: suspended until the remedial "
                "plan is complete and re-audited."
            ),
        ),
    ),
)

PRINT_AND_MAIL = FrameworkSpec(
    authority="WMCA",
    reference="WMCA-PMD-2024",
    title="Print, Mail and Document Services",
    summary=(
        "Printing and posting, hybrid mail, scanning, translation and interpreting for any UK "
        "public body."
    ),
    scope=(
        "Procured under the Public Contracts Regulations 2015 and awarded in October 2024, "
        "before the Procurement Act 2023 came into force on 24 February 2025. It runs its full "
        "four years, to 31 October 2028, and call-offs under it follow the 2015 Regulations "
        "until then.",
        "Bills, letters, poll cards and leaflets are printed and posted securely, with personal "
        "data handled under the UK GDPR and kept in the UK.",
    ),
    state=Lifecycle.LIVE,
    levy="1.00",
    regime=Regime.PCR_2015,
    starts_on=date(2024, 11, 1),
    trades=("Print", "Data", "Digital", "Consulting"),
    contact="Print and communications category team",
    lots=(
        LotSpec(
            "Print and mailing",
            "Bulk printing, enclosing and posting of bills, letters, poll cards and leaflets.",
            ("79800000-2", "79571000-7"),
            "5000",
            "1500000",
            24,
            (
                yes_no("iso27001", "ISO 27001 certified for the data printed", filterable=True),
                number("daily_capacity", "Items printed and enclosed a day", "items"),
                many_of(
                    "formats",
                    "What you print",
                    (
                        "Bills and letters",
                        "Poll cards and election material",
                        "Leaflets and booklets",
                        "Large format",
                    ),
                    filterable=True,
                ),
                yes_no("mailmark", "Posts with Mailmark barcodes", required=False),
            ),
            mechanism=RANKED_ROTATION,
        ),
        LotSpec(
            "Hybrid mail and document scanning",
            "Letters sent from council systems, printed and posted centrally, and incoming post "
            "scanned and indexed.",
            ("79570000-0", "79999100-4"),
            "2000",
            "750000",
            36,
            (
                yes_no("iso27001", "ISO 27001 certified for the data handled", filterable=True),
                one_of(
                    "turnaround",
                    "Letters posted",
                    ("Same working day", "Next working day"),
                    filterable=True,
                ),
                number("scan_price", "Price per page scanned", "£ per page"),
                many_of(
                    "integrations",
                    "Connects to",
                    (
                        "Office software",
                        "Revenues and benefits systems",
                        "Social care case systems",
                        "Document management systems",
                    ),
                    required=False,
                ),
            ),
            mechanism=LOWEST_PRICE,
        ),
        LotSpec(
            "Translation and interpreting",
            "Written translation, British Sign Language, and face-to-face, telephone and video "
            "interpreting.",
            ("79530000-8", "79540000-1"),
            "500",
            "500000",
            24,
            (
                many_of(
                    "services",
                    "Services",
                    (
                        "Written translation",
                        "Face-to-face interpreting",
                        "Telephone interpreting",
                        "Video interpreting",
                        "British Sign Language",
                    ),
                    filterable=True,
                ),
                number("languages", "Languages offered", "languages"),
                yes_no(
                    "registered",
                    "Interpreters registered with the NRPSI or the NRCPD",
                    filterable=True,
                ),
            ),
        ),
    ),
)

FRAMEWORKS: tuple[FrameworkSpec, ...] = (
    ICT,
    ADULT_SOCIAL_CARE,
    AGENCY_STAFF,
    FACILITIES,
    HIGHWAYS,
    UTILITIES,
    PROFESSIONAL,
    FLEET,
    PRINT_AND_MAIL,
)

# Ofcom's ranges for drama use: numbers that will never reach a real person.
TELEPHONE_PREFIXES = {"GMCA": "0161 496 0", "NEPO": "0191 498 0", "WMCA": "0121 496 0"}
