"""A supplier's progress reports against its contract's KPIs.

The supplier reports what it has done over a period, in plain words and optionally with the
figure achieved so far. The buyer reads the reports when it makes its yearly assessment
(s.71); only the assessment is published, never the supplier's own reports.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UPDATE_MAX_LENGTH = 2_000
ACHIEVED_MAX_LENGTH = 100


class KpiProgressReport(models.Model):
    """What the supplier says it achieved against one KPI over a period. Not published."""

    contract = models.ForeignKey(
        "calloffs.Contract",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("contract"),
        help_text=_("The contract whose KPI this reports on."),
    )
    kpi = models.ForeignKey(
        "calloffs.KeyPerformanceIndicator",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("KPI"),
        help_text=_("The key performance indicator reported on, one of the contract's."),
    )
    period_start = models.DateField(
        _("period from"), help_text=_("The first day the report covers, within the contract.")
    )
    period_end = models.DateField(
        _("period to"), help_text=_("The last day the report covers: today or earlier.")
    )
    update = models.TextField(
        _("progress update"),
        max_length=UPDATE_MAX_LENGTH,
        help_text=_("In plain words, what the supplier did towards the target in the period."),
    )
    achieved = models.CharField(
        _("achieved so far"),
        max_length=ACHIEVED_MAX_LENGTH,
        blank=True,
        help_text=_("Optional: the figure achieved so far, like “3 apprentices” or “38%”."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("KPI progress report")
        verbose_name_plural = _("KPI progress reports")
        ordering = ["kpi", "-period_end", "-pk"]
        indexes = [models.Index(fields=["contract", "kpi", "-period_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="kpi_progress_period_in_order",
                violation_error_message=_("The period must end on or after the day it starts"),
            ),
            models.CheckConstraint(condition=~Q(update=""), name="kpi_progress_has_update"),
        ]

    def __str__(self) -> str:
        return f"Progress on {self.kpi} to {self.period_end}"

    @property
    def owner_organisation_id(self) -> int:
        """The supplier writes the report (the contract's buyer may read it)."""
        return self.contract.supplier_id
