"""The search page's filter column, described for the template from a SearchResult.

The query string is the search (every search is a URL that can be shared): the service reads it
(`search.service.querydict_to_request`) and this module only lays out what the service found,
each input named as the service reads it back. Typed range bounds are shown as they were typed,
valid or not, so bad input is never lost.
"""

from dataclasses import dataclass, field, replace

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import service, types

TEXT_PARAMETER = service.TEXT_PARAMETER
ALL_PARAMETER = service.ALL_PARAMETER  # include frameworks the organisation cannot use
TAB_PARAMETER = "tab"
# Values shown before "Show all" in a long list of filter values.
SHOWN_VALUES = 8

FACET_LEGENDS = {
    types.FRAMEWORK: gettext_lazy("Framework"),
    types.LOT: gettext_lazy("Lot"),
    types.AUTHORITY: gettext_lazy("Authority"),
    types.CPV: gettext_lazy("Category (CPV)"),
    types.REGION: gettext_lazy("Region served"),
    types.ACCREDITATION: gettext_lazy("Accreditation"),
}
# Plural nouns for "Show all 23 …".
FACET_NOUNS = {
    types.FRAMEWORK: gettext_lazy("frameworks"),
    types.LOT: gettext_lazy("lots"),
    types.AUTHORITY: gettext_lazy("authorities"),
    types.CPV: gettext_lazy("categories"),
    types.REGION: gettext_lazy("regions"),
    types.ACCREDITATION: gettext_lazy("accreditations"),
}
SORT_LABELS = {
    types.Sort.RELEVANCE: gettext_lazy("Relevance"),
    types.Sort.PRICE_LOW: gettext_lazy("Comparable price, low to high"),
    types.Sort.PRICE_HIGH: gettext_lazy("Comparable price, high to low"),
}


def facet_parameter(name: str) -> str:
    """The query-string parameter of a facet, as search.service reads it."""
    if name.startswith(types.ATTRIBUTE_PREFIX):
        return service.ATTRIBUTE_PARAMETER + name.removeprefix(types.ATTRIBUTE_PREFIX)
    return service.FACET_PARAMETERS.get(name, name)


def range_parameters(name: str) -> tuple[str, str]:
    """The (lowest, highest) parameters of a range, as search.service reads them."""
    if name == types.PRICE:
        return service.PRICE_PARAMETERS
    key = name.removeprefix(types.NUMBER_PREFIX)
    return f"{service.NUMBER_PARAMETER}{key}_min", f"{service.NUMBER_PARAMETER}{key}_max"


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    id: str
    name: str = ""  # the parameter, where options of several facets share one fieldset


@dataclass
class FacetGroup:
    name: str  # the parameter
    legend: str
    kind: str = "checkboxes"  # or "radios"
    shown: list[Option] = field(default_factory=list)
    more: list[Option] = field(default_factory=list)
    noun: str = ""
    hint: str = ""

    @property
    def size(self) -> int:
        return len(self.shown) + len(self.more)

    @property
    def more_selected(self) -> bool:
        return any(option.selected for option in self.more)


@dataclass
class RangeGroup:
    name: str
    legend: str
    min_name: str
    max_name: str
    min_value: str
    max_value: str
    id: str
    hint: str = ""
    prefix: str = ""


@dataclass
class Tag:
    label: str
    remove_href: str


def _options(values: list[types.FacetValue], *, id_prefix: str) -> list[Option]:
    return [
        Option(
            value=value.value,
            label=value.label,
            count=value.count,
            selected=value.selected,
            id=f"{id_prefix}-{index}",
        )
        for index, value in enumerate(values, start=1)
    ]


def facet_group(
    name: str, values: list[types.FacetValue], *, legend: str, noun: str, index: int
) -> FacetGroup:
    """Checkboxes for one facet; past SHOWN_VALUES (the service puts chosen values first, so
    they always show) the rest go under "Show all"."""
    options = _options(values, id_prefix=f"filter-{index}")
    shown, more = options, []
    if len(options) > SHOWN_VALUES + 2:
        shown, more = options[:SHOWN_VALUES], options[SHOWN_VALUES:]
    return FacetGroup(name=facet_parameter(name), legend=legend, shown=shown, more=more, noun=noun)


def range_group(
    name: str, query: QueryDict, *, legend: str, index: int, hint: str = "", prefix: str = ""
) -> RangeGroup:
    """Lowest and highest inputs, showing what was typed (valid or not: nothing is lost)."""
    low, high = range_parameters(name)
    return RangeGroup(
        name=name,
        legend=legend,
        min_name=low,
        max_name=high,
        min_value=query.get(low, "")[:50],
        max_value=query.get(high, "")[:50],
        id=f"range-{index}",
        hint=hint,
        prefix=prefix,
    )


def chosen_unit(understood: types.SearchRequest) -> str:
    """The one price unit chosen, or "" (price ranges and sorts apply only within one)."""
    units = understood.facets.get(types.UNIT, ())
    return units[0] if len(units) == 1 else ""


def _question_legend(spec) -> str:
    if spec.unit and spec.unit != "%":
        return f"{spec.label} ({spec.unit})"
    if spec.unit == "%":
        return f"{spec.label} (%)"
    return spec.label


def filter_column(result: types.SearchResult, query: QueryDict) -> dict:
    """The filter column: facets with counts, supplier type, price (unit first, then the
    range), then the chosen lot's own questions (choices as tick boxes, numbers as ranges)."""
    facets = result.facets
    understood = result.request or types.SearchRequest()
    groups: list[FacetGroup] = []
    index = 0
    for name in (
        types.FRAMEWORK,
        types.LOT,
        types.AUTHORITY,
        types.CPV,
        types.REGION,
        types.ACCREDITATION,
    ):
        if facets.get(name):
            index += 1
            groups.append(
                facet_group(
                    name,
                    facets[name],
                    legend=str(FACET_LEGENDS[name]),
                    noun=str(FACET_NOUNS[name]),
                    index=index,
                )
            )
    supplier_types = [
        Option(
            value=value.value,
            label=str(label),
            count=value.count,
            selected=value.selected,
            id=f"filter-{name}",
            name=facet_parameter(name),
        )
        for name, label in ((types.SME, _("SME")), (types.VCSE, _("VCSE")))
        for value in facets.get(name, [])
        if value.value == "yes"
    ]
    unit = chosen_unit(understood)
    units = _options(facets.get(types.UNIT, []), id_prefix="filter-unit")
    price = range_group(
        types.PRICE,
        query,
        legend=_("Comparable price, excluding VAT"),
        index=0,
        prefix="£",
        hint=""
        if unit
        else _("Choose a price unit first: prices are compared only within one unit."),
    )
    choice_groups: list[FacetGroup] = []
    number_groups: list[RangeGroup] = []
    for spec in result.questions:
        index += 1
        if spec.kind == "number":
            number_groups.append(
                range_group(
                    types.NUMBER_PREFIX + spec.key,
                    query,
                    legend=_question_legend(spec),
                    index=index,
                )
            )
        elif facets.get(types.ATTRIBUTE_PREFIX + spec.key):
            choice_groups.append(
                facet_group(
                    types.ATTRIBUTE_PREFIX + spec.key,
                    facets[types.ATTRIBUTE_PREFIX + spec.key],
                    legend=spec.label,
                    noun=_("answers"),
                    index=index,
                )
            )
    return {
        "groups": groups,
        "supplier_types": supplier_types,
        "units": units,
        "unit": unit,
        "price": price,
        "choice_groups": choice_groups,
        "number_groups": number_groups,
    }


def _facet_tag_label(name: str, label: str, questions: dict) -> str:
    """Every tag reads "<filter's legend>: <value>", as the filter column names it."""
    if name in (types.SME, types.VCSE):
        legend, label = _("Supplier type"), (_("SME") if name == types.SME else _("VCSE"))
    elif name == types.UNIT:
        legend = _("Price unit")
    elif name.startswith(types.ATTRIBUTE_PREFIX):
        spec = questions.get(name.removeprefix(types.ATTRIBUTE_PREFIX))
        legend = spec.label if spec else name.removeprefix(types.ATTRIBUTE_PREFIX)
    else:
        legend = FACET_LEGENDS.get(name, name)
    return f"{legend}: {label}"


def _range_text(low: str, high: str) -> str:
    if low and high:
        return _("%(low)s to %(high)s") % {"low": low, "high": high}
    if low:
        return _("at least %(low)s") % {"low": low}
    return _("at most %(high)s") % {"high": high}


def selected_tags(result: types.SearchResult) -> list[Tag]:
    """Each filter in force as a tag linking to the same search without it (back to page 1).
    Taking off the lot takes off its questions; taking off the unit, the price range."""
    understood = result.request
    if understood is None:
        return []
    start = replace(understood, page=1)
    questions = {spec.key: spec for spec in result.questions}
    labels = {
        (name, value.value): value.label
        for name, values in result.facets.items()
        for value in values
    }
    tags: list[Tag] = []
    for name, values in start.facets.items():
        for value in values:
            facets = {
                n: tuple(v for v in vs if not (n == name and v == value))
                for n, vs in start.facets.items()
            }
            ranges = dict(start.ranges)
            if name == types.LOT:
                facets = {
                    n: vs for n, vs in facets.items() if not n.startswith(types.ATTRIBUTE_PREFIX)
                }
                ranges = {n: r for n, r in ranges.items() if not n.startswith(types.NUMBER_PREFIX)}
            if name == types.UNIT:
                ranges.pop(types.PRICE, None)
            label = _facet_tag_label(name, labels.get((name, value), value), questions)
            tags.append(
                Tag(
                    label=label,
                    remove_href=service.query_string(start, facets=facets, ranges=ranges),
                )
            )
    for name, (low, high) in start.ranges.items():
        if name == types.PRICE:
            legend = _("Comparable price")
            low, high = (f"£{low}" if low else ""), (f"£{high}" if high else "")
        else:
            spec = questions.get(name.removeprefix(types.NUMBER_PREFIX))
            legend = spec.label if spec else name
        ranges = {n: r for n, r in start.ranges.items() if n != name}
        tags.append(
            Tag(
                label=f"{legend}: {_range_text(low, high)}",
                remove_href=service.query_string(start, ranges=ranges),
            )
        )
    return tags


def clear_filters_href(result: types.SearchResult) -> str:
    """The same words (and eligibility switch) with no filter."""
    understood = result.request or types.SearchRequest()
    return service.query_string(
        types.SearchRequest(
            text=understood.text,
            include_not_open=understood.include_not_open,
        )
    )


def sort_options(result: types.SearchResult) -> list[dict]:
    """Relevance always; the price sorts once a single unit is chosen."""
    understood = result.request or types.SearchRequest()
    current = str(understood.sort)
    sorts = [types.Sort.RELEVANCE]
    if chosen_unit(understood):
        sorts += [types.Sort.PRICE_LOW, types.Sort.PRICE_HIGH]
    return [
        {"value": sort.value, "label": str(SORT_LABELS[sort]), "selected": sort.value == current}
        for sort in sorts
    ]
