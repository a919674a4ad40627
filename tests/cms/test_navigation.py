import re

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

import pytest

from cms.navigation import navigation_items
from marketplace.organisations.admin_access import sync_staff_group
from marketplace.organisations.selectors import ACTING_ORGANISATION_SESSION_KEY
from tests import factories
from tests.factories import UserFactory
from tests.helpers import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_navigation_shows_the_configured_links_in_order(client, navigation):
    response = client.get("/search/")

    html = response.content.decode()
    assert html.index(">Home<") < html.index(">Guidance<") < html.index(">Search guidance<")


def test_navigation_marks_the_current_page(client, navigation):
    response = client.get("/guidance/")

    html = response.content.decode()
    assert (
        '<a class="govuk-service-navigation__link" href="/guidance/" aria-current="page">'
        '<strong class="govuk-service-navigation__active-fallback">Guidance</strong></a>' in html
    )
    assert html.count('aria-current="page"') == 1


def test_navigation_marks_the_section_of_a_page_inside_it(client, navigation, guidance_page):
    response = client.get(guidance_page.url)

    html = response.content.decode()
    assert 'href="/guidance/" aria-current="true"' in html
    assert 'aria-current="page"' not in html


def test_navigation_marks_a_path_link_as_current(client, navigation):
    response = client.get("/search/", {"q": "levy"})

    assert 'href="/search/" aria-current="page"' in response.content.decode()


def test_navigation_leaves_out_unpublished_pages(client, navigation, guidance_index):
    guidance_index.unpublish()

    response = client.get("/search/")

    assert 'href="/guidance/"' not in response.content.decode()


def test_navigation_is_resolved_once_then_cached(
    rf: RequestFactory, navigation, django_assert_num_queries
):
    navigation_items(rf.get("/"))

    with django_assert_num_queries(0):
        items = navigation_items(rf.get("/guidance/"))

    assert [(item.label, item.href, item.current) for item in items] == [
        ("Home", "/", False),
        ("Guidance", "/guidance/", True),
        ("Search guidance", "/search/", False),
    ]


def test_every_test_starts_with_no_cached_navigation(rf: RequestFactory, navigation):
    # Earlier tests cached this host's links; tests/conftest.py must have forgotten them.
    with CaptureQueriesContext(connection) as queries:
        navigation_items(rf.get("/"))

    assert len(queries) > 0


def test_navigation_costs_at_most_three_queries_when_not_cached(
    rf: RequestFactory, navigation, django_assert_max_num_queries
):
    request = rf.get("/")
    request._wagtail_site = navigation.site  # Wagtail's page serving has already found it

    with django_assert_max_num_queries(2):
        items = navigation_items(request)

    assert len(items) == 3


def test_saving_the_navigation_shows_the_new_links(client, navigation):
    # A page with no "Guidance" of its own (the search page has a Guidance tab).
    client.get("/accessibility/")
    navigation.links = [{"type": "link", "value": {"label": "Help", "page": None, "url": "/help/"}}]
    navigation.save()

    response = client.get("/accessibility/")

    html = response.content.decode()
    assert 'href="/help/">Help</a>' in html
    assert ">Guidance<" not in html


def test_signed_out_visitors_get_a_sign_in_link(client, navigation):
    response = client.get("/search/")

    assert 'href="/account/sign-in/">Sign in</a>' in response.content.decode()


def test_signed_in_users_get_account_and_sign_out(client, navigation):
    client.force_login(UserFactory())

    response = client.get("/search/")

    html = response.content.decode()
    assert ">Your account</a>" in html
    assert '<form method="post" action="/account/sign-out/" class="app-inline-form">' in html
    assert (
        '<button type="submit" class="govuk-service-navigation__link app-link-button">'
        "Sign out</button>" in html
    )
    assert "Sign in</a>" not in html


# Each role's own places -------------------------------------------------------------------------


def role_links(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>(?:<strong[^>]*>)?'
        r"(Your offerings|Frameworks you can use|Saved searches|Buying projects|Your organisation"
        r"|Admin)<",
        html,
    )


def test_supplier_navigation_links_their_offerings_and_organisation(
    client, navigation, supplier_admin, supplier
):
    client.force_login(supplier_admin)

    html = client.get("/search/").content.decode()

    assert role_links(html) == [
        ("/supplier/", "Your offerings"),
        (f"/organisations/{supplier.slug}/", "Your organisation"),
    ]
    assert html.index(">Search guidance<") < html.index(">Your offerings<")


def test_buyer_navigation_links_the_frameworks_they_can_use_and_saved_searches(
    client, navigation, procurement_officer, buyer
):
    client.force_login(procurement_officer)

    html = client.get("/search/").content.decode()

    assert role_links(html) == [
        ("/buy/", "Frameworks you can use"),
        ("/buying/saved-searches/", "Saved searches"),
        ("/buying/projects/", "Buying projects"),
        (f"/organisations/{buyer.slug}/", "Your organisation"),
    ]


def test_buyer_navigation_marks_saved_searches_on_their_pages(
    client, navigation, procurement_officer
):
    client.force_login(procurement_officer)

    html = client.get("/buying/saved-searches/").content.decode()

    assert 'href="/buying/saved-searches/" aria-current="page"' in html
    assert 'href="/buy/" aria-current' not in html


def test_authority_staff_navigation_links_the_admin(
    client, navigation, framework_manager, authority
):
    sync_staff_group(authority)
    sign_in_with_second_factor(client, framework_manager)

    html = client.get("/search/").content.decode()

    assert role_links(html) == [
        (f"/organisations/{authority.slug}/", "Your organisation"),
        ("/admin/", "Admin"),
    ]


def test_navigation_marks_the_role_link_of_the_current_section(client, navigation, supplier_admin):
    client.force_login(supplier_admin)

    html = client.get("/supplier/offerings/").content.decode()

    assert 'href="/supplier/" aria-current="true"' in html


def test_member_of_several_organisations_sees_only_the_acting_ones_places(
    client, navigation, supplier_admin, buyer
):
    factories.MembershipFactory(user=supplier_admin, organisation=buyer, role="approver")
    client.force_login(supplier_admin)

    assert role_links(client.get("/search/").content.decode()) == []

    session = client.session
    session[ACTING_ORGANISATION_SESSION_KEY] = buyer.pk
    session.save()
    assert role_links(client.get("/search/").content.decode()) == [
        ("/buy/", "Frameworks you can use"),
        ("/buying/saved-searches/", "Saved searches"),
        ("/buying/projects/", "Buying projects"),
        (f"/organisations/{buyer.slug}/", "Your organisation"),
    ]


def test_signed_out_visitors_get_no_role_links(client, navigation):
    assert role_links(client.get("/search/").content.decode()) == []


def test_role_links_cost_no_query_per_membership(
    client, navigation, procurement_officer, buyer, django_assert_max_num_queries
):
    for _ in range(20):
        factories.MembershipFactory(user=procurement_officer, role="supplier_admin")
    client.force_login(procurement_officer)
    session = client.session
    session[ACTING_ORGANISATION_SESSION_KEY] = buyer.pk
    session.save()
    # A page with no queries of its own (the search page runs a search).
    client.get("/accessibility/")

    with django_assert_max_num_queries(9):
        html = client.get("/accessibility/").content.decode()

    assert ("/buy/", "Frameworks you can use") in role_links(html)
