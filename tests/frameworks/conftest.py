"""Fixtures for the frameworks tests: authority sections, frameworks with lots, admin clients."""

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from frameworks.models import FrameworkPage, Lot
from frameworks.setup import ensure_authority_section
from marketplace.organisations.admin_access import sync_staff_group
from tests import factories
from tests.helpers import sign_in_with_second_factor


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def section(authority):
    """The authority's frameworks section (its AuthorityPage), set up as in production."""
    return ensure_authority_section(authority=authority)


@pytest.fixture
def other_authority(db):
    return factories.OrganisationFactory(kind="authority")


@pytest.fixture
def other_section(other_authority):
    return ensure_authority_section(authority=other_authority)


@pytest.fixture
def other_manager(other_authority):
    return factories.MembershipFactory(organisation=other_authority, role="framework_manager").user


@pytest.fixture
def second_manager(authority):
    return factories.MembershipFactory(organisation=authority, role="framework_manager").user


def create_framework(section, *, title="Digital services", lots=2, live=True, **fields):
    """A framework under `section`, live on its dates today unless dates are given.

    It starts today, so today is the last day of its award's appointment window: the admin
    screens (which always appoint as of today) can appoint to it.
    """
    today = timezone.localdate()
    number = FrameworkPage.objects.count() + 1
    values = {
        "title": title,
        "slug": f"framework-{number}",
        "reference": f"REF-{number:04d}",
        "summary": "Digital and technology services for the region.",
        "applications_open_on": today - timedelta(days=120),
        "applications_close_on": today - timedelta(days=90),
        "award_on": today - timedelta(days=60),
        "starts_on": today,
        "ends_on": today + timedelta(days=700),
        "levy_rate": Decimal("1.00"),
        **fields,
    }
    factories.with_award_notice(values, today=today)
    framework = FrameworkPage(
        **values,
        lots=[Lot(number=index, title=f"Lot {index} services") for index in range(1, lots + 1)],
    )
    section.add_child(instance=framework)
    revision = framework.save_revision()
    if live:
        revision.publish()
    framework.refresh_from_db()
    return framework


@pytest.fixture
def framework(section):
    return create_framework(section)


@pytest.fixture
def unawarded(section, today):
    """Awarded tomorrow: until then its terms may still be edited on the page."""
    return create_framework(
        section,
        applications_open_on=today - timedelta(days=10),
        applications_close_on=today,
        award_on=today + timedelta(days=1),
        starts_on=today + timedelta(days=2),
        ends_on=today + timedelta(days=400),
    )


@pytest.fixture
def lot(framework):
    return framework.lots.get(number=1)


@pytest.fixture
def other_framework(other_section):
    return create_framework(other_section, title="Other region's framework")


@pytest.fixture
def other_lot(other_framework):
    return other_framework.lots.get(number=1)


@pytest.fixture
def admin_client_for(db):
    """A factory: a fresh client signed in (with a second factor) as `user`, who can reach the
    Wagtail admin through their authorities' staff groups."""

    def sign_in(user):
        for membership in user.memberships.select_related("organisation"):
            sync_staff_group(membership.organisation)
        client = Client()
        sign_in_with_second_factor(client, user)
        return client

    return sign_in


@pytest.fixture
def manager_client(framework_manager, admin_client_for):
    """The framework manager of the section's authority, signed in to the admin."""
    return admin_client_for(framework_manager)


def framework_form_data(*, today=None, lots=None, reopenings=None, **overrides):
    """POST data for Wagtail's framework page form (create or edit), valid unless overridden."""
    today = today or timezone.localdate()
    lots = lots if lots is not None else [{"number": "1", "title": "Software"}]
    data = {
        "title": "Regional digital services",
        "slug": "regional-digital-services",
        "reference": "REG-DIG-2026",
        "summary": "Digital services for councils in the region.",
        "description": streamfield([]),
        "regime": "pa2023",
        "kind": "standard",
        "applications_open_on": (today + timedelta(days=10)).isoformat(),
        "applications_close_on": (today + timedelta(days=40)).isoformat(),
        "award_on": (today + timedelta(days=60)).isoformat(),
        "starts_on": (today + timedelta(days=80)).isoformat(),
        "ends_on": (today + timedelta(days=800)).isoformat(),
        "levy_rate": "1.00",
        "lots": inline_formset(
            [
                {
                    "description": "",
                    "maximum_term_months": "24",
                    "allows_further_competition": "on",
                    "direct_award_mechanism": "",
                    "direct_award_method": "",
                    "shortlist_limit": "30",
                    "rotation_period_days": "0",
                    "offer_response_working_days": "5",
                    **lot_row,
                }
                for lot_row in lots
            ]
        ),
        "reopenings": inline_formset(reopenings or []),
        "documents": inline_formset([]),
        "contacts": inline_formset([]),
        "award_criteria": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_framework_url(section):
    return reverse("wagtailadmin_pages:add", args=("frameworks", "frameworkpage", section.pk))


@pytest.fixture
def submitted(section, framework_manager, admin_client_for):
    """A framework the framework manager created and submitted through the admin."""
    client = admin_client_for(framework_manager)
    data = framework_form_data() | {"action-submit": "1"}
    response = client.post(add_framework_url(section), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    page = FrameworkPage.objects.get(reference="REG-DIG-2026")
    return page, page.current_workflow_state.current_task_state
