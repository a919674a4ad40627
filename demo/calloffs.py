"""Demo call-offs: buying projects and contracts of the first demo council with staff, one in
each state a buyer meets, all made through the call-off services by its procurement officer,
its approver and the suppliers' own staff, so the audit log records each step.

Run after the frameworks, offerings and search index exist: the shortlist is frozen from a
saved search. Each project is keyed by its title within the council, so a second run adds
nothing. Only the late contract details notice needs time to have passed: its award alone is
moved back (see late_details_notice); a standstill that has ended is left out.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from django.utils import timezone

from frameworks import services as framework_services
from frameworks.models import (
    Appointment,
    DirectAwardMethod,
    Lot,
    Regime,
    Route,
    VariationGround,
)
from frameworks.selectors import usable_frameworks
from frameworks.terms import terms_on
from marketplace.calloffs.models import Award, BuyingProject, Contract, ShortlistItem
from marketplace.calloffs.selectors import shortlists as shortlist_selectors
from marketplace.calloffs.services import (
    awards,
    contracts,
    progress,
    projects,
    rotation,
    saved_searches,
)
from marketplace.calloffs.services import shortlists as shortlist_services
from marketplace.calloffs.services.contracts import DETAILS_NOTICE_DAYS
from marketplace.organisations.models import Membership, Organisation
from marketplace.organisations.roles import Role
from suppliers.models import Offering

SIGN_OFF_THRESHOLD = Decimal("100000.00")
TERM_MONTHS = 12
TERM_DAYS = 360  # a contract's last day, from its first: inside the 12 months estimated
KPIS = [
    {"title": "Incidents resolved within the agreed time", "target": "95% each month"},
    {"title": "Service availability", "target": "99.9% each month"},
    {"title": "Social value: local apprentices", "target": "4 each year"},
]
# A minimal PDF, standing in for the documents people attach: the signed contract the buyer
# publishes (s.53(3)), a bidder's method statement.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class SeedResult:
    """What a demo builder made, found already there, or could not make; `label` names it."""

    label: str
    created: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = f"{self.label}: {len(self.created)} created, {len(self.present)} already present"
        if self.skipped:
            line += "; not shown: " + "; ".join(self.skipped)
        return line


@dataclass
class Staff:
    council: Organisation
    officer: object
    approver: object


def _staff() -> Staff | None:
    """The first demo council with both a procurement officer and an approver."""
    for council in Organisation.objects.filter(kind="buyer").order_by("pk"):
        members = {
            role: Membership.objects.filter(organisation=council, role=role).order_by("pk").first()
            for role in (Role.PROCUREMENT_OFFICER, Role.APPROVER)
        }
        if all(members.values()):
            return Staff(
                council,
                members[Role.PROCUREMENT_OFFICER].user,
                members[Role.APPROVER].user,
            )
    return None


def _usable_lots(council: Organisation, today: date) -> list[tuple[Lot, dict]]:
    """Open direct-award lots of the live frameworks the council may use, with today's terms."""
    lots = []
    for framework in usable_frameworks(organisation=council, today=today).prefetch_related("lots"):
        terms = terms_on(framework, today)["lots"]
        for lot in sorted(framework.lots.all(), key=lambda lot: lot.number):
            lot_terms = terms.get(str(lot.number), {})
            if lot_terms.get("closed") or not lot_terms.get("allows_direct_award"):
                continue
            lot.framework = framework
            lots.append((lot, lot_terms))
    return lots


def _value(terms: dict, wanted: Decimal) -> Decimal | None:
    """`wanted`, or the nearest value inside the lot's band; None if the band cannot hold it
    on the side that matters (above the sign-off threshold, or above £5 million)."""
    minimum = Decimal(terms.get("minimum_value") or 0)
    maximum = terms.get("maximum_value")
    value = max(wanted, minimum)
    if maximum is not None and value > Decimal(maximum):
        return None
    return value.quantize(Decimal("0.01"))


class CalloffBuilder:
    def __init__(self, staff: Staff, today: date):
        self.staff = staff
        self.today = today
        self.lots = _usable_lots(staff.council, today)
        self.result = SeedResult("Buying projects")

    # Steps ---------------------------------------------------------------------------------

    def project(self, title: str, need: str, value: Decimal) -> BuyingProject | None:
        """A new project, or None when the council already has one of that title."""
        if BuyingProject.objects.filter(organisation=self.staff.council, title=title).exists():
            self.result.present.append(title)
            return None
        self.result.created.append(title)
        return projects.create_project(
            actor=self.staff.officer,
            organisation=self.staff.council,
            title=title,
            need=need,
            estimated_value=value,
            estimated_term_months=TERM_MONTHS,
        )

    def lot(
        self,
        method: str,
        *,
        at_least: Decimal = Decimal(0),
        ranked: bool = False,
        regime: str = Regime.PROCUREMENT_ACT_2023,
    ):
        """The first usable lot of a framework under `regime` with `method` whose band holds
        `at_least`, preferring (for search and shortlist) the lot with the most live offerings."""
        fitting = [
            (lot, terms)
            for lot, terms in self.lots
            if lot.framework.regime == regime
            and terms.get("direct_award_method") == method
            and terms.get("maximum_term_months", 0) >= TERM_MONTHS
            and _value(terms, at_least) is not None
        ]
        if method == DirectAwardMethod.SEARCH_AND_SHORTLIST:
            fitting.sort(
                key=lambda pair: (
                    -Offering.objects.filter(lot=pair[0], status=Offering.Status.LIVE).count()
                )
            )
        usable = (pair for pair in fitting if not ranked or self.rank(pair[0]))
        return next(usable, (None, None))

    def rank(self, lot: Lot) -> bool:
        """Ranks the lot's active suppliers (by a variation its terms provide for) if the
        authority has not; False when it has fewer than two to rank."""
        active = Appointment.objects.filter(lot=lot, status=Appointment.Status.ACTIVE)
        if active.filter(rank__isnull=False).count() >= 2:
            return True
        suppliers = list(active.order_by("pk").values_list("supplier_id", flat=True))
        if len(suppliers) < 2:
            return False
        manager = (
            Membership.objects.filter(
                organisation=lot.framework.authority, role=Role.FRAMEWORK_MANAGER
            )
            .order_by("pk")
            .first()
        )
        framework_services.set_lot_ranking(
            actor=manager.user,
            organisation=lot.framework.authority,
            lot=lot,
            supplier_ids=suppliers,
            ground=VariationGround.PROVIDED_FOR,
            explanation=(
                "Fictional demo ranking: the evaluation's price and quality scores, as the "
                "framework's terms provide."
            ),
        )
        return True

    def choose_lot(self, project: BuyingProject, lot: Lot) -> BuyingProject:
        return projects.choose_lot(
            actor=self.staff.officer, project=project, lot=lot, route=Route.DIRECT_AWARD
        )

    def select_by_rotation(self, project: BuyingProject, *, decline_first: bool = False):
        """Offers go down the ranking; the first supplier declines when asked, the next one
        accepts, and the officer selects it."""
        offer = rotation.offer_next(actor=self.staff.officer, project=project)
        if decline_first:
            rotation.decline_offer(
                actor=_supplier_admin(offer.supplier),
                offer=offer,
                reason="Our team is fully booked until the spring: we cannot start in time.",
            )
            offer = rotation.offer_next(actor=self.staff.officer, project=project)
        rotation.accept_offer(actor=_supplier_admin(offer.supplier), offer=offer)
        return rotation.select_offered_supplier(
            actor=self.staff.officer,
            project=project,
            reason=rotation.mechanism_reason(project, offer.supplier),
        )

    def award(
        self, project: BuyingProject, value: Decimal, *, starts_on=None, kpis=(), sign_off=True
    ) -> Award:
        """The officer awards; an award needing sign-off is signed off by the approver unless
        `sign_off` is False."""
        starts_on = starts_on or self.today + timedelta(days=30)
        ends_on = starts_on + timedelta(days=TERM_DAYS)
        award = awards.make_award(
            actor=self.staff.officer,
            project=project,
            description=f"{project.title}: {project.need}",
            value=value,
            value_including_vat=(value * Decimal("1.2")).quantize(Decimal("0.01")),
            starts_on=starts_on,
            ends_on=ends_on,
            kpis=list(kpis),
        )
        if sign_off and award.status == Award.Status.AWAITING_SIGN_OFF:
            award = awards.sign_off_award(actor=self.staff.approver, award=award)
        return award

    def notice(
        self, project: BuyingProject, award: Award, *, standstill=False, published_on=None
    ) -> Award:
        published_on = published_on or self.today
        return awards.record_award_notice(
            actor=self.staff.officer,
            award=award,
            identifier=f"DEMO-UK6-{project.reference}",
            published_on=published_on,
            standstill_ends_on=awards.earliest_standstill_end(published_on) if standstill else None,
        )

    def enter(self, project: BuyingProject, *, on=None) -> Contract:
        return contracts.enter_into_contract(
            actor=self.staff.officer, project=project, entered_into_on=on or self.today
        )

    def details_notice(self, contract: Contract) -> Contract:
        return contracts.record_details_notice(
            actor=self.staff.officer,
            contract=contract,
            identifier=f"DEMO-UK7-{contract.reference}",
            published_on=self.today,
        )

    # Scenarios ------------------------------------------------------------------------------

    def build(self) -> SeedResult:
        projects.update_buyer_settings(
            actor=self.staff.approver,
            organisation=self.staff.council,
            approval_threshold=SIGN_OFF_THRESHOLD,
        )
        self.not_started()
        self.cancelled()
        self.search_and_shortlist()
        self.rotation()
        self.late_details_notice()
        self.single_supplier()
        self.pcr_2015()
        self.large_contract()
        return self.result

    def not_started(self) -> None:
        self.project(
            "Office furniture for the new customer hub",
            "Desks, chairs and storage for 40 staff moving into the new customer hub.",
            Decimal("30000.00"),
        )

    def cancelled(self) -> None:
        project = self.project(
            "CCTV for the town hall car park",
            "Replacement cameras and recording for the town hall car park.",
            Decimal("25000.00"),
        )
        if project:
            projects.cancel_project(
                actor=self.staff.officer,
                project=project,
                reason="The car park is to be sold next year, so the cameras are no longer needed.",
            )

    def search_and_shortlist(self) -> None:
        lot, terms = self.lot(DirectAwardMethod.SEARCH_AND_SHORTLIST)
        if lot is None:
            self.result.skipped.append("search-and-shortlist projects (no usable lot)")
            return
        value = _value(terms, Decimal("40000.00"))
        project = self.project(
            "Accessibility audit of the council website",
            "An audit of the website against WCAG 2.2 AA, with testing by disabled people.",
            value,
        )
        if project:
            project = self.choose_lot(project, lot)
        project = self.project(
            "Digital accessibility support for the library service",
            "Testing and remediation advice for the library's catalogue and booking pages.",
            value,
        )
        if project:
            project = self.choose_lot(project, lot)
            self.shortlist(project, lot)

    def shortlist(self, project: BuyingProject, lot: Lot) -> None:
        """Freeze the lot's search (narrowed when the lot has more than its limit), keep the
        first result and reject the rest with reasons."""
        limit = shortlist_selectors.lot_terms(lot, self.today).shortlist_limit
        query = self._narrowed_search(lot, limit)
        if query is None:
            self.result.skipped.append("a frozen shortlist (the lot's search is too wide)")
            return
        saved = saved_searches.create_saved_search(
            actor=self.staff.officer,
            organisation=self.staff.council,
            name=f"{lot.title} for the library",
            query_string=query,
        )
        shortlist = shortlist_services.freeze_shortlist(
            actor=self.staff.officer, project=project, saved_search=saved
        )
        for position, item in enumerate(shortlist.items.order_by("position")):
            shortlist_services.decide_item(
                actor=self.staff.officer,
                item=item,
                decision=ShortlistItem.Decision.KEPT
                if position == 0
                else (ShortlistItem.Decision.REJECTED),
                reason=""
                if position == 0
                else "Does not test with screen reader users, which the need asks for.",
            )

    def _narrowed_search(self, lot: Lot, limit: int) -> str | None:
        """The lot's search, narrowed as a buyer would, by what one of its live offerings is
        like (a word of its title, its price unit, an SME), until it can be frozen; None if
        it never can."""
        steps = [{"lot": lot.pk}]
        first = Offering.objects.filter(lot=lot, status=Offering.Status.LIVE).first()
        if first:
            steps += [{"q": first.title.split()[0]}, {"unit": first.price_unit}]
            if first.supplier.is_sme:
                steps.append({"sme": "yes"})
        query = {}
        for step in steps:
            query |= step
            if self._results(urlencode(query), lot, limit):
                return urlencode(query)
        return None

    def _results(self, query: str, lot: Lot, limit: int) -> int:
        """How many results the search has, if it could be frozen (within the limit, and every
        supplier one the council may call off today); else 0."""
        search = shortlist_selectors.run_search(
            query, organisation=self.staff.council, today=self.today, up_to=limit
        )
        if search.total > limit or shortlist_selectors.call_off_problems(
            suppliers={offering.supplier for offering in search.offerings},
            lot=lot,
            buyer=self.staff.council,
            on=self.today,
        ):
            return 0
        return search.total

    def rotation(self) -> None:
        lot, terms = self.lot(DirectAwardMethod.RANKED_ROTATION, ranked=True)
        if lot is None:
            self.result.skipped.append("ranked-rotation projects (no usable lot)")
            return
        below = _value(terms, Decimal("60000.00"))
        if below > SIGN_OFF_THRESHOLD:
            below = None
        above = _value(terms, SIGN_OFF_THRESHOLD * 2)
        scenarios = [
            ("Network monitoring for the council's offices", "standstill", below),
            ("Security testing of the new payments service", "awaiting sign-off", above),
            ("Hosting for the council's data warehouse", "sign-off refused", above),
            ("Hosting for the planning portal", "withdrawn", below),
            ("Hosting for the social care case records", "contracted", below),
        ]
        for title, state, value in scenarios:
            if value is None:
                self.result.skipped.append(f"{state} ({lot} has no value that fits)")
                continue
            project = self.project(title, f"{title}, for {TERM_MONTHS} months.", value)
            if project is None:
                continue
            project = self.choose_lot(project, lot)
            project = self.select_by_rotation(project, decline_first=state == "standstill")
            if state == "contracted":
                self.contract(project, value)
                continue
            award = self.award(
                project, value, sign_off=state not in ("awaiting sign-off", "sign-off refused")
            )
            if state == "standstill":
                self.notice(project, award, standstill=True)
            elif state == "sign-off refused":
                awards.refuse_sign_off(
                    actor=self.staff.approver,
                    award=award,
                    note="The data warehouse is being replaced next year: ask for 6 months only.",
                )
            elif state == "withdrawn":
                awards.withdraw_award(
                    actor=self.staff.officer,
                    award=award,
                    reason="The budget for the portal moved to next year.",
                )

    def late_details_notice(self) -> None:
        """A contract entered into 40 days ago whose contract details notice, due within 30
        days, was never recorded: the buyer's dashboard flags it as late."""
        lot, terms = self.lot(DirectAwardMethod.RANKED_ROTATION, ranked=True)
        value = _value(terms, Decimal("45000.00")) if lot else None
        if value is None or value > SIGN_OFF_THRESHOLD:
            self.result.skipped.append("a late contract details notice (no usable lot)")
            return
        project = self.project(
            "Backup and recovery for the council's systems",
            f"Offsite backup and tested recovery of the council's systems, for {TERM_MONTHS} "
            "months.",
            value,
        )
        if project is None:
            return
        project = self.select_by_rotation(self.choose_lot(project, lot))
        entered_on = self.today - timedelta(days=DETAILS_NOTICE_DAYS + 10)
        awarded_on = entered_on - timedelta(days=5)
        award = self.award(project, value, starts_on=entered_on)
        # The services date an award by the clock, and its notice and contract cannot come
        # before it: only the award's own timestamps are moved back, to the day a real late
        # case awarded. The notice and contract are then recorded by the services on their
        # past dates. The audit log keeps the day the demo ran: its chain is never rewritten.
        # Midday in London on that day: "now minus so many days" lands on the next day when it
        # crosses a clock change late in the evening.
        awarded_at = timezone.make_aware(datetime.combine(awarded_on, time(12)))
        Award.objects.filter(pk=award.pk).update(created_at=awarded_at, awarded_at=awarded_at)
        award.refresh_from_db()
        self.notice(project, award, published_on=awarded_on)
        self.enter(project, on=entered_on)

    def single_supplier(self) -> None:
        """A direct award to the one supplier appointed to a lot, through to its contract."""
        lot, terms = self.lot(DirectAwardMethod.SINGLE_SUPPLIER)
        if lot is None:
            self.result.skipped.append("a single-supplier award (no usable lot)")
            return
        value = _value(terms, Decimal("75000.00"))
        project = self.project(
            "Support for the revenues and benefits system",
            "Support, legislative updates and hosting for the council tax and benefits system.",
            value,
        )
        if project is None:
            return
        project = self.choose_lot(project, lot)
        supplier = rotation.single_supplier_appointment(project, on=self.today).supplier
        project = rotation.select_single_supplier(
            actor=self.staff.officer,
            project=project,
            reason=rotation.mechanism_reason(project, supplier),
        )
        award = self.award(project, value)
        self.notice(project, award)
        self.details_notice(self.enter(project))

    def pcr_2015(self) -> None:
        """A call-off from a framework procured under the Public Contracts Regulations 2015,
        still live: the award records those rules, so the Act's notices are not due."""
        lot, terms = self.lot(
            DirectAwardMethod.RANKED_ROTATION, ranked=True, regime=Regime.PCR_2015
        )
        if lot is None:
            self.result.skipped.append("a PCR 2015 call-off (no live PCR 2015 framework)")
            return
        value = _value(terms, Decimal("85000.00"))
        project = self.project(
            "Printing and posting the annual council tax bills",
            "Printing, enclosing and posting 220,000 council tax bills each March.",
            value,
        )
        if project is None:
            return
        project = self.select_by_rotation(self.choose_lot(project, lot))
        self.award(project, value)
        self.enter(project)

    def large_contract(self) -> None:
        """Over £5 million including VAT, where a ranked lot's band holds one."""
        wanted = Decimal("4500000.00")
        lot, terms = self.lot(DirectAwardMethod.RANKED_ROTATION, at_least=wanted, ranked=True)
        if lot is None:
            self.result.skipped.append("a contract over £5 million (no lot's band holds one)")
            return
        value = _value(terms, wanted)
        project = self.project(
            "Managed IT service for all council sites",
            "Service desk, devices and networks for every council site over the next year.",
            value,
        )
        if project is None:
            return
        project = self.choose_lot(project, lot)
        self.contract(self.select_by_rotation(project), value)

    def contract(self, project: BuyingProject, value: Decimal) -> None:
        """Awarded with three KPIs, entered into, its contract details notice recorded, the
        contract document published and a first performance assessment. It started 60 days
        ago, so there is a period to assess."""
        starts_on = self.today - timedelta(days=60)
        award = self.award(project, value, starts_on=starts_on, kpis=KPIS)
        self.notice(project, award)
        contract = self.details_notice(self.enter(project))
        contracts.publish_contract_document(
            actor=self.staff.officer,
            contract=contract,
            file=ContentFile(MINIMAL_PDF, name=f"{contract.reference}.pdf"),
        )
        apprentices = contract.award.kpis.get(title=KPIS[2]["title"])
        progress.report_kpi_progress(
            actor=_supplier_admin(contract.supplier),
            kpi=apprentices,
            period_start=starts_on,
            period_end=self.today,
            update="Two apprentices from the council's own area started on the service desk.",
            achieved="2 apprentices",
        )
        contracts.assess_performance(
            actor=self.staff.officer,
            contract=contract,
            period_start=starts_on,
            period_end=self.today,
            summary="A steady first two months: the service met its targets.",
            ratings={
                kpi.pk: ("good", "Met the target each month.")
                for kpi in contract.award.kpis.order_by("pk")
            },
        )


def _supplier_admin(supplier: Organisation):
    return (
        Membership.objects.filter(organisation=supplier, role=Role.SUPPLIER_ADMIN)
        .order_by("pk")
        .first()
        .user
    )


def build_calloffs(today: date | None = None) -> SeedResult | None:
    """The demo council's buying projects and contracts; None without a council with staff."""
    staff = _staff()
    if staff is None:
        return None
    return CalloffBuilder(staff, today or timezone.localdate()).build()
