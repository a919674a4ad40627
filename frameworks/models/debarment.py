"""The central debarment list (Procurement Act 2023 s.62) and each organisation's decisions.

A Minister keeps the list and publishes it; the service holds one copy for everyone, kept by
platform administrators. A mandatory entry bars the supplier outright; a discretionary one
bars a buyer or authority until it has recorded whether to proceed (s.57 and s.58 leave that
call to each contracting authority).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind


class ExclusionType(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    DISCRETIONARY = "discretionary", _("Discretionary")


class DebarmentEntry(models.Model):
    """One supplier's entry on the central debarment list."""

    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="debarments",
        limit_choices_to={"kind": OrganisationKind.SUPPLIER},
        verbose_name=_("supplier"),
    )
    ground = models.TextField(
        _("exclusion ground"), help_text=_("The exclusion ground as the Minister's list states it.")
    )
    exclusion_type = models.CharField(
        _("exclusion type"),
        max_length=16,
        choices=ExclusionType.choices,
        help_text=_("Mandatory bars the supplier outright; discretionary asks each buyer."),
    )
    starts_on = models.DateField(_("on the list from"))
    expected_end_on = models.DateField(
        _("expected end"),
        null=True,
        blank=True,
        help_text=_("The last day the list gives for the entry. Blank: no end stated."),
    )
    removed_on = models.DateField(
        _("removed on"),
        null=True,
        blank=True,
        help_text=_("The day the entry left the list. Blank: still listed."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("The platform administrator who copied the entry. Blank for older entries."),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("debarment list entry")
        verbose_name_plural = _("debarment list")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.supplier} on the debarment list ({self.get_exclusion_type_display()})"

    @property
    def is_mandatory(self) -> bool:
        return self.exclusion_type == ExclusionType.MANDATORY

    @staticmethod
    def in_force_on(day: date) -> Q:
        """Listed on `day`: started, not past its expected end, not removed by then."""
        return (
            Q(starts_on__lte=day)
            & (Q(expected_end_on__isnull=True) | Q(expected_end_on__gte=day))
            & (Q(removed_on__isnull=True) | Q(removed_on__gt=day))
        )

    def is_in_force_on(self, day: date) -> bool:
        return (
            self.starts_on <= day
            and (self.expected_end_on is None or self.expected_end_on >= day)
            and (self.removed_on is None or self.removed_on > day)
        )


class DebarmentDecision(models.Model):
    """A buyer's or authority's decision on a discretionary entry: proceed with the supplier or
    exclude it. One per organisation and entry; changing it updates the row (the audit log
    keeps every version)."""

    class Decision(models.TextChoices):
        PROCEED = "proceed", _("Proceed: the supplier may take part")
        EXCLUDE = "exclude", _("Exclude the supplier")

    entry = models.ForeignKey(
        DebarmentEntry,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("debarment list entry"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="debarment_decisions",
        limit_choices_to={"kind__in": [OrganisationKind.BUYER, OrganisationKind.AUTHORITY]},
        verbose_name=_("organisation"),
        help_text=_("The buyer or authority whose decision this is."),
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), help_text=_("Why the organisation decided so."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("debarment decision")
        verbose_name_plural = _("debarment decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "organisation"], name="one_debarment_decision_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_decision_display()} ({self.entry.supplier})"
