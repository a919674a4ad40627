from datetime import date
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock
from frameworks import rules
from frameworks.admin.panels import LotQuestionsPanel
from frameworks.attributes import AttributeSchemaBlock, specs_from_stream
from frameworks.lifecycle import Lifecycle, status_from_dates
from frameworks.page_forms import ELIGIBILITY_FORM_FIELDS, FrameworkPageForm
from frameworks.regimes import FrameworkKind, Regime
from frameworks.terms import keep_live_terms
from marketplace.admin_widgets import DocumentChooser
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind
from marketplace.working_days import standstill_end

# Written only by services.suspend_framework and reinstate_framework. They say what the framework
# is now, not what one version of its content said, so no revision carries them.
SUSPENSION_FIELDS = ("is_suspended", "suspension_reason")


class FrameworkIndexPage(Page):
    """/frameworks/: every published framework, with filters."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["frameworks.AuthorityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("framework index page")

    def get_context(self, request, *args, **kwargs):
        from frameworks.views import framework_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(framework_index_context(request, self))
        return context


class AuthorityPage(Page):
    """One per regional authority: its frameworks live below it, and its staff edit only here."""

    authority = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="authority_page",
        limit_choices_to={"kind": OrganisationKind.AUTHORITY},
        verbose_name=_("authority"),
        help_text=_("The regional authority whose frameworks this section holds."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    # Only the service team may point a section at an authority: its staff could otherwise
    # move their section (and its frameworks' approval) to another authority.
    content_panels = [
        *Page.content_panels,
        FieldPanel("authority", permission="superuser"),
        FieldPanel("intro"),
    ]
    parent_page_types = ["frameworks.FrameworkIndexPage"]
    subpage_types = ["frameworks.FrameworkPage"]

    class Meta:
        verbose_name = _("authority page")

    def get_context(self, request, *args, **kwargs):
        from frameworks.views import authority_context

        context = super().get_context(request, *args, **kwargs)
        context.update(authority_context(request, self))
        return context


class Publication(models.TextChoices):
    """Whether the public sees a framework: read from Wagtail's columns and the suspension,
    changed only by frameworks.publishing and the suspension services (marketplace.state)."""

    DRAFT = "draft", _("Draft")  # never published
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    SUSPENDED = "suspended", _("Suspended")


class FrameworkPage(RoutablePageMixin, Page):
    """A framework agreement owned by one authority, with its lots, dates and rules."""

    reference = models.CharField(
        _("reference"),
        max_length=40,
        unique=True,
        help_text=_("The authority's own reference, like GMCA-ICT-2026. Shown to buyers."),
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("One or two sentences shown in listings.")
    )
    description = StreamField(
        BodyBlock(), verbose_name=_("description"), blank=True, help_text=_("The full scope.")
    )
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="frameworks",
        editable=False,
        verbose_name=_("owning authority"),
        help_text=_("Taken from the authority section the framework is created in."),
    )
    cpv_codes = ParentalManyToManyField(
        "frameworks.CpvCode",
        blank=True,
        related_name="frameworks",
        verbose_name=_("CPV codes"),
        help_text=_("The categories of work the framework covers."),
    )
    regime = models.CharField(
        _("procurement regime"),
        max_length=10,
        choices=Regime.choices,
        default=Regime.PROCUREMENT_ACT_2023,
        help_text=_(
            "The Public Contracts Regulations 2015 apply only to frameworks procured before "
            "24 February 2025; they keep their dates and are exempt from the Act's checks."
        ),
    )
    kind = models.CharField(
        _("kind of framework"),
        max_length=20,
        choices=FrameworkKind.choices,
        default=FrameworkKind.STANDARD,
        help_text=_(
            "Sets the legal limits: a standard framework lasts at most 4 years, a defence and "
            "security or utilities one at most 8; an open framework reopens to new suppliers "
            "(Procurement Act 2023 s.47 and s.49)."
        ),
    )
    longer_term_reason = models.TextField(
        _("reason for a term over 4 years"),
        blank=True,
        help_text=_(
            "Required when a defence and security or utilities framework lasts over 4 years."
        ),
    )
    award_notice_identifier = models.CharField(
        _("contract award notice identifier"),
        max_length=100,
        blank=True,
        help_text=_("The notice's identifier on the central digital platform."),
    )
    award_notice_published_on = models.DateField(
        _("contract award notice published"),
        null=True,
        blank=True,
        help_text=_(
            "The standstill of 8 working days runs from this day; the framework starts only "
            "after it ends (Procurement Act 2023 s.51)."
        ),
    )
    applications_open_on = models.DateField(_("applications open"))
    applications_close_on = models.DateField(_("applications close"))
    award_on = models.DateField(
        _("award decision"), help_text=_("When suppliers are told; standstill starts.")
    )
    starts_on = models.DateField(_("start date"), help_text=_("First day call-offs can be made."))
    ends_on = models.DateField(_("end date"), help_text=_("Last day call-offs can be made."))
    levy_rate = models.DecimalField(
        _("fee (% of call-off value)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(rules.MAX_LEVY_RATE)],
        help_text=_(
            "The framework's fee: a fixed percentage of the value of each call-off, 0 to 5 "
            "(Procurement Act 2023 s.45). Fixed at award."
        ),
    )
    allows_supplier_replacement = models.BooleanField(
        _("terms allow replacing a supplier"),
        default=False,
        help_text=_(
            "Tick only if the framework's terms let the authority appoint a supplier in place of "
            "an excluded one between awards. Otherwise suppliers join only at an award."
        ),
    )
    is_suspended = models.BooleanField(_("suspended"), default=False, editable=False)
    suspension_reason = models.TextField(_("reason for suspension"), blank=True, editable=False)

    search_fields = [
        *Page.search_fields,
        index.SearchField("reference"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("authority"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("reference"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cpv_codes"),
        InlinePanel("lots", heading=_("Lots"), label=_("Lot"), min_num=1),
    ]
    dates_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("regime"), FieldPanel("kind")])],
            heading=_("Which law applies"),
        ),
        FieldRowPanel([FieldPanel("applications_open_on"), FieldPanel("applications_close_on")]),
        FieldRowPanel([FieldPanel("award_on"), FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("longer_term_reason"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("award_notice_identifier"),
                        FieldPanel("award_notice_published_on"),
                    ]
                )
            ],
            heading=_("Contract award notice"),
        ),
        MultiFieldPanel(
            [InlinePanel("reopenings", heading=_("Reopening dates"), label=_("Reopening"))],
            heading=_("Open framework"),
        ),
    ]
    rules_panels = [
        FieldPanel("levy_rate"),
        FieldPanel("allows_supplier_replacement"),
        InlinePanel(
            "award_criteria",
            heading=_("Award criteria"),
            label=_("Award criterion"),
            help_text=_("Weightings add up to 100%. Fixed at award."),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in ELIGIBILITY_FORM_FIELDS],
            heading=_("Who can use this framework"),
            help_text=_(
                "Any organisation one of these rules admits may use the framework. With none, "
                "any buyer may."
            ),
        ),
        InlinePanel("documents", heading=_("Documents"), label=_("Document")),
        InlinePanel("contacts", heading=_("Contacts"), label=_("Contact")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(dates_panels, heading=_("Dates")),
            ObjectList(rules_panels, heading=_("Terms, eligibility and documents")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )

    base_form_class = FrameworkPageForm
    parent_page_types = ["frameworks.AuthorityPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    STATES = Publication
    STATE_FIELD = "publication"
    # Publishing a published or suspended framework publishes a new revision and leaves its
    # state as it was. A suspended framework stays published, labelled suspended so buyers see
    # why it takes no call-offs: it is reinstated before it can be unpublished. An unpublished
    # framework may be published again; only a published one may be suspended.
    TRANSITIONS = {
        Publication.DRAFT: frozenset({Publication.PUBLISHED}),
        Publication.PUBLISHED: frozenset(
            {Publication.PUBLISHED, Publication.UNPUBLISHED, Publication.SUSPENDED}
        ),
        Publication.SUSPENDED: frozenset({Publication.SUSPENDED, Publication.PUBLISHED}),
        Publication.UNPUBLISHED: frozenset({Publication.PUBLISHED}),
    }

    @property
    def owner_organisation_id(self) -> int | None:
        return self.authority_id

    def get_context(self, request, *args, **kwargs):
        from frameworks.views import framework_context

        context = super().get_context(request, *args, **kwargs)
        context.update(framework_context(request, self))
        return context

    @property
    def is_open_framework(self) -> bool:
        return self.kind == FrameworkKind.OPEN

    def scheme_periods(self) -> list[tuple[date, date]]:
        """(awarded, last day in force) for each framework in an open framework's scheme: a
        reopening's award replaces the framework before it (s.49). One period otherwise."""
        awards = self.award_dates()
        return rules.scheme_periods(awards, self.ends_on)

    def appointed_supplier_count(self) -> int:
        """Distinct suppliers ever appointed to the framework's lots (s.49 single supplier)."""
        if self.pk is None:
            return 0
        from frameworks.models.appointments import Appointment

        return (
            Appointment.objects.filter(lot__framework_id=self.pk)
            .values("supplier_id")
            .distinct()
            .count()
        )

    def standstill_ends_on(self) -> date | None:
        """Last day of the s.51 standstill, when the award notice is recorded."""
        if self.award_notice_published_on is None:
            return None
        return standstill_end(self.award_notice_published_on)

    def award_dates(self) -> list[date]:
        """The framework's award, then each reopening's award in order (open frameworks only):
        the days on which suppliers may be appointed."""
        reopening_awards = (
            sorted(r.award_on for r in self.reopenings.all() if r.award_on)
            if self.is_open_framework
            else []
        )
        return [self.award_on, *reopening_awards]

    def reopening_windows(self) -> list[tuple[date, date]]:
        return [(reopening.opens_on, reopening.closes_on) for reopening in self.reopenings.all()]

    def status_on(self, today: date) -> Lifecycle:
        return status_from_dates(
            today=today,
            applications_open_on=self.applications_open_on,
            applications_close_on=self.applications_close_on,
            award_on=self.award_on,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            reopenings=self.reopening_windows(),
            is_suspended=self.is_suspended,
        )

    @cached_property
    def status(self) -> Lifecycle:
        return self.status_on(timezone.localdate())

    @property
    def publication(self) -> Publication:
        if not self.live:
            return Publication.DRAFT if self.first_published_at is None else Publication.UNPUBLISHED
        return Publication.SUSPENDED if self.is_suspended else Publication.PUBLISHED

    def clean(self) -> None:
        super().clean()
        # Reopenings are inline rows the admin form checks; the rules needing them wait there.
        errors = rules.framework_errors(self, as_of=timezone.localdate())
        if self.slug and FrameworkPage.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
            errors["slug"] = _("Another framework already uses this slug: choose another")
        if errors:
            raise ValidationError(errors)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        for name in SUSPENSION_FIELDS:
            setattr(page, name, getattr(self, name))
        page.go_live_at = page.expire_at = None  # no scheduled publishing: see save()
        # After award the terms change only by a variation: no revision may carry them back.
        keep_live_terms(live=self, page=page)
        # An old revision may predate a lot that now has appointments: the editor and the
        # publish both start from here, so the lot stays on the page either way.
        page.keep_lots_with_records()
        return page

    def keep_lots_with_records(self) -> None:
        """Put back any lot with records that the pending lots leave out, so saving never
        deletes it: such a lot is closed, never removed (the editor's form says so first)."""
        pending = getattr(self, "_cluster_related_objects", {}).get("lots")
        if pending is None or self.pk is None:
            return
        dropped = list(
            lots_with_records(Lot.objects.filter(framework_id=self.pk)).exclude(
                pk__in=[lot.pk for lot in pending if lot.pk]
            )
        )
        if not dropped:
            return
        taken = {lot.number for lot in dropped}
        # A revision stores a lot added in it without its id: at a kept lot's number, that is
        # the kept lot as the revision knew it, so the lot as it stands wins.
        self.lots.remove(*[lot for lot in pending if lot.pk is None and lot.number in taken])
        # Any other lot from an old revision in a kept lot's place takes the next free number.
        next_number = max(taken | {lot.number for lot in pending}) + 1
        for lot in pending:
            if lot.number in taken:
                lot.number = next_number
                next_number += 1
        self.lots.add(*dropped)

    @transaction.atomic
    def save(self, *args, **kwargs) -> None:
        if not self.authority_id and self.path:
            self.authority = self.get_parent().specific.authority
        # Scheduled publishing is switched off for frameworks: publish_scheduled has no person
        # to check the rules for and answer for the publication (frameworks.publishing).
        self.go_live_at = self.expire_at = None
        if self.pk is not None and kwargs.get("update_fields") is None:
            # A whole-row save (publishing a revision, saving a draft) writes back a copy loaded
            # earlier. Re-read the suspension under the lock the suspend service takes, so a
            # suspension made since that copy was loaded is kept, not overwritten.
            live = (
                FrameworkPage.objects.select_for_update()
                .filter(pk=self.pk)
                .values_list(*SUSPENSION_FIELDS)
                .first()
            )
            if live is not None:
                for name, value in zip(SUSPENSION_FIELDS, live, strict=True):
                    setattr(self, name, value)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "lots" in update_fields:
            self.keep_lots_with_records()
        super().save(*args, **kwargs)

    def publish(self, revision, user=None, **kwargs):
        from frameworks.publishing import refuse_unless_through_service

        refuse_unless_through_service(user)
        return super().publish(revision, user=user, **kwargs)

    def unpublish(self, *args, user=None, **kwargs):
        from frameworks.publishing import refuse_unless_through_service

        refuse_unless_through_service(user)
        return super().unpublish(*args, user=user, **kwargs)

    @path("lots/<int:number>/", name="lot")
    def lot_view(self, request, number: int):
        from frameworks.views import lot_detail

        return lot_detail(request, framework=self, number=number)


class FrameworkReopening(Orderable):
    framework = ParentalKey(FrameworkPage, on_delete=models.CASCADE, related_name="reopenings")
    opens_on = models.DateField(_("reopens"))
    closes_on = models.DateField(_("closes"))
    award_on = models.DateField(
        _("reopening awarded"),
        help_text=_(
            "When the new framework from this reopening is awarded: new suppliers join then, "
            "and the previous framework in the scheme expires (Procurement Act 2023 s.49)."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on"), FieldPanel("award_on")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("reopening")


class FrameworkDocument(Orderable):
    framework = ParentalKey(FrameworkPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("PDF, Word, Excel, OpenDocument, CSV or text files only."),
    )
    title = models.CharField(
        _("link text"), max_length=200, blank=True, help_text=_("Defaults to the document title.")
    )

    panels = [FieldPanel("document", widget=DocumentChooser), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("framework document")

    @property
    def link_text(self) -> str:
        return self.title or self.document.title


class EligibilityRule(models.Model):
    """One rule for who may use a framework, as an indexed key (frameworks.eligibility says
    which keys there are). A child row of the page: revisions carry the rules and publishing
    writes them, so the rows are the live page's rules."""

    framework = ParentalKey(
        FrameworkPage,
        on_delete=models.CASCADE,
        related_name="eligibility_rules",
        verbose_name=_("framework"),
    )
    key = models.CharField(
        _("rule"),
        max_length=40,
        help_text=_("Like kind:buyer, kind:buyer:TLD, org:42, area:GMCA or councils:TLD."),
    )

    class Meta:
        verbose_name = _("eligibility rule")
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="eligibility_rule_unique")
        ]
        # "Frameworks with any of these keys" reads this index alone.
        indexes = [models.Index(fields=["key", "framework"], name="eligibility_rule_key")]

    def __str__(self) -> str:
        return self.key


class FrameworkContact(Orderable):
    framework = ParentalKey(FrameworkPage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name or team"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    telephone = models.CharField(_("telephone"), max_length=30, blank=True)

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("email"), FieldPanel("telephone")])]

    class Meta(Orderable.Meta):
        verbose_name = _("contact")


class Route(models.TextChoices):
    DIRECT_AWARD = "direct_award", _("Direct award")
    FURTHER_COMPETITION = "further_competition", _("Further competition")


class DirectAwardMethod(models.TextChoices):
    """How a lot's direct award picks its supplier (s.45(4)): set out in the framework."""

    SEARCH_AND_SHORTLIST = "search_shortlist", _("Search and shortlist")
    RANKED_ROTATION = "ranked_rotation", _("Ranked list with rotation")
    SINGLE_SUPPLIER = "single_supplier", _("Single supplier")


class Lot(Orderable, ClusterableModel):
    """A part of a framework with its own scope, value band, routes and offering questions."""

    framework = ParentalKey(FrameworkPage, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("lot number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cpv_codes = ParentalManyToManyField(
        "frameworks.CpvCode", blank=True, related_name="lots", verbose_name=_("CPV codes")
    )
    minimum_value = models.DecimalField(
        _("minimum call-off value (£)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    maximum_value = models.DecimalField(
        _("maximum call-off value (£)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    maximum_term_months = models.PositiveSmallIntegerField(
        _("maximum call-off term (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    allows_direct_award = models.BooleanField(_("direct award allowed"), default=False)
    allows_further_competition = models.BooleanField(_("further competition allowed"), default=True)
    allows_narrowed_invitations = models.BooleanField(
        _("further competition may be narrowed to suppliers capable of the work"),
        default=False,
        help_text=_(
            "The framework's selection process for further competition. Unticked, a buyer "
            "invites every supplier with an active appointment on the lot. Ticked, a buyer may "
            "invite only the suppliers capable of the work, recording the reason for leaving "
            "out each of the others."
        ),
    )
    direct_award_mechanism = models.TextField(
        _("objective direct-award mechanism"),
        blank=True,
        help_text=_(
            "How a buyer chooses a supplier without competition (Procurement Act 2023 s45): "
            "required when direct award is allowed, unless the lot has one supplier."
        ),
    )
    direct_award_method = models.CharField(
        _("direct-award method"),
        max_length=20,
        choices=DirectAwardMethod.choices,
        blank=True,
        help_text=_(
            "Which of the framework's mechanisms a direct award on this lot follows. "
            "Required when direct award is allowed."
        ),
    )
    rotation_period_days = models.PositiveSmallIntegerField(
        _("rotation period (days)"),
        default=0,
        validators=[MaxValueValidator(3650)],
        help_text=_(
            "Ranked list with rotation: how many days an awarded supplier waits at the bottom "
            "of the ranking before it returns to its ranked place."
        ),
    )
    offer_response_working_days = models.PositiveSmallIntegerField(
        _("working days to answer an offer"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Ranked list with rotation: how many working days a supplier has to accept or "
            "decline an offer before it lapses and the next supplier is offered."
        ),
    )
    shortlist_limit = models.PositiveSmallIntegerField(
        _("shortlist limit"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("How many search results a buyer's frozen shortlist may hold."),
    )
    attribute_schema = StreamField(
        AttributeSchemaBlock(),
        blank=True,
        verbose_name=_("offering questions"),
        help_text=_("What every offering on this lot must say about itself, and how."),
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("description"),
        FieldPanel("cpv_codes"),
        FieldRowPanel(
            [
                FieldPanel("minimum_value"),
                FieldPanel("maximum_value"),
                FieldPanel("maximum_term_months"),
            ]
        ),
        FieldRowPanel(
            [FieldPanel("allows_direct_award"), FieldPanel("allows_further_competition")]
        ),
        FieldPanel("allows_narrowed_invitations"),
        FieldPanel("direct_award_mechanism"),
        FieldPanel("direct_award_method"),
        FieldRowPanel(
            [
                FieldPanel("shortlist_limit"),
                FieldPanel("rotation_period_days"),
                FieldPanel("offer_response_working_days"),
            ]
        ),
        # Edited on their own page: a question editor per lot made this page slow to open.
        LotQuestionsPanel(),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="lot_unique_number")
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"

    @property
    def owner_organisation_id(self) -> int | None:
        return self.framework.authority_id

    @property
    def routes(self) -> list[Route]:
        return [
            route
            for route, allowed in (
                (Route.DIRECT_AWARD, self.allows_direct_award),
                (Route.FURTHER_COMPETITION, self.allows_further_competition),
            )
            if allowed
        ]

    def attributes(self):
        return specs_from_stream(self.attribute_schema)

    @property
    def current_closure(self):
        """The lot's LotClosure, or None while it is open."""
        try:
            return self.closure
        except ObjectDoesNotExist:
            return None

    @property
    def is_closed(self) -> bool:
        return self.current_closure is not None

    def active_supplier_count(self) -> int:
        if not self.pk:
            return 0
        return self.appointments.filter(status="active").count()

    def clean(self) -> None:
        super().clean()
        errors = rules.errors_for_lot(self)
        if errors:
            raise ValidationError(errors)


def lots_with_records(lots: QuerySet[Lot]) -> QuerySet[Lot]:
    """The lots that other records point at: appointments, offerings, a closure, and whatever
    later records protect a lot from deletion. Removing one would lose that history."""
    held = Q()
    for relation in Lot._meta.related_objects:
        if relation.on_delete is models.PROTECT:
            records = relation.related_model._base_manager.filter(
                **{relation.field.name: OuterRef("pk")}
            )
            held |= Exists(records)
    return lots.filter(held)
