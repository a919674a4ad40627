"""Supplier profiles and the offerings suppliers list on the lots they are appointed to."""

import secrets
from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin

from marketplace.organisations.models import Organisation, Region
from marketplace.organisations.roles import OrganisationKind

from .pricing import (
    MAXIMUM_PRICE,
    ComparablePrice,
    PriceUnit,
    VatTreatment,
    comparable_price,
)


class Accreditation(models.TextChoices):
    CYBER_ESSENTIALS = "cyber_essentials", _("Cyber Essentials")
    CYBER_ESSENTIALS_PLUS = "cyber_essentials_plus", _("Cyber Essentials Plus")
    ISO_27001 = "iso_27001", _("ISO/IEC 27001 (information security)")
    ISO_9001 = "iso_9001", _("ISO 9001 (quality management)")
    ISO_14001 = "iso_14001", _("ISO 14001 (environmental management)")
    ISO_45001 = "iso_45001", _("ISO 45001 (health and safety)")
    REAL_LIVING_WAGE = "real_living_wage", _("Real Living Wage employer")
    CQC_REGISTERED = "cqc_registered", _("Registered with the Care Quality Commission")


class SupplierProfile(models.Model):
    """What a supplier tells every framework about itself, once."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="supplier_profile",
        limit_choices_to={"kind": OrganisationKind.SUPPLIER},
        verbose_name=_("organisation"),
    )
    description = models.TextField(
        _("about the organisation"),
        blank=True,
        help_text=_("What you do and for whom, in plain English. Shown on your public profile."),
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(
        _("contact name"),
        max_length=100,
        blank=True,
        help_text=_("The person or team buyers should ask for. Shown on your public profile."),
    )
    contact_email = models.EmailField(
        _("contact e-mail address"),
        blank=True,
        help_text=_("Where buyers can write to you. Shown on your public profile."),
    )
    headcount = models.PositiveIntegerField(
        _("number of staff"),
        help_text=_("Full-time equivalent staff, including those of any parent company."),
    )
    annual_turnover = models.DecimalField(
        _("annual turnover (£)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("From your latest accounts."),
    )
    balance_sheet_total = models.DecimalField(
        _("balance sheet total (£)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Optional. From your latest accounts."),
    )
    regions_served = models.JSONField(
        _("regions served"), default=list, blank=True, help_text=_("ITL1 region codes.")
    )
    accreditations = models.JSONField(
        _("accreditations"), default=list, blank=True, help_text=_("Accreditation codes.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id

    def region_labels(self) -> list[str]:
        return [Region(code).label for code in self.regions_served if code in Region.values]

    def accreditation_labels(self) -> list[str]:
        return [
            Accreditation(code).label
            for code in self.accreditations
            if code in Accreditation.values
        ]


OFFERING_REFERENCE_PREFIX = "OF-"
# Crockford's base 32: digits and capitals without I, L, O and U, so a reference read aloud
# or copied by hand is not misread. Six characters give about a billion references.
OFFERING_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
OFFERING_REFERENCE_LENGTH = 6


MAX_LEAD_TIME_DAYS = 365


def new_offering_reference() -> str:
    """A fresh public reference like OF-7K3M9Q: random, so references reveal no count."""
    code = "".join(
        secrets.choice(OFFERING_REFERENCE_ALPHABET) for _ in range(OFFERING_REFERENCE_LENGTH)
    )
    return f"{OFFERING_REFERENCE_PREFIX}{code}"


class Offering(DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """A supplier's listing on one lot.

    The row holds the live (approved) version once the offering has been published; edits are
    saved as revisions and only reach the row when a reviewer of the owning authority approves
    them, so buyers keep seeing the approved version meanwhile.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        LIVE = "live", _("Live")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
        # Approved, or rejected back to draft, or withdrawn by the supplier.
        Status.SUBMITTED: frozenset({Status.LIVE, Status.DRAFT, Status.WITHDRAWN}),
        # A live offering stays live while a revised version is submitted, approved or
        # rejected: each decision is still a move, audited like the others.
        Status.LIVE: frozenset({Status.LIVE, Status.WITHDRAWN}),
        Status.WITHDRAWN: frozenset(),
    }

    # The offering's own fields a supplier fills in, declared once: the portal form, the import
    # template and the export all show them in this order, then one per lot question.
    SUPPLIER_FIELDS = (
        "title",
        "summary",
        "description",
        "price",
        "price_unit",
        "vat_treatment",
        "minimum_contract_value",
        "regions_served",
        "lead_time_days",
    )
    TEXT_FIELDS = ("title", "summary", "description")
    # Fields a supplier writes; everything else on the row is kept by the service layer.
    CONTENT_FIELDS = (*SUPPLIER_FIELDS, "attributes", "service_definition")

    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="offerings",
        limit_choices_to={"kind": OrganisationKind.SUPPLIER},
        verbose_name=_("supplier"),
    )
    lot = models.ForeignKey(
        "frameworks.Lot",
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("lot"),
    )
    reference = models.CharField(
        _("reference"),
        max_length=len(OFFERING_REFERENCE_PREFIX) + OFFERING_REFERENCE_LENGTH,
        unique=True,
        default=new_offering_reference,
        editable=False,
        help_text=_(
            "The offering's public reference, for life: suppliers use it to update the offering "
            "from a spreadsheet, and buyers to quote it."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(
        _("title"), max_length=150, help_text=_("The name buyers will see in search results.")
    )
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences: what buyers get.")
    )
    # A TextField's max_length is checked by forms and imports, not by the database.
    description = models.TextField(
        _("description"),
        max_length=10_000,
        help_text=_("What is included, how it is delivered, and any limits."),
    )
    attributes = models.JSONField(
        _("answers to the lot's questions"),
        default=dict,
        blank=True,
        help_text=_("Keyed by the lot's attribute keys."),
    )
    price = models.DecimalField(
        _("price (£)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAXIMUM_PRICE)],
    )
    price_unit = models.CharField(_("price unit"), max_length=12, choices=PriceUnit.choices)
    vat_treatment = models.CharField(
        _("VAT"), max_length=10, choices=VatTreatment.choices, default=VatTreatment.EXCLUSIVE
    )
    comparable_price = models.DecimalField(
        _("comparable price (£, excluding VAT)"),
        max_digits=14,
        decimal_places=2,
        db_index=True,
        editable=False,
        help_text=_("Derived from the price: excluding VAT, hourly rates as day rates."),
    )
    comparable_unit = models.CharField(
        _("comparable price unit"), max_length=12, choices=PriceUnit.choices, editable=False
    )
    minimum_contract_value = models.DecimalField(
        _("minimum contract value (£)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Optional. The smallest contract you will take on."),
    )
    regions_served = models.JSONField(
        _("regions served"), default=list, blank=True, help_text=_("ITL1 region codes.")
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"),
        validators=[MaxValueValidator(MAX_LEAD_TIME_DAYS)],
        help_text=_("Working days from order to start."),
    )
    service_definition = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service definition document"),
    )
    submitted_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revision awaiting review"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    rejection_reason = models.TextField(
        _("reason for rejection"),
        blank=True,
        editable=False,
        help_text=_("The reviewer's reason, shown to the supplier."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="offering")

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["lot", "status"]),
            models.Index(fields=["supplier", "status"]),
            models.Index(fields=["comparable_unit", "comparable_price"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.price is not None and self.price_unit:
            self.refresh_comparable_price()
        super().save(*args, **kwargs)

    @property
    def revisions(self):
        return self._revisions

    @property
    def owner_organisation_id(self) -> int:
        return self.supplier_id

    @property
    def awaiting_review(self) -> bool:
        return self.submitted_revision_id is not None

    def comparable(self) -> ComparablePrice:
        return comparable_price(price=self.price, unit=self.price_unit, vat=self.vat_treatment)

    def refresh_comparable_price(self) -> None:
        comparable = self.comparable()
        self.comparable_price = comparable.amount
        self.comparable_unit = comparable.unit

    def with_content_json(self, content):
        """A revision never carries status or review state: those belong to the offering."""
        obj = super().with_content_json(content)
        for name in (
            "reference",
            "supplier_id",
            "lot_id",
            "status",
            "submitted_revision_id",
            "submitted_at",
            "rejection_reason",
            "created_at",
        ):
            setattr(obj, name, getattr(self, name))
        return obj

    def region_labels(self) -> list[str]:
        return [Region(code).label for code in self.regions_served if code in Region.values]

    @classmethod
    def text_limits(cls) -> dict[str, int]:
        """The most characters each text field takes, from the fields' max_length."""
        return {name: cls._meta.get_field(name).max_length for name in cls.TEXT_FIELDS}

    def answers(self) -> list[tuple[str, str]]:
        """(question, answer as read) for each of the lot's attributes, in schema order."""
        from .attributes import display_value

        return [
            (spec.label, display_value(spec, self.attributes.get(spec.key)))
            for spec in self.lot.attributes()
        ]
