"""Demo further competitions: buying projects of the demo council run by further competition,
one in each state a buyer meets (a draft brief; open for bids; closed, the bids opened; evaluated;
awarded, through to a contract whose KPIs are the winner's social value commitments; cancelled
with its project while open for bids), all made through the competitions and call-off services,
so the audit log records each step.

The council's procurement officer starts and runs each one, with its approver as the second
evaluator; the suppliers' own staff ask questions and bid. The demo supplier whose staff sign
in (the first with an editor) is invited to, and bids in, the open, closed and awarded ones,
and wins the awarded one. Each project is keyed by its title within the council, so a second
run adds nothing.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo.calloffs import (
    MINIMAL_PDF,
    TERM_DAYS,
    TERM_MONTHS,
    SeedResult,
    Staff,
    _staff,
    _value,
)
from frameworks.models import Appointment, Lot, Regime, Route, SocialValueTheme
from frameworks.selectors import usable_frameworks
from frameworks.terms import terms_on
from marketplace.calloffs.models import Award, BuyingProject
from marketplace.calloffs.services import awards, contracts, projects
from marketplace.calloffs.suppliers import call_off_problem
from marketplace.competitions.models import Bid, Competition
from marketplace.competitions.selectors.bids import unsealed_bids
from marketplace.competitions.selectors.evaluation import kpi_suggestions, submitted_bids
from marketplace.competitions.services import (
    award,
    bids,
    brief,
    clarifications,
    evaluation,
    invitations,
)
from marketplace.organisations.models import Membership, Organisation
from marketplace.organisations.roles import Role

QUESTIONS_OPEN_DAYS = 7
BIDS_OPEN_DAYS = 14


@dataclass(frozen=True)
class Bidder:
    """How one bidder answers: a price as a share of the estimated value, its answers to the
    quality criteria that are not social value (the first, then the rest), a commitment under
    each social value theme, and the marks its answers earn, in criterion order."""

    price_share: Decimal
    method: str
    delivery: str
    commitments: dict[str, str]
    marks: tuple[int, ...]


# The demo supplier's bid is the strongest, and the cheapest in the awarded competition.
BIDDERS = (
    Bidder(
        price_share=Decimal("0.88"),
        method=(
            "A named delivery lead and a team of four who have built the same service for two "
            "other councils. We work in the open, with a show and tell every fortnight, and test "
            "every page with residents, including disabled residents, before it goes live."
        ),
        delivery=(
            "We can start within two weeks of the contract. A second team covers holidays and "
            "sickness, and our support desk answers within an hour from 8am to 6pm."
        ),
        commitments={
            SocialValueTheme.LOCAL_JOBS: "4 apprenticeships for local residents each year",
            SocialValueTheme.LOCAL_SPEND: "30% of the contract's spend with local SMEs and VCSEs",
            SocialValueTheme.NET_ZERO: "Net zero for the contract's own emissions by 2030",
            SocialValueTheme.FAIR_WORK: "The Real Living Wage for everyone on the contract",
        },
        marks=(8, 8, 9, 8, 7, 8),
    ),
    Bidder(
        price_share=Decimal("0.93"),
        method=(
            "Our standard method, led by a senior consultant, with monthly progress reports to "
            "the council's project board."
        ),
        delivery=(
            "We will mobilise within four weeks. Cover comes from our national team; support "
            "calls are answered within a working day."
        ),
        commitments={
            SocialValueTheme.LOCAL_JOBS: "2 apprenticeships for local residents",
            SocialValueTheme.NET_ZERO: "An electric fleet for site visits from the second year",
        },
        marks=(6, 7, 6, 4, 6, 5),
    ),
    Bidder(
        price_share=Decimal("1.02"),
        method=(
            "A small specialist team with deep experience of local government, working from "
            "the council's offices two days a week."
        ),
        delivery=(
            "A start within three weeks. We have no second team, so holidays are planned "
            "around the council's own."
        ),
        commitments={
            SocialValueTheme.LOCAL_JOBS: "1 work placement each summer for a local student",
            SocialValueTheme.LOCAL_SPEND: "All subcontracting with local VCSEs",
        },
        marks=(7, 5, 5, 7, 4, 6),
    ),
)


@dataclass(frozen=True)
class Scenario:
    state: str
    title: str
    need: str
    value: Decimal
    lot_title: str  # preferred; any lot allowing further competition will do
    bidders: int = 0  # how many bids
    question: str = ""
    answer: str = ""
    cancellation: str = ""  # why the project, and its competition with it, is cancelled


SCENARIOS = (
    # First, so the awarded competition is the newest project: the buyer's lists show it first.
    Scenario(
        state=Competition.Status.CANCELLED,
        title="A new website for the council's museums",
        need=(
            "A website for the council's three museums: what is on, collections online and "
            "ticket sales, which the museum staff can keep up to date themselves."
        ),
        value=Decimal("70000.00"),
        lot_title="Software development",
        bidders=1,
        cancellation=(
            "The museums are to be run by a trust from April, which will buy its own website."
        ),
    ),
    Scenario(
        state=Competition.Status.DRAFT,
        title="Data dashboards for adult social care",
        need=(
            "Dashboards showing waiting times, hours of care and costs for adult social care, "
            "refreshed every night from the case records system, for managers and councillors."
        ),
        value=Decimal("60000.00"),
        lot_title="Data and analytics",
    ),
    Scenario(
        state=Competition.Status.OPEN,
        title="An online form for blue badge applications",
        need=(
            "Replace the paper blue badge form with an online form residents can fill in on a "
            "phone, upload their evidence to and pay through, joined up with the case system."
        ),
        value=Decimal("80000.00"),
        lot_title="Software development",
        bidders=2,
        question=(
            "Does the council's case system have an interface for other systems to send "
            "applications to, or would the supplier need to build one?"
        ),
        answer=(
            "Yes: the case system has a documented interface for new applications. The council "
            "will share its documentation with the supplier it awards the contract to."
        ),
    ),
    Scenario(
        state=Competition.Status.CLOSED,
        title="Hosting for the council website and intranet",
        need=(
            "Managed hosting for the public website and the staff intranet: 99.9% availability, "
            "backups every night, and a recovery plan tested twice a year."
        ),
        value=Decimal("45000.00"),
        lot_title="Cloud hosting",
        bidders=3,
        question="Is the intranet to be reachable from outside the council's network?",
        answer="Yes, for staff signed in with the council's single sign-on and a second factor.",
    ),
    Scenario(
        state=Competition.Status.EVALUATED,
        title="Security monitoring for the council's network",
        need=(
            "A service that watches the council's network day and night, alerts the IT team "
            "within 15 minutes of an incident, and reports every month."
        ),
        value=Decimal("90000.00"),
        lot_title="Cyber security",
        bidders=2,
    ),
    Scenario(
        state=Competition.Status.AWARDED,
        title="A booking system for the leisure centres",
        need=(
            "Online booking and payment for swimming, the gym and classes at the council's six "
            "leisure centres, with the membership scheme and a phone app."
        ),
        value=Decimal("95000.00"),
        lot_title="Software development",
        bidders=3,
        question="How many members does the membership scheme have today?",
        answer="About 14,000 members, of whom 3,000 pay by direct debit each month.",
    ),
)
WITH_DEMO_SUPPLIER = {
    Competition.Status.OPEN,
    Competition.Status.CANCELLED,
    Competition.Status.CLOSED,
    Competition.Status.AWARDED,
}


def demo_supplier() -> tuple[Organisation, object] | None:
    """The supplier whose editor is the demo's "Supplier: Editor" sign-in, and that editor."""
    membership = (
        Membership.objects.filter(role=Role.EDITOR)
        .select_related("organisation", "user")
        .order_by("pk")
        .first()
    )
    return (membership.organisation, membership.user) if membership else None


def _bidding_user(supplier: Organisation):
    """Someone who may answer call-offs for `supplier`: its first administrator or editor."""
    membership = (
        Membership.objects.filter(
            organisation=supplier, role__in=(Role.SUPPLIER_ADMIN, Role.EDITOR)
        )
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _london(day, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class CompetitionBuilder:
    def __init__(self, staff: Staff, today):
        self.staff = staff
        self.today = today
        self.result = SeedResult("Further competitions")
        demo = demo_supplier()
        self.demo_supplier, self.demo_editor = demo if demo else (None, None)
        self.lots = self._further_competition_lots()

    def _further_competition_lots(self) -> list[tuple[Lot, dict, list[Organisation]]]:
        """The open lots allowing further competition of the live frameworks under the Act
        that the council may use, with today's terms and the suppliers it may invite."""
        found = []
        council = self.staff.council
        for framework in usable_frameworks(organisation=council, today=self.today).filter(
            regime=Regime.PROCUREMENT_ACT_2023
        ):
            terms = terms_on(framework, self.today)["lots"]
            for lot in framework.lots.order_by("number"):
                lot_terms = terms.get(str(lot.number), {})
                if lot_terms.get("closed") or not lot_terms.get("allows_further_competition"):
                    continue
                if lot_terms.get("maximum_term_months", 0) < TERM_MONTHS:
                    continue
                invitable = [
                    appointment.supplier
                    for appointment in Appointment.objects.filter(
                        lot=lot, status=Appointment.Status.ACTIVE
                    ).select_related("supplier")
                    if call_off_problem(
                        supplier=appointment.supplier, lot=lot, buyer=council, on=self.today
                    )
                    is None
                ]
                lot.framework = framework
                found.append((lot, lot_terms, invitable))
        return found

    def lot(self, scenario: Scenario) -> tuple[Lot | None, Decimal | None]:
        """The scenario's preferred lot if it fits, else the first that does: its band holds
        the value, enough suppliers can bid, and the demo supplier among them where wanted."""
        fitting = []
        for lot, terms, invitable in self.lots:
            value = _value(terms, scenario.value)
            if value is None or len(invitable) < max(scenario.bidders, 1):
                continue
            if scenario.state in WITH_DEMO_SUPPLIER and self.demo_supplier not in invitable:
                continue
            fitting.append((lot.title != scenario.lot_title, lot, value))
        if not fitting:
            return None, None
        _other, lot, value = min(fitting, key=lambda row: row[0])
        return lot, value

    # Steps ---------------------------------------------------------------------------------

    def start(self, scenario: Scenario, lot: Lot, value: Decimal) -> Competition:
        officer = self.staff.officer
        project = projects.create_project(
            actor=officer,
            organisation=self.staff.council,
            title=scenario.title,
            need=scenario.need,
            estimated_value=value,
            estimated_term_months=TERM_MONTHS,
        )
        project = projects.choose_lot(
            actor=officer, project=project, lot=lot, route=Route.FURTHER_COMPETITION
        )
        competition = brief.create_competition(actor=officer, project=project)
        if scenario.state == Competition.Status.DRAFT:
            return competition
        return brief.update_brief(
            actor=officer,
            competition=competition,
            requirements=(
                f"{scenario.need}\n\nThe contract runs for {TERM_MONTHS} months. Bids give a "
                "fixed price for the whole contract, excluding VAT, and answer every criterion."
            ),
            price_weight=40,
            criteria={},
            clarification_deadline=_london(self.today + timedelta(days=QUESTIONS_OPEN_DAYS)),
            submission_deadline=_london(self.today + timedelta(days=BIDS_OPEN_DAYS)),
            voluntary_standstill=False,
        )

    def bidders(self, competition: Competition, count: int) -> list[Organisation]:
        """The invited suppliers who bid: the demo supplier first, if invited, then the rest by
        name, each with someone who may bid for it."""
        invited = [
            row.supplier
            for row in competition.invitations.filter(invited=True)
            .select_related("supplier")
            .order_by("supplier__legal_name", "pk")
        ]
        if self.demo_supplier in invited:
            invited.remove(self.demo_supplier)
            invited.insert(0, self.demo_supplier)
        return [supplier for supplier in invited if _bidding_user(supplier)][:count]

    def _user_for(self, supplier: Organisation):
        return self.demo_editor if supplier == self.demo_supplier else _bidding_user(supplier)

    def ask_and_answer(self, competition: Competition, scenario: Scenario, asker) -> None:
        question = clarifications.ask_clarification(
            actor=self._user_for(asker),
            competition=competition,
            supplier=asker,
            question=scenario.question,
        )
        clarifications.answer_clarification(
            actor=self.staff.officer, clarification=question, answer=scenario.answer
        )

    def bid(self, competition: Competition, supplier: Organisation, bidder: Bidder, value) -> Bid:
        user = self._user_for(supplier)
        criteria = list(competition.criteria.order_by("position"))
        plain = [criterion for criterion in criteria if not criterion.is_social_value]
        answers, commitments = {}, {}
        for criterion in criteria:
            if criterion.is_social_value:
                commitment = bidder.commitments.get(criterion.social_value_theme, "")
                answers[criterion.pk] = (
                    f"{commitment}, reported to the council every quarter with the evidence."
                    if commitment
                    else "We make no commitment under this criterion on this contract."
                )
                if commitment:
                    commitments[criterion.pk] = commitment
            else:
                answers[criterion.pk] = bidder.method if criterion == plain[0] else bidder.delivery
        made = bids.save_bid(
            actor=user,
            competition=competition,
            supplier=supplier,
            price=(value * bidder.price_share).quantize(Decimal("0.01")),
            answers=answers,
            commitments=commitments,
        )
        bids.add_bid_document(
            actor=user,
            bid=made,
            upload=SimpleUploadedFile(
                "Method statement.pdf", MINIMAL_PDF, content_type="application/pdf"
            ),
        )
        return made

    def close(self, competition: Competition) -> Competition:
        """Close the competition to bids as its deadline would.

        Bids are refused at and after the deadline, so the demo's bids are submitted while it
        is open, and the deadline is then brought forward to the moment just past, as though it
        had been set for then: every recorded bid and question stays on time, and the services
        close the competition and open its bids at the deadline as they would for real. The
        audit log keeps the deadline the brief set; its chain is never rewritten."""
        now = timezone.now()
        Competition.objects.filter(pk=competition.pk).update(
            clarification_deadline=now - timedelta(microseconds=1), submission_deadline=now
        )
        competition.refresh_from_db()
        return bids.close_if_due(competition, now=now)

    def evaluate(self, competition: Competition, marks: dict[int, tuple[int, ...]]) -> None:
        """The officer and the approver each declare no conflict and score every criterion of
        every bid, a mark apart where they differ; the officer records the agreed marks."""
        officer, approver = self.staff.officer, self.staff.approver
        for evaluator in (officer, approver):
            evaluation.declare_conflict(
                actor=evaluator, competition=competition, has_conflict=False
            )
        criteria = list(competition.criteria.order_by("position"))
        for made in submitted_bids(competition):
            given_marks = marks[made.pk]
            for index, criterion in enumerate(criteria):
                mark = given_marks[index % len(given_marks)]
                second = mark - 1 if criterion.position % 2 else mark
                for evaluator, given in ((officer, mark), (approver, second)):
                    evaluation.record_score(
                        actor=evaluator,
                        bid=made,
                        criterion=criterion,
                        mark=given,
                        reason=_reason(given),
                    )
                evaluation.moderate_score(
                    actor=officer,
                    bid=made,
                    criterion=criterion,
                    mark=mark,
                    reason=(
                        "The evaluators agree."
                        if second == mark
                        else f"Agreed at moderation: {_reason(mark).lower()}"
                    ),
                )

    def contract(self, project: BuyingProject) -> None:
        """Award to the winner at its price with its commitments as KPIs, record the award
        notice, enter into the contract and record its details notice."""
        project.refresh_from_db()
        kpis = kpi_suggestions(project)
        winner = next(
            made
            for made in submitted_bids(project.competition)
            if made.supplier_id == project.selected_supplier_id
        )
        price = next(
            opened.price
            for opened in unsealed_bids(project.competition)
            if opened.bid.pk == winner.pk
        )
        starts_on = self.today + timedelta(days=30)
        made = awards.make_award(
            actor=self.staff.officer,
            project=project,
            description=f"{project.title}: {project.need}",
            value=price,
            value_including_vat=(price * Decimal("1.2")).quantize(Decimal("0.01")),
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=TERM_DAYS),
            kpis=kpis,
        )
        if made.status == Award.Status.AWAITING_SIGN_OFF:
            made = awards.sign_off_award(actor=self.staff.approver, award=made)
        made = awards.record_award_notice(
            actor=self.staff.officer,
            award=made,
            identifier=f"DEMO-UK6-{project.reference}",
            published_on=self.today,
            standstill_ends_on=None,
        )
        entered = contracts.enter_into_contract(
            actor=self.staff.officer, project=project, entered_into_on=self.today
        )
        contracts.record_details_notice(
            actor=self.staff.officer,
            contract=entered,
            identifier=f"DEMO-UK7-{entered.reference}",
            published_on=self.today,
        )

    # Scenarios ------------------------------------------------------------------------------

    def build(self) -> SeedResult:
        for scenario in SCENARIOS:
            self.scenario(scenario)
        return self.result

    def scenario(self, scenario: Scenario) -> None:
        council = self.staff.council
        if BuyingProject.objects.filter(organisation=council, title=scenario.title).exists():
            self.result.present.append(scenario.title)
            return
        lot, value = self.lot(scenario)
        if lot is None:
            self.result.skipped.append(f"a {scenario.state} competition (no usable lot)")
            return
        self.result.created.append(scenario.title)
        competition = self.start(scenario, lot, value)
        if scenario.state == Competition.Status.DRAFT:
            return
        invitations.invite_suppliers(actor=self.staff.officer, competition=competition, left_out={})
        bidders = self.bidders(competition, scenario.bidders)
        if scenario.question:
            self.ask_and_answer(competition, scenario, bidders[0])
        marks = {}
        for supplier, bidder in zip(bidders, BIDDERS, strict=False):
            marks[self.bid(competition, supplier, bidder, value).pk] = bidder.marks
        if scenario.state == Competition.Status.OPEN:
            return
        if scenario.state == Competition.Status.CANCELLED:
            projects.cancel_project(
                actor=self.staff.officer, project=competition.project, reason=scenario.cancellation
            )
            return
        competition = self.close(competition)
        if scenario.state == Competition.Status.CLOSED:
            return
        self.evaluate(competition, marks)
        if scenario.state == Competition.Status.EVALUATED:
            return
        project = award.award_to_winner(
            actor=self.staff.officer,
            competition=competition,
            reason="The best answers on quality and social value, at the lowest price.",
        )
        self.contract(project)


def _reason(mark: int) -> str:
    if mark >= 8:
        return "A strong answer, with evidence from similar contracts."
    if mark >= 6:
        return "A good answer that meets the requirement, with some detail missing."
    return "Meets the requirement only in part: little evidence of how."


def build_competitions(today=None) -> SeedResult | None:
    """The demo council's further competitions; None without a council with staff."""
    staff = _staff()
    if staff is None:
        return None
    return CompetitionBuilder(staff, today or timezone.localdate()).build()
