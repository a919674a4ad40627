"""The one check of an offering's content, shared by the portal forms, imports and services.

Values may be typed (from forms) or text (from spreadsheet cells). Every problem is reported
at once, keyed by field name; answers to the lot's questions are keyed "attributes.<key>".
"""

from collections.abc import Container, Mapping
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from frameworks.models import Lot
from marketplace.organisations.models import Organisation, Region

from .attributes import MANY_SEPARATOR, AttributeErrors, clean_attributes, too_long, you_entered
from .models import MAX_LEAD_TIME_DAYS, Offering
from .pricing import PriceError, PriceUnit, VatTreatment, parse_price

ATTRIBUTE_ERROR_PREFIX = "attributes."


@dataclass
class OfferingInvalid(Exception):
    """Raised with every problem at once: {field name: message}."""

    errors: dict[str, str]

    def __str__(self) -> str:
        return "; ".join(f"{field}: {message}" for field, message in self.errors.items())


def _choice(value, choices, *, blank: str, column: str) -> str:
    """A choice by its value or its label; blank and unknown entries get their own message."""
    text = str(value or "").strip()
    if not text:
        raise ValueError(blank)
    for choice_value, label in choices:
        if text.lower() in {choice_value.lower(), str(label).lower()}:
            return choice_value
    message = _("%(column)s must be one of: %(values)s") % {
        "column": column,
        "values": ", ".join(choice_value for choice_value, _label in choices),
    }
    raise ValueError(you_entered(message, text))


def clean_regions(value) -> list[str]:
    """ITL1 codes (TLC) or names (North East (England)), as a list or ';'-separated text."""
    items = value.split(MANY_SEPARATOR) if isinstance(value, str) else list(value or [])
    by_name = {str(label).lower(): code for code, label in Region.choices}
    by_name.update({code.lower(): code for code in Region.values})
    codes, unknown = set(), []
    for item in (str(item).strip() for item in items):
        if not item:
            continue
        if item.lower() in by_name:
            codes.add(by_name[item.lower()])
        else:
            unknown.append(item)
    if unknown:
        message = _("Regions served must be ITL1 codes or names, any of: %(codes)s") % {
            "codes": ", ".join(Region.values)
        }
        raise ValueError(you_entered(message, f"{MANY_SEPARATOR} ".join(unknown)))
    return [code for code in Region.values if code in codes]


def _clean_lead_time(value) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or int(text) > MAX_LEAD_TIME_DAYS:
        message = _("Enter the lead time as a whole number of days from 0 to %(max)s") % {
            "max": MAX_LEAD_TIME_DAYS
        }
        raise ValueError(you_entered(message, text) if text else message)
    return int(text)


def _titles_in_use(*, supplier: Organisation, lot: Lot):
    return (
        Offering.objects.filter(supplier=supplier, lot=lot)
        .exclude(status=Offering.Status.WITHDRAWN)
        .annotate(lower_title=Lower("title"))
    )


def title_taken(*, supplier: Organisation, lot: Lot, title: str, exclude_pk=None) -> bool:
    return (
        _titles_in_use(supplier=supplier, lot=lot)
        .exclude(pk=exclude_pk)
        .filter(lower_title=title.lower())
        .exists()
    )


def taken_titles(*, supplier: Organisation, lot: Lot) -> set[str]:
    """The supplier's titles in use on the lot, lower-cased: one query for a whole import."""
    titles = _titles_in_use(supplier=supplier, lot=lot).values_list("title", flat=True)
    # Lowered here, not by SQL: SQLite's LOWER() leaves non-ASCII letters alone.
    return {title.lower() for title in titles}


def _has_nul(value) -> bool:
    items = value if isinstance(value, list | tuple) else [value]
    return any(isinstance(item, str) and "\x00" in item for item in items)


def _without_nul(data: Mapping) -> tuple[dict, dict[str, str]]:
    """The data with every value holding a NUL character blanked, and an error for each.

    PostgreSQL cannot store NUL in text, nor take it in a query, so such a value goes no
    further than here.
    """
    message = _("Remove the NUL character (\\x00): it cannot be saved")
    errors = {}
    clean = {}
    for key, value in data.items():
        if key == "attributes":
            continue
        if _has_nul(value):
            errors[key] = message
            value = ""
        clean[key] = value
    clean["attributes"] = {}
    for key, value in (data.get("attributes") or {}).items():
        if _has_nul(value):
            errors[f"{ATTRIBUTE_ERROR_PREFIX}{key}"] = message
            value = ""
        clean["attributes"][key] = value
    return clean, errors


def clean_offering(
    *,
    supplier: Organisation,
    lot: Lot,
    data: Mapping,
    offering: Offering | None = None,
    titles_in_use: Container[str] | None = None,
) -> dict:
    """Return the offering's content, cleaned, or raise OfferingInvalid listing every problem.

    `titles_in_use` (lower-cased, from taken_titles) saves a query per row when many new
    offerings are checked at once; without it the database is asked.
    """
    data, refused = _without_nul(data)
    errors: dict[str, str] = {}
    cleaned: dict = {}

    for field, limit in Offering.text_limits().items():
        name = Offering._meta.get_field(field).verbose_name
        text = str(data.get(field) or "").strip()
        if not text:
            errors[field] = _("Enter a %(field)s") % {"field": name}
        elif len(text) > limit:
            errors[field] = too_long(
                _("%(field)s must be %(limit)s characters or fewer")
                % {"field": capfirst(name), "limit": f"{limit:,}"},
                text,
            )
        cleaned[field] = text
    if "title" not in errors and (
        cleaned["title"].lower() in titles_in_use
        if titles_in_use is not None
        else title_taken(
            supplier=supplier,
            lot=lot,
            title=cleaned["title"],
            exclude_pk=offering.pk if offering else None,
        )
    ):
        errors["title"] = _("You already have an offering called “%(title)s” on this lot") % {
            "title": cleaned["title"]
        }

    try:
        cleaned["price"] = parse_price(data.get("price"))
    except PriceError as error:
        errors["price"] = str(error)
    checks = {
        "price_unit": lambda v: _choice(
            v, PriceUnit.choices, blank=_("Choose what the price is for"), column=_("Price unit")
        ),
        "vat_treatment": lambda v: _choice(
            v,
            VatTreatment.choices,
            blank=_("Choose how VAT applies to the price"),
            column=_("VAT"),
        ),
        "regions_served": clean_regions,
        "lead_time_days": _clean_lead_time,
    }
    for field, check in checks.items():
        try:
            cleaned[field] = check(data.get(field))
        except ValueError as error:
            errors[field] = str(error)
    if "regions_served" not in errors and not cleaned["regions_served"]:
        errors["regions_served"] = _("Choose at least one region you serve")

    minimum = data.get("minimum_contract_value")
    cleaned["minimum_contract_value"] = None
    if minimum not in (None, ""):
        try:
            cleaned["minimum_contract_value"] = parse_price(
                minimum, label=_("minimum contract value")
            )
        except PriceError as error:
            errors["minimum_contract_value"] = str(error)

    try:
        cleaned["attributes"] = clean_attributes(lot.attributes(), data.get("attributes") or {})
    except AttributeErrors as error:
        errors.update(
            {f"{ATTRIBUTE_ERROR_PREFIX}{key}": message for key, message in error.errors.items()}
        )

    cleaned["service_definition"] = data.get("service_definition")
    errors.update(refused)
    if errors:
        raise OfferingInvalid(errors)
    return cleaned
