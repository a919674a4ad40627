from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable


class SocialValueTheme(models.TextChoices):
    NONE = "", _("None")
    LOCAL_JOBS = "local_jobs", _("Local jobs and apprenticeships")
    LOCAL_SPEND = "local_spend", _("Spend with local SMEs and VCSEs")
    NET_ZERO = "net_zero", _("Net zero")
    FAIR_WORK = "fair_work", _("Fair work")


class AwardCriterion(Orderable):
    """One criterion the framework's award was decided on: a term fixed at award."""

    framework = ParentalKey(
        "frameworks.FrameworkPage", on_delete=models.CASCADE, related_name="award_criteria"
    )
    title = models.CharField(
        _("criterion"), max_length=200, help_text=_("Short name, like Quality or Price.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the criterion assesses, and how.")
    )
    weighting = models.PositiveSmallIntegerField(
        _("weighting (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the total score, 1 to 100. The weightings add up to 100."),
    )
    social_value_theme = models.CharField(
        _("social value theme"),
        max_length=20,
        choices=SocialValueTheme.choices,
        blank=True,
        default=SocialValueTheme.NONE,
        help_text=_("The social value theme the criterion scores, if any."),
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("weighting")]),
        FieldPanel("description"),
        FieldPanel("social_value_theme"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")

    def __str__(self) -> str:
        return f"{self.title} ({self.weighting}%)"
