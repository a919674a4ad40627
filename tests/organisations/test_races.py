"""Two requests at once must not both succeed where only one may (PostgreSQL only)."""

import threading

from django.db import connection

import pytest

from marketplace.organisations import services
from marketplace.organisations.admin_access import staff_group
from marketplace.organisations.models import LocalAuthority, Membership, Organisation
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers and has no SELECT … FOR UPDATE to race against",
    ),
]


def run_together(*calls):
    """Run each call in its own thread and connection; return what each raised (or None).

    Any exception counts: when one thread commits before the other starts, the loser may be
    refused by the permission check (the other administrator is gone) rather than the lock."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        from django.db import connections

        try:
            barrier.wait()
            call()
        except Exception as error:  # the refusal is the outcome under test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_an_invitation_accepted_twice_at_once_makes_one_membership():
    admin = factories.MembershipFactory(role="supplier_admin")
    _invitation, token = services.invite_member(
        actor=admin.user, organisation=admin.organisation, email="x@example.org", role="editor"
    )
    user = factories.UserFactory(email="x@example.org")

    outcomes = run_together(
        lambda: services.accept_invitation(token=token, user=user),
        lambda: services.accept_invitation(token=token, user=user),
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["InvitationError", "NoneType"]
    assert Membership.objects.filter(user=user).count() == 1


def test_two_administrators_removing_each_other_at_once_leave_one():
    first = factories.MembershipFactory(role="supplier_admin")
    second = factories.MembershipFactory(organisation=first.organisation, role="supplier_admin")

    outcomes = run_together(
        lambda: services.remove_member(actor=first.user, membership=second),
        lambda: services.remove_member(actor=second.user, membership=first),
    )

    assert sum(o is None for o in outcomes) == 1
    assert Membership.objects.filter(organisation=first.organisation).count() == 1


def test_two_staff_joining_an_authority_at_once_both_reach_the_admin():
    manager = factories.MembershipFactory(role="framework_manager", organisation__kind="authority")
    authority = manager.organisation
    tokens = [
        services.invite_member(actor=manager.user, organisation=authority, email=email, role=role)[
            1
        ]
        for email, role in (("a@example.gov.uk", "reviewer"), ("b@example.gov.uk", "reviewer"))
    ]
    users = [factories.UserFactory(email=e) for e in ("a@example.gov.uk", "b@example.gov.uk")]

    outcomes = run_together(
        *(
            lambda token=token, user=user: services.accept_invitation(token=token, user=user)
            for token, user in zip(tokens, users, strict=True)
        )
    )

    assert outcomes == [None, None]
    assert set(staff_group(authority).user_set.all()) == {manager.user, *users}


def test_a_council_claimed_twice_at_once_makes_one_organisation():
    council = LocalAuthority.objects.get(code="MAN")
    council.email_domains = ["manchester.gov.uk"]
    council.save()
    people = [factories.UserFactory(email=f"{n}@manchester.gov.uk") for n in ("jo", "sam")]

    outcomes = run_together(
        *[
            lambda person=person: services.claim_council(
                actor=person, local_authority=council, contact_email="buying@manchester.gov.uk"
            )
            for person in people
        ]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["DomainError", "NoneType"]
    assert [o.code for o in outcomes if o] == ["registered"]
    assert Organisation.objects.filter(local_authority=council).count() == 1
