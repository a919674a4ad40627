from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind


class Appointment(models.Model):
    """A supplier's place on a lot. Only an active appointment lets it list offerings."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        EXCLUDED = "excluded", _("Excluded")

    # Suspension can be lifted; exclusion (Procurement Act 2023 s57) is final for this lot.
    TRANSITIONS = {
        Status.ACTIVE: frozenset({Status.SUSPENDED, Status.EXCLUDED}),
        Status.SUSPENDED: frozenset({Status.ACTIVE, Status.EXCLUDED}),
        Status.EXCLUDED: frozenset(),
    }

    lot = models.ForeignKey(
        "frameworks.Lot",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("lot"),
    )
    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="appointments",
        limit_choices_to={"kind": OrganisationKind.SUPPLIER},
        verbose_name=_("supplier"),
    )
    starts_on = models.DateField(_("appointed from"))
    ends_on = models.DateField(
        _("appointed until"), null=True, blank=True, help_text=_("Blank: until the framework ends.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the appointment was suspended or excluded.")
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
        help_text=_(
            "The excluded appointment on the same lot that this one replaces, outside an award, "
            "where the framework's terms allow it."
        ),
    )
    replacement_reason = models.TextField(
        _("reason for the replacement"),
        blank=True,
        help_text=_("Why the supplier was replaced. Required for a replacement."),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        null=True,
        blank=True,
        help_text=_(
            "Place in the lot's ranking (1 is first), for a lot whose direct award is a ranked "
            "list with rotation. Fixed in the framework's terms."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["lot__framework__title", "lot__number", "supplier__legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "supplier"],
                name="appointment_one_per_supplier_per_lot",
                violation_error_message=_("This supplier is already appointed to this lot"),
            ),
            models.UniqueConstraint(
                fields=["lot", "rank"],
                name="appointment_one_supplier_per_rank",
                violation_error_message=_("Another supplier already holds this rank on the lot"),
            ),
            # An excluded supplier's place is taken once: the service checks first, this holds.
            models.UniqueConstraint(
                fields=["replaces"],
                name="appointment_replaced_once",
                violation_error_message=_("This appointment has already been replaced"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} on {self.lot}"

    @property
    def owner_organisation_id(self) -> int | None:
        return self.lot.framework.authority_id

    def is_current(self, on: date) -> bool:
        return (
            self.status == self.Status.ACTIVE
            and self.starts_on <= on
            and (self.ends_on is None or on <= self.ends_on)
        )
