"""seed_demo's further competitions (demo/competitions.py): one in each state, made through the
services, the bids sealed until their deadline, the winner's commitments the contract's KPIs,
and the demo's own sign-ins able to reach them."""

from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Contract
from marketplace.calloffs.permissions import may_work_on
from marketplace.calloffs.selectors.projects import cancellation_reason
from marketplace.competitions.models import Bid, BidAnswer, BidDocument, Competition
from marketplace.competitions.sealing import StillSealed
from marketplace.competitions.selectors.bids import unsealed_bids
from marketplace.competitions.selectors.competitions import competitions_for_supplier
from marketplace.competitions.selectors.evaluation import ranking
from marketplace.organisations.models import Membership
from tests.demo.test_calloffs import SIZES

TITLES = {
    "draft": "Data dashboards for adult social care",
    "open": "An online form for blue badge applications",
    "closed": "Hosting for the council website and intranet",
    "evaluated": "Security monitoring for the council's network",
    "awarded": "A booking system for the leisure centres",
    "cancelled": "A new website for the council's museums",
}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", *SIZES, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small demo, seeded once for these tests and rolled back after the last of them."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(db, seeded):
    return seeded


def competition(state: str) -> Competition:
    return Competition.objects.select_related("project__organisation").get(
        project__title=TITLES[state]
    )


def sign_in(role: str):
    return Membership.objects.filter(role=role).order_by("pk").first()


def test_one_competition_in_each_state_once(demo):
    assert "Further competitions: 6 created, 0 already present\n" in demo  # nothing left out
    assert Counter(Competition.objects.values_list("status", flat=True)) == Counter(TITLES.keys())
    assert {c.project.title: c.status for c in Competition.objects.all()} == {
        title: state for state, title in TITLES.items()
    }
    assert "Further competitions: 0 created, 6 already present\n" in seed()
    assert Competition.objects.count() == 6


def test_the_draft_has_no_brief_deadlines_and_invites_no_one(demo):
    draft = competition("draft")

    assert draft.submission_deadline is None
    assert not draft.invitations.exists()
    assert draft.criteria.filter(social_value_theme="").exists()
    assert draft.criteria.exclude(social_value_theme="").exists()


def test_the_open_competition_has_an_answered_question_and_bids_still_sealed(demo):
    open_ = competition("open")

    assert open_.submission_deadline > timezone.now()
    assert open_.clarifications.filter(published_at__isnull=False).count() == 1
    assert open_.bids.filter(status=Bid.Status.SUBMITTED).count() == 2
    with pytest.raises(StillSealed):
        unsealed_bids(open_)
    canary = "apprenticeships for local residents"
    for answer in BidAnswer.objects.filter(bid__competition=open_):
        assert canary.encode() not in bytes(answer.sealed_commitment or b"")
    assert BidDocument.objects.filter(bid__competition=open_).count() == 2


def test_the_closed_competition_opens_its_bids_on_time_for_evaluation(demo):
    closed = competition("closed")

    assert closed.submission_deadline <= timezone.now()
    submitted = closed.bids.filter(status=Bid.Status.SUBMITTED)
    assert submitted.count() == 3
    assert all(bid.submitted_at < closed.submission_deadline for bid in submitted)
    opened = unsealed_bids(closed)
    assert {bid.price for bid in opened} and all(bid.answers for bid in opened)
    assert not closed.conflict_declarations.exists()


def test_the_evaluated_competition_has_declarations_two_evaluators_and_moderated_scores(demo):
    evaluated = competition("evaluated")
    cells = evaluated.bids.count() * evaluated.criteria.count()

    assert evaluated.conflict_declarations.filter(has_conflict=False).count() == 2
    scores = Counter(
        evaluated.bids.values_list("scores__evaluator", flat=True)  # one per evaluator a cell
    )
    assert len(scores) == 2 and set(scores.values()) == {cells}
    assert sum(bid.moderated_scores.count() for bid in evaluated.bids.all()) == cells
    assert len(ranking(evaluated)) == 2


def test_the_awarded_competition_is_contracted_with_the_winners_commitments_as_kpis(demo):
    awarded = competition("awarded")
    contract = Contract.objects.select_related("award").get(award__project=awarded.project)
    winner = ranking(awarded)[0]
    [opened] = [bid for bid in unsealed_bids(awarded) if bid.bid.pk == winner.key]

    assert contract.supplier == opened.supplier
    assert contract.value == opened.price
    kpis = list(contract.award.kpis.order_by("pk").values_list("title", "target"))
    assert kpis == [
        (criterion.title, opened.commitments[criterion.pk])
        for criterion in awarded.criteria.order_by("position")
        if criterion.pk in opened.commitments
    ]
    local_jobs = (
        "Local jobs and apprenticeships",
        "4 apprenticeships for local residents each year",
    )
    assert local_jobs in kpis
    assert contract.details_notice_identifier == f"DEMO-UK7-{contract.reference}"


def test_the_cancelled_competition_went_with_its_project_and_its_bid_stays_sealed(demo):
    cancelled = competition("cancelled")

    assert cancelled.project.status == "cancelled"
    assert cancellation_reason(cancelled.project) == (
        "The museums are to be run by a trust from April, which will buy its own website."
    )
    [event] = AuditEvent.objects.filter(kind=AuditKind.COMPETITION_CANCELLED)
    assert (event.data["from"], event.data["project"]) == ("open", cancelled.project.pk)
    assert cancelled.bids.filter(status=Bid.Status.SUBMITTED).count() == 1
    with pytest.raises(StillSealed):
        unsealed_bids(cancelled, now=timezone.now())


def test_the_demo_sign_ins_reach_the_competitions(demo):
    officer = sign_in("procurement_officer").user
    editor = sign_in("editor")

    for state in TITLES:
        assert may_work_on(officer, competition(state).project)
    invited = competitions_for_supplier(organisation=editor.organisation)
    assert set(invited.values_list("status", flat=True)) >= {"open", "closed", "awarded"}
    awarded = competition("awarded")
    assert awarded.project.selected_supplier == editor.organisation  # the demo supplier won
    assert awarded.bids.filter(supplier=editor.organisation).exists()


def test_every_competition_step_is_audited_and_the_chain_is_intact(demo):
    kinds = Counter(
        AuditEvent.objects.filter(
            kind__in=[
                AuditKind.COMPETITION_CREATED,
                AuditKind.COMPETITION_SUPPLIERS_INVITED,
                AuditKind.CLARIFICATION_PUBLISHED,
                AuditKind.BID_SUBMITTED,
                AuditKind.COMPETITION_CLOSED,
                AuditKind.COMPETITION_EVALUATED,
                AuditKind.COMPETITION_AWARDED,
            ]
        ).values_list("kind", flat=True)
    )
    assert kinds == {
        AuditKind.COMPETITION_CREATED: 6,
        AuditKind.COMPETITION_SUPPLIERS_INVITED: 5,
        AuditKind.CLARIFICATION_PUBLISHED: 3,
        AuditKind.BID_SUBMITTED: 11,
        AuditKind.COMPETITION_CLOSED: 3,
        AuditKind.COMPETITION_EVALUATED: 2,
        AuditKind.COMPETITION_AWARDED: 1,
    }
    verified = StringIO()
    call_command("verify_audit_chain", stdout=verified)
    assert f"Audit chain intact: {AuditEvent.objects.count()} events" in verified.getvalue()
