from django.contrib.auth.models import Permission
from django.urls import reverse

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from tests import factories

LIST = "wagtailsnippets_organisations_organisation:list"
EDIT = "wagtailsnippets_organisations_organisation:edit"


def superuser():
    return factories.UserFactory(is_superuser=True, is_staff=True)


def admin_user_without_superuser():
    user = factories.UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_organisation"),
    )
    return user


def test_superuser_lists_organisations_filtered_by_kind(verified_client, supplier, buyer):
    client = verified_client(superuser())

    response = client.get(reverse(LIST), {"kind": "buyer"})

    assert response.status_code == 200
    assert buyer.legal_name in response.content.decode()
    assert supplier.legal_name not in response.content.decode()


def test_superuser_searches_organisations_by_identifier(verified_client, supplier, other_supplier):
    client = verified_client(superuser())

    response = client.get(reverse(LIST), {"q": supplier.company_number})

    assert supplier.legal_name in response.content.decode()
    assert other_supplier.legal_name not in response.content.decode()


def test_admin_without_superuser_sees_no_organisations(verified_client, supplier):
    client = verified_client(admin_user_without_superuser())

    list_response = client.get(reverse(LIST))
    edit_response = client.get(reverse(EDIT, args=[supplier.pk]))

    assert list_response.status_code == 302
    assert edit_response.status_code == 302


def test_superuser_edit_goes_through_the_service(verified_client, supplier):
    client = verified_client(superuser())
    data = {
        "legal_name": supplier.legal_name,
        "trading_name": "Widgets",
        "company_number": supplier.company_number,
        "region": supplier.region,
        "contact_email": supplier.contact_email,
        "postcode": "m11aa",
    }

    response = client.post(reverse(EDIT, args=[supplier.pk]), data)

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.trading_name, supplier.postcode) == ("Widgets", "M1 1AA")
    assert AuditEvent.objects.filter(kind=AuditKind.ORGANISATION_UPDATED).count() == 1


def test_organisation_edit_page_has_a_level_one_heading(verified_client, supplier):
    client = verified_client(superuser())

    response = client.get(reverse(EDIT, args=[supplier.pk]))

    assert f"Editing: {supplier}" in response.content.decode().split("<h1", 1)[1].split("</h1>")[0]
