"""Claims to act for a council, NHS body or school: one organisation per body, granted by
e-mail domain (councils only) or by a platform administrator."""

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations import services
from marketplace.organisations.models import (
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationClaim,
)
from marketplace.organisations.policy import PolicyDenied
from marketplace.state import can_move
from tests import factories

Status = OrganisationClaim.Status


@pytest.fixture
def manchester(db):
    council = LocalAuthority.objects.get(code="MAN")
    council.email_domains = ["manchester.gov.uk"]
    council.save()
    return council


@pytest.fixture
def platform_admin(db):
    return factories.UserFactory(is_superuser=True)


def claim(user, council, email="procurement@manchester.gov.uk"):
    return services.claim_council(actor=user, local_authority=council, contact_email=email)


def kinds():
    return list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_the_transition_table():
    assert OrganisationClaim.TRANSITIONS == {
        Status.PENDING: frozenset({Status.APPROVED, Status.REFUSED}),
        Status.APPROVED: frozenset(),
        Status.REFUSED: frozenset(),
    }
    assert not can_move(OrganisationClaim, Status.REFUSED, Status.APPROVED)


@pytest.mark.parametrize("email", ["jo@manchester.gov.uk", "Jo@Schools.Manchester.gov.uk"])
def test_a_claim_from_the_councils_domain_is_granted_at_once(manchester, email):
    user = factories.UserFactory(email=email)

    made = claim(user, manchester, email="Procurement@Manchester.gov.uk")

    organisation = Organisation.objects.get(local_authority=manchester)
    assert (made.status, made.granted_by, made.decided_by) == (
        Status.APPROVED,
        OrganisationClaim.Grant.EMAIL_DOMAIN,
        None,
    )
    assert made.decided_at is not None
    assert made.organisation == organisation
    assert (organisation.kind, organisation.legal_name, organisation.region) == (
        "buyer",
        "Manchester City Council",
        "TLD",
    )
    assert (organisation.council_code, organisation.contact_email) == (
        "GB-MAN",
        "procurement@manchester.gov.uk",
    )
    assert organisation.public_body_kind == "council"
    assert Membership.objects.get(organisation=organisation).user == user
    assert kinds() == [
        AuditKind.CLAIM_SUBMITTED,
        AuditKind.ORGANISATION_CREATED,
        AuditKind.CLAIM_APPROVED,
    ]


@pytest.mark.parametrize("email", ["jo@example.gov.uk", "jo@notmanchester.gov.uk"])
def test_a_claim_from_another_domain_waits_and_grants_nothing(manchester, email):
    user = factories.UserFactory(email=email)

    made = claim(user, manchester)

    assert made.status == Status.PENDING
    assert not Organisation.objects.exists()
    assert not Membership.objects.filter(user=user).exists()
    assert kinds() == [AuditKind.CLAIM_SUBMITTED]


def test_a_platform_administrator_approves_a_claim(manchester, platform_admin):
    user = factories.UserFactory(email="jo@example.org")
    made = claim(user, manchester)

    services.approve_claim(actor=platform_admin, claim=made)

    made.refresh_from_db()
    assert (made.status, made.granted_by, made.decided_by) == (
        Status.APPROVED,
        OrganisationClaim.Grant.ADMINISTRATOR,
        platform_admin,
    )
    membership = Membership.objects.get(organisation=made.organisation)
    assert (membership.user, membership.role) == (user, "approver")
    event = AuditEvent.objects.get(kind=AuditKind.CLAIM_APPROVED)
    assert (event.actor, event.organisation, event.data["grant"]) == (
        platform_admin,
        made.organisation,
        "administrator",
    )


def test_a_platform_administrator_refuses_a_claim_with_a_reason(manchester, platform_admin):
    made = claim(factories.UserFactory(email="jo@example.org"), manchester)

    services.refuse_claim(actor=platform_admin, claim=made, reason="  Not council staff ")

    made.refresh_from_db()
    assert (made.status, made.reason, made.decided_by) == (
        Status.REFUSED,
        "Not council staff",
        platform_admin,
    )
    assert not Organisation.objects.exists()
    assert AuditEvent.objects.get(kind=AuditKind.CLAIM_REFUSED).data["reason"] == (
        "Not council staff"
    )


def test_refusing_needs_a_reason(manchester, platform_admin):
    made = claim(factories.UserFactory(email="jo@example.org"), manchester)

    with pytest.raises(DomainError, match="Enter the reason"):
        services.refuse_claim(actor=platform_admin, claim=made, reason="  ")

    made.refresh_from_db()
    assert made.status == Status.PENDING


@pytest.mark.parametrize("decide", ["approve", "refuse"])
def test_only_platform_administrators_decide(manchester, decide):
    made = claim(factories.UserFactory(email="jo@example.org"), manchester)
    council_member = factories.UserFactory(email="boss@manchester.gov.uk")

    with pytest.raises(PolicyDenied):
        if decide == "approve":
            services.approve_claim(actor=council_member, claim=made)
        else:
            services.refuse_claim(actor=council_member, claim=made, reason="No")

    made.refresh_from_db()
    assert made.status == Status.PENDING


def test_a_decided_claim_cannot_be_decided_again(manchester, platform_admin):
    made = claim(factories.UserFactory(email="jo@example.org"), manchester)
    services.refuse_claim(actor=platform_admin, claim=made, reason="No")

    with pytest.raises(DomainError) as error:
        services.approve_claim(actor=platform_admin, claim=made)

    assert error.value.code == "invalid_transition"
    assert not Organisation.objects.exists()


def test_a_second_claim_on_a_registered_council_is_refused(manchester):
    claim(factories.UserFactory(email="jo@manchester.gov.uk"), manchester)

    with pytest.raises(DomainError) as error:
        claim(factories.UserFactory(email="sam@manchester.gov.uk"), manchester)

    assert str(error.value) == (
        "Manchester City Council is already registered on the service. "
        "Ask its administrator to invite you."
    )
    assert OrganisationClaim.objects.count() == 1
    assert Organisation.objects.count() == 1


def test_approving_a_second_pending_claim_is_refused_once_one_is_approved(
    manchester, platform_admin
):
    first = claim(factories.UserFactory(email="jo@example.org"), manchester)
    second = claim(factories.UserFactory(email="sam@example.org"), manchester)
    services.approve_claim(actor=platform_admin, claim=first)

    with pytest.raises(DomainError, match="already registered"):
        services.approve_claim(actor=platform_admin, claim=second)

    assert Organisation.objects.count() == 1


def test_a_council_registered_by_its_code_counts_as_registered(manchester):
    factories.OrganisationFactory(kind="buyer", council_code="GB-MAN")

    with pytest.raises(DomainError, match="already registered"):
        claim(factories.UserFactory(email="jo@manchester.gov.uk"), manchester)


def test_the_same_person_cannot_claim_twice(manchester):
    user = factories.UserFactory(email="jo@example.org")
    claim(user, manchester)

    with pytest.raises(DomainError, match="already claimed"):
        claim(user, manchester)


def test_a_former_council_cannot_be_claimed(db):
    user = factories.UserFactory(email="jo@cumbria.gov.uk")

    with pytest.raises(DomainError, match="no longer exists"):
        claim(user, LocalAuthority.objects.get(code="CMA"))

    assert not OrganisationClaim.objects.exists()


def test_a_bad_contact_address_is_refused(manchester):
    with pytest.raises(Exception) as error:
        claim(factories.UserFactory(email="jo@manchester.gov.uk"), manchester, email="nope")

    assert "contact_email" in error.value.message_dict
    assert not OrganisationClaim.objects.exists()


# --- NHS bodies and schools ------------------------------------------------------------------


def test_an_nhs_body_is_claimed_by_ods_code_and_never_granted_by_domain(platform_admin):
    user = factories.UserFactory(email="jo@nhs.net")

    made = services.claim_nhs_body(
        actor=user,
        ods_code=" rw3 ",
        legal_name="Manchester University NHS Foundation Trust",
        region="TLD",
        contact_email="procurement@mft.nhs.uk",
    )

    assert (made.status, made.ods_code) == (Status.PENDING, "RW3")
    services.approve_claim(actor=platform_admin, claim=made)
    organisation = Organisation.objects.get(ods_code="RW3")
    assert organisation.public_body_kind == "nhs"
    assert Membership.objects.get(organisation=organisation).user == user


def test_a_school_is_claimed_by_urn(platform_admin):
    made = services.claim_school(
        actor=factories.UserFactory(),
        urn="105432",
        legal_name="Oakfield Primary School",
        region="TLD",
        contact_email="office@oakfield.sch.uk",
    )
    services.approve_claim(actor=platform_admin, claim=made)

    assert Organisation.objects.get(urn="105432").public_body_kind == "school"


@pytest.mark.parametrize("ods_code", ["RW", "RW3ABCD", "RW-3"])
def test_a_malformed_ods_code_is_refused(db, ods_code):
    with pytest.raises(Exception) as error:
        services.claim_nhs_body(
            actor=factories.UserFactory(),
            ods_code=ods_code,
            legal_name="A Trust",
            region="TLD",
            contact_email="a@nhs.net",
        )

    assert error.value.message_dict["ods_code"] == [
        "Enter an ODS code of 3 to 6 letters and numbers, like RW3 or 00T"
    ]


@pytest.mark.parametrize("urn", ["12345", "1234567", "12345A"])
def test_a_malformed_urn_is_refused(db, urn):
    with pytest.raises(Exception) as error:
        services.claim_school(
            actor=factories.UserFactory(),
            urn=urn,
            legal_name="A School",
            region="TLD",
            contact_email="a@school.example",
        )

    assert error.value.message_dict["urn"] == ["Enter a URN of 6 digits, like 100000"]


def test_a_second_claim_on_a_registered_nhs_body_is_refused(platform_admin):
    fields = {
        "ods_code": "RW3",
        "legal_name": "Manchester University NHS Foundation Trust",
        "region": "TLD",
        "contact_email": "procurement@mft.nhs.uk",
    }
    made = services.claim_nhs_body(actor=factories.UserFactory(), **fields)
    services.approve_claim(actor=platform_admin, claim=made)

    with pytest.raises(DomainError, match="already registered"):
        services.claim_nhs_body(actor=factories.UserFactory(), **fields)


def test_public_body_kind(db):
    assert factories.OrganisationFactory(kind="buyer").public_body_kind == "other"
    assert factories.OrganisationFactory(kind="supplier").public_body_kind == ""


# --- Councils' e-mail domains ----------------------------------------------------------------


def test_a_platform_administrator_records_a_councils_domains(manchester, platform_admin):
    services.set_council_email_domains(
        actor=platform_admin,
        local_authority=manchester,
        domains=["@Manchester.gov.uk", "", "mcc.example.org", "manchester.gov.uk"],
    )

    manchester.refresh_from_db()
    assert manchester.email_domains == ["manchester.gov.uk", "mcc.example.org"]
    event = AuditEvent.objects.get(kind=AuditKind.COUNCIL_EMAIL_DOMAINS_CHANGED)
    assert event.data == {
        "council": "MAN",
        "from": ["manchester.gov.uk"],
        "to": ["manchester.gov.uk", "mcc.example.org"],
    }


def test_only_platform_administrators_record_domains(manchester):
    with pytest.raises(PolicyDenied):
        services.set_council_email_domains(
            actor=factories.UserFactory(), local_authority=manchester, domains=["evil.example"]
        )

    manchester.refresh_from_db()
    assert manchester.email_domains == ["manchester.gov.uk"]


@pytest.mark.parametrize("domain", ["jo@manchester.gov.uk", "manchester", "-bad.gov.uk"])
def test_a_malformed_domain_is_refused(manchester, platform_admin, domain):
    with pytest.raises(Exception) as error:
        services.set_council_email_domains(
            actor=platform_admin, local_authority=manchester, domains=[domain]
        )

    assert error.value.messages == [
        "Enter a domain like manchester.gov.uk, without the part before the @"
    ]
