"""Evaluation: each evaluator's conflict declaration and independent marks, and the moderated
mark agreed for each bid and criterion."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bids import Bid
from .competition import Competition, CompetitionCriterion

MARK_MAX = 10


def _mark_field(help_text):
    return models.PositiveSmallIntegerField(
        _("mark"), validators=[MaxValueValidator(MARK_MAX)], help_text=help_text
    )


class ConflictDeclaration(models.Model):
    """An evaluator's declaration, before seeing any bid, of any conflict of interest
    (Procurement Act 2023 ss.81-83), and what was done about a declared one."""

    competition = models.ForeignKey(
        Competition,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("competition"),
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    details = models.TextField(
        _("details"), max_length=5_000, blank=True, help_text=_("The conflict, when there is one.")
    )
    action = models.TextField(
        _("action taken"),
        max_length=5_000,
        blank=True,
        help_text=_("What was done about the conflict, such as removing the evaluator."),
    )
    declared_at = models.DateTimeField(_("declared"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "evaluator"], name="conflict_declaration_one_per_evaluator"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(details=""),
                name="conflict_declaration_conflict_has_details",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Declaration by %(evaluator)s") % {"evaluator": self.evaluator})


class Score(models.Model):
    """One evaluator's own mark for one criterion of one bid, given independently."""

    bid = models.ForeignKey(
        Bid, on_delete=models.PROTECT, related_name="scores", verbose_name=_("bid")
    )
    criterion = models.ForeignKey(
        CompetitionCriterion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("criterion"),
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    mark = _mark_field(_("0 to 10."))
    reason = models.TextField(_("reason"), max_length=5_000, blank=True)
    scored_at = models.DateTimeField(_("scored"), default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "criterion", "evaluator"], name="score_one_per_evaluator"
            ),
            models.CheckConstraint(
                condition=Q(mark__gte=0, mark__lte=MARK_MAX), name="score_mark_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Score %(pk)s") % {"pk": self.pk})


class ModeratedScore(models.Model):
    """The mark the evaluators agreed for one criterion of one bid, with their reasons."""

    bid = models.ForeignKey(
        Bid, on_delete=models.PROTECT, related_name="moderated_scores", verbose_name=_("bid")
    )
    criterion = models.ForeignKey(
        CompetitionCriterion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("criterion"),
    )
    mark = _mark_field(_("The agreed mark, 0 to 10."))
    reason = models.TextField(
        _("reason"), max_length=5_000, help_text=_("Why the evaluators agreed this mark.")
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    agreed_at = models.DateTimeField(_("agreed"), default=timezone.now)

    class Meta:
        verbose_name = _("moderated score")
        verbose_name_plural = _("moderated scores")
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "criterion"], name="moderated_score_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(mark__gte=0, mark__lte=MARK_MAX), name="moderated_score_mark_0_to_10"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="moderated_score_has_reason"),
        ]

    def __str__(self) -> str:
        return str(_("Moderated score %(pk)s") % {"pk": self.pk})
