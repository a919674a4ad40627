"""What search reads: one denormalised document per listable offering, and one per lot.

Documents are written only by `search.indexing` (after the commit of a change, as a task) and
by `rebuild_search_index`. Text fields hold stems from `search.analysis`, already analysed;
the full-text index over them is vendor-specific and created by migration outside the model:
on PostgreSQL a stored, weighted `tsvector` column with a GIN index, on SQLite an FTS5 table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.search import index

from suppliers.models import Offering


class SearchDocument(models.Model):
    offering = models.OneToOneField(
        "suppliers.Offering",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("offering"),
    )
    framework = models.ForeignKey(
        "frameworks.FrameworkPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("framework"),
    )
    lot = models.ForeignKey(
        "frameworks.Lot", on_delete=models.CASCADE, related_name="+", verbose_name=_("lot")
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("supplier"),
    )
    title_terms = models.TextField(_("title, analysed"), blank=True)
    summary_terms = models.TextField(_("summary, analysed"), blank=True)
    description_terms = models.TextField(_("description, analysed"), blank=True)
    supplier_terms = models.TextField(_("supplier name, analysed"), blank=True)
    comparable_unit = models.CharField(_("comparable price unit"), max_length=12)
    comparable_price = models.DecimalField(
        _("comparable price (£, excluding VAT)"), max_digits=14, decimal_places=2
    )
    numbers = models.JSONField(
        _("number answers"),
        default=dict,
        blank=True,
        help_text=_("The lot's number answers by question key, for range filters."),
    )
    listed_from = models.DateField(
        _("listed from"),
        help_text=_("First day the offering may appear: the framework's, appointment's start."),
    )
    listed_until = models.DateField(
        _("listed until"),
        null=True,
        blank=True,
        help_text=_(
            "Last day the offering may appear: the earliest of the framework's end, the "
            "appointment's end and the day before a debarment starts. Empty when open-ended."
        ),
    )
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, db_index=True
    )
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["listed_from", "listed_until"]),
            models.Index(fields=["comparable_unit", "comparable_price"]),
        ]

    def __str__(self) -> str:
        return f"Search document for offering {self.offering_id}"


class SearchFacet(models.Model):
    """One (facet, value) of a document: see search.types for the facet names."""

    document = models.ForeignKey(
        SearchDocument,
        on_delete=models.CASCADE,
        related_name="facets",
        verbose_name=_("document"),
    )
    name = models.CharField(_("facet"), max_length=60)
    value = models.CharField(_("value"), max_length=100)

    class Meta:
        verbose_name = _("search facet value")
        verbose_name_plural = _("search facet values")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name", "value"], name="search_facet_unique_value"
            )
        ]
        indexes = [models.Index(fields=["name", "value", "document"])]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class LotSearchDocument(models.Model):
    """A lot as the frameworks-and-lots tab finds it: by words, and by CPV code or label of
    any code at or beneath the lot's own."""

    lot = models.OneToOneField(
        "frameworks.Lot",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("lot"),
    )
    framework = models.ForeignKey(
        "frameworks.FrameworkPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("framework"),
    )
    title_terms = models.TextField(_("lot and framework titles, analysed"), blank=True)
    description_terms = models.TextField(_("descriptions, analysed"), blank=True)
    cpv_terms = models.TextField(
        _("CPV codes and labels, analysed"),
        blank=True,
        help_text=_("The lot's codes and every code beneath them, with their labels."),
    )
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("lot search document")
        verbose_name_plural = _("lot search documents")

    def __str__(self) -> str:
        return f"Search document for lot {self.lot_id}"


class WagtailBenchmarkOffering(index.Indexed, Offering):
    """Offerings as Wagtail's own search backend sees them, for `bench_search` only.

    Offerings are not searched with Wagtail's backend (it scans every row at 100,000), so the
    offering model itself is not indexed. This proxy is, so the benchmark can show the
    difference on the same rows. Its index is filled by `bench_search` alone: saving an offering
    does not touch it (Wagtail's signals fire for the proxy class only, which nothing saves).
    """

    search_fields = [
        index.SearchField("title", boost=8),
        index.SearchField("summary", boost=4),
        index.SearchField("description", boost=2),
        index.FilterField("status"),
        index.FilterField("live"),
        index.FilterField("lot_id"),
        index.FilterField("supplier_id"),
        index.FilterField("comparable_unit"),
    ]

    class Meta:
        proxy = True
        verbose_name = _("offering (search benchmark)")
        verbose_name_plural = _("offerings (search benchmark)")
