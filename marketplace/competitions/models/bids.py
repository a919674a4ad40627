"""Sealed bids: every piece of a bid's content is ciphertext (competitions.sealing) until the
submission deadline. No column here holds plaintext, and no __str__ shows content."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .competition import Competition, CompetitionCriterion


class Bid(models.Model):
    """One invited supplier's bid: a sealed price, a sealed answer to each criterion, and sealed
    documents. Revised freely until the submission deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    # Reopening a submitted bid to revise it is allowed until the deadline.
    TRANSITIONS = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.DRAFT}),
    }

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="bids", verbose_name=_("competition")
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="competition_bids",
        verbose_name=_("supplier"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sealed_price = models.BinaryField(
        _("price (sealed)"),
        null=True,
        blank=True,
        help_text=_("The bid's total price, encrypted until the deadline."),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["competition", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "supplier"], name="bid_one_per_supplier"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Bid %(pk)s") % {"pk": self.pk})


class BidAnswer(models.Model):
    """A bid's answer to one quality criterion, and any social value commitment, sealed."""

    bid = models.ForeignKey(
        Bid, on_delete=models.CASCADE, related_name="answers", verbose_name=_("bid")
    )
    criterion = models.ForeignKey(
        CompetitionCriterion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("criterion"),
    )
    sealed_text = models.BinaryField(
        _("answer (sealed)"), help_text=_("The answer, encrypted until the deadline.")
    )
    sealed_commitment = models.BinaryField(
        _("commitment (sealed)"),
        null=True,
        blank=True,
        help_text=_(
            "Under a social value criterion, the bid's measurable commitment (such as "
            '"4 apprenticeships"), encrypted until the deadline; it becomes a contract KPI '
            "if the bid wins."
        ),
    )

    class Meta:
        verbose_name = _("bid answer")
        verbose_name_plural = _("bid answers")
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "criterion"], name="bid_answer_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Answer %(pk)s") % {"pk": self.pk})


class BidDocument(models.Model):
    """A file attached to a bid: its content and its name are sealed."""

    bid = models.ForeignKey(
        Bid, on_delete=models.CASCADE, related_name="documents", verbose_name=_("bid")
    )
    storage_name = models.CharField(
        _("stored as"),
        max_length=255,
        unique=True,
        help_text=_("The random name the ciphertext is stored under."),
    )
    sealed_file_name = models.BinaryField(
        _("file name (sealed)"), help_text=_("The file's name, encrypted until the deadline.")
    )
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bid document")
        verbose_name_plural = _("bid documents")
        ordering = ["bid", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return str(_("Document %(pk)s") % {"pk": self.pk})
