from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from tests import factories
from tests.audit.conftest import sealed

INDEX_URL = "/admin/audit_events/"


def inspect_url(event):
    return reverse("audit_events:inspect", args=[event.pk])


@pytest.fixture
def other_authority(db):
    return factories.OrganisationFactory(kind="authority")


@pytest.fixture
def own_event(framework_manager, authority):
    event = record(
        actor=framework_manager,
        organisation=authority,
        kind=AuditKind.ORGANISATION_UPDATED,
        target=authority,
        data={"field": "town"},
    )
    return sealed([event])[0]


@pytest.fixture
def other_event(other_authority):
    manager = factories.MembershipFactory(
        organisation=other_authority, role="framework_manager"
    ).user
    event = record(
        actor=manager,
        organisation=other_authority,
        kind=AuditKind.MEMBER_INVITED,
        target=other_authority,
        data={"email": "secret-invitee@example.org"},
    )
    return sealed([event])[0]


def listed_ids(response):
    return [event.pk for event in response.context["object_list"]]


def test_listing_shows_only_the_users_organisations_events(
    admin_login, reviewer, own_event, other_event
):
    response = admin_login(reviewer).get(INDEX_URL)

    assert response.status_code == 200
    assert listed_ids(response) == [own_event.pk]
    assert b"secret-invitee@example.org" not in response.content


def test_listing_links_each_event_to_its_detail_page(admin_login, reviewer, own_event):
    response = admin_login(reviewer).get(INDEX_URL)

    assert f'href="{inspect_url(own_event)}"'.encode() in response.content


def test_superuser_listing_shows_every_event(admin_login, own_event, other_event):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)

    response = admin_login(superuser).get(INDEX_URL)

    assert listed_ids(response) == [other_event.pk, own_event.pk]


def test_listing_filters_by_kind(admin_login, framework_manager, authority, own_event):
    signed_in = record(
        actor=framework_manager, organisation=authority, kind=AuditKind.USER_SIGNED_IN
    )

    response = admin_login(framework_manager).get(INDEX_URL, {"kind": "account.signed_in"})

    assert listed_ids(response) == [signed_in.pk]


def test_listing_filters_by_actor_email(admin_login, framework_manager, reviewer, authority):
    record(actor=framework_manager, organisation=authority, kind=AuditKind.USER_SIGNED_IN)
    by_reviewer = record(actor=reviewer, organisation=authority, kind=AuditKind.USER_SIGNED_IN)

    response = admin_login(framework_manager).get(INDEX_URL, {"actor": reviewer.email.upper()})

    assert listed_ids(response) == [by_reviewer.pk]


def test_listing_filters_by_date_range(admin_login, framework_manager, own_event):
    day = timezone.localdate(own_event.created_at)
    client = admin_login(framework_manager)

    on_the_day = client.get(
        INDEX_URL, {"created_at_from": day.isoformat(), "created_at_to": day.isoformat()}
    )
    before_it = client.get(INDEX_URL, {"created_at_to": "2000-01-01"})

    assert listed_ids(on_the_day) == [own_event.pk]
    assert listed_ids(before_it) == []


def test_listing_queries_do_not_grow_with_events(
    admin_login, framework_manager, authority, django_assert_max_num_queries
):
    def add_events(count):
        for _ in range(count):
            record(
                actor=framework_manager,
                organisation=authority,
                kind=AuditKind.ORGANISATION_UPDATED,
                target=authority,
            )

    client = admin_login(framework_manager)
    add_events(1)
    client.get(INDEX_URL)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as one_event:
        client.get(INDEX_URL)
    add_events(29)

    with django_assert_max_num_queries(len(one_event)):
        response = client.get(INDEX_URL)

    assert len(one_event) <= 20
    assert len(response.context["object_list"]) == 30


def test_inspect_shows_own_organisations_event(admin_login, reviewer, own_event):
    response = admin_login(reviewer).get(inspect_url(own_event))

    assert response.status_code == 200
    assert own_event.hash.encode() in response.content
    assert b"Organisation updated" in response.content
    assert b"&quot;field&quot;: &quot;town&quot;" in response.content


def test_inspect_of_another_organisations_event_is_not_found(admin_login, reviewer, other_event):
    response = admin_login(reviewer).get(inspect_url(other_event))

    assert response.status_code == 404


def test_user_without_audit_permission_cannot_open_the_log(admin_login, supplier_admin, supplier):
    record(actor=supplier_admin, organisation=supplier, kind=AuditKind.USER_SIGNED_IN)

    response = admin_login(supplier_admin).get(INDEX_URL)

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_menu_item_is_shown_to_audit_readers(admin_login, reviewer):
    response = admin_login(reviewer).get(reverse("wagtailadmin_home"))

    assert INDEX_URL.encode() in response.content


def test_menu_item_is_hidden_from_others(admin_login, supplier_admin):
    response = admin_login(supplier_admin).get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert INDEX_URL.encode() not in response.content


def test_there_are_no_add_edit_or_delete_views(admin_login, framework_manager, own_event):
    client = admin_login(framework_manager)

    responses = [
        client.get(f"{INDEX_URL}new/"),
        client.get(f"{INDEX_URL}edit/{own_event.pk}/"),
        client.post(f"{INDEX_URL}delete/{own_event.pk}/"),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]


def test_an_unsealed_event_is_listed_and_shown_as_not_sealed_yet(
    admin_login, framework_manager, authority
):
    event = record(actor=framework_manager, organisation=authority, kind=AuditKind.USER_SIGNED_IN)
    client = admin_login(framework_manager)

    listing = client.get(INDEX_URL)
    detail = client.get(inspect_url(event))

    assert listed_ids(listing) == [event.pk]
    assert b"Not sealed yet" in listing.content
    assert detail.content.count(b"Not sealed yet") == 3  # sequence, previous hash, hash
