"""Platform administrators review claims and record councils' e-mail domains in the Wagtail
admin; nobody else sees these screens."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.organisations import services
from marketplace.organisations.models import (
    LocalAuthority,
    Membership,
    Organisation,
)
from tests import factories

CLAIMS = "/admin/claims/"
COUNCILS = "/admin/councils/"
CREDIT = "UK Local Authority Names and Codes</a> by mySociety"


@pytest.fixture
def admin_login(client, db):
    """Sign a user in to the Wagtail admin, as if they had entered a TOTP code."""
    group = Group.objects.create(name="Claims test admin access")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )

    def login(user):
        user.groups.add(group)
        device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login


@pytest.fixture
def platform_admin(db):
    return factories.UserFactory(is_superuser=True)


@pytest.fixture
def manchester(db):
    return LocalAuthority.objects.get(code="MAN")


@pytest.fixture
def pending(manchester):
    return services.claim_council(
        actor=factories.UserFactory(email="jo@example.org"),
        local_authority=manchester,
        contact_email="buying@manchester.gov.uk",
    )


def text(response):
    return response.content.decode()


def test_the_queue_lists_and_filters_claims(admin_login, platform_admin, pending):
    refused = services.claim_school(
        actor=factories.UserFactory(),
        urn="105432",
        legal_name="Oakfield Primary School",
        region="TLD",
        contact_email="office@oakfield.sch.uk",
    )
    services.refuse_claim(actor=platform_admin, claim=refused, reason="No such school")
    client = admin_login(platform_admin)

    everything = client.get(CLAIMS)
    waiting = client.get(CLAIMS, {"status": "pending"})
    schools = client.get(CLAIMS, {"body_kind": "school"})

    assert everything.status_code == 200
    assert list(everything.context["object_list"]) == [refused, pending]
    assert list(waiting.context["object_list"]) == [pending]
    assert list(schools.context["object_list"]) == [refused]
    assert reverse("organisation_claims:inspect", args=[pending.pk]) in text(everything)


def test_the_queue_queries_do_not_grow(
    admin_login, platform_admin, pending, django_assert_max_num_queries
):
    client = admin_login(platform_admin)
    client.get(CLAIMS)
    for n in range(10):
        services.claim_school(
            actor=factories.UserFactory(),
            urn=f"1{n:05d}",
            legal_name=f"School {n}",
            region="TLD",
            contact_email="office@school.example",
        )

    with django_assert_max_num_queries(30):
        response = client.get(CLAIMS)

    assert len(response.context["object_list"]) == 11


def test_the_admin_home_links_to_waiting_claims(admin_login, platform_admin, pending):
    page = text(admin_login(platform_admin).get("/admin/"))

    assert "1 claim waiting for a decision" in page
    assert f"{CLAIMS}?status=pending" in page
    assert COUNCILS in page


def test_approving_from_the_decision_page(admin_login, platform_admin, pending):
    client = admin_login(platform_admin)
    page = client.get(reverse("organisation_claims:inspect", args=[pending.pk]))
    assert "Approve: register Manchester City Council with jo@example.org" in text(page)
    assert CREDIT in text(page)

    response = client.post(
        reverse("organisation_claims:inspect", args=[pending.pk]), {"decision": "approve"}
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("approved", platform_admin)
    assert Membership.objects.get(organisation=pending.organisation).user.email == (
        "jo@example.org"
    )


def test_refusing_needs_a_reason_then_records_it(admin_login, platform_admin, pending):
    client = admin_login(platform_admin)
    url = reverse("organisation_claims:inspect", args=[pending.pk])

    blank = client.post(url, {"decision": "refuse", "reason": " "})
    assert blank.status_code == 200
    assert "Enter the reason for refusing the claim" in text(blank)
    pending.refresh_from_db()
    assert pending.status == "pending"

    client.post(url, {"decision": "refuse", "reason": "Not council staff"})
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == ("refused", "Not council staff")


def test_a_decided_claim_shows_no_buttons_and_refuses_a_second_decision(
    admin_login, platform_admin, pending
):
    services.refuse_claim(actor=platform_admin, claim=pending, reason="No")
    client = admin_login(platform_admin)
    url = reverse("organisation_claims:inspect", args=[pending.pk])

    assert "Approve:" not in text(client.get(url))
    response = client.post(url, {"decision": "approve"}, follow=True)

    assert "cannot go from" in text(response)
    assert not Organisation.objects.exists()


def test_an_unknown_claim_is_404(admin_login, platform_admin):
    response = admin_login(platform_admin).get(
        reverse("organisation_claims:inspect", args=[999999])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["framework_manager", "approver"])
def test_nobody_else_sees_or_decides_claims(admin_login, pending, role, manchester):
    kind = "authority" if role == "framework_manager" else "buyer"
    member = factories.MembershipFactory(
        organisation=factories.OrganisationFactory(kind=kind), role=role
    ).user
    client = admin_login(member)
    url = reverse("organisation_claims:inspect", args=[pending.pk])

    responses = [
        client.get(CLAIMS),
        client.get(url),
        client.post(url, {"decision": "approve"}),
        client.get(COUNCILS),
        client.post(
            reverse("councils:edit", args=[manchester.pk]), {"email_domains": "evil.example"}
        ),
    ]

    assert [r.status_code for r in responses] == [302] * 5
    pending.refresh_from_db()
    assert pending.status == "pending"
    manchester.refresh_from_db()
    assert manchester.email_domains == []
    assert "Claims" not in text(client.get("/admin/"))


def test_recording_a_councils_domains(admin_login, platform_admin, manchester):
    client = admin_login(platform_admin)
    url = reverse("councils:edit", args=[manchester.pk])

    response = client.post(url, {"email_domains": "Manchester.gov.uk\n\n@mcc.example.org\n"})

    assert response.status_code == 302
    manchester.refresh_from_db()
    assert manchester.email_domains == ["manchester.gov.uk", "mcc.example.org"]
    assert AuditEvent.objects.filter(kind=AuditKind.COUNCIL_EMAIL_DOMAINS_CHANGED).count() == 1
    assert "manchester.gov.uk\nmcc.example.org" in text(client.get(url))


def test_a_bad_domain_is_refused_and_kept_in_the_form(admin_login, platform_admin, manchester):
    client = admin_login(platform_admin)

    response = client.post(
        reverse("councils:edit", args=[manchester.pk]),
        {"email_domains": "manchester.gov.uk\njo@manchester"},
    )

    assert response.status_code == 200
    assert "Enter a domain like manchester.gov.uk" in text(response)
    assert "jo@manchester" in text(response)
    manchester.refresh_from_db()
    assert manchester.email_domains == []


def test_the_council_list_filters_and_credits_mysociety(admin_login, platform_admin):
    client = admin_login(platform_admin)

    response = client.get(COUNCILS, {"region": "TLC", "current": "true"})

    names = {council.code for council in response.context["object_list"]}
    assert "NTCA" not in names
    assert {"NECA", "NBL", "NET"} <= names
    assert CREDIT in text(response)
    assert client.get(COUNCILS + "add/").status_code == 404
