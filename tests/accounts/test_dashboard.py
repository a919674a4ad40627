from django.urls import reverse

from marketplace.organisations.admin_access import sync_staff_group
from marketplace.organisations.selectors import ACTING_ORGANISATION_SESSION_KEY
from tests import factories
from tests.helpers import sign_in_with_second_factor

DASHBOARD = reverse("accounts:dashboard")
CHOOSE = reverse("accounts:choose-organisation")


def test_dashboard_needs_a_signed_in_user(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:sign-in')}?next=/account/"


def test_dashboard_shows_who_you_are(client, supplier_admin):
    client.force_login(supplier_admin)
    response = client.get(DASHBOARD)
    assert supplier_admin.email.encode() in response.content
    assert supplier_admin.get_full_name().encode() in response.content


def test_dashboard_lists_your_organisations_and_roles(client, supplier_admin, buyer):
    factories.MembershipFactory(user=supplier_admin, organisation=buyer, role="approver")
    client.force_login(supplier_admin)
    response = client.get(DASHBOARD)
    assert [
        (m.organisation.name, m.get_role_display()) for m in response.context["memberships"]
    ] == sorted(
        [
            (
                supplier_admin.memberships.get(role="supplier_admin").organisation.name,
                "Administrator",
            ),
            (buyer.name, "Approver"),
        ]
    )
    assert b"Approver" in response.content
    assert b"Administrator" in response.content


def test_dashboard_does_not_list_other_peoples_organisations(client, supplier_admin, buyer):
    client.force_login(supplier_admin)
    response = client.get(DASHBOARD)
    assert buyer.name.encode() not in response.content


def test_single_membership_is_the_acting_organisation(client, supplier_admin, supplier):
    client.force_login(supplier_admin)
    response = client.get(DASHBOARD)
    assert response.context["acting"].organisation == supplier
    assert b'id="acting-organisation"' in response.content
    assert b'name="organisation"' not in response.content


def test_several_memberships_offer_a_choice(client, supplier_admin, supplier, buyer):
    factories.MembershipFactory(user=supplier_admin, organisation=buyer, role="approver")
    client.force_login(supplier_admin)
    response = client.get(DASHBOARD)
    assert response.context["acting"] is None
    assert response.content.count(b'name="organisation" type="radio"') == 2


def test_user_with_no_organisation_sees_the_empty_state(client, person):
    client.force_login(person)
    response = client.get(DASHBOARD)
    assert b"You are not a member of any organisation yet." in response.content
    assert b'name="organisation"' not in response.content


def test_choosing_an_organisation_stores_it_in_the_session(client, supplier_admin, buyer):
    factories.MembershipFactory(user=supplier_admin, organisation=buyer, role="approver")
    client.force_login(supplier_admin)
    response = client.post(CHOOSE, {"organisation": buyer.pk}, follow=True)
    assert client.session[ACTING_ORGANISATION_SESSION_KEY] == buyer.pk
    assert response.context["acting"].organisation == buyer
    assert f"You are now acting for {buyer.name}".encode() in response.content


def test_choosing_another_organisation_is_not_found(client, supplier_admin, supplier, buyer):
    client.force_login(supplier_admin)
    response = client.post(CHOOSE, {"organisation": buyer.pk})
    assert response.status_code == 404
    assert ACTING_ORGANISATION_SESSION_KEY not in client.session


def test_choosing_a_non_number_is_not_found(client, supplier_admin):
    client.force_login(supplier_admin)
    response = client.post(CHOOSE, {"organisation": "abc"})
    assert response.status_code == 404


def test_choosing_nothing_shows_an_error(client, supplier_admin, buyer):
    factories.MembershipFactory(user=supplier_admin, organisation=buyer, role="approver")
    client.force_login(supplier_admin)
    response = client.post(CHOOSE, {})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organisation": ["Select the organisation you are acting for"]
    }
    assert b"<title>Error: Your account" in response.content
    assert ACTING_ORGANISATION_SESSION_KEY not in client.session


def test_choosing_needs_post(client, supplier_admin, supplier):
    client.force_login(supplier_admin)
    response = client.get(CHOOSE, {"organisation": supplier.pk})
    assert response.status_code == 405


def test_choosing_needs_a_signed_in_user(client, supplier):
    response = client.post(CHOOSE, {"organisation": supplier.pk})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_dashboard_queries_do_not_grow_with_memberships(
    client, person, django_assert_max_num_queries
):
    for _ in range(20):
        factories.MembershipFactory(user=person, role="supplier_admin")
    client.force_login(person)
    client.get(DASHBOARD)  # first request of the site creates its settings rows
    with django_assert_max_num_queries(13):
        response = client.get(DASHBOARD)
    assert len(response.context["memberships"]) == 20


def test_account_page_links_to_where_a_suppliers_work_is(client, supplier_admin, supplier):
    client.force_login(supplier_admin)
    html = client.get(DASHBOARD).content.decode()
    assert (
        '<ul class="govuk-list" id="your-places">\n'
        '      <li><a class="govuk-link" href="/supplier/">Your offerings</a></li>'
        f'<li><a class="govuk-link" href="/organisations/{supplier.slug}/">Your organisation</a>'
        "</li>\n    </ul>" in html
    )


def test_account_page_links_a_buyer_to_the_frameworks_they_can_use(client, procurement_officer):
    client.force_login(procurement_officer)
    html = client.get(DASHBOARD).content.decode()
    assert '<li><a class="govuk-link" href="/buy/">Frameworks you can use</a></li>' in html


def test_account_page_links_authority_staff_to_the_admin(client, framework_manager, authority):
    sync_staff_group(authority)
    sign_in_with_second_factor(client, framework_manager)
    html = client.get(DASHBOARD).content.decode()
    assert '<li><a class="govuk-link" href="/admin/">Admin</a></li>' in html


def test_account_page_without_an_organisation_has_no_places(client, person):
    client.force_login(person)
    assert 'id="your-places"' not in client.get(DASHBOARD).content.decode()


def test_choosing_an_organisation_goes_on_to_a_safe_next(client, supplier_admin, buyer):
    factories.MembershipFactory(user=supplier_admin, organisation=buyer, role="approver")
    client.force_login(supplier_admin)
    response = client.post(CHOOSE, {"organisation": buyer.pk, "next": "https://evil.example/"})
    assert response.url == DASHBOARD
    response = client.post(CHOOSE, {"organisation": buyer.pk, "next": "/frameworks/"})
    assert response.url == "/frameworks/"
