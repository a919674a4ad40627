"""Demo frameworks: nine believable UK public-sector frameworks across the three demo authorities.

build_frameworks() follows the shape of demo.organisations: what to build is data (FRAMEWORKS,
in demo.catalogue), the choices that vary (which suppliers join which lot) come
from random.Random seeded per framework and lot, never the global random, and everything is
keyed by the framework's reference, so a second run creates nothing. Dates are relative to
``today`` so that the set always shows every lifecycle state: coming, open, evaluating,
standstill, live, expired and suspended; only the live PCR 2015 framework keeps the fixed dates
its law needs (procured before 24 February 2025), and shows as expired once they have passed.

Appointments, suspensions and the exclusion go through frameworks.services with a framework
manager of the owning authority as the actor, and the central debarment list's two entries
through frameworks.debarment with the demo superuser, so they are audited like real ones.
Framework pages are published through frameworks.publishing (audited and checked against the
rules), bypassing only the "Framework approval" workflow: demo data has no second member.
The frameworks index is linked from the service navigation.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update

from demo.catalogue import (
    CARE_CAPACITY,
    FRAMEWORKS,
    LOWEST_PRICE,
    RANKED_ROTATION,
    SINGLE_SUPPLIER,
    TELEPHONE_PREFIXES,
    FrameworkSpec,
)
from demo.content import ensure_navigation_link
from frameworks import debarment, publishing, rules, services
from frameworks.eligibility import rule_keys
from frameworks.lifecycle import Lifecycle
from frameworks.models import (
    Appointment,
    AuthorityPage,
    AwardCriterion,
    CpvCode,
    DebarmentDecision,
    DebarmentEntry,
    DirectAwardMethod,
    EligibilityRule,
    ExclusionType,
    FrameworkContact,
    FrameworkIndexPage,
    FrameworkKind,
    FrameworkPage,
    FrameworkReopening,
    Lot,
    Regime,
    SocialValueTheme,
)
from frameworks.setup import ensure_authority_section
from marketplace.accounts.models import User
from marketplace.organisations.models import Membership, Organisation, Region
from marketplace.organisations.roles import OrganisationKind, Role
from marketplace.working_days import standstill_end

MIN_SUPPLIERS_PER_LOT = 5
MAX_SUPPLIERS_PER_LOT = 25
REGION_WEIGHT = 3  # a supplier in the framework's region is this much likelier to be appointed
TRADE_WEIGHT = 4  # and one whose trade fits the framework's theme this much likelier again
FEATURED_LOTS = 2  # suppliers with demo staff join this many lots of every live framework
# Lots (framework reference, lot number) whose selection process lets a further competition be
# narrowed to the suppliers capable of the work; every other lot invites every appointed
# supplier, so the demo shows both.
NARROWED_INVITATIONS = frozenset({("GMCA-ICT-2026", 2), ("NEPO-FM-2026", 7)})
NAVIGATION_POSITION = 1  # the frameworks link comes straight after "Home"
MANDATORY_GROUND = (
    "Fictional demo entry: mandatory exclusion ground under Schedule 6 of the Procurement Act "
    "2023 (conviction for fraud against a public body), recorded after the supplier's "
    "representations were considered."
)
DISCRETIONARY_GROUND = (
    "Fictional demo entry: discretionary exclusion ground under Schedule 7 of the Procurement "
    "Act 2023 (breach of a previous public contract, terminated in 2025)."
)
DISCRETIONARY_DECISION = (
    "Fictional demo decision: the supplier has replaced the managers responsible and put in "
    "place the audit the Minister's investigation asked for, so the breach is unlikely to recur."
)

# States whose frameworks have made their award decision, so suppliers are appointed.
APPOINTED_STATES = frozenset(
    {Lifecycle.STANDSTILL, Lifecycle.LIVE, Lifecycle.EXPIRED, Lifecycle.SUSPENDED}
)


# --- Dates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dates:
    applications_open_on: date
    applications_close_on: date
    award_on: date
    starts_on: date
    ends_on: date
    # (opens, closes, awarded) for each reopening of an open framework
    reopenings: tuple[tuple[date, date, date], ...] = ()
    award_notice_identifier: str = ""
    award_notice_published_on: date | None = None


def framework_dates(spec: FrameworkSpec, today: date) -> Dates:
    """Dates that put the framework in spec.state on ``today`` (live, for a suspended one)."""
    day = timedelta(days=1)
    if spec.state == Lifecycle.EXPIRED:
        ends_on = today - 45 * day
        starts_on = rules.add_years(ends_on, -spec.term_years) + day
        award_on = starts_on - 20 * day
        close = award_on - 50 * day
        return Dates(close - 60 * day, close, award_on, starts_on, ends_on)
    # (days from today) applications open, close, award and start
    offsets = {
        Lifecycle.COMING: (21, 63, 105, 135),
        Lifecycle.OPEN: (-14, 28, 70, 100),
        Lifecycle.EVALUATING: (-100, -30, 20, 45),
        Lifecycle.STANDSTILL: (-160, -100, -4, 6),
    }.get(spec.state)
    if offsets is None:  # live or suspended: counted back from the day it started
        started = spec.starts_on or today - spec.started_days_ago * day
        opens, closes, award, start = (started + days * day for days in (-130, -80, -20, 0))
    else:
        opens, closes, award, start = (today + offset * day for offset in offsets)
    notice_id, notice_on = "", None
    if spec.regime == Regime.PROCUREMENT_ACT_2023 and award <= today:
        # The contract award notice goes out on the award day; the framework is entered into
        # only after its standstill (s.51), which bank holidays can stretch.
        notice_id, notice_on = f"{FRAMEWORKS.index(spec) + 1:06d}-{award.year}", award
        start = max(start, standstill_end(award) + day)
    ends_on = rules.add_years(start, spec.term_years) - day
    reopenings: tuple[tuple[date, date, date], ...] = ()
    if spec.kind == FrameworkKind.OPEN:
        # One reopening already held (its new suppliers joined at its award) and one to come.
        reopenings = (
            (today - 120 * day, today - 90 * day, today - 69 * day),
            (today + 120 * day, today + 150 * day, today + 171 * day),
        )
    return Dates(opens, closes, award, start, ends_on, reopenings, notice_id, notice_on)


# --- Building ------------------------------------------------------------------------------------


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"{message}\n")


def _framework_manager(authority: Organisation):
    membership = (
        Membership.objects.filter(organisation=authority, role=Role.FRAMEWORK_MANAGER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise ValueError(
            f"{authority} has no framework manager: build the demo users before its frameworks"
        )
    return membership.user


def _domain(authority: Organisation) -> str:
    return authority.contact_email.rpartition("@")[2] or f"{authority.slug}.example.gov.uk"


def _named_councils(spec: FrameworkSpec, authority: Organisation, buyers: list[Organisation]):
    """The spec's councils that exist; with a small demo, the first other buyers out of region."""
    if spec.eligibility != "named":
        return []
    by_code = {buyer.council_code: buyer for buyer in buyers}
    named = [by_code[code] for code in spec.named_councils if code in by_code]
    for buyer in buyers:
        if len(named) >= len(spec.named_councils):
            break
        if buyer.region != authority.region and buyer not in named:
            named.append(buyer)
    return named


def _description(spec: FrameworkSpec, authority: Organisation, named: list[Organisation]):
    region = Region(authority.region).label
    if spec.eligibility == "region":
        who = f"Public bodies in {region} can use this framework."
    elif spec.eligibility == "named":
        names = " and ".join(council.name for council in named)
        who = f"Public bodies in {region} can use this framework" + (
            f", and so can {names}." if names else "."
        )
    else:
        who = "Any UK public body can use this framework."
    blocks = [("paragraph", RichText(f"<p>{paragraph}</p>")) for paragraph in spec.scope]
    blocks += [
        ("heading", {"text": "Who can use this framework", "level": "h2"}),
        ("paragraph", RichText(f"<p>{who}</p>")),
        ("heading", {"text": "How to buy", "level": "h2"}),
        (
            "paragraph",
            RichText(
                "<p>Some lots allow a direct award using the objective mechanism written in "
                "the lot; every lot allows a further competition between the suppliers "
                "appointed to it, unless the lot says otherwise.</p>"
            ),
        ),
        (
            "inset_text",
            RichText(
                f"<p>Suppliers pay {authority.name} a levy of {Decimal(spec.levy)}% of the "
                "value of each call-off. It is included in their prices, not added to them.</p>"
            ),
        ),
    ]
    if spec.kind == FrameworkKind.OPEN:
        blocks.append(
            (
                "paragraph",
                RichText(
                    "<p>This is an open framework: it reopens to new suppliers on the dates "
                    "published on this page.</p>"
                ),
            )
        )
    if spec.regime == Regime.PCR_2015:
        blocks.append(
            (
                "warning_text",
                "This framework was procured under the Public Contracts Regulations 2015, "
                "which apply to it and to its call-offs.",
            )
        )
    return blocks


# Each written mechanism's method (s.45(4)): (method, rotation period days, days to answer).
DIRECT_AWARD_METHODS = {
    RANKED_ROTATION: (DirectAwardMethod.RANKED_ROTATION, 90, 5),
    CARE_CAPACITY: (DirectAwardMethod.RANKED_ROTATION, 1, 2),
    LOWEST_PRICE: (DirectAwardMethod.SEARCH_AND_SHORTLIST, 0, 5),
    SINGLE_SUPPLIER: (DirectAwardMethod.SINGLE_SUPPLIER, 0, 5),
    "": ("", 0, 5),
}


# The quality criteria every demo framework was awarded on, and that its further competitions
# refine; a third of the mark is social value, in the themes the authorities chose.
QUALITY_CRITERIA = (
    (
        "Quality of the service",
        "How the supplier will meet the requirement: method, staff and standards.",
        45,
        {},
    ),
    (
        "Delivery and continuity",
        "Mobilisation, capacity, and how the service continues when things go wrong.",
        25,
        {},
    ),
    (
        "Local jobs and apprenticeships",
        "Jobs, apprenticeships and placements for residents, with measurable numbers.",
        10,
        {"social_value_theme": SocialValueTheme.LOCAL_JOBS},
    ),
    (
        "Spend with local SMEs and VCSEs",
        "The share of the contract's spend with local small firms and charities.",
        10,
        {"social_value_theme": SocialValueTheme.LOCAL_SPEND},
    ),
    (
        "Net zero",
        "How the contract's carbon emissions are measured and cut.",
        10,
        {"social_value_theme": SocialValueTheme.NET_ZERO},
    ),
)


def _lots(spec: FrameworkSpec, codes: dict[str, CpvCode]) -> list[Lot]:
    lots = []
    for number, lot_spec in enumerate(spec.lots, start=1):
        method, rotation_days, answer_days = DIRECT_AWARD_METHODS[lot_spec.mechanism]
        lot = Lot(
            number=number,
            title=lot_spec.title,
            description=lot_spec.description,
            minimum_value=Decimal(lot_spec.minimum).quantize(Decimal("0.01")),
            maximum_value=Decimal(lot_spec.maximum).quantize(Decimal("0.01")),
            maximum_term_months=lot_spec.term_months,
            allows_direct_award=bool(lot_spec.mechanism),
            allows_further_competition=lot_spec.further_competition,
            allows_narrowed_invitations=(spec.reference, number) in NARROWED_INVITATIONS,
            direct_award_mechanism=lot_spec.mechanism,
            direct_award_method=method,
            rotation_period_days=rotation_days,
            offer_response_working_days=answer_days,
            shortlist_limit=lot_spec.shortlist_limit,
            attribute_schema=list(lot_spec.attributes),
        )
        lot.cpv_codes = [codes[code] for code in lot_spec.cpv]
        lot.full_clean(exclude=["framework"])
        lots.append(lot)
    return lots


def _create_framework(
    spec: FrameworkSpec,
    *,
    section: AuthorityPage,
    authority: Organisation,
    buyers: list[Organisation],
    manager,
    today: date,
) -> FrameworkPage:
    dates = framework_dates(spec, today)
    errors = rules.framework_date_errors(
        applications_open_on=dates.applications_open_on,
        applications_close_on=dates.applications_close_on,
        award_on=dates.award_on,
        starts_on=dates.starts_on,
        ends_on=dates.ends_on,
        regime=spec.regime,
        kind=spec.kind,
        longer_term_reason=spec.longer_term_reason,
        award_notice_published_on=dates.award_notice_published_on,
        reopenings=dates.reopenings,
        as_of=today,
    )
    if errors:
        raise ValueError(f"{spec.reference}: {errors}")
    wanted = {code for lot in spec.lots for code in lot.cpv}
    codes = {code.code: code for code in CpvCode.objects.filter(code__in=wanted)}
    if missing := sorted(wanted - set(codes)):
        raise ValueError(f"{spec.reference}: CPV codes not in the reference data: {missing}")
    named = _named_councils(spec, authority, buyers)
    phone = TELEPHONE_PREFIXES.get(spec.authority, "0113 496 0")
    page = FrameworkPage(
        title=spec.title,
        slug=slugify(spec.title),
        reference=spec.reference,
        summary=spec.summary,
        description=_description(spec, authority, named),
        regime=spec.regime,
        kind=spec.kind,
        longer_term_reason=spec.longer_term_reason,
        award_notice_identifier=dates.award_notice_identifier,
        award_notice_published_on=dates.award_notice_published_on,
        applications_open_on=dates.applications_open_on,
        applications_close_on=dates.applications_close_on,
        award_on=dates.award_on,
        starts_on=dates.starts_on,
        ends_on=dates.ends_on,
        levy_rate=Decimal(spec.levy).quantize(Decimal("0.01")),
        owner=manager,
    )
    page.cpv_codes = sorted(codes.values(), key=lambda code: code.code)
    page.eligibility_rules = [
        EligibilityRule(key=key)
        for key in rule_keys(
            regions=[authority.region] if spec.eligibility in ("region", "named") else [],
            organisations=[council.pk for council in named],
        )
    ]
    page.reopenings = [
        FrameworkReopening(opens_on=opens, closes_on=closes, award_on=awarded)
        for opens, closes, awarded in dates.reopenings
    ]
    page.contacts = [
        FrameworkContact(
            name=spec.contact,
            email=f"{slugify(spec.reference)}@{_domain(authority)}",
            telephone=f"{phone}{100 + FRAMEWORKS.index(spec) * 10:03d}",
        ),
        FrameworkContact(name="Procurement helpdesk", email=f"procurement@{_domain(authority)}"),
    ]
    page.award_criteria = [
        # Assigned children get no sort_order from the admin's inline form: set it, or the
        # criteria come back in whatever order the database likes.
        AwardCriterion(
            title=title, description=description, weighting=weighting, sort_order=index, **theme
        )
        for index, (title, description, weighting, theme) in enumerate(QUALITY_CRITERIA)
    ]
    page.lots = _lots(spec, codes)
    # Wagtail's Page.save() runs full_clean() on a live page, so add_child() validates the page
    # (FrameworkPage.clean: date order and maximum term) before anything is written. Publishing
    # saves the page and its lots again and indexes their references then: once is enough.
    with disable_reference_index_auto_update():
        section.add_child(instance=page)
    # The demo publishes through the service, bypassing only the "Framework approval"
    # workflow (demo data has no second member to approve it). It publishes as its authority
    # would have: by the day applications opened, and checked against the rules on that day.
    publishing.publish_framework(
        actor=manager,
        organisation=authority,
        revision=page.save_revision(user=manager),
        as_of=min(today, page.applications_open_on),
    )
    page.refresh_from_db()
    expected = Lifecycle.LIVE if spec.state == Lifecycle.SUSPENDED else spec.state
    if spec.starts_on and dates.ends_on < today:
        expected = Lifecycle.EXPIRED  # fixed dates run out; the demo goes on without it
    if page.status_on(today) != expected:
        raise ValueError(f"{spec.reference} is {page.status_on(today)}, not {expected}")
    return page


def _pick_suppliers(
    rng: random.Random, spec: FrameworkSpec, region: str, candidates: list[Organisation]
) -> list[Organisation]:
    """5 to 25 suppliers, likelier if based in the region or trading in the theme."""
    trades = tuple(trade.lower() for trade in spec.trades)

    def weight(supplier: Organisation) -> float:
        name = supplier.legal_name.lower()
        return (REGION_WEIGHT if supplier.region == region else 1) * (
            TRADE_WEIGHT if any(trade in name for trade in trades) else 1
        )

    # Weighted sampling without replacement: the largest random()**(1/weight) win.
    keyed = sorted(
        candidates, key=lambda supplier: rng.random() ** (1 / weight(supplier)), reverse=True
    )
    count = min(rng.randint(MIN_SUPPLIERS_PER_LOT, MAX_SUPPLIERS_PER_LOT), len(keyed))
    return keyed[:count]


@dataclass
class _Counts:
    frameworks_created: int = 0
    appointments_created: int = 0
    suspended: int = 0
    excluded: int = 0
    debarments_created: int = 0
    debarments_existing: int = 0


def _appoint(
    spec: FrameworkSpec,
    page: FrameworkPage,
    *,
    seed: int,
    authority: Organisation,
    manager,
    suppliers: list[Organisation],
    featured: list[Organisation],
    today: date,
    counts: _Counts,
) -> None:
    """Appoint each lot's suppliers, then suspend or exclude the ones the spec names.

    ``featured`` suppliers (those with demo staff) join the first two lots of every live
    framework, so their demo accounts have lots to list offerings on, and are never the ones
    suspended or excluded. A single-supplier lot appoints only the first supplier chosen that
    is not on the debarment list, so buyers may call off from it without a decision first.
    """
    reopened = page.reopenings.filter(award_on__lte=today).order_by("-award_on")
    joined_late_on = reopened[0].award_on if reopened else None
    changes = {(change.lot, change.position): change for change in spec.status_changes}
    for lot in page.lots.order_by("number"):
        rng = random.Random(f"{seed}:{spec.reference}:lot {lot.number}")  # noqa: S311 - demo data
        chosen = _pick_suppliers(rng, spec, authority.region, suppliers)
        if lot.direct_award_method == DirectAwardMethod.SINGLE_SUPPLIER:
            debarred = set(DebarmentEntry.objects.values_list("supplier", flat=True))
            chosen = [supplier for supplier in chosen if supplier.pk not in debarred][:1]
        elif spec.state == Lifecycle.LIVE and lot.number <= FEATURED_LOTS:
            rest = [supplier for supplier in chosen if supplier not in featured]
            chosen = featured + rest[: max(len(chosen) - len(featured), 2)]
        late_from = len(chosen) - len(chosen) // 5 if joined_late_on else len(chosen)
        others = 0  # position among the suppliers that are not featured
        for position, supplier in enumerate(chosen):
            # Made on the day of the award the supplier joins at, as the law requires.
            late = position >= late_from
            appointment = services.appoint_supplier(
                actor=manager, organisation=authority, lot=lot, supplier=supplier,
                starts_on=joined_late_on if late else page.starts_on,
                as_of=joined_late_on if late else page.award_on,
            )  # fmt: skip
            counts.appointments_created += 1
            if supplier in featured:
                continue
            change = changes.get((lot.number, others))
            others += 1
            if change is not None:
                services.change_appointment_status(
                    actor=manager, organisation=authority, appointment=appointment,
                    status=change.status, reason=change.reason,
                )  # fmt: skip
                if change.status == Appointment.Status.EXCLUDED:
                    counts.excluded += 1
                else:
                    counts.suspended += 1


def _debar(
    *,
    seed: int,
    authorities: list[Organisation],
    suppliers: list[Organisation],
    today: date,
    counts: _Counts,
) -> Organisation | None:
    """Two of ``suppliers`` on the central debarment list, copied by the demo superuser: one on
    a mandatory ground, returned so that no one appoints it, and one on a discretionary ground,
    with every demo authority's decision to proceed (so buyers see the entry and decide)."""
    if DebarmentEntry.objects.filter(ground=MANDATORY_GROUND).exists():
        counts.debarments_existing += 2
        return DebarmentEntry.objects.get(ground=MANDATORY_GROUND).supplier
    if len(suppliers) < 2:
        return None
    platform_admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if platform_admin is None:
        raise ValueError("The demo debarment list needs a superuser: run build_users first")
    mandatory, discretionary = random.Random(f"{seed}:debarment").sample(suppliers, 2)  # noqa: S311 - demo data
    debarment.add_debarment_entry(
        actor=platform_admin, supplier=mandatory, ground=MANDATORY_GROUND,
        exclusion_type=ExclusionType.MANDATORY, starts_on=today - timedelta(days=240),
        expected_end_on=today + timedelta(days=5 * 365 - 240),
    )  # fmt: skip
    entry = debarment.add_debarment_entry(
        actor=platform_admin, supplier=discretionary, ground=DISCRETIONARY_GROUND,
        exclusion_type=ExclusionType.DISCRETIONARY, starts_on=today - timedelta(days=90),
        expected_end_on=today + timedelta(days=3 * 365 - 90),
    )  # fmt: skip
    for authority in authorities:
        debarment.record_debarment_decision(
            actor=_framework_manager(authority), organisation=authority, entry=entry,
            decision=DebarmentDecision.Decision.PROCEED, reason=DISCRETIONARY_DECISION,
        )  # fmt: skip
    counts.debarments_created += 2
    return mandatory


def build_frameworks(
    *,
    seed: int,
    authorities: Iterable[Organisation],
    suppliers: Iterable[Organisation],
    buyers: Iterable[Organisation] = (),
    stdout=None,
    today: date | None = None,
) -> list[FrameworkPage]:
    """The demo frameworks of the given authorities (by trading name), in FRAMEWORKS order.

    Builds what is missing, one transaction per framework: the page with its lots, then its
    appointments and their suspensions and exclusion, then (for a suspended framework) the
    suspension. Existing frameworks (by reference) are left as they are.
    """
    today = today or timezone.localdate()
    by_name = {authority.trading_name: authority for authority in authorities}
    suppliers = [s for s in suppliers if s.kind == OrganisationKind.SUPPLIER]
    buyers = list(buyers)
    existing = {
        page.reference: page
        for page in FrameworkPage.objects.filter(
            reference__in=[spec.reference for spec in FRAMEWORKS]
        )
    }
    # Every supplier has its administrator; those with demo staff have an editor too.
    staffed = set(
        Membership.objects.filter(organisation__in=suppliers, role=Role.EDITOR).values_list(
            "organisation", flat=True
        )
    )
    featured = [supplier for supplier in suppliers if supplier.pk in staffed]
    counts = _Counts()
    debarred = None
    # Only when the lots can spare a supplier and still have five.
    if by_name and len(suppliers) > MIN_SUPPLIERS_PER_LOT:
        with transaction.atomic():
            debarred = _debar(
                seed=seed,
                authorities=list(by_name.values()),
                suppliers=[s for s in suppliers if s not in featured],
                today=today,
                counts=counts,
            )
    pages: list[FrameworkPage] = []
    for spec in FRAMEWORKS:
        authority = by_name.get(spec.authority)
        if authority is None:
            continue
        page = existing.get(spec.reference)
        if page is not None:
            pages.append(page)
            continue
        manager = _framework_manager(authority)
        candidates = [s for s in suppliers if s != debarred]
        with transaction.atomic():
            section = AuthorityPage.objects.filter(
                authority=authority
            ).first() or ensure_authority_section(authority=authority)
            page = _create_framework(
                spec, section=section, authority=authority, buyers=buyers, manager=manager,
                today=today,
            )  # fmt: skip
            before = counts.appointments_created
            if spec.state in APPOINTED_STATES:
                _appoint(
                    spec, page, seed=seed, authority=authority, manager=manager,
                    suppliers=candidates, featured=featured, today=today, counts=counts,
                )  # fmt: skip
            if spec.state == Lifecycle.SUSPENDED:
                page = services.suspend_framework(
                    actor=manager, organisation=authority, framework=page,
                    reason=spec.suspension_reason,
                )  # fmt: skip
        counts.frameworks_created += 1
        pages.append(page)
        _say(
            stdout,
            f"  {spec.reference} {spec.title}: {len(spec.lots)} lots, "
            f"{counts.appointments_created - before} appointments",
        )
    index = FrameworkIndexPage.objects.first()
    if index is not None:
        ensure_navigation_link(
            label=index.title, page=index, position=NAVIGATION_POSITION, stdout=stdout
        )
    _say(
        stdout,
        f"Frameworks: {counts.frameworks_created} created, "
        f"{len(pages) - counts.frameworks_created} already present",
    )
    _say(
        stdout,
        f"Appointments: {counts.appointments_created} created "
        f"({counts.suspended} suspended, {counts.excluded} excluded)",
    )
    _say(
        stdout,
        f"Debarment list: {counts.debarments_created} created, "
        f"{counts.debarments_existing} already present",
    )
    return pages
