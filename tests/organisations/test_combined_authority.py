from django.core.exceptions import ValidationError

import pytest

from marketplace.exceptions import DomainError
from marketplace.organisations import services
from marketplace.organisations.models import LocalAuthority, Organisation
from marketplace.organisations.policy import PolicyDenied
from tests import factories

AUTHORITY_FIELDS = {
    "legal_name": "Greater Manchester Combined Authority",
    "region": "TLD",
    "contact_email": "procurement@gmca.example.gov.uk",
}


def test_a_platform_administrator_links_an_authority_to_its_combined_authority(db):
    gmca = LocalAuthority.objects.get(code="GMCA")

    authority = services.create_organisation(
        actor=factories.platform_admin(),
        kind="authority",
        combined_authority=gmca,
        **AUTHORITY_FIELDS,
    )

    assert Organisation.objects.get(local_authority=gmca) == authority


def test_a_council_that_is_not_a_combined_authority_is_refused(db):
    with pytest.raises(DomainError, match="Only an authority can be a combined authority"):
        services.create_organisation(
            actor=factories.platform_admin(),
            kind="authority",
            combined_authority=LocalAuthority.objects.get(code="MAN"),
            **AUTHORITY_FIELDS,
        )

    assert not Organisation.objects.exists()


def test_a_buyer_cannot_be_a_combined_authority(db):
    with pytest.raises(DomainError, match="Only an authority can be a combined authority"):
        services.create_organisation(
            actor=factories.platform_admin(),
            kind="buyer",
            combined_authority=LocalAuthority.objects.get(code="GMCA"),
            company_number="01234567",
            **{**AUTHORITY_FIELDS, "legal_name": "Greater Manchester Buying Ltd"},
        )


def test_only_a_platform_administrator_registers_an_authority(db):
    with pytest.raises(PolicyDenied):
        services.create_organisation(
            actor=factories.UserFactory(),
            kind="authority",
            combined_authority=LocalAuthority.objects.get(code="GMCA"),
            **AUTHORITY_FIELDS,
        )


def test_a_combined_authority_already_linked_is_refused(db):
    gmca = LocalAuthority.objects.get(code="GMCA")
    admin = factories.platform_admin()
    services.create_organisation(
        actor=admin, kind="authority", combined_authority=gmca, **AUTHORITY_FIELDS
    )

    with pytest.raises(ValidationError, match="Local authority already exists"):
        services.create_organisation(
            actor=admin,
            kind="authority",
            combined_authority=gmca,
            **{**AUTHORITY_FIELDS, "legal_name": "GMCA again"},
        )
