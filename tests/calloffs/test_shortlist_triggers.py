"""The database refuses a search-and-shortlist winner that is not a kept item of the project's
own shortlist, even from code that bypasses the services (migration 0003). Run on SQLite and,
with DATABASE_URL set, on PostgreSQL."""

# The fixtures are imported from shortlist_setup, and tests take them by name.
# ruff: noqa: F811

from datetime import timedelta
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.utils import timezone

import pytest

from marketplace.calloffs.models import Award, BuyingProject, ShortlistItem
from marketplace.calloffs.services import shortlists as services

from .shortlist_setup import frozen, project, shortlisting  # noqa: F401

pytestmark = pytest.mark.django_db

KEPT = ShortlistItem.Decision.KEPT
REJECTED = ShortlistItem.Decision.REJECTED


@pytest.fixture
def decided(shortlisting, project, procurement_officer):
    """The project's shortlist: its first item kept, its second rejected."""
    kept, rejected = frozen(shortlisting, project, procurement_officer).items.all()
    services.decide_item(actor=procurement_officer, item=kept, decision=KEPT, reason="")
    services.decide_item(
        actor=procurement_officer, item=rejected, decision=REJECTED, reason="Too dear."
    )
    return kept, rejected


@pytest.fixture
def other_kept(shortlisting, buyer, procurement_officer):
    """A kept item of another project's shortlist."""
    other = shortlisting.project(buyer=buyer, officer=procurement_officer)
    saved = shortlisting.search(procurement_officer, buyer, "q=hosting", name="Hosting")
    item = services.freeze_shortlist(
        actor=procurement_officer, project=other, saved_search=saved
    ).items.get()
    services.decide_item(actor=procurement_officer, item=item, decision=KEPT, reason="")
    return item


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except DatabaseError:  # IntegrityError is one
        return True
    return False


def select(project, item) -> bool:
    return refused(
        lambda: BuyingProject.objects.filter(pk=project.pk).update(selected_shortlist_item=item)
    )


def award(project, item, officer) -> bool:
    today = timezone.localdate()
    return refused(
        lambda: Award.objects.create(
            project=project,
            route="direct_award",
            direct_award_method="search_shortlist",
            supplier=item.supplier,
            offering=item.offering,
            shortlist_item=item,
            selection_reason="Cheapest kept.",
            rules_applied="pa2023",
            description="Hosting.",
            value=Decimal("1000.00"),
            value_including_vat=Decimal("1200.00"),
            starts_on=today,
            ends_on=today + timedelta(days=365),
            awarded_by=officer,
        )
    )


def test_the_database_accepts_a_kept_item_of_the_projects_shortlist(
    project, decided, procurement_officer
):
    kept, _rejected = decided

    assert not select(project, kept)
    assert not award(project, kept, procurement_officer)


def test_the_database_refuses_selecting_a_rejected_item(project, decided):
    _kept, rejected = decided

    assert select(project, rejected)
    project.refresh_from_db()
    assert project.selected_shortlist_item is None


def test_the_database_refuses_selecting_another_projects_item(project, decided, other_kept):
    assert select(project, other_kept)


def test_the_database_refuses_an_undecided_item(shortlisting, project, procurement_officer):
    item = frozen(shortlisting, project, procurement_officer).items.first()

    assert select(project, item)
    assert award(project, item, procurement_officer)


def test_the_database_refuses_awarding_a_rejected_or_unlisted_item(
    project, decided, other_kept, procurement_officer
):
    _kept, rejected = decided

    assert award(project, rejected, procurement_officer)
    assert award(project, other_kept, procurement_officer)
    assert not Award.objects.exists()


def test_the_database_refuses_a_new_project_naming_an_item(
    decided, buyer, procurement_officer, shortlisting
):
    kept, _rejected = decided

    assert refused(
        lambda: BuyingProject.objects.create(
            reference="BP-2026-999999",
            organisation=buyer,
            title="Copy",
            need="Copy.",
            estimated_value=Decimal("1.00"),
            estimated_term_months=1,
            created_by=procurement_officer,
            selected_shortlist_item=kept,
        )
    )


def test_the_database_refuses_rejecting_a_chosen_or_awarded_item(
    project, decided, procurement_officer
):
    kept, _rejected = decided
    assert not select(project, kept)

    assert refused(
        lambda: ShortlistItem.objects.filter(pk=kept.pk).update(
            decision=REJECTED, reason="Changed my mind."
        )
    )
    BuyingProject.objects.filter(pk=project.pk).update(selected_shortlist_item=None)
    assert not award(project, kept, procurement_officer)
    assert refused(lambda: ShortlistItem.objects.filter(pk=kept.pk).update(decision="undecided"))
    kept.refresh_from_db()
    assert kept.decision == KEPT
