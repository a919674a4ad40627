"""The pages where a person claims a council, NHS body or school, and sees their claims."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from marketplace.organisations import services
from marketplace.organisations.models import (
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationClaim,
)
from tests import factories

CREDIT = "UK Local Authority Names and Codes</a> by mySociety"


def url(name, *args):
    return reverse(f"organisations:{name}", args=args)


def text(response):
    return response.content.decode()


@pytest.fixture
def manchester(db):
    council = LocalAuthority.objects.get(code="MAN")
    council.email_domains = ["manchester.gov.uk"]
    council.save()
    return council


def test_claim_pages_need_sign_in(client, db):
    for page in (url("claim-start"), url("claim", "council"), url("claims")):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_claim_pages_are_linked_from_your_organisations_and_register(client, db):
    client.force_login(factories.UserFactory())

    assert url("claim-start") in text(client.get(url("index")))
    assert url("claims") in text(client.get(url("index")))
    assert url("claim-start") in text(client.get(url("register")))
    start = text(client.get(url("claim-start")))
    for body in ("council", "nhs", "school"):
        assert url("claim", body) in start


def test_an_unknown_kind_of_body_is_404(client, db):
    client.force_login(factories.UserFactory())

    assert client.get(url("claim", "police")).status_code == 404


def test_the_council_list_holds_current_councils_only_and_credits_mysociety(client, manchester):
    client.force_login(factories.UserFactory())

    page = text(client.get(url("claim", "council")))

    assert f'<option value="{manchester.pk}"' in page
    assert "Manchester City Council" in page
    assert "Cumbria County Council" not in page  # abolished 2023
    assert "North of Tyne Combined Authority" not in page  # abolished 2024 (corrected)
    assert page.count("<option") == LocalAuthority.objects.current().count() + 1
    assert CREDIT in page
    assert 'name="council_code"' not in page


def test_a_council_claimed_from_its_domain_is_registered_at_once(client, manchester):
    user = factories.UserFactory(email="jo@manchester.gov.uk")
    client.force_login(user)

    response = client.post(
        url("claim", "council"),
        {"local_authority": manchester.pk, "contact_email": "buying@manchester.gov.uk"},
    )

    organisation = Organisation.objects.get(local_authority=manchester)
    assert response.status_code == 302
    assert response["Location"] == url("detail", organisation.slug)
    assert Membership.objects.get(organisation=organisation).user == user
    detail = text(client.get(response["Location"]))
    assert "(metropolitan district, GSS code E08000003)" in detail
    assert "Part of Greater Manchester Combined Authority" in detail
    assert CREDIT in detail


def test_a_council_claimed_from_elsewhere_waits_for_the_service_team(client, manchester):
    user = factories.UserFactory(email="jo@example.org")
    client.force_login(user)

    response = client.post(
        url("claim", "council"),
        {"local_authority": manchester.pk, "contact_email": "buying@manchester.gov.uk"},
        follow=True,
    )

    assert response.redirect_chain == [(url("claims"), 302)]
    assert "has been sent to the service team" in text(response)
    assert "Manchester City Council" in text(response)
    assert "Pending" in text(response)
    assert not Organisation.objects.exists()
    assert not Membership.objects.filter(user=user).exists()


def test_a_registered_council_shows_the_clear_refusal(client, manchester):
    services.claim_council(
        actor=factories.UserFactory(email="jo@manchester.gov.uk"),
        local_authority=manchester,
        contact_email="buying@manchester.gov.uk",
    )
    client.force_login(factories.UserFactory(email="sam@example.org"))

    response = client.post(
        url("claim", "council"),
        {"local_authority": manchester.pk, "contact_email": "sam@example.org"},
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert (
        "Manchester City Council is already registered on the service. "
        "Ask its administrator to invite you."
    ) in text(response)
    assert OrganisationClaim.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"local_authority": ""}, "local_authority", "Select your council from the list"),
        ({"local_authority": "999999"}, "local_authority", "Select your council from the list"),
        ({"local_authority": "MAN"}, "local_authority", "Select your council from the list"),
        (
            {"contact_email": "nope"},
            "contact_email",
            "Enter an e-mail address in the correct format",
        ),
    ],
)
def test_bad_council_claims_say_what_is_wrong_and_keep_the_input(
    client, manchester, data, field, message
):
    client.force_login(factories.UserFactory())
    posted = {"local_authority": manchester.pk, "contact_email": "a@b.example", **data}

    response = client.post(url("claim", "council"), posted)

    assert response.status_code == 200
    assert "<title>Error: Register your council" in text(response)
    assert f'href="#id_{field}"' in text(response)
    assert message in text(response)
    assert not OrganisationClaim.objects.exists()


def test_a_former_council_cannot_be_posted(client, db):
    client.force_login(factories.UserFactory(email="jo@cumbria.gov.uk"))
    cumbria = LocalAuthority.objects.get(code="CMA")

    response = client.post(
        url("claim", "council"), {"local_authority": cumbria.pk, "contact_email": "a@b.example"}
    )

    assert "Select your council from the list" in text(response)
    assert not OrganisationClaim.objects.exists()


def test_an_nhs_body_is_claimed_by_ods_code(client, db):
    client.force_login(factories.UserFactory(email="jo@nhs.net"))

    response = client.post(
        url("claim", "nhs"),
        {
            "ods_code": "rw3",
            "legal_name": "Manchester University NHS Foundation Trust",
            "region": "TLD",
            "contact_email": "buying@mft.nhs.uk",
        },
    )

    assert response["Location"] == url("claims")
    made = OrganisationClaim.objects.get()
    assert (made.ods_code, made.status, made.body_kind) == ("RW3", "pending", "nhs")


@pytest.mark.parametrize(
    ("body", "data", "field", "message"),
    [
        ("nhs", {"ods_code": "R"}, "ods_code", "Enter an ODS code of 3 to 6 letters and numbers"),
        ("nhs", {"ods_code": ""}, "ods_code", "Enter the ODS code"),
        ("school", {"urn": "12345"}, "urn", "Enter a URN of 6 digits, like 100000"),
        ("school", {"region": "XX"}, "region", "Select the region of the organisation"),
    ],
)
def test_bad_nhs_and_school_claims_say_what_is_wrong(client, db, body, data, field, message):
    client.force_login(factories.UserFactory())
    posted = {
        "ods_code": "RW3",
        "urn": "105432",
        "legal_name": "Oakfield Primary School",
        "region": "TLD",
        "contact_email": "office@oakfield.sch.uk",
        **data,
    }

    response = client.post(url("claim", body), posted)

    assert response.status_code == 200
    assert f'href="#id_{field}"' in text(response)
    assert message in text(response)
    assert 'value="Oakfield Primary School"' in text(response)
    assert not OrganisationClaim.objects.exists()


def test_people_see_only_their_own_claims(client, manchester):
    mine = factories.UserFactory(email="jo@example.org")
    services.claim_school(
        actor=factories.UserFactory(),
        urn="105432",
        legal_name="Someone Else's School",
        region="TLD",
        contact_email="office@oakfield.sch.uk",
    )
    services.claim_council(actor=mine, local_authority=manchester, contact_email="a@b.example")
    client.force_login(mine)

    page = text(client.get(url("claims")))

    assert "Manchester City Council" in page
    assert "Someone Else" not in page


def test_a_refused_claim_shows_its_reason(client, manchester):
    user = factories.UserFactory(email="jo@example.org")
    made = services.claim_council(actor=user, local_authority=manchester, contact_email="a@b.ex")
    services.refuse_claim(
        actor=factories.UserFactory(is_superuser=True), claim=made, reason="Not council staff"
    )
    client.force_login(user)

    page = text(client.get(url("claims")))

    assert "Refused" in page
    assert "Not council staff" in page


def test_the_claims_list_pages_with_constant_queries(
    client, manchester, django_assert_max_num_queries
):
    user = factories.UserFactory(email="jo@example.org")
    services.claim_council(actor=user, local_authority=manchester, contact_email="a@b.example")
    client.force_login(user)
    with CaptureQueriesContext(connection) as one_claim:
        client.get(url("claims"))
    for n in range(30):
        services.claim_school(
            actor=user,
            urn=f"1{n:05d}",
            legal_name=f"School {n}",
            region="TLD",
            contact_email="office@school.example",
        )

    with django_assert_max_num_queries(len(one_claim)):
        first = text(client.get(url("claims")))
    second = text(client.get(url("claims"), {"page": 2}))

    assert first.count('<tr class="govuk-table__row">') == 26  # header + 25
    assert second.count('<tr class="govuk-table__row">') == 7  # header + 6
