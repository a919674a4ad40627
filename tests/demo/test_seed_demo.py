from collections import Counter
from io import StringIO

from django.core.management import call_command

from wagtail.models import Site

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.models import GuidancePage, NavigationSettings
from cms.navigation import navigation_items
from demo import organisations as demo
from frameworks.models import AuthorityPage, FrameworkPage
from marketplace.accounts.models import User
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.organisations import identifiers
from marketplace.organisations.models import (
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationClaim,
    Region,
)
from marketplace.organisations.roles import Role
from tests.factories import OrganisationFactory

SMALL = ("--buyers", "4", "--suppliers", "6")


@pytest.fixture(autouse=True)
def pages_off(request, monkeypatch):
    """Publishing Wagtail pages is the slow part: only the tests that ask for pages get them."""
    if "with_pages" not in request.fixturenames:
        monkeypatch.setattr(demo, "build_guidance", lambda stdout=None: None)
        monkeypatch.setattr(demo, "build_authority_sections", lambda authorities: None)
    if "with_frameworks" not in request.fixturenames:
        monkeypatch.setattr(demo, "build_frameworks", lambda **kwargs: [])


@pytest.fixture
def with_pages():
    """Build the guidance pages and authority sections too."""


@pytest.fixture
def with_frameworks(with_pages):
    """Build the demo frameworks too (tests/frameworks/test_demo_frameworks*.py test them)."""


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL, *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "guidance": GuidancePage.objects.count(),
        "sections": AuthorityPage.objects.count(),
        "claims": OrganisationClaim.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


# --- Specs (no database) ----------------------------------------------------------------------


def test_supplier_specs_are_the_same_for_the_same_seed():
    assert demo.supplier_specs(2026, 40) == demo.supplier_specs(2026, 40)


def test_user_specs_are_the_same_for_the_same_seed():
    def specs():
        return demo.user_specs(
            2026, demo.authority_specs(), demo.buyer_specs(), demo.supplier_specs(2026, 10)
        )

    assert specs() == specs()


def test_supplier_specs_differ_for_another_seed():
    first = [spec.company_number for spec in demo.supplier_specs(2026, 10)]
    other = [spec.company_number for spec in demo.supplier_specs(2027, 10)]
    assert first != other


def test_fewer_suppliers_are_the_first_of_the_full_list():
    assert demo.supplier_specs(2026, 10) == demo.supplier_specs(2026, 200)[:10]


def test_every_supplier_company_number_is_valid_and_unique():
    numbers = [spec.company_number for spec in demo.supplier_specs(2026, 200)]
    for number in numbers:
        identifiers.validate_company_number(number)
    assert len(set(numbers)) == 200


def test_suppliers_include_scottish_and_northern_irish_company_numbers():
    prefixes = {spec.company_number[:2] for spec in demo.supplier_specs(2026, 200)}
    assert {"SC", "NI"} <= prefixes


def test_every_supplier_postcode_and_charity_number_is_valid():
    for spec in demo.supplier_specs(2026, 200):
        identifiers.validate_postcode(spec.postcode)
        if spec.charity_number:
            identifiers.validate_charity_number(spec.charity_number)


def test_supplier_names_are_unique_ignoring_case():
    names = [spec.legal_name.lower() for spec in demo.supplier_specs(2026, 200)]
    assert len(set(names)) == 200


def test_supplier_mix_is_mostly_sme_with_some_vcse_charities():
    specs = demo.supplier_specs(2026, 200)
    smes = sum(spec.is_sme for spec in specs)
    vcses = [spec for spec in specs if spec.is_vcse]
    assert 100 <= smes <= 140
    assert 10 <= len(vcses) <= 30
    assert any(spec.charity_number.startswith("1") for spec in vcses)
    assert all(spec.is_sme for spec in vcses)


def test_suppliers_are_weighted_to_the_north_west():
    regions = [spec.region for spec in demo.supplier_specs(2026, 200)]
    most_common = max(set(regions), key=regions.count)
    assert most_common == Region.NORTH_WEST


def test_default_buyers_are_forty_distinct_councils():
    specs = demo.buyer_specs()
    assert len(specs) == 40
    assert len({spec.local_authority for spec in specs}) == 40


@pytest.mark.django_db
def test_every_demo_council_is_a_current_council_in_its_listed_region():
    for region, codes in demo.COUNCILS.items():
        councils = LocalAuthority.objects.filter(code__in=codes)
        assert {council.code for council in councils} == set(codes)
        assert all(council.is_current and council.region == region for council in councils)


def test_a_few_buyers_span_the_regions():
    assert [spec.local_authority for spec in demo.buyer_specs(4)] == ["MAN", "NET", "BIR", "LDS"]


def test_greater_manchesters_ten_councils_come_first_in_the_north_west():
    assert demo.COUNCILS[Region.NORTH_WEST][:10] == (
        *("MAN", "SLF", "BOL", "BUR", "OLD", "RCH", "SKP", "TAM", "TRF", "WGN"),
    )


def test_totp_key_is_twenty_bytes_of_hex_derived_from_the_seed():
    key = demo.totp_key(2026, "manager@gmca.example.gov.uk")
    assert len(bytes.fromhex(key)) == 20
    assert key == demo.totp_key(2026, "Manager@GMCA.example.gov.uk")
    assert key != demo.totp_key(2027, "manager@gmca.example.gov.uk")


# --- The command ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_run_creates_each_section():
    output = seed()
    assert "Authorities: 3 created, 0 already present" in output
    assert "Buyers: 4 created, 0 already present" in output
    assert "Suppliers: 6 created, 0 already present" in output
    # superuser + 2 per authority + 2 per buyer with staff and 1 (its administrator) per other
    # buyer + 3 per supplier with staff and 1 per other supplier
    assert "Users: 26 created, 0 already present" in output


@pytest.mark.django_db
def test_first_run_creates_the_organisations_asked_for():
    seed()
    assert Organisation.objects.filter(kind="authority").count() == 3
    assert Organisation.objects.filter(kind="buyer").count() == 4
    assert Organisation.objects.filter(kind="supplier").count() == 6


@pytest.mark.django_db
def test_second_run_creates_nothing(with_pages):
    seed()
    before = row_counts()
    output = seed()
    assert row_counts() == before
    assert "Authorities: 0 created, 3 already present" in output
    assert "Buyers: 0 created, 4 already present" in output
    assert "Suppliers: 0 created, 6 already present" in output
    assert "Users: 0 created, 26 already present" in output
    assert "Guidance pages: 0 created, 5 already present" in output
    assert "Authority sections: 0 created, 3 already present" in output


@pytest.mark.django_db
def test_saved_suppliers_are_the_seeded_specs_in_order():
    seed("--seed", "7")
    saved = list(
        Organisation.objects.filter(kind="supplier")
        .order_by("pk")
        .values_list("legal_name", "company_number", "postcode", "region", "is_sme", "is_vcse")
    )
    expected = [
        (s.legal_name, s.company_number, s.postcode, s.region, s.is_sme, s.is_vcse)
        for s in demo.supplier_specs(7, 6)
    ]
    assert saved == expected


@pytest.mark.django_db
def test_saved_users_are_the_seeded_specs():
    seed("--seed", "7")
    specs = demo.user_specs(
        7, demo.authority_specs(), demo.buyer_specs(4), demo.supplier_specs(7, 6)
    )
    saved = set(User.objects.values_list("email", "first_name", "last_name"))
    assert saved == {(s.email, s.first_name, s.last_name) for s in specs}


@pytest.mark.django_db
def test_first_run_publishes_the_guidance_pages(with_pages):
    output = seed()
    assert "Guidance pages: 5 created, 0 already present" in output
    assert GuidancePage.objects.live().count() == 5


@pytest.mark.django_db
def test_first_run_gives_each_authority_its_admin_section(with_pages):
    output = seed()
    assert "Authority sections: 3 created, 0 already present" in output
    assert AuthorityPage.objects.count() == 3


@pytest.mark.django_db
def test_first_run_builds_the_demo_frameworks_and_the_audit_chain_verifies(with_frameworks):
    output = seed("--offerings", "40")
    assert "Frameworks: 9 created, 0 already present" in output
    assert FrameworkPage.objects.live().count() == 9
    verified = StringIO()
    call_command("verify_audit_chain", stdout=verified)
    assert f"Audit chain intact: {AuditEvent.objects.count()} events" in verified.getvalue()


@pytest.mark.django_db
def test_demo_navigation_links_the_frameworks_after_home(with_frameworks, rf):
    output = seed()

    assert "Added Frameworks to the navigation" in output
    assert [(item.label, item.href) for item in navigation_items(rf.get("/"))] == [
        ("Home", "/"),
        ("Frameworks", "/frameworks/"),
        ("Guidance", "/guidance/"),
        ("Search", "/search/"),
    ]


@pytest.mark.django_db
def test_an_earlier_demos_search_guidance_link_is_renamed_search(with_pages, rf):
    seed()
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    for block in nav.links:
        if block.value["url"] == "/search/":
            block.value["label"] = "Search guidance"
    nav.save()

    output = seed()

    assert "Renamed the navigation's Search guidance link to Search" in output
    labels = [item.label for item in navigation_items(rf.get("/"))]
    assert "Search" in labels
    assert "Search guidance" not in labels


@pytest.mark.django_db
def test_authority_staff_can_reach_the_wagtail_admin_but_buyers_cannot(with_pages):
    seed()
    manager = User.objects.get(email="manager@gmca.example.gov.uk")
    buyer = User.objects.get(email="buyer@manchester.example.gov.uk")
    assert manager.has_perm("wagtailadmin.access_admin")
    assert not buyer.has_perm("wagtailadmin.access_admin")


@pytest.mark.django_db
def test_saved_company_numbers_are_valid():
    seed()
    for number in Organisation.objects.exclude(company_number="").values_list(
        "company_number", flat=True
    ):
        identifiers.validate_company_number(number)


@pytest.mark.django_db
def test_buyers_are_real_councils_with_the_reference_names_and_codes():
    seed()
    buyers = Organisation.objects.filter(kind="buyer").select_related("local_authority")
    assert sorted(
        (buyer.legal_name, buyer.local_authority.gss_code, buyer.council_code, buyer.region)
        for buyer in buyers
    ) == [
        ("Birmingham City Council", "E08000025", "GB-BIR", Region.WEST_MIDLANDS),
        ("Leeds City Council", "E08000035", "GB-LDS", Region.YORKSHIRE),
        ("Manchester City Council", "E08000003", "GB-MAN", Region.NORTH_WEST),
        ("Newcastle City Council", "E08000021", "GB-NET", Region.NORTH_EAST),
    ]
    for buyer in buyers:
        assert buyer.legal_name == buyer.local_authority.official_name


@pytest.mark.django_db
def test_the_combined_authorities_are_linked_to_their_rows_in_the_list_of_councils():
    seed()
    authorities = Organisation.objects.filter(kind="authority")
    assert dict(authorities.values_list("trading_name", "local_authority__code")) == {
        "GMCA": "GMCA",
        "NEPO": None,
        "WMCA": "WMCA",
    }


@pytest.mark.django_db
def test_each_council_was_claimed_by_its_administrator_and_granted_by_email_domain():
    seed()
    claims = OrganisationClaim.objects.select_related("claimant", "local_authority")
    assert sorted(
        (claim.local_authority.code, claim.claimant.email, claim.status, claim.granted_by)
        for claim in claims
    ) == [
        ("BIR", "approver@birmingham.example.gov.uk", "approved", "email_domain"),
        ("LDS", "approver@leeds.example.gov.uk", "approved", "email_domain"),
        ("MAN", "approver@manchester.example.gov.uk", "approved", "email_domain"),
        ("NET", "approver@newcastle-upon-tyne.example.gov.uk", "approved", "email_domain"),
    ]
    assert LocalAuthority.objects.get(code="MAN").email_domains == ["manchester.example.gov.uk"]


@pytest.mark.django_db
def test_the_organisations_and_memberships_are_made_through_the_services():
    seed()
    assert Counter(AuditEvent.objects.values_list("kind", flat=True)) == {
        AuditKind.ORGANISATION_CREATED: 3 + 4 + 6,
        # each authority's two staff, one more for each of three buyers, two for three suppliers
        AuditKind.MEMBER_ADDED: 3 * 2 + 3 + 3 * 2,
        # the service team leaves each authority it registered
        AuditKind.MEMBERSHIP_REMOVED: 3,
        AuditKind.COUNCIL_EMAIL_DOMAINS_CHANGED: 4,
        AuditKind.CLAIM_SUBMITTED: 4,
        AuditKind.CLAIM_APPROVED: 4,
    }
    created = AuditEvent.objects.filter(kind=AuditKind.ORGANISATION_CREATED)
    assert sorted(int(pk) for pk in created.values_list("target_object_id", flat=True)) == sorted(
        Organisation.objects.values_list("pk", flat=True)
    )
    # Each membership was made by the event that registered its organisation (its founder's)
    # or by the one that added it.
    founders = set(
        created.exclude(organisation__kind="authority").values_list("organisation", "actor")
    )
    added = set(
        AuditEvent.objects.filter(kind=AuditKind.MEMBER_ADDED).values_list(
            "target_object_id", flat=True
        )
    )
    for membership in Membership.objects.all():
        assert (
            str(membership.pk) in added
            or (membership.organisation_id, membership.user_id) in founders
        ), membership


@pytest.mark.django_db
def test_the_platform_administrator_belongs_to_no_organisation():
    seed()
    assert not Membership.objects.filter(user__email=demo.ADMIN_EMAIL).exists()


@pytest.mark.django_db
def test_every_role_has_a_demo_user():
    seed()
    roles_with_members = set(Membership.objects.values_list("role", flat=True))
    assert roles_with_members == set(Role.values)


@pytest.mark.django_db
def test_superuser_is_created_with_the_demo_password():
    seed()
    admin = User.objects.get(email=demo.ADMIN_EMAIL)
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password(demo.DEMO_PASSWORD)


@pytest.mark.django_db
def test_authority_staff_and_admin_get_a_confirmed_totp_device_from_the_seed():
    seed()
    device = TOTPDevice.objects.get(user__email="manager@gmca.example.gov.uk")
    assert device.confirmed
    assert device.key == demo.totp_key(2026, "manager@gmca.example.gov.uk")
    assert set(TOTPDevice.objects.values_list("user__email", flat=True)) == {
        demo.ADMIN_EMAIL,
        "manager@gmca.example.gov.uk",
        "reviewer@gmca.example.gov.uk",
        "manager@nepo.example.gov.uk",
        "reviewer@nepo.example.gov.uk",
        "manager@wmca.example.gov.uk",
        "reviewer@wmca.example.gov.uk",
    }


@pytest.mark.django_db
def test_printed_sign_ins_include_each_role():
    output = seed()
    for role in Role:
        assert str(role.label) in output, role
    assert "buyer@manchester.example.gov.uk" in output
    assert demo.ADMIN_EMAIL in output
    assert demo.DEMO_PASSWORD in output
    assert "http://testserver/admin/" in output


@pytest.mark.django_db
def test_printed_sign_ins_give_the_totp_key_for_authority_staff():
    output = seed()
    key = demo.base32_key(demo.totp_key(2026, "manager@gmca.example.gov.uk"))
    assert f"manager@gmca.example.gov.uk: {key}" in output
    assert "make totp EMAIL=<email>" in output


@pytest.mark.django_db
def test_printed_sign_ins_warn_the_password_is_for_local_demos_only():
    assert "local demos only" in seed()


@pytest.mark.django_db
def test_big_sections_show_progress():
    out = StringIO()
    call_command("seed_demo", "--buyers", "1", "--suppliers", "51", stdout=out)
    assert "  Suppliers: 50/51\n" in out.getvalue()


@pytest.mark.django_db
def test_if_empty_skips_when_an_authority_exists():
    OrganisationFactory(kind="authority")
    output = seed("--if-empty")
    assert Organisation.objects.count() == 1
    assert User.objects.count() == 0
    assert "Demo data already present: nothing to do." in output


@pytest.mark.django_db
def test_if_empty_still_prints_the_sign_ins():
    seed()
    output = seed("--if-empty")
    assert "Suppliers:" not in output
    assert "buyer@manchester.example.gov.uk" in output


@pytest.mark.django_db
def test_if_empty_builds_on_an_empty_database():
    seed("--if-empty")
    assert Organisation.objects.filter(kind="authority").count() == 3
