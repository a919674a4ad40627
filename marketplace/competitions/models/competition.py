"""A further competition's brief: the requirements, the quality criteria refined from the
framework's award criteria, the price/quality split and the deadlines; and the suppliers
invited to bid."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.models import SocialValueTheme

REQUIREMENTS_MAX_LENGTH = 20_000
CRITERION_DESCRIPTION_MAX_LENGTH = 5_000


def new_sealing_salt() -> str:
    return secrets.token_hex(16)


class PriceFormula(models.TextChoices):
    LOWEST_PRICE_OVER_BID_PRICE = (
        "lowest_price_over_bid_price",
        _("Lowest price divided by the bid's price, times the price weight"),
    )


class Competition(models.Model):
    """One buying project's further competition, from its brief to the award."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for bids")
        CLOSED = "closed", _("Closed for bids")
        EVALUATED = "evaluated", _("Evaluated")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    # The brief is written while draft; inviting suppliers opens it; the submission deadline
    # closes it; moderated scores for every bid evaluate it.
    TRANSITIONS = {
        Status.DRAFT: frozenset({Status.OPEN, Status.CANCELLED}),
        Status.OPEN: frozenset({Status.CLOSED, Status.CANCELLED}),
        Status.CLOSED: frozenset({Status.EVALUATED, Status.CANCELLED}),
        Status.EVALUATED: frozenset({Status.AWARDED, Status.CANCELLED}),
        Status.AWARDED: frozenset(),
        Status.CANCELLED: frozenset(),
    }

    project = models.OneToOneField(
        "calloffs.BuyingProject",
        on_delete=models.PROTECT,
        related_name="competition",
        verbose_name=_("buying project"),
        help_text=_("The buying project whose route is further competition."),
    )
    requirements = models.TextField(
        _("requirements"),
        max_length=REQUIREMENTS_MAX_LENGTH,
        blank=True,
        help_text=_("What the supplier must deliver, as the invited suppliers will read it."),
    )
    price_weight = models.PositiveSmallIntegerField(
        _("price weight (%)"),
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the total mark given to price, 0 to 100; quality has the rest."),
    )
    price_formula = models.CharField(
        _("price formula"),
        max_length=40,
        choices=PriceFormula.choices,
        default=PriceFormula.LOWEST_PRICE_OVER_BID_PRICE,
        help_text=_("How a bid's price is turned into its price mark."),
    )
    clarification_deadline = models.DateTimeField(
        _("deadline for questions"),
        null=True,
        blank=True,
        help_text=_("Suppliers may ask questions until this time (London time)."),
    )
    submission_deadline = models.DateTimeField(
        _("deadline for bids"),
        null=True,
        blank=True,
        help_text=_(
            "Bids stay sealed until this time (London time); a bid at or after it is late."
        ),
    )
    voluntary_standstill = models.BooleanField(
        _("voluntary standstill"),
        default=False,
        help_text=_("Once stated, the buyer waits out a standstill before the contract."),
    )
    sealing_salt = models.CharField(
        _("sealing salt"),
        max_length=32,
        default=new_sealing_salt,
        editable=False,
        help_text=_("Random per competition; with the service's master key, derives its key."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    opened_at = models.DateTimeField(
        _("bids opened"), null=True, blank=True, help_text=_("When the bids were opened.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("further competition")
        verbose_name_plural = _("further competitions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_weight__gte=0, price_weight__lte=100),
                name="competition_price_weight_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(clarification_deadline__isnull=True)
                | Q(submission_deadline__isnull=True)
                | Q(clarification_deadline__lt=F("submission_deadline")),
                name="competition_questions_close_before_bids",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Further competition for %(project)s") % {"project": self.project})

    @property
    def owner_organisation_id(self) -> int:
        return self.project.organisation_id

    @property
    def quality_weight(self) -> int:
        return 100 - self.price_weight


class CompetitionCriterion(models.Model):
    """One of the framework's award criteria as the competition refines it: its description
    and weighting may change, its title and social value theme may not."""

    competition = models.ForeignKey(
        Competition,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("competition"),
    )
    # A variation replaces the framework's criterion rows; the copied title keeps the record.
    framework_criterion = models.ForeignKey(
        "frameworks.AwardCriterion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("framework criterion"),
        help_text=_("The framework's award criterion this refines."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("The criterion's place in the framework's list.")
    )
    title = models.CharField(
        _("criterion"), max_length=200, help_text=_("The framework criterion's title.")
    )
    description = models.TextField(
        _("description"),
        max_length=CRITERION_DESCRIPTION_MAX_LENGTH,
        blank=True,
        help_text=_("What this competition assesses under the criterion, and how."),
    )
    weighting = models.PositiveSmallIntegerField(
        _("weighting (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the quality mark, 0 to 100. The weightings add up to 100."),
    )
    framework_weighting = models.PositiveSmallIntegerField(
        _("framework's weighting (%)"),
        help_text=_("The weighting the framework's terms give the criterion, for reference."),
    )
    social_value_theme = models.CharField(
        _("social value theme"),
        max_length=20,
        choices=SocialValueTheme.choices,
        blank=True,
        default=SocialValueTheme.NONE,
        help_text=_("Copied from the framework's criterion."),
    )

    class Meta:
        verbose_name = _("competition criterion")
        verbose_name_plural = _("competition criteria")
        ordering = ["competition", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "position"], name="competition_criterion_position_unique"
            ),
            models.UniqueConstraint(
                fields=["competition", "framework_criterion"],
                name="competition_criterion_once_per_framework_criterion",
            ),
            models.CheckConstraint(
                condition=Q(weighting__gte=0, weighting__lte=100),
                name="competition_criterion_weighting_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.weighting}%)"

    @property
    def is_social_value(self) -> bool:
        return bool(self.social_value_theme)


class Invitation(models.Model):
    """A supplier on the lot: invited to bid, left out by the buyer (with the reason), or not
    invitable because a rule bars it (the reason is the rule's)."""

    competition = models.ForeignKey(
        Competition,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("competition"),
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="competition_invitations",
        verbose_name=_("supplier"),
    )
    invited = models.BooleanField(_("invited"), help_text=_("Whether the supplier may bid."))
    barred = models.BooleanField(
        _("not invitable"),
        default=False,
        help_text=_("The supplier could not be invited: its appointment or the debarment list."),
    )
    reason_left_out = models.TextField(
        _("reason left out"),
        max_length=2_000,
        blank=True,
        help_text=_("Why the supplier was not invited."),
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["competition", "supplier__legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "supplier"], name="invitation_one_per_supplier"
            ),
            models.CheckConstraint(
                condition=Q(invited=True, barred=False, reason_left_out="")
                | (Q(invited=False) & ~Q(reason_left_out="")),
                name="invitation_left_out_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} ({'invited' if self.invited else 'not invited'})"


class Clarification(models.Model):
    """A supplier's question, and the buyer's answer published to every invited supplier.
    Who asked is never shown to other suppliers."""

    competition = models.ForeignKey(
        Competition,
        on_delete=models.CASCADE,
        related_name="clarifications",
        verbose_name=_("competition"),
    )
    asked_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
        help_text=_("The supplier that asked: never shown to other suppliers."),
    )
    asked_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by (person)"),
    )
    question = models.TextField(_("question"), max_length=5_000)
    asked_at = models.DateTimeField(_("asked"), default=timezone.now, editable=False)
    published_question = models.TextField(
        _("question as published"),
        max_length=5_000,
        blank=True,
        help_text=_("The question reworded for publication, so it does not name the asker."),
    )
    answer = models.TextField(_("answer"), max_length=10_000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_("When the answer was published to every invited supplier."),
    )

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["competition", "asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (~Q(answer="") & Q(answered_by__isnull=False)),
                name="clarification_published_with_answer",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Clarification %(pk)s") % {"pk": self.pk})

    @property
    def question_as_published(self) -> str:
        return self.published_question or self.question
