"""factory-boy factories shared by every test module."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import Site

import factory
from factory.django import DjangoModelFactory

from frameworks.eligibility import rule_keys
from frameworks.models import (
    Appointment,
    AuthorityPage,
    CpvCode,
    EligibilityRule,
    FrameworkIndexPage,
    FrameworkPage,
    Lot,
)
from marketplace.accounts.models import User
from marketplace.organisations.models import Membership, Organisation, Region

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.gov.uk")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = "supplier"
    legal_name = factory.Sequence(lambda n: f"Organisation {n} Ltd")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    company_number = factory.Sequence(lambda n: f"{n + 10000000:08d}")
    region = Region.NORTH_WEST
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    postcode = "M1 1AA"
    town = "Manchester"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "supplier_admin"


# Frameworks: Wagtail pages are built under the default site's home page and published, so
# their lots are real rows, as the public site sees them.


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


def _publish(parent, page, *, live: bool = True):
    page.live = live
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def framework_index_page(**fields) -> FrameworkIndexPage:
    existing = FrameworkIndexPage.objects.first()
    if existing is not None:
        return existing
    fields = {"title": "Frameworks", "slug": "frameworks", **fields}
    return _publish(home_page(), FrameworkIndexPage(**fields))


def authority_page(authority=None, **fields) -> AuthorityPage:
    authority = authority or OrganisationFactory(kind="authority")
    fields = {"title": authority.name, "slug": authority.slug, **fields}
    return _publish(framework_index_page(), AuthorityPage(authority=authority, **fields))


_framework_numbers = iter(range(1, 1_000_000))


def with_award_notice(fields: dict, *, today) -> dict:
    """Record the contract award notice, on the award day, for a Procurement Act framework
    awarded by `today`: one that has started must have it, and its standstill (8 working days)
    ends before the framework starts on the default dates (Procurement Act 2023 s.51)."""
    if fields.get("regime", "pa2023") == "pa2023" and fields["award_on"] <= today:
        fields.setdefault("award_notice_published_on", fields["award_on"])
        fields.setdefault("award_notice_identifier", f"{fields['reference']}-CAN")
    return fields


def framework_page(
    parent: AuthorityPage | None = None,
    *,
    lots: int | list[dict] = 1,
    cpv_codes: tuple[str, ...] = (),
    eligible_kinds=(),
    eligible_regions=(),
    eligible_organisations=(),
    eligibility=(),
    live: bool = True,
    **fields,
) -> FrameworkPage:
    """A published framework (live today unless dates are given) with `lots` lots.

    `lots` is a number of default lots or a list of Lot field dicts; `cpv_codes` are codes
    like "72000000-5" from the loaded CPV reference data. Who may use it: the editor's tick
    boxes (kinds, regions, named organisations) and any other rule keys in `eligibility`.
    """
    parent = parent or authority_page()
    number = next(_framework_numbers)
    today = timezone.localdate()
    fields = {
        "title": f"Framework {number}",
        "slug": f"framework-{number}",
        "reference": f"FW-{number:05d}",
        "summary": f"Summary of framework {number}.",
        "applications_open_on": today - timedelta(days=200),
        "applications_close_on": today - timedelta(days=150),
        "award_on": today - timedelta(days=120),
        "starts_on": today - timedelta(days=100),
        "ends_on": today + timedelta(days=600),
        **fields,
    }
    with_award_notice(fields, today=today)
    lot_fields = (
        [{"number": n, "title": f"Lot {n} work"} for n in range(1, lots + 1)]
        if isinstance(lots, int)
        else lots
    )
    page = FrameworkPage(**fields)
    page.lots = [Lot(**lot) for lot in lot_fields]
    page.cpv_codes = list(CpvCode.objects.filter(code__in=cpv_codes))
    keys = rule_keys(
        kinds=eligible_kinds,
        regions=eligible_regions,
        organisations=[organisation.pk for organisation in eligible_organisations],
    )
    page.eligibility_rules = [EligibilityRule(key=key) for key in {*keys, *eligibility}]
    return _publish(parent, page, live=live)


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = Appointment

    lot = None  # pass the lot: framework_page(...).lots.get(number=1)
    supplier = factory.SubFactory(OrganisationFactory, kind="supplier")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    status = Appointment.Status.ACTIVE


# --- Suppliers ---------------------------------------------------------------------------------

ATTRIBUTE_SCHEMA = [
    (
        "number",
        {
            "key": "max_users",
            "label": "Maximum users",
            "unit": "users",
            "required": True,
            "filterable": True,
            "help_text": "",
        },
    ),
    (
        "yes_no",
        {
            "key": "hosted_in_uk",
            "label": "Hosted in the UK",
            "required": True,
            "filterable": True,
            "help_text": "",
        },
    ),
    (
        "one_of",
        {
            "key": "support_hours",
            "label": "Support hours",
            "required": False,
            "filterable": True,
            "help_text": "",
            "options": ["Office hours", "24/7"],
        },
    ),
    (
        "many_of",
        {
            "key": "standards",
            "label": "Standards met",
            "required": False,
            "filterable": False,
            "help_text": "",
            "options": ["WCAG 2.2 AA", "ISO 27001"],
        },
    ),
    (
        "text",
        {
            "key": "onboarding",
            "label": "Onboarding",
            "required": False,
            "filterable": False,
            "help_text": "",
        },
    ),
]


def offering_data(**overrides) -> dict:
    """Valid offering content for a lot with ATTRIBUTE_SCHEMA, as a form or a row gives it."""
    return {
        "title": "Case management platform",
        "summary": "Cloud case management for adult social care teams.",
        "description": "Hosted software with training and support included.",
        "attributes": {"max_users": "500", "hosted_in_uk": "yes", "support_hours": "24/7"},
        "price": "12.50",
        "price_unit": "user_month",
        "vat_treatment": "exclusive",
        "minimum_contract_value": "",
        "regions_served": ["TLC", "TLD"],
        "lead_time_days": "10",
        **overrides,
    }


def supplier_lot(**fields) -> Lot:
    """The one lot of a new live framework, asking the ATTRIBUTE_SCHEMA questions."""
    page = framework_page(
        lots=[{"number": 1, "title": "Software", "attribute_schema": ATTRIBUTE_SCHEMA}], **fields
    )
    return page.lots.get(number=1)


def offering(*, supplier, lot, actor=None, status="draft", **overrides):
    """An offering made through the services, taken as far as `status` (draft/submitted/live)."""
    from suppliers import services

    actor = actor or MembershipFactory(organisation=supplier, role="supplier_admin").user
    if not Appointment.objects.filter(supplier=supplier, lot=lot).exists():
        AppointmentFactory(supplier=supplier, lot=lot)
    made = services.create_offering(
        actor=actor, supplier=supplier, lot=lot, data=offering_data(**overrides)
    )
    if status in {"submitted", "live"}:
        made = services.submit_offering(actor=actor, supplier=supplier, offering=made)
    if status == "live":
        reviewer = MembershipFactory(organisation=lot.framework.authority, role="reviewer").user
        made = services.approve_offering(
            actor=reviewer, authority=lot.framework.authority, offering=made
        )
    return made


def platform_admin() -> User:
    """A member of the service team (a superuser), who keeps the central debarment list."""
    return UserFactory(is_superuser=True, is_staff=True)


def debarment_entry(*, supplier, exclusion_type="mandatory", starts_on=None, **fields):
    """An entry on the central debarment list, added through the service by a platform admin."""
    from frameworks import debarment

    return debarment.add_debarment_entry(
        actor=fields.pop("actor", None) or platform_admin(),
        supplier=supplier,
        ground=fields.pop("ground", "Conviction for fraud (Schedule 6)"),
        exclusion_type=exclusion_type,
        starts_on=starts_on or timezone.localdate(),
        **fields,
    )


# --- Buying projects (call-offs) ---------------------------------------------------------------


def buying_project(*, organisation, actor=None, lot=None, route="direct_award", **details):
    """A buying project started through the services by a procurement officer of
    `organisation` (or `actor`), with `lot` and `route` chosen when a lot is given."""
    from marketplace.calloffs.services import projects

    actor = actor or MembershipFactory(organisation=organisation, role="procurement_officer").user
    project = projects.create_project(
        actor=actor,
        organisation=organisation,
        title=details.pop("title", "Grounds maintenance"),
        need=details.pop("need", "Mowing and hedge cutting at 12 parks."),
        estimated_value=details.pop("estimated_value", "50000.00"),
        estimated_term_months=details.pop("estimated_term_months", 12),
        team=details.pop("team", ()),
    )
    if lot is not None:
        project = projects.choose_lot(actor=actor, project=project, lot=lot, route=route)
    return project


# --- Contracts register: call-off rows made directly, not through the services ------------------

_register_numbers = iter(range(900_001, 1_000_000))


def contract(
    *,
    lot=None,
    buyer=None,
    supplier=None,
    route="direct_award",
    direct_award_method="single_supplier",
    value="10000.00",
    value_including_vat=None,
    starts_on=None,
    ends_on=None,
    entered_into_on=None,
    rules_applied="pa2023",
    kpis=(),
    **fields,
):
    """A contract in the register with its project and award (status contracted), written
    as rows. `kpis` are (title, target) pairs set on the award; other `fields` are Contract
    fields (title, reference, details_notice_identifier…)."""
    from decimal import Decimal

    from marketplace.calloffs.models import Award, BuyingProject, Contract

    lot = lot or framework_page().lots.get()
    buyer = buyer or OrganisationFactory(kind="buyer")
    supplier = supplier or OrganisationFactory(kind="supplier")
    officer = MembershipFactory(organisation=buyer, role="procurement_officer").user
    value = Decimal(value)
    value_including_vat = Decimal(value_including_vat or value * Decimal("1.2"))
    entered_into_on = entered_into_on or timezone.localdate() - timedelta(days=10)
    starts_on = starts_on or entered_into_on
    ends_on = ends_on or starts_on + timedelta(days=364)
    number = next(_register_numbers)
    title = fields.pop("title", f"Call-off {number}")
    project = BuyingProject.objects.create(
        reference=f"BP-{entered_into_on.year}-{number:06d}",
        organisation=buyer,
        title=title,
        need="What the buyer needs.",
        estimated_value=value,
        estimated_term_months=12,
        created_by=officer,
        status=BuyingProject.Status.CONTRACTED,
        lot=lot,
        route=route,
        direct_award_method=direct_award_method if route == "direct_award" else "",
        selected_supplier=supplier,
        selection_reason="The lot's one supplier.",
        selected_at=timezone.now(),
    )
    award = Award.objects.create(
        project=project,
        status=Award.Status.CONTRACTED,
        route=route,
        direct_award_method=project.direct_award_method,
        supplier=supplier,
        selection_reason=project.selection_reason,
        rules_applied=rules_applied,
        description=f"{title}: what is delivered.",
        value=value,
        value_including_vat=value_including_vat,
        starts_on=starts_on,
        ends_on=ends_on,
        awarded_by=officer,
        awarded_at=timezone.now() - timedelta(days=20),
        notice_identifier=f"UK6-{number}" if rules_applied == "pa2023" else "",
        notice_published_on=entered_into_on - timedelta(days=15)
        if rules_applied == "pa2023"
        else None,
    )
    for position, (kpi_title, target) in enumerate(kpis):
        award.kpis.create(position=position, title=kpi_title, target=target)
    return Contract.objects.create(
        reference=fields.pop("reference", f"CT-{entered_into_on.year}-{number:06d}"),
        award=award,
        project=project,
        buyer=buyer,
        supplier=supplier,
        framework=lot.framework,
        lot=lot,
        route=route,
        title=title,
        description=fields.pop("description", award.description),
        value=value,
        value_including_vat=value_including_vat,
        starts_on=starts_on,
        ends_on=ends_on,
        entered_into_on=entered_into_on,
        entered_into_by=officer,
        **fields,
    )


def performance_assessment(*, contract, ratings=(), **fields):
    """A published assessment of `contract`; `ratings` are (kpi, rating, comment) triples."""
    from marketplace.calloffs.models import PerformanceAssessment

    assessment = PerformanceAssessment.objects.create(
        contract=contract,
        period_start=fields.pop("period_start", contract.starts_on),
        period_end=fields.pop("period_end", contract.starts_on + timedelta(days=180)),
        summary=fields.pop("summary", "Delivered on time."),
        assessed_by=contract.entered_into_by,
        **fields,
    )
    for kpi, rating, comment in ratings:
        assessment.ratings.create(kpi=kpi, rating=rating, comment=comment)
    return assessment


# --- Awards ready for a contract: rows made directly, not through the services -----------------


def standing_award(
    *,
    buyer,
    officer,
    rules_applied="pa2023",
    is_light_touch=False,
    value="100000.00",
    value_including_vat=None,
    kpis=(),
    kpi_none_reason="",
    notice_published_on=None,
    standstill_ends_on=None,
    direct_award_method="single_supplier",
    **fields,
):
    """An award that has taken effect (status awarded) on a project started by `officer` of
    `buyer`, to a supplier appointed to the lot, its contract award notice recorded under the
    Act (published `notice_published_on`, 5 days ago by default). `kpis` are (title, target)
    pairs; `fields` are Award fields (starts_on, ends_on, description…)."""
    from decimal import Decimal

    from marketplace.calloffs.models import Award, BuyingProject

    lot = fields.pop("lot", None) or framework_page().lots.get()
    supplier = fields.pop("supplier", None) or OrganisationFactory(kind="supplier")
    if not Appointment.objects.filter(lot=lot, supplier=supplier).exists():
        AppointmentFactory(lot=lot, supplier=supplier)
    today = timezone.localdate()
    value = Decimal(value)
    number = next(_register_numbers)
    project = BuyingProject.objects.create(
        reference=f"BP-{today.year}-{number:06d}",
        organisation=buyer,
        title=fields.pop("title", f"Grounds maintenance {number}"),
        need="Mowing and hedge cutting at 12 parks.",
        estimated_value=value,
        estimated_term_months=12,
        created_by=officer,
        status=BuyingProject.Status.AWARDED,
        lot=lot,
        route="direct_award",
        direct_award_method=direct_award_method,
        selected_supplier=supplier,
        selection_reason="The lot's one supplier.",
        selected_at=timezone.now(),
    )
    under_act = rules_applied == "pa2023"
    published_on = notice_published_on or today - timedelta(days=5)
    award = Award.objects.create(
        project=project,
        status=Award.Status.AWARDED,
        route="direct_award",
        direct_award_method=direct_award_method,
        supplier=supplier,
        selection_reason=project.selection_reason,
        rules_applied=rules_applied,
        is_light_touch=is_light_touch,
        description=fields.pop("description", "Mowing, hedges and litter picking."),
        value=value,
        value_including_vat=Decimal(value_including_vat or value * Decimal("1.2")),
        starts_on=fields.pop("starts_on", today),
        ends_on=fields.pop("ends_on", today + timedelta(days=729)),
        kpi_none_reason=kpi_none_reason,
        awarded_by=officer,
        awarded_at=timezone.now() - timedelta(days=10),
        notice_identifier=f"UK6-{number}" if under_act else "",
        notice_published_on=published_on if under_act else None,
        standstill_stated=standstill_ends_on is not None,
        standstill_ends_on=standstill_ends_on,
        **fields,
    )
    for position, (title, target) in enumerate(kpis):
        award.kpis.create(position=position, title=title, target=target)
    return award
