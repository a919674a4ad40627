"""The sentence that sums up a search: "143 offerings for ‘cloud hosting’ on Lot 2 of ICT and
Digital Services, from SMEs, serving the North West"."""

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from frameworks.attributes import AttributeSpec
from frameworks.models import Lot
from marketplace.organisations.models import Region

from .types import (
    ACCREDITATION,
    ATTRIBUTE_PREFIX,
    AUTHORITY,
    CPV,
    FRAMEWORK,
    LOT,
    NUMBER_PREFIX,
    PRICE,
    REGION,
    SME,
    UNIT,
    VCSE,
    Range,
)

# Regions read in a sentence: "serving the North West", "serving London".
_REGION_NAMES = {
    Region.NORTH_EAST: _lazy("the North East"),
    Region.NORTH_WEST: _lazy("the North West"),
    Region.YORKSHIRE: _lazy("Yorkshire and the Humber"),
    Region.EAST_MIDLANDS: _lazy("the East Midlands"),
    Region.WEST_MIDLANDS: _lazy("the West Midlands"),
    Region.EAST: _lazy("the East of England"),
    Region.LONDON: _lazy("London"),
    Region.SOUTH_EAST: _lazy("the South East"),
    Region.SOUTH_WEST: _lazy("the South West"),
    Region.WALES: _lazy("Wales"),
    Region.SCOTLAND: _lazy("Scotland"),
    Region.NORTHERN_IRELAND: _lazy("Northern Ireland"),
}


def _lot_phrase(lot: Lot) -> str:
    return _("Lot %(number)s of %(framework)s") % {
        "number": lot.number,
        "framework": lot.framework.title,
    }


def _either(items: list[str]) -> str:
    """Items joined as a choice: "a", "a or b", "a, b or c"."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _quoted(items: list[str]) -> str:
    return _either([f"‘{item}’" for item in items])


def _money(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def _number(amount: Decimal) -> str:
    return f"{amount.normalize():,f}"


def _between(minimum, maximum, show) -> str:
    if minimum is not None and maximum is not None:
        if minimum == maximum:
            return show(minimum)
        return _("%(minimum)s to %(maximum)s") % {
            "minimum": show(minimum),
            "maximum": show(maximum),
        }
    if minimum is not None:
        return _("at least %(minimum)s") % {"minimum": show(minimum)}
    return _("at most %(maximum)s") % {"maximum": show(maximum)}


def _with_unit(text: str, spec: AttributeSpec) -> str:
    if spec.unit == "%":
        return f"{text}%"
    return f"{text} {spec.unit}" if spec.unit else text


def sentence(
    *,
    total: int,
    total_display: str,
    query,
    facets: Mapping[str, list[str]],
    ranges: Mapping[str, Range],
    questions: Mapping[str, AttributeSpec],
    lots: Mapping[int, Lot],
    label: Callable[[str, str], str | None],
    published_after: datetime | None = None,
) -> str:
    """The search in words: the count, the words, then every filter. `facets` and `ranges` are
    the checked filters, `questions` the chosen lot's by key, `lots` the lots by id and
    `label(facet, value)` a value's label."""
    if total == 0:
        count = _("No offerings")
    else:
        count = ngettext("%(count)s offering", "%(count)s offerings", total) % {
            "count": total_display
        }
    parts = [count]
    if not query.browses:
        parts[0] += " " + _("for ‘%(text)s’") % {"text": query.text}
    if facets.get(LOT):
        chosen = [_lot_phrase(lots[int(value)]) for value in facets[LOT]]
        parts[0] += " " + _("on %(lots)s") % {"lots": _either(chosen)}
    elif facets.get(FRAMEWORK):
        titles = [label(FRAMEWORK, value) for value in facets[FRAMEWORK]]
        parts[0] += " " + _("on %(frameworks)s") % {"frameworks": _either(titles)}
    phrases = []
    if facets.get(AUTHORITY):
        names = [label(AUTHORITY, value) for value in facets[AUTHORITY]]
        phrases.append(_("on frameworks of %(authorities)s") % {"authorities": _either(names)})
    if facets.get(CPV):
        titles = [label(CPV, value) for value in facets[CPV]]
        phrases.append(_("in %(categories)s") % {"categories": _quoted(titles)})
    if facets.get(SME) and facets.get(VCSE):
        phrases.append(_("from SMEs that are VCSEs"))
    elif facets.get(SME):
        phrases.append(_("from SMEs"))
    elif facets.get(VCSE):
        phrases.append(_("from VCSEs"))
    if facets.get(REGION):
        regions = [str(_REGION_NAMES.get(value, value)) for value in facets[REGION]]
        phrases.append(_("serving %(regions)s") % {"regions": _either(regions)})
    if facets.get(ACCREDITATION):
        names = [label(ACCREDITATION, value) for value in facets[ACCREDITATION]]
        phrases.append(_("with %(accreditations)s") % {"accreditations": _either(names)})
    if facets.get(UNIT):
        unit = _either([label(UNIT, value) for value in facets[UNIT]])
        price = ranges.get(PRICE)
        if price is not None:
            phrases.append(
                _("priced %(range)s %(unit)s")
                % {"range": _between(price.minimum, price.maximum, _money), "unit": unit}
            )
        else:
            phrases.append(_("priced %(unit)s") % {"unit": unit})
    for key, spec in questions.items():
        chosen = facets.get(ATTRIBUTE_PREFIX + key)
        if chosen:
            answers = [label(ATTRIBUTE_PREFIX + key, value) for value in chosen]
            phrases.append(
                _("where ‘%(question)s’ is %(answers)s")
                % {"question": spec.label, "answers": _either(answers)}
            )
        bounds = ranges.get(NUMBER_PREFIX + key)
        if bounds is not None:
            phrases.append(
                _("where ‘%(question)s’ is %(range)s")
                % {
                    "question": spec.label,
                    "range": _with_unit(_between(bounds.minimum, bounds.maximum, _number), spec),
                }
            )
    if published_after is not None:
        moment = published_after
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        day = date_format(moment, "j F Y")
        phrases.append(_("published since %(day)s") % {"day": day})
    return ", ".join([parts[0], *phrases])
