from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VariationGround(models.TextChoices):
    """Why a framework's terms may be changed after award: Procurement Act 2023 s.74 and
    Schedule 8 (permitted modifications)."""

    PROVIDED_FOR = (
        "provided_for",
        _("Provided for in the framework's terms, clearly and precisely (Schedule 8)"),
    )
    ADDITIONAL_GOODS_SERVICES_WORKS = (
        "additional",
        _("Additional goods, services or works that only the supplier can provide (Schedule 8)"),
    )
    URGENCY = "urgency", _("Urgency: protecting life or public order (Schedule 8)")
    UNFORESEEABLE = (
        "unforeseeable",
        _("Circumstances a diligent authority could not have foreseen (Schedule 8)"),
    )
    SUPPLIER_TRANSFER = (
        "supplier_transfer",
        _("Transfer to another supplier on a corporate restructuring or insolvency (Schedule 8)"),
    )
    MATERIALLY_BELOW_THRESHOLD = (
        "below_threshold",
        _(
            "Below-threshold: under 10% (goods and services) or 15% (works) of the value, and "
            "not changing its overall nature (s.74)"
        ),
    )
    NOT_SUBSTANTIAL = "not_substantial", _("Not a substantial modification (s.74)")


class Variation(models.Model):
    """A recorded change to a framework's terms after award: who, when, why, old and new.

    The change itself is made to the live rows by frameworks.services; this keeps what the
    terms were, so frameworks.terms.terms_on can say what applied on any day.
    """

    framework = models.ForeignKey(
        "frameworks.FrameworkPage",
        on_delete=models.PROTECT,
        related_name="variations",
        verbose_name=_("framework"),
    )
    ground = models.CharField(
        _("ground"),
        max_length=30,
        choices=VariationGround.choices,
        help_text=_("The ground in the Procurement Act 2023 that permits the change."),
    )
    explanation = models.TextField(
        _("explanation"), help_text=_("Why the change is needed and why the ground applies.")
    )
    old_values = models.JSONField(
        _("old values"), help_text=_("The changed terms as they were: framework and lots.")
    )
    new_values = models.JSONField(
        _("new values"), help_text=_("The changed terms as they are now: framework and lots.")
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
        help_text=_("Who recorded the variation."),
    )
    made_at = models.DateTimeField(
        _("made at"), auto_now_add=True, help_text=_("When the variation was recorded.")
    )
    effective_on = models.DateField(
        _("effective on"), help_text=_("The first day the new terms apply.")
    )

    class Meta:
        verbose_name = _("variation")
        verbose_name_plural = _("variations")
        ordering = ["effective_on", "made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.framework} varied on {self.effective_on}"

    @property
    def owner_organisation_id(self) -> int | None:
        return self.framework.authority_id
