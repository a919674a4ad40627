"""The Unpublish screen: authority staff who may approve frameworks take a live one down through
frameworks.publishing, from the framework page's Actions menu."""

from django.contrib.messages import get_messages
from django.urls import reverse

import pytest

from frameworks import services
from frameworks.models import FrameworkPage
from marketplace.audit.models import AuditEvent
from marketplace.organisations.roles import PERMISSIONS, Action, Role
from tests import factories

UNPUBLISH = "frameworks_admin:framework-unpublish"


def _refused():
    """Wagtail answers a refused admin view with a redirect to the dashboard and a message."""
    return (302, reverse("wagtailadmin_home"))


def _url(framework) -> str:
    return reverse(UNPUBLISH, args=(framework.pk,))


def _edit_page(client, framework) -> str:
    return client.get(reverse("wagtailadmin_pages:edit", args=(framework.pk,))).content.decode()


@pytest.fixture
def reviewer_client(reviewer, admin_client_for):
    return admin_client_for(reviewer)


@pytest.fixture
def other_reviewer(other_authority):
    return factories.MembershipFactory(organisation=other_authority, role="reviewer").user


def test_the_actions_menu_offers_unpublish_to_a_reviewer(reviewer_client, framework):
    assert _url(framework) in _edit_page(reviewer_client, framework)


@pytest.fixture
def managers_may_not_approve(monkeypatch):
    """Every authority role may approve frameworks today; this takes it from managers, so the
    screen is shown to follow the permission rather than the role's name."""
    monkeypatch.setitem(
        PERMISSIONS,
        Role.FRAMEWORK_MANAGER,
        PERMISSIONS[Role.FRAMEWORK_MANAGER] - {Action.APPROVE_FRAMEWORKS},
    )


@pytest.fixture
def platform_admin(django_user_model):
    """The service team: a Wagtail superuser with no authority role."""
    return django_user_model.objects.create_superuser(
        email="service-team@example.com", password="not-used-here-1"
    )


def test_the_actions_menu_does_not_offer_unpublish_without_the_approve_permission(
    manager_client, framework, managers_may_not_approve
):
    page = _edit_page(manager_client, framework)

    assert reverse("frameworks_admin:lot-close", args=(framework.pk,)) in page
    assert _url(framework) not in page


def test_the_actions_menu_does_not_offer_unpublish_to_the_service_team(
    platform_admin, framework, admin_client_for
):
    assert _url(framework) not in _edit_page(admin_client_for(platform_admin), framework)


def test_the_actions_menu_does_not_offer_unpublish_for_a_framework_that_is_not_live(
    reviewer_client, framework
):
    FrameworkPage.objects.filter(pk=framework.pk).update(live=False)

    assert _url(framework) not in _edit_page(reviewer_client, framework)


def test_the_actions_menu_does_not_offer_unpublish_for_a_suspended_framework(
    reviewer_client, framework, framework_manager, authority
):
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason="Fraud"
    )

    assert _url(framework) not in _edit_page(reviewer_client, framework)


def test_the_screen_explains_that_the_records_stay(reviewer_client, framework):
    response = reviewer_client.get(_url(framework))

    assert response.status_code == 200
    assert "The framework leaves the public site" in response.content.decode()
    assert "Its records stay" in response.content.decode()
    assert FrameworkPage.objects.get(pk=framework.pk).live is True
    assert not AuditEvent.objects.filter(kind="framework.unpublished").exists()


def test_posting_unpublishes_through_the_service(reviewer_client, reviewer, framework):
    response = reviewer_client.post(_url(framework))

    [event] = AuditEvent.objects.filter(kind="framework.unpublished")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=(framework.pk,))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Framework “Digital services” unpublished."
    ]
    assert FrameworkPage.objects.get(pk=framework.pk).live is False
    assert event.actor_id == reviewer.pk


def test_another_authoritys_framework_is_not_found(other_reviewer, framework, admin_client_for):
    client = admin_client_for(other_reviewer)

    assert client.get(_url(framework)).status_code == 404
    assert client.post(_url(framework)).status_code == 404
    assert FrameworkPage.objects.get(pk=framework.pk).live is True


def test_a_member_who_may_not_approve_frameworks_is_refused(
    manager_client, framework, managers_may_not_approve
):
    for response in (manager_client.get(_url(framework)), manager_client.post(_url(framework))):
        assert (response.status_code, response.url) == _refused()
    assert FrameworkPage.objects.get(pk=framework.pk).live is True
    assert not AuditEvent.objects.filter(kind="framework.unpublished").exists()


def test_the_service_team_without_an_authority_role_is_refused(
    platform_admin, framework, admin_client_for
):
    client = admin_client_for(platform_admin)

    for response in (client.get(_url(framework)), client.post(_url(framework))):
        assert (response.status_code, response.url) == _refused()
    assert FrameworkPage.objects.get(pk=framework.pk).live is True


def test_a_framework_that_is_not_live_is_not_found(reviewer_client, framework):
    FrameworkPage.objects.filter(pk=framework.pk).update(live=False)

    assert reviewer_client.get(_url(framework)).status_code == 404
    assert reviewer_client.post(_url(framework)).status_code == 404
    assert not AuditEvent.objects.filter(kind="framework.unpublished").exists()


def test_a_refusal_by_the_service_shows_as_an_error(
    reviewer_client, framework, framework_manager, authority
):
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason="Fraud"
    )

    response = reviewer_client.post(_url(framework))

    assert response.status_code == 200
    assert "This framework cannot go from “suspended” to “unpublished”" in (
        response.content.decode()
    )
    assert FrameworkPage.objects.get(pk=framework.pk).live is True
    assert not AuditEvent.objects.filter(kind="framework.unpublished").exists()
