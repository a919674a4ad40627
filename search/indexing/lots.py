"""Lot documents: one for each lot of a published framework, found by the frameworks-and-lots
tab by its words and by any CPV code or label at or beneath its own."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from frameworks.models import FrameworkPage, Lot

from ..analysis import analyse
from ..models import LotSearchDocument
from .build import _beneath, _codes_beneath, _cpv_through, _significant


def _lot_documents(lot_ids: list[int] | None) -> list[LotSearchDocument]:
    """Documents for the lots (all when None) of published frameworks, in four queries."""
    frameworks = FrameworkPage.objects.live().public()
    lots = Lot.objects.filter(framework__in=frameworks.values("pk"))
    if lot_ids is not None:
        lots = lots.filter(pk__in=lot_ids)
    lots = list(
        lots.values_list(
            "pk", "framework_id", "title", "description", "framework__title", "framework__summary"
        ).order_by("pk")
    )
    lot_codes = _cpv_through(Lot, "lot", [row[0] for row in lots])
    framework_codes = _cpv_through(FrameworkPage, "frameworkpage", sorted({row[1] for row in lots}))
    codes_of = {
        pk: lot_codes.get(pk) or framework_codes.get(framework_id, [])
        for pk, framework_id, *_rest in lots
    }
    tree = _codes_beneath(code for codes in codes_of.values() for code in codes)
    now = timezone.now()
    documents = []
    for pk, framework_id, title, description, framework_title, framework_summary in lots:
        beneath = _beneath({_significant(code[:8]) for code in codes_of[pk]}, tree)
        documents.append(
            LotSearchDocument(
                lot_id=pk,
                framework_id=framework_id,
                title_terms=analyse(f"{title} {framework_title}"),
                description_terms=analyse(f"{description} {framework_summary}"),
                cpv_terms=" ".join(analyse(f"{code} {label}") for code, label in beneath),
                indexed_at=now,
            )
        )
    return documents


def index_lots(lot_ids: Iterable[int]) -> int:
    """Bring these lots' documents up to date; returns how many exist among them."""
    ids = sorted(set(lot_ids))
    if not ids:
        return 0
    with transaction.atomic():
        documents = _lot_documents(ids)
        built = {document.lot_id for document in documents}
        LotSearchDocument.objects.filter(pk__in=[pk for pk in ids if pk not in built]).delete()
        LotSearchDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["lot"],
            update_fields=[
                "framework",
                "title_terms",
                "description_terms",
                "cpv_terms",
                "indexed_at",
            ],
        )
    return len(documents)
