"""What a reviewer compares: an offering's live version beside the revision awaiting review.

Each version is described field by field as a person reads it (attribute answers through the
lot's schema, money in pounds and pence), so "changed" means a reader would see a difference.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.documents import get_document_model

from ..attributes import display_value
from ..models import Offering
from ..pricing import PriceUnit, VatTreatment


@dataclass(frozen=True)
class Value:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Line:
    label: str
    before: Value | None  # None: there is no live version to compare with
    after: Value

    @property
    def changed(self) -> bool:
        return self.before is not None and self.before.text != self.after.text


def _pounds(amount) -> str:
    return f"£{amount:,.2f}"


def _or_not_given(text: str) -> str:
    return text or _("Not given")


def describe(version: Offering, documents: dict) -> list[tuple[str, Value]]:
    """(label, value) for every field a supplier writes, in the order the form asks them."""
    comparable = version.comparable()
    document = documents.get(version.service_definition_id)
    lines = [
        (_("Title"), Value(version.title)),
        (_("Summary"), Value(version.summary)),
        (_("Description"), Value(version.description)),
    ]
    lines += [
        (spec.label, Value(_or_not_given(display_value(spec, version.attributes.get(spec.key)))))
        for spec in version.lot.attributes()
    ]
    lines += [
        (_("Price"), Value(_pounds(version.price))),
        (_("Price unit"), Value(str(PriceUnit(version.price_unit).label))),
        (_("VAT"), Value(str(VatTreatment(version.vat_treatment).label))),
        (_("Comparable price"), Value(f"{comparable} ({comparable.basis})")),
        (
            _("Minimum contract value"),
            Value(
                _pounds(version.minimum_contract_value)
                if version.minimum_contract_value is not None
                else _("Not given")
            ),
        ),
        (_("Regions served"), Value(_or_not_given(", ".join(map(str, version.region_labels()))))),
        (
            _("Lead time"),
            Value(
                ngettext("%(days)s working day", "%(days)s working days", version.lead_time_days)
                % {"days": version.lead_time_days}
            ),
        ),
        (
            _("Service definition document"),
            Value(document.title, document.url) if document else Value(_("Not given")),
        ),
    ]
    return lines


def _documents(*versions: Offering) -> dict:
    # By id, not through the foreign key: a revision may name a document deleted since.
    ids = {version.service_definition_id for version in versions} - {None}
    return get_document_model().objects.in_bulk(ids) if ids else {}


def compare(*, live: Offering | None, proposed: Offering) -> list[Line]:
    """Line by line, the live version (None if never published) against the proposed one."""
    documents = _documents(*(version for version in (live, proposed) if version is not None))
    after = describe(proposed, documents)
    if live is None:
        return [Line(label, None, value) for label, value in after]
    before = describe(live, documents)
    return [
        Line(label, before_value, after_value)
        for (label, before_value), (_label, after_value) in zip(before, after, strict=True)
    ]
