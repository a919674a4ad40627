"""Awards, the contracts they lead to, and what the Procurement Act 2023 asks of both.

An award is made from the project's selection. Under the Act its contract award notice (UK6)
is published on the central platform and the buyer records its identifier here; a voluntary
standstill, once the notice states one, binds. Entering into the contract creates the
register's Contract and the data of the contract details notice (UK7).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.models import DirectAwardMethod, Route

from .projects import MONEY


class RulesApplied(models.TextChoices):
    """Which rules a call-off followed, recorded at award and shown on the contract page."""

    PROCUREMENT_ACT_2023 = "pa2023", _("Procurement Act 2023")
    PCR_2015 = "pcr2015", _("Public Contracts Regulations 2015 (the framework's regime)")
    DEVOLVED_SCOTTISH = (
        "devolved_scottish",
        _("Procurement Reform (Scotland) Act 2014 (a devolved Scottish authority)"),
    )


class Award(models.Model):
    """The decision to award the project's contract to its selected supplier."""

    class Status(models.TextChoices):
        AWAITING_SIGN_OFF = "awaiting_sign_off", _("Awaiting sign-off")
        AWARDED = "awarded", _("Awarded")
        SIGN_OFF_REFUSED = "sign_off_refused", _("Sign-off refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CONTRACTED = "contracted", _("Contract entered into")

    TRANSITIONS = {
        Status.AWAITING_SIGN_OFF: frozenset(
            {Status.AWARDED, Status.SIGN_OFF_REFUSED, Status.WITHDRAWN}
        ),
        Status.AWARDED: frozenset({Status.WITHDRAWN, Status.CONTRACTED}),
        Status.SIGN_OFF_REFUSED: frozenset(),
        Status.WITHDRAWN: frozenset(),
        Status.CONTRACTED: frozenset(),
    }
    # The statuses in which an award stands: a project has at most one such award.
    STANDING = (Status.AWAITING_SIGN_OFF, Status.AWARDED, Status.CONTRACTED)

    project = models.ForeignKey(
        "calloffs.BuyingProject",
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("buying project"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_SIGN_OFF
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    direct_award_method = models.CharField(
        _("direct-award mechanism"), max_length=20, choices=DirectAwardMethod.choices, blank=True
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="awards_won",
        verbose_name=_("supplier"),
    )
    offering = models.ForeignKey(
        "suppliers.Offering",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offering"),
    )
    shortlist_item = models.ForeignKey(
        "calloffs.ShortlistItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("shortlist item"),
        help_text=_("Search and shortlist: the kept item awarded. The database refuses any other."),
    )
    rotation_offer = models.ForeignKey(
        "calloffs.RotationOffer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("accepted offer"),
    )
    selection_reason = models.TextField(
        _("reason for the selection"),
        help_text=_("Why this supplier, against the framework's selection mechanism (s.45(4))."),
    )
    rules_applied = models.CharField(
        _("rules applied"), max_length=20, choices=RulesApplied.choices
    )
    is_light_touch = models.BooleanField(
        _("light-touch contract"),
        default=False,
        help_text=_(
            "Light-touch contracts have 120 days, not 30, for the contract details notice."
        ),
    )
    description = models.TextField(_("contract description"), max_length=5_000)
    value = models.DecimalField(
        _("contract value (£, excluding VAT)"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    value_including_vat = models.DecimalField(
        _("contract value (£, including VAT)"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    starts_on = models.DateField(_("contract start date"))
    ends_on = models.DateField(_("contract end date"))
    kpi_none_reason = models.TextField(
        _("reason for setting no key performance indicators"),
        blank=True,
        help_text=_(
            "Contracts over £5 million including VAT, unless light-touch, need at least three "
            "KPIs (s.52) or a reason for setting none, which the contract details notice gives."
        ),
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("awarded by"),
    )
    created_at = models.DateTimeField(_("made"), default=timezone.now, editable=False)
    needs_sign_off = models.BooleanField(_("needs sign-off"), default=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    sign_off_note = models.TextField(
        _("sign-off note"), blank=True, help_text=_("Required when sign-off is refused.")
    )
    awarded_at = models.DateTimeField(
        _("awarded"), null=True, blank=True, help_text=_("When the award took effect.")
    )
    notice_identifier = models.CharField(
        _("contract award notice identifier"),
        max_length=60,
        blank=True,
        help_text=_("The UK6 notice's identifier on the central digital platform."),
    )
    notice_published_on = models.DateField(_("notice published"), null=True, blank=True)
    standstill_stated = models.BooleanField(
        _("notice states a voluntary standstill"),
        default=False,
        help_text=_("Optional for call-offs; once the notice states one, it binds."),
    )
    standstill_ends_on = models.DateField(
        _("standstill ends"),
        null=True,
        blank=True,
        help_text=_("At least 8 working days from the notice's publication."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["project", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=["awaiting_sign_off", "awarded", "contracted"]),
                name="award_one_standing_per_project",
                violation_error_message=_("This project already has an award"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="award_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date"),
            ),
            models.CheckConstraint(
                condition=Q(value_including_vat__gte=F("value")),
                name="award_value_including_vat_not_below_value",
            ),
            # The signer is never the person who made the award (separation of duties).
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True) | ~Q(signed_off_by=F("awarded_by")),
                name="award_signed_off_by_another",
                violation_error_message=_(
                    "An award cannot be signed off by the person who made it"
                ),
            ),
            models.CheckConstraint(
                condition=~Q(direct_award_method="search_shortlist")
                | Q(shortlist_item__isnull=False),
                name="award_shortlist_method_names_item",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="award_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Award of {self.project} to {self.supplier}"

    @property
    def owner_organisation_id(self) -> int:
        return self.project.organisation_id


class KeyPerformanceIndicator(models.Model):
    """A KPI set at award (s.52), or a social value commitment from a winning bid."""

    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("award")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("indicator"), max_length=200, help_text=_("What is measured."))
    target = models.CharField(
        _("target"), max_length=200, help_text=_("Like “95% of requests answered in 2 days”.")
    )
    is_social_value = models.BooleanField(_("social value commitment"), default=False)

    class Meta:
        verbose_name = _("key performance indicator")
        verbose_name_plural = _("key performance indicators")
        ordering = ["award", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Contract(models.Model):
    """A call-off contract in the public contracts register."""

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, help_text=_("Like CT-2026-000123.")
    )
    award = models.OneToOneField(
        Award, on_delete=models.PROTECT, related_name="contract", verbose_name=_("award")
    )
    # Denormalised from the award and project so that the register filters without joins.
    project = models.OneToOneField(
        "calloffs.BuyingProject",
        on_delete=models.PROTECT,
        related_name="contract",
        verbose_name=_("buying project"),
    )
    buyer = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="contracts_bought",
        verbose_name=_("buyer"),
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="contracts_supplied",
        verbose_name=_("supplier"),
    )
    framework = models.ForeignKey(
        "frameworks.FrameworkPage",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("framework"),
    )
    lot = models.ForeignKey(
        "frameworks.Lot", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("lot")
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    value = models.DecimalField(_("value (£, excluding VAT)"), **MONEY)
    value_including_vat = models.DecimalField(_("value (£, including VAT)"), **MONEY)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    entered_into_on = models.DateField(_("entered into"))
    entered_into_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered into by"),
    )
    details_notice_due_on = models.DateField(
        _("contract details notice due"),
        null=True,
        blank=True,
        help_text=_("30 days after entry, or 120 for light-touch contracts. Blank: not required."),
    )
    details_notice_identifier = models.CharField(
        _("contract details notice identifier"), max_length=60, blank=True
    )
    details_notice_published_on = models.DateField(
        _("contract details notice published"), null=True, blank=True
    )
    contract_document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contract document"),
        help_text=_("Published for contracts over £5 million including VAT (s.53(3))."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-entered_into_on", "-pk"]
        indexes = [
            models.Index(fields=["buyer", "-entered_into_on"]),
            models.Index(fields=["supplier", "-entered_into_on"]),
            models.Index(fields=["framework", "-entered_into_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def owner_organisation_id(self) -> int:
        return self.buyer_id


class PerformanceAssessment(models.Model):
    """A buyer's assessment of a contract's performance against its KPIs (s.71), published."""

    class Rating(models.TextChoices):
        GOOD = "good", _("Good")
        APPROACHING_TARGET = "approaching_target", _("Approaching target")
        REQUIRES_IMPROVEMENT = "requires_improvement", _("Requires improvement")
        INADEQUATE = "inadequate", _("Inadequate")

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("contract")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    summary = models.TextField(_("summary"), max_length=5_000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("performance assessment")
        verbose_name_plural = _("performance assessments")
        ordering = ["contract", "-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="assessment_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.contract} to {self.period_end}"


class KpiRating(models.Model):
    """One KPI's rating in an assessment."""

    assessment = models.ForeignKey(
        PerformanceAssessment,
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("assessment"),
    )
    kpi = models.ForeignKey(
        KeyPerformanceIndicator,
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("KPI"),
    )
    rating = models.CharField(
        _("rating"), max_length=24, choices=PerformanceAssessment.Rating.choices
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2_000)

    class Meta:
        verbose_name = _("KPI rating")
        verbose_name_plural = _("KPI ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kpi"], name="kpi_rating_once")
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.get_rating_display()}"
