"""Demo data: a believable UK region of authorities, councils, suppliers and their staff.

Everything here is deterministic for a given seed: the ``*_specs`` functions describe what to
build without touching the database (Faker and ``random.Random`` seeded per section, never the
global random), and build_region() creates whatever of it is missing, keyed by stable
identifiers (council code, company number, e-mail address) so a second run creates nothing.
``manage.py seed_demo`` calls it, then the later sections (demo.frameworks, demo.offerings).

Organisations and memberships are made through marketplace.organisations.services, as people
would make them, so each is checked and audited: the service team registers each authority
and hands it to its framework manager; each council is a real one from the reference data
(marketplace.organisations.local_authorities), claimed by its first administrator from an
e-mail domain the service team recorded for it, so the claim is granted at once; each supplier
is registered by its administrator; administrators add the rest of their staff. The accounts
themselves (and their TOTP devices) are written directly: see build_users().

This is for local demonstrations only: every demo user shares DEMO_PASSWORD and the TOTP keys
are derived from the seed, so anyone who knows the seed can sign in.
"""

import base64
import hashlib
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from marketplace.accounts.middleware import requires_second_factor
from marketplace.organisations import local_authorities
from marketplace.organisations import services as organisation_services
from marketplace.organisations.models import LocalAuthority, Membership, Organisation, Region
from marketplace.organisations.roles import OrganisationKind, Role, administrator_role

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
    local_authority: str = ""  # LocalAuthority.code of a council or combined authority
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

# The authorities that are combined authorities, and their mySociety codes.
COMBINED_AUTHORITIES = {"GMCA": "GMCA", "WMCA": "WMCA"}

# mySociety codes of councils in and around the three authorities' regions (their names, GSS
# codes and regions come from the reference data, marketplace/organisations/data). Listed by
# region, Greater Manchester's ten first; buyer_specs() takes them region by region in turn,
# so a small --buyers still spans every region.
COUNCILS: dict[str, tuple[str, ...]] = {
    Region.NORTH_WEST: (
        *("MAN", "SLF", "BOL", "BUR", "OLD", "RCH", "SKP", "TAM", "TRF", "WGN"),
        *("LIV", "WRL", "SFT", "KWL", "SHN", "WRT", "BPL", "BBD", "LAN"),
    ),
    Region.NORTH_EAST: (
        *("NET", "GAT", "NTY", "STY", "SND", "DUR", "NBL"),
        *("MDB", "HPL", "STT", "RCC", "DAL"),
    ),
    Region.WEST_MIDLANDS: ("BIR", "COV", "WLV", "DUD", "SAW", "SOL", "WLL", "STE", "TFW"),
    Region.YORKSHIRE: ("LDS", "SHF", "BRD", "KIR", "YOR", "WKF", "CLD"),
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
            local_authority=COMBINED_AUTHORITIES.get(trading_name, ""),
        )
        for legal_name, trading_name, region, town, postcode, domain in AUTHORITIES
    ]


def buyer_specs(count: int = DEFAULT_BUYERS) -> list[OrganisationSpec]:
    """Councils taken region by region in turn, up to ``count`` (at most len of COUNCILS)."""
    queues = [list(councils) for councils in COUNCILS.values()]
    specs: list[OrganisationSpec] = []
    while len(specs) < count and any(queues):
        for queue in queues:
            if queue and len(specs) < count:
                specs.append(_council_spec(queue.pop(0)))
    return specs


@cache
def _reference_councils() -> dict[str, dict[str, str]]:
    """The reference data's rows by mySociety code, read from its file (no database)."""
    return {row["local-authority-code"]: row for row in local_authorities.read_rows()}


def _council_spec(code: str) -> OrganisationSpec:
    row = _reference_councils()[code]
    # The demo's own addresses, never the council's real domain: demo mail must not reach it.
    domain = f"{row['gov-uk-slug']}.example.gov.uk"
    return OrganisationSpec(
        kind=OrganisationKind.BUYER,
        legal_name=row["official-name"],
        local_authority=code,
        region=local_authorities.REGION_CODES[row["region"]],
        town=row["nice-name"],
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
    """The superuser; every organisation's administrator, who registers it; and the other staff
    of every authority and of the first few buyers and suppliers."""
    fake = Faker("en_GB")
    fake.seed_instance(f"{seed}:users")
    specs = [UserSpec(email=ADMIN_EMAIL, first_name="Ada", last_name="Admin", is_superuser=True)]
    authorities, buyers, suppliers = list(authorities), list(buyers), list(suppliers)
    staffed = {*authorities, *buyers[:BUYERS_WITH_STAFF], *suppliers[:SUPPLIERS_WITH_STAFF]}
    for organisation in [*authorities, *buyers, *suppliers]:
        for role, local_part in STAFF[organisation.kind]:
            if organisation in staffed or role == administrator_role(organisation.kind):
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


# The OrganisationSpec fields that create_organisation takes.
ORGANISATION_FIELDS = (
    "legal_name",
    "trading_name",
    "company_number",
    "charity_number",
    "address_line_1",
    "town",
    "postcode",
    "region",
    "is_sme",
    "is_vcse",
    "contact_email",
)


def build_users(
    specs: list[UserSpec], *, seed: int = DEFAULT_SEED, password: str = DEMO_PASSWORD
) -> SectionResult:
    """Accounts, and a TOTP device for authority staff and the superuser.

    Written directly: there is no sign-up service (people join by invitation, which would
    e-mail every demo address) and a TOTP device is otherwise confirmed only by a code typed in
    a browser. ``created`` counts new users; a missing device is added for an existing user.
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
            if spec.needs_totp:
                TOTPDevice.objects.get_or_create(
                    user=user,
                    name=TOTP_DEVICE_NAME,
                    defaults={"key": totp_key(seed, spec.email), "confirmed": True},
                )
            result.objects.append(user)
    return result


def _fields(spec: OrganisationSpec) -> dict:
    return {name: getattr(spec, name) for name in ORGANISATION_FIELDS}


def _register_authority(spec: OrganisationSpec, founder, *, platform_admin) -> Organisation:
    """Only the service team may register an authority: it does, hands the authority to its
    first framework manager and leaves, as it belongs to no organisation. A combined authority
    is linked to its row in the list of councils."""
    authority = organisation_services.create_organisation(
        actor=platform_admin,
        kind=spec.kind,
        combined_authority=(
            LocalAuthority.objects.get(code=spec.local_authority) if spec.local_authority else None
        ),
        **_fields(spec),
    )
    organisation_services.add_member(
        actor=platform_admin,
        organisation=authority,
        user=founder,
        role=administrator_role(spec.kind),
    )
    organisation_services.remove_member(
        actor=platform_admin,
        membership=Membership.objects.get(organisation=authority, user=platform_admin),
    )
    return authority


def _register_council(spec: OrganisationSpec, founder, *, platform_admin) -> Organisation:
    """The service team records the council's e-mail domain (the demo's, never the real one);
    the council's first administrator then claims it from the list and is granted it at once."""
    council = LocalAuthority.objects.get(code=spec.local_authority)
    organisation_services.set_council_email_domains(
        actor=platform_admin, local_authority=council, domains=[*council.email_domains, spec.domain]
    )
    claim = organisation_services.claim_council(
        actor=founder, local_authority=council, contact_email=spec.contact_email
    )
    return claim.organisation


def _register_supplier(spec: OrganisationSpec, founder, *, platform_admin) -> Organisation:
    return organisation_services.create_organisation(actor=founder, kind=spec.kind, **_fields(spec))


def _build_section(
    name: str,
    specs: list[OrganisationSpec],
    *,
    existing: dict[str, Organisation],
    key: Callable[[OrganisationSpec], str],
    register,
    staff: dict[OrganisationSpec, list[tuple[str, object]]],
    platform_admin,
    progress: Progress,
) -> SectionResult:
    """Register each missing organisation through ``register(spec, founder, platform_admin=)``,
    then have its administrator add the staff who are not members yet."""
    result = SectionResult(name)
    for index, spec in enumerate(specs, start=1):
        members = staff[spec]
        founder = next(user for role, user in members if role == administrator_role(spec.kind))
        with transaction.atomic():
            organisation = existing.get(key(spec))
            if organisation is None:
                organisation = register(spec, founder, platform_admin=platform_admin)
                result.created += 1
            present = set(organisation.memberships.values_list("user_id", flat=True))
            for role, user in members:
                if user.pk not in present:
                    organisation_services.add_member(
                        actor=founder, organisation=organisation, user=user, role=role
                    )
        result.objects.append(organisation)
        if len(specs) > PROGRESS_EVERY and (index % PROGRESS_EVERY == 0 or index == len(specs)):
            progress(f"  {name}: {index}/{len(specs)}")
    return result


@dataclass
class DemoRegion:
    """The organisations a build stands for, in spec order, and what each section made."""

    authorities: list[Organisation]
    buyers: list[Organisation]
    suppliers: list[Organisation]
    sections: list[SectionResult]


def build_region(
    *,
    seed: int = DEFAULT_SEED,
    buyers: int = DEFAULT_BUYERS,
    suppliers: int = DEFAULT_SUPPLIERS,
    say: Progress = _quiet,
) -> DemoRegion:
    """Users, then the authorities, councils and suppliers with their staff, each section's
    summary (and progress through a big one) passed to ``say``."""
    specs = {
        "Authorities": authority_specs(),
        "Buyers": buyer_specs(buyers),
        "Suppliers": supplier_specs(seed, suppliers),
    }
    users = user_specs(seed, *specs.values())
    accounts = build_users(users, seed=seed)
    say(accounts.summary())
    staff: dict[OrganisationSpec, list[tuple[str, object]]] = defaultdict(list)
    for spec, user in zip(users, accounts.objects, strict=True):
        if spec.organisation is not None:
            staff[spec.organisation].append((spec.role, user))
    platform_admin = accounts.objects[0]
    existing = {
        "Authorities": {
            organisation.legal_name.lower(): organisation
            for organisation in Organisation.objects.filter(kind=OrganisationKind.AUTHORITY)
        },
        "Buyers": {
            organisation.local_authority.code: organisation
            for organisation in Organisation.objects.filter(
                local_authority__code__in=[spec.local_authority for spec in specs["Buyers"]]
            ).select_related("local_authority")
        },
        "Suppliers": {
            organisation.company_number: organisation
            for organisation in Organisation.objects.filter(
                company_number__in=[spec.company_number for spec in specs["Suppliers"]]
            )
        },
    }
    keys = {
        "Authorities": lambda spec: spec.legal_name.lower(),
        "Buyers": lambda spec: spec.local_authority,
        "Suppliers": lambda spec: spec.company_number,
    }
    registers = {
        "Authorities": _register_authority,
        "Buyers": _register_council,
        "Suppliers": _register_supplier,
    }
    sections = []
    for name, section_specs in specs.items():
        result = _build_section(
            name,
            section_specs,
            existing=existing[name],
            key=keys[name],
            register=registers[name],
            staff=staff,
            platform_admin=platform_admin,
            progress=say,
        )
        say(result.summary())
        sections.append(result)
    return DemoRegion(*(section.objects for section in sections), sections=sections)


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
