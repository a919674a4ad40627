"""References people quote for call-off records: a prefix, the year and six random digits
(BP-2026-004217), so they reveal nothing about how many records exist."""

import secrets

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from marketplace.exceptions import DomainError

ATTEMPTS = 20


def create_with_reference(model: type[models.Model], *, prefix: str, year: int, **fields):
    """Create a `model` row under a fresh unique `reference`, drawing again when one is taken
    (checked by the unique constraint, so two requests drawing the same one cannot both win)."""
    for _attempt in range(ATTEMPTS):
        reference = f"{prefix}-{year}-{secrets.randbelow(1_000_000):06d}"
        try:
            with transaction.atomic():
                return model.objects.create(reference=reference, **fields)
        except IntegrityError:
            if not model.objects.filter(reference=reference).exists():
                raise
    raise DomainError(
        _("No free %(model)s reference was found: try again") % {"model": model._meta.verbose_name},
        code="reference",
    )
