"""Demo data: a believable UK region of authorities, councils, suppliers and their staff.

Everything here is deterministic for a given seed: the ``*_specs`` functions describe what to
build without touching the database (Faker and ``random.Random`` seeded per section, never the
global random), and the ``build_*`` functions create whatever of it is missing, one transaction
per section, keyed by stable identifiers (council code, company number, e-mail address) so a
second run creates nothing. ``manage.py seed_demo`` calls them in order; the later sections
(demo.frameworks, demo.offerings for offerings) follow the same shape.

This is for local demonstrations only: every demo user shares DEMO_PASSWORD and the TOTP keys
are derived from the seed, so anyone who knows the seed can sign in.
"""

import base64
import hashlib
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

import pycountry
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from marketplace.accounts.middleware import requires_second_factor
from marketplace.organisations.models import Membership, Organisation, Region, unique_slug
from marketplace.organisations.roles import OrganisationKind, Role

DEFAULT_SEED = 2026
DEFAULT_BUYERS = 40
DEFAULT_SUPPLIERS = 200
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - local demo data only, printed on purpose
ADMIN_EMAIL = "admin@example.gov.uk"
TOTP_DEVICE_NAME = "Demo authenticator"
PROGRESS_EVERY = 50

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


# --- Specifications (pure: no database) -------------------------------------------------------


@dataclass(frozen=True)
class OrganisationSpec:
    kind: str
    legal_name: str
    region: str
    contact_email: str
    trading_name: str = ""
    company_number: str = ""
    council_code: str = ""
    charity_number: str = ""
    address_line_1: str = ""
    town: str = ""
    postcode: str = ""
    is_sme: bool = False
    is_vcse: bool = False
    domain: str = ""  # where the organisation's demo staff get their e-mail addresses


@dataclass(frozen=True)
class UserSpec:
    email: str
    first_name: str
    last_name: str
    role: str = ""  # blank for the superuser, who belongs to no organisation
    organisation: OrganisationSpec | None = None
    is_superuser: bool = False

    @property
    def needs_totp(self) -> bool:
        return self.is_superuser or (
            self.organisation is not None and self.organisation.kind == OrganisationKind.AUTHORITY
        )


AUTHORITIES = (
    # (legal name, trading name, region, town, postcode, e-mail domain)
    (
        "Greater Manchester Combined Authority",
        "GMCA",
        Region.NORTH_WEST,
        "Manchester",
        "M1 6EU",
        "gmca.example.gov.uk",
    ),
    (
        "North East Procurement Organisation",
        "NEPO",
        Region.NORTH_EAST,
        "Newcastle upon Tyne",
        "NE1 8QH",
        "nepo.example.gov.uk",
    ),
    (
        "West Midlands Combined Authority",
        "WMCA",
        Region.WEST_MIDLANDS,
        "Birmingham",
        "B19 3SD",
        "wmca.example.gov.uk",
    ),
)

# ISO 3166-2:GB codes of councils in and around the three authorities' regions, with the legal
# name each council uses. Listed by region; buyer_specs() takes them region by region in turn,
# so a small --buyers still spans every region.
COUNCILS: dict[str, tuple[tuple[str, str], ...]] = {
    Region.NORTH_WEST: (
        ("GB-MAN", "Manchester City Council"),
        ("GB-SLF", "Salford City Council"),
        ("GB-BOL", "Bolton Council"),
        ("GB-BUR", "Bury Council"),
        ("GB-OLD", "Oldham Council"),
        ("GB-RCH", "Rochdale Borough Council"),
        ("GB-SKP", "Stockport Metropolitan Borough Council"),
        ("GB-TAM", "Tameside Metropolitan Borough Council"),
        ("GB-TRF", "Trafford Council"),
        ("GB-WGN", "Wigan Council"),
        ("GB-LIV", "Liverpool City Council"),
        ("GB-WRL", "Wirral Council"),
        ("GB-SFT", "Sefton Council"),
        ("GB-KWL", "Knowsley Metropolitan Borough Council"),
        ("GB-SHN", "St Helens Borough Council"),
        ("GB-WRT", "Warrington Borough Council"),
        ("GB-BPL", "Blackpool Council"),
        ("GB-BBD", "Blackburn with Darwen Borough Council"),
        ("GB-LAN", "Lancashire County Council"),
    ),
    Region.NORTH_EAST: (
        ("GB-NET", "Newcastle City Council"),
        ("GB-GAT", "Gateshead Council"),
        ("GB-NTY", "North Tyneside Council"),
        ("GB-STY", "South Tyneside Council"),
        ("GB-SND", "Sunderland City Council"),
        ("GB-DUR", "Durham County Council"),
        ("GB-NBL", "Northumberland County Council"),
        ("GB-MDB", "Middlesbrough Council"),
        ("GB-HPL", "Hartlepool Borough Council"),
        ("GB-STT", "Stockton-on-Tees Borough Council"),
        ("GB-RCC", "Redcar and Cleveland Borough Council"),
        ("GB-DAL", "Darlington Borough Council"),
    ),
    Region.WEST_MIDLANDS: (
        ("GB-BIR", "Birmingham City Council"),
        ("GB-COV", "Coventry City Council"),
        ("GB-WLV", "City of Wolverhampton Council"),
        ("GB-DUD", "Dudley Metropolitan Borough Council"),
        ("GB-SAW", "Sandwell Metropolitan Borough Council"),
        ("GB-SOL", "Solihull Metropolitan Borough Council"),
        ("GB-WLL", "Walsall Council"),
        ("GB-STE", "Stoke-on-Trent City Council"),
        ("GB-TFW", "Telford and Wrekin Council"),
    ),
    Region.YORKSHIRE: (
        ("GB-LDS", "Leeds City Council"),
        ("GB-SHF", "Sheffield City Council"),
        ("GB-BRD", "City of Bradford Metropolitan District Council"),
        ("GB-KIR", "Kirklees Council"),
        ("GB-YOR", "City of York Council"),
    ),
}

# Towns and their postcode areas, per ITL1 region, for supplier addresses.
PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    Region.NORTH_EAST: (
        ("Newcastle upon Tyne", "NE"),
        ("Sunderland", "SR"),
        ("Durham", "DH"),
        ("Middlesbrough", "TS"),
        ("Darlington", "DL"),
    ),
    Region.NORTH_WEST: (
        ("Manchester", "M"),
        ("Salford", "M"),
        ("Liverpool", "L"),
        ("Bolton", "BL"),
        ("Preston", "PR"),
        ("Warrington", "WA"),
        ("Stockport", "SK"),
        ("Blackburn", "BB"),
        ("Wigan", "WN"),
        ("Oldham", "OL"),
        ("Lancaster", "LA"),
        ("Chester", "CH"),
        ("Carlisle", "CA"),
    ),
    Region.YORKSHIRE: (
        ("Leeds", "LS"),
        ("Sheffield", "S"),
        ("Bradford", "BD"),
        ("York", "YO"),
        ("Hull", "HU"),
        ("Huddersfield", "HD"),
    ),
    Region.EAST_MIDLANDS: (
        ("Nottingham", "NG"),
        ("Leicester", "LE"),
        ("Derby", "DE"),
        ("Lincoln", "LN"),
    ),
    Region.WEST_MIDLANDS: (
        ("Birmingham", "B"),
        ("Coventry", "CV"),
        ("Wolverhampton", "WV"),
        ("Stoke-on-Trent", "ST"),
        ("Walsall", "WS"),
        ("Telford", "TF"),
        ("Worcester", "WR"),
    ),
    Region.EAST: (("Norwich", "NR"), ("Cambridge", "CB"), ("Ipswich", "IP"), ("Luton", "LU")),
    Region.LONDON: (("London", "E"), ("London", "N"), ("London", "SE"), ("London", "SW")),
    Region.SOUTH_EAST: (
        ("Brighton", "BN"),
        ("Reading", "RG"),
        ("Oxford", "OX"),
        ("Southampton", "SO"),
    ),
    Region.SOUTH_WEST: (("Bristol", "BS"), ("Plymouth", "PL"), ("Exeter", "EX")),
    Region.WALES: (("Cardiff", "CF"), ("Swansea", "SA"), ("Wrexham", "LL")),
    Region.SCOTLAND: (("Glasgow", "G"), ("Edinburgh", "EH"), ("Aberdeen", "AB")),
    Region.NORTHERN_IRELAND: (("Belfast", "BT"), ("Newry", "BT")),
}

# Where suppliers are based: weighted to the three authorities' regions.
SUPPLIER_REGION_WEIGHTS: dict[str, int] = {
    Region.NORTH_WEST: 25,
    Region.NORTH_EAST: 15,
    Region.WEST_MIDLANDS: 15,
    Region.YORKSHIRE: 8,
    Region.EAST_MIDLANDS: 5,
    Region.EAST: 4,
    Region.LONDON: 10,
    Region.SOUTH_EAST: 6,
    Region.SOUTH_WEST: 4,
    Region.WALES: 3,
    Region.SCOTLAND: 3,
    Region.NORTHERN_IRELAND: 2,
}

TRADES = (
    "Digital",
    "Software",
    "Data and Analytics",
    "Consulting",
    "Facilities Services",
    "Construction",
    "Building Services",
    "Care Services",
    "Training",
    "Fleet Services",
    "Catering",
    "Cleaning Services",
    "Engineering",
    "Energy",
    "Security",
    "Print and Design",
    "Landscapes",
    "Transport",
    "Recruitment",
    "Legal Services",
    "Environmental",
    "Surveying",
    "Waste Management",
    "Cyber Security",
)
# (suffix, weight); public limited companies are never SMEs here.
COMPANY_SUFFIXES = (("Ltd", 6), ("Limited", 4), ("LLP", 1), ("PLC", 1))
STREET_TYPES = (
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Way",
    "Court",
    "Place",
    "Terrace",
    "Square",
    "Business Park",
    "Trading Estate",
)
VCSE_NAMES = (
    "{town} Community Trust",
    "{town} Social Enterprise CIC",
    "{last} Foundation",
    "{town} Community Interest Company",
    "{town} Volunteer Centre",
    "{trade} for Good CIC",
)
# Postcode inward letters never include C, I, K, M, O or V.
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Demo staff per organisation kind: (role, local part of their e-mail address).
STAFF: dict[str, tuple[tuple[Role, str], ...]] = {
    OrganisationKind.AUTHORITY: ((Role.FRAMEWORK_MANAGER, "manager"), (Role.REVIEWER, "reviewer")),
    OrganisationKind.BUYER: ((Role.PROCUREMENT_OFFICER, "buyer"), (Role.APPROVER, "approver")),
    OrganisationKind.SUPPLIER: (
        (Role.SUPPLIER_ADMIN, "admin"),
        (Role.EDITOR, "editor"),
        (Role.FINANCE, "finance"),
    ),
}
BUYERS_WITH_STAFF = 3
SUPPLIERS_WITH_STAFF = 3


def authority_specs() -> list[OrganisationSpec]:
    return [
        OrganisationSpec(
            kind=OrganisationKind.AUTHORITY,
            legal_name=legal_name,
            trading_name=trading_name,
            region=region,
            town=town,
            postcode=postcode,
            contact_email=f"procurement@{domain}",
            domain=domain,
        )
        for legal_name, trading_name, region, town, postcode, domain in AUTHORITIES
    ]


def buyer_specs(count: int = DEFAULT_BUYERS) -> list[OrganisationSpec]:
    """Councils taken region by region in turn, up to ``count`` (at most len of COUNCILS)."""
    queues = [list(councils) for councils in COUNCILS.values()]
    regions = list(COUNCILS)
    specs: list[OrganisationSpec] = []
    while len(specs) < count and any(queues):
        for region, queue in zip(regions, queues, strict=True):
            if queue and len(specs) < count:
                code, legal_name = queue.pop(0)
                specs.append(_council_spec(code, legal_name, region))
    return specs


def _council_spec(code: str, legal_name: str, region: str) -> OrganisationSpec:
    subdivision = pycountry.subdivisions.get(code=code)
    if subdivision is None:
        raise ValueError(f"{code} is not an ISO 3166-2:GB code in this version of pycountry")
    # "Durham, County" and "Bristol, City of": the part before the comma names the place.
    place = subdivision.name.split(",")[0].split("[")[0].strip()
    domain = f"{slugify(place)}.example.gov.uk"
    return OrganisationSpec(
        kind=OrganisationKind.BUYER,
        legal_name=legal_name,
        council_code=code,
        region=region,
        town=place,
        contact_email=f"procurement@{domain}",
        domain=domain,
    )


def supplier_specs(
    seed: int = DEFAULT_SEED, count: int = DEFAULT_SUPPLIERS
) -> list[OrganisationSpec]:
    """``count`` suppliers; the first n for a seed are the same whatever the count."""
    rng = random.Random(f"{seed}:suppliers")  # noqa: S311 - demo data, not secrets
    fake = Faker("en_GB")
    fake.seed_instance(f"{seed}:suppliers")
    regions, weights = zip(*SUPPLIER_REGION_WEIGHTS.items(), strict=True)
    names: set[str] = set()
    company_numbers: set[str] = set()
    charity_numbers: set[str] = set()
    specs: list[OrganisationSpec] = []
    while len(specs) < count:
        region = rng.choices(regions, weights)[0]
        town, area = rng.choice(PLACES[region])
        draw = rng.random()
        is_vcse, is_sme = draw < 0.10, draw < 0.60
        trade = rng.choice(TRADES)
        if is_vcse:
            legal_name = rng.choice(VCSE_NAMES).format(
                town=town, last=fake.last_name(), trade=trade
            )
            suffix = "Ltd"
        else:
            suffixes = [(sfx, w) for sfx, w in COMPANY_SUFFIXES if not (is_sme and sfx == "PLC")]
            suffix = rng.choices([sfx for sfx, _ in suffixes], [w for _, w in suffixes])[0]
            owners = (
                fake.last_name()
                if rng.random() < 0.7
                else f"{fake.last_name()} & {fake.last_name()}"
            )
            legal_name = f"{owners} {trade} {suffix}"
        if legal_name.lower() in names:
            continue
        company_number = _company_number(rng, region, suffix)
        if company_number in company_numbers:
            continue
        charity_number = ""
        if is_vcse and rng.random() < 0.6:
            charity_number = _charity_number(rng, region)
            if charity_number in charity_numbers:
                continue
            charity_numbers.add(charity_number)
        street = f"{rng.randint(1, 250)} {fake.last_name()} {rng.choice(STREET_TYPES)}"
        names.add(legal_name.lower())
        company_numbers.add(company_number)
        domain = f"{slugify(legal_name)[:40].strip('-')}.example.com"
        specs.append(
            OrganisationSpec(
                kind=OrganisationKind.SUPPLIER,
                legal_name=legal_name,
                company_number=company_number,
                charity_number=charity_number,
                region=region,
                address_line_1=street,
                town=town,
                postcode=_postcode(rng, area),
                is_sme=is_sme,
                is_vcse=is_vcse,
                contact_email=f"hello@{domain}",
                domain=domain,
            )
        )
    return specs


def _company_number(rng: random.Random, region: str, suffix: str) -> str:
    digits = rng.randint(10_000, 999_999)
    if suffix == "LLP":
        prefix = {Region.SCOTLAND: "SO", Region.NORTHERN_IRELAND: "NC"}.get(region, "OC")
        return f"{prefix}{rng.randint(300_000, 450_000):06d}"
    if region == Region.SCOTLAND:
        return f"SC{digits:06d}"
    if region == Region.NORTHERN_IRELAND:
        return f"NI{digits:06d}"
    return f"{rng.randint(1_000_000, 15_999_999):08d}"


def _charity_number(rng: random.Random, region: str) -> str:
    if region == Region.SCOTLAND:
        return f"SC0{rng.randint(10_000, 99_999)}"
    if region == Region.NORTHERN_IRELAND:
        return f"NIC1{rng.randint(0, 99_999):05d}"
    return f"1{rng.randint(0, 999_999):06d}"


def _postcode(rng: random.Random, area: str) -> str:
    district = rng.randint(1, 20)
    letters = "".join(rng.choice(_INWARD_LETTERS) for _ in range(2))
    return f"{area}{district} {rng.randint(1, 9)}{letters}"


def user_specs(
    seed: int,
    authorities: Iterable[OrganisationSpec],
    buyers: Iterable[OrganisationSpec],
    suppliers: Iterable[OrganisationSpec],
) -> list[UserSpec]:
    """The superuser, staff for every authority, and for the first few buyers and suppliers."""
    fake = Faker("en_GB")
    fake.seed_instance(f"{seed}:users")
    specs = [UserSpec(email=ADMIN_EMAIL, first_name="Ada", last_name="Admin", is_superuser=True)]
    organisations = [
        *authorities,
        *list(buyers)[:BUYERS_WITH_STAFF],
        *list(suppliers)[:SUPPLIERS_WITH_STAFF],
    ]
    for organisation in organisations:
        for role, local_part in STAFF[organisation.kind]:
            specs.append(
                UserSpec(
                    email=f"{local_part}@{organisation.domain}",
                    first_name=fake.first_name(),
                    last_name=fake.last_name(),
                    role=role,
                    organisation=organisation,
                )
            )
    return specs


def totp_key(seed: int, email: str) -> str:
    """A 20-byte TOTP key, hex-encoded, derived from the seed: known to anyone with the seed."""
    return hashlib.sha256(f"demo-totp:{seed}:{email.lower()}".encode()).hexdigest()[:40]


def base32_key(hex_key: str) -> str:
    """The form an authenticator app asks for."""
    return base64.b32encode(bytes.fromhex(hex_key)).decode()


# --- Building (database) ----------------------------------------------------------------------


@dataclass
class SectionResult:
    """What a section made: every object it stands for, in spec order, and how many were new."""

    name: str
    objects: list = field(default_factory=list)
    created: int = 0

    @property
    def existing(self) -> int:
        return len(self.objects) - self.created

    def summary(self) -> str:
        return f"{self.name}: {self.created} created, {self.existing} already present"


def _ensure_organisations(
    name: str, specs: list[OrganisationSpec], existing: dict[str, Organisation], key, progress
) -> SectionResult:
    result = SectionResult(name)
    with transaction.atomic():
        for index, spec in enumerate(specs, start=1):
            organisation = existing.get(key(spec))
            if organisation is None:
                organisation = _create_organisation(spec)
                result.created += 1
            result.objects.append(organisation)
            if len(specs) > PROGRESS_EVERY and (index % PROGRESS_EVERY == 0 or index == len(specs)):
                progress(f"  {name}: {index}/{len(specs)}")
    return result


def _create_organisation(spec: OrganisationSpec) -> Organisation:
    organisation = Organisation(
        kind=spec.kind,
        legal_name=spec.legal_name,
        trading_name=spec.trading_name,
        slug=unique_slug(spec.legal_name),
        company_number=spec.company_number,
        council_code=spec.council_code,
        charity_number=spec.charity_number,
        address_line_1=spec.address_line_1,
        town=spec.town,
        postcode=spec.postcode,
        region=spec.region,
        is_sme=spec.is_sme,
        is_vcse=spec.is_vcse,
        contact_email=spec.contact_email,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def build_authorities(
    specs: list[OrganisationSpec] | None = None, progress: Progress = _quiet
) -> SectionResult:
    specs = authority_specs() if specs is None else specs
    existing = {
        organisation.legal_name.lower(): organisation
        for organisation in Organisation.objects.filter(kind=OrganisationKind.AUTHORITY)
    }
    return _ensure_organisations(
        "Authorities", specs, existing, lambda spec: spec.legal_name.lower(), progress
    )


def build_buyers(
    specs: list[OrganisationSpec] | None = None, progress: Progress = _quiet
) -> SectionResult:
    specs = buyer_specs() if specs is None else specs
    existing = {
        organisation.council_code: organisation
        for organisation in Organisation.objects.filter(
            council_code__in=[spec.council_code for spec in specs]
        )
    }
    return _ensure_organisations(
        "Buyers", specs, existing, lambda spec: spec.council_code, progress
    )


def build_suppliers(
    specs: list[OrganisationSpec] | None = None, progress: Progress = _quiet
) -> SectionResult:
    specs = supplier_specs() if specs is None else specs
    existing = {
        organisation.company_number: organisation
        for organisation in Organisation.objects.filter(
            company_number__in=[spec.company_number for spec in specs]
        )
    }
    return _ensure_organisations(
        "Suppliers", specs, existing, lambda spec: spec.company_number, progress
    )


def build_users(
    specs: list[UserSpec],
    organisations: dict[OrganisationSpec, Organisation],
    *,
    seed: int = DEFAULT_SEED,
    password: str = DEMO_PASSWORD,
) -> SectionResult:
    """Users, their memberships and (for authority staff and the superuser) a TOTP device.

    ``created`` counts new users; memberships and devices missing for existing users are added
    too, so a half-built database is completed rather than skipped.
    """
    User = get_user_model()
    result = SectionResult("Users")
    password_hash = ""
    existing = {
        user.email: user for user in User.objects.filter(email__in=[s.email for s in specs])
    }
    with transaction.atomic():
        for spec in specs:
            user = existing.get(spec.email)
            if user is None:
                user = User(
                    email=spec.email,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    is_staff=spec.is_superuser,
                    is_superuser=spec.is_superuser,
                )
                validate_password(password, user)
                # One hash for every demo user: hashing is slow by design, and the password
                # is public anyway.
                password_hash = password_hash or make_password(password)
                user.password = password_hash
                user.save()
                result.created += 1
            if spec.organisation is not None:
                organisation = organisations[spec.organisation]
                if not Membership.objects.filter(user=user, organisation=organisation).exists():
                    membership = Membership(user=user, organisation=organisation, role=spec.role)
                    membership.full_clean()
                    membership.save()
            if spec.needs_totp:
                TOTPDevice.objects.get_or_create(
                    user=user,
                    name=TOTP_DEVICE_NAME,
                    defaults={"key": totp_key(seed, spec.email), "confirmed": True},
                )
            result.objects.append(user)
    return result


def build_guidance(stdout=None) -> SectionResult | None:
    """Home page, guidance pages and navigation, from the cms app (None if it has none yet).

    ``stdout`` is anything with ``write()``; the cms reports each page it publishes to it.
    """
    try:
        from cms.models import GuidancePage
        from demo.content import ensure_demo_content
    except ImportError:
        return None
    before = GuidancePage.objects.count()
    ensure_demo_content(stdout=stdout)
    pages = list(GuidancePage.objects.order_by("path"))
    return SectionResult("Guidance pages", objects=pages, created=len(pages) - before)


def build_authority_sections(authorities: list[Organisation]) -> SectionResult | None:
    """Each authority's Wagtail section, staff group and approval workflow (None if the
    frameworks app cannot make them yet). Run after build_users so staff join their group."""
    try:
        from frameworks.models import AuthorityPage
        from frameworks.setup import ensure_authority_section
    except ImportError:
        return None
    before = AuthorityPage.objects.filter(authority__in=authorities).count()
    result = SectionResult("Authority sections")
    for authority in authorities:
        result.objects.append(ensure_authority_section(authority=authority))
    result.created = len(result.objects) - before
    return result


def build_frameworks(
    *,
    seed: int,
    authorities: list[Organisation],
    suppliers: list[Organisation],
    buyers: list[Organisation] = (),
    stdout=None,
) -> list:
    """The demo frameworks, lots and appointments (demo.frameworks), reported to ``stdout``.
    Run after build_authority_sections: each authority's framework manager is the actor."""
    from demo.frameworks import build_frameworks as build

    return build(
        seed=seed, authorities=authorities, suppliers=suppliers, buyers=buyers, stdout=stdout
    )


def build_offerings(*, seed: int, count: int, progress=None):
    """The demo offerings (demo.offerings) over the demo lots' current appointments. Run after
    build_frameworks. ``progress(done, total)`` is called after each batch."""
    from demo.offerings import build_offerings as build

    return build(seed=seed, count=count, progress=progress)


def demo_data_exists() -> bool:
    return Organisation.objects.filter(kind=OrganisationKind.AUTHORITY).exists()


# --- Sign-ins ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    role: str
    organisation: str
    email: str
    password: str
    needs_totp: bool
    totp_key: str  # base32 key of the demo authenticator, blank if there is none


def sign_ins(password: str = DEMO_PASSWORD) -> list[SignIn]:
    """One demo account per role (the first made), plus the superuser, read from the database."""
    User = get_user_model()
    rows: list[SignIn] = []
    admin = User.objects.filter(email=ADMIN_EMAIL, is_superuser=True).first()
    if admin is not None:
        rows.append(_sign_in("Wagtail superuser", "-", admin, password))
    for role in Role:
        membership = (
            Membership.objects.filter(role=role)
            .select_related("user", "organisation")
            .order_by("pk")
            .first()
        )
        if membership is None:
            continue
        kind = OrganisationKind(membership.organisation.kind).label
        rows.append(
            _sign_in(
                f"{kind}: {role.label}", membership.organisation.name, membership.user, password
            )
        )
    return rows


def _sign_in(role: str, organisation: str, user, password: str) -> SignIn:
    device = TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME, confirmed=True).first()
    return SignIn(
        role=role,
        organisation=organisation,
        email=user.email,
        password=password,
        needs_totp=requires_second_factor(user),
        totp_key=base32_key(device.key) if device is not None else "",
    )


def admin_url() -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/"
