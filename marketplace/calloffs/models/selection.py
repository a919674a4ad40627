"""How a direct award picks its supplier: a frozen shortlist, or offers down a ranked list."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suppliers.models import PriceUnit, VatTreatment

from .projects import MONEY


class Shortlist(models.Model):
    """A saved search on the project's lot, ended and frozen: its results as they stood."""

    project = models.OneToOneField(
        "calloffs.BuyingProject",
        on_delete=models.PROTECT,
        related_name="shortlist",
        verbose_name=_("buying project"),
    )
    saved_search = models.ForeignKey(
        "calloffs.SavedSearch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shortlists",
        verbose_name=_("saved search"),
        help_text=_("The search that was frozen. Its copy below stays if it is deleted."),
    )
    query_string = models.TextField(
        _("search parameters"), blank=True, help_text=_("The search as frozen.")
    )
    description = models.TextField(
        _("the search in words"),
        help_text=_("Like “12 offerings for ‘grounds maintenance’ on Lot 2 of …”."),
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")

    def __str__(self) -> str:
        return f"Shortlist for {self.project}"

    @property
    def owner_organisation_id(self) -> int:
        return self.project.organisation_id


class ShortlistItem(models.Model):
    """One frozen result: the offering, the revision and the price it had when frozen."""

    class Decision(models.TextChoices):
        UNDECIDED = "undecided", _("Not decided")
        KEPT = "kept", _("Kept")
        REJECTED = "rejected", _("Rejected")

    shortlist = models.ForeignKey(
        Shortlist, on_delete=models.CASCADE, related_name="items", verbose_name=_("shortlist")
    )
    position = models.PositiveSmallIntegerField(_("position in the results"))
    offering = models.ForeignKey(
        "suppliers.Offering", on_delete=models.PROTECT, related_name="+", verbose_name=_("offering")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision"),
        help_text=_("The offering's published revision when frozen."),
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supplier"),
    )
    supplier_name = models.CharField(_("supplier name"), max_length=200)
    offering_reference = models.CharField(_("offering reference"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    price = models.DecimalField(_("price (£)"), **MONEY)
    price_unit = models.CharField(_("price unit"), max_length=12, choices=PriceUnit.choices)
    vat_treatment = models.CharField(
        _("VAT"), max_length=12, choices=VatTreatment.choices, blank=True
    )
    comparable_price = models.DecimalField(
        _("comparable price (£, excluding VAT)"), **MONEY, null=True, blank=True
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.UNDECIDED
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why it was rejected (required), or kept.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("shortlist item")
        verbose_name_plural = _("shortlist items")
        ordering = ["shortlist", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "position"], name="shortlist_item_unique_position"
            ),
            models.UniqueConstraint(
                fields=["shortlist", "offering"], name="shortlist_item_unique_offering"
            ),
            models.CheckConstraint(
                condition=~Q(decision="rejected") | ~Q(reason=""),
                name="shortlist_item_rejection_has_reason",
                violation_error_message=_("Give a reason for rejecting this item"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title} ({self.supplier_name})"


class RotationOffer(models.Model):
    """A ranked-list direct award offered to one supplier: accepted, declined or lapsed."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        LAPSED = "lapsed", _("Lapsed")

    TRANSITIONS = {
        Status.OFFERED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.LAPSED}),
        Status.ACCEPTED: frozenset(),
        Status.DECLINED: frozenset(),
        Status.LAPSED: frozenset(),
    }

    project = models.ForeignKey(
        "calloffs.BuyingProject",
        on_delete=models.PROTECT,
        related_name="rotation_offers",
        verbose_name=_("buying project"),
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="rotation_offers",
        verbose_name=_("supplier"),
    )
    rank = models.PositiveSmallIntegerField(_("rank when offered"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    offered_at = models.DateTimeField(_("offered"))
    respond_by = models.DateField(
        _("answer by"), help_text=_("The last working day to answer, from the lot's terms.")
    )
    reason = models.TextField(_("reason for declining"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("rotation offer")
        verbose_name_plural = _("rotation offers")
        ordering = ["project", "offered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "supplier"], name="rotation_offer_once_per_supplier"
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="offered"),
                name="rotation_offer_one_open_per_project",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="rotation_offer_decline_has_reason",
                violation_error_message=_("Give a reason for declining"),
            ),
        ]

    def __str__(self) -> str:
        return f"Offer of {self.project} to {self.supplier}"

    @property
    def owner_organisation_id(self) -> int:
        return self.project.organisation_id
