"""A buying project: one buyer organisation's need, taken from a lot to a contract."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.models import DirectAwardMethod, Route
from marketplace.organisations.roles import OrganisationKind

MONEY = {"max_digits": 14, "decimal_places": 2}


class BuyingProject(models.Model):
    """What a buyer wants, the lot and route chosen for it, and the supplier selected.

    The selection (supplier, and the offering, shortlist item or rotation offer it came from)
    is what the award step awards; withdrawing an award keeps it, so the buyer can award again.
    """

    class Status(models.TextChoices):
        PREPARING = "preparing", _("In progress")
        AWARDED = "awarded", _("Awarded")
        CONTRACTED = "contracted", _("Contract entered into")
        CANCELLED = "cancelled", _("Cancelled")

    # Awarding and withdrawing move the project with its award; entering into the contract ends it.
    TRANSITIONS = {
        Status.PREPARING: frozenset({Status.AWARDED, Status.CANCELLED}),
        Status.AWARDED: frozenset({Status.PREPARING, Status.CONTRACTED}),
        Status.CONTRACTED: frozenset(),
        Status.CANCELLED: frozenset(),
    }

    reference = models.CharField(
        _("reference"),
        max_length=20,
        unique=True,
        help_text=_("The project's reference, like BP-2026-000123: quote it to colleagues."),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="buying_projects",
        limit_choices_to={"kind": OrganisationKind.BUYER},
        verbose_name=_("buyer"),
        help_text=_("The buyer organisation that runs the project; all its members can see it."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("What is being bought."))
    need = models.TextField(
        _("the need"),
        max_length=5_000,
        help_text=_("What the organisation needs and why, in plain words."),
    )
    estimated_value = models.DecimalField(
        _("estimated value (£, excluding VAT)"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The whole contract's estimated value, excluding VAT."),
    )
    estimated_term_months = models.PositiveSmallIntegerField(
        _("estimated term (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_(
            "How long the contract is expected to run: a lot's maximum term must allow it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="buying_projects_created",
        verbose_name=_("started by"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="buying_projects",
        verbose_name=_("colleagues"),
        help_text=_("Members of the same organisation who may work on the project."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARING
    )
    lot = models.ForeignKey(
        "frameworks.Lot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buying_projects",
        verbose_name=_("lot"),
        help_text=_("The framework lot the project calls off from."),
    )
    route = models.CharField(
        _("route"),
        max_length=20,
        choices=Route.choices,
        blank=True,
        help_text=_("Direct award or further competition, as the lot allows."),
    )
    direct_award_method = models.CharField(
        _("direct-award mechanism"),
        max_length=20,
        choices=DirectAwardMethod.choices,
        blank=True,
        help_text=_("The lot's mechanism when the route was chosen, recorded as it was followed."),
    )
    selected_supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("selected supplier"),
    )
    selected_offering = models.ForeignKey(
        "suppliers.Offering",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("selected offering"),
    )
    selected_shortlist_item = models.ForeignKey(
        "calloffs.ShortlistItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("selected shortlist item"),
        help_text=_("Search and shortlist: the kept item chosen. The database refuses any other."),
    )
    selected_rotation_offer = models.ForeignKey(
        "calloffs.RotationOffer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted offer"),
    )
    selection_reason = models.TextField(
        _("reason for the selection"),
        blank=True,
        help_text=_("Why this supplier, against the framework's selection mechanism (s.45(4))."),
    )
    selected_at = models.DateTimeField(_("selected"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("buying project")
        verbose_name_plural = _("buying projects")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id


class BuyerSettings(models.Model):
    """A buyer organisation's own rules for call-offs."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="buyer_settings",
        limit_choices_to={"kind": OrganisationKind.BUYER},
        verbose_name=_("organisation"),
    )
    approval_threshold = models.DecimalField(
        _("sign-off threshold (£, excluding VAT)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Awards above this value need an approver's sign-off, by someone other than the "
            "person who made the award. Blank: no award needs sign-off."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("buyer settings")
        verbose_name_plural = _("buyer settings")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id
