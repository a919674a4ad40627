"""Compare up to 10 offerings side by side: /search/compare/?offering=1&offering=2…

Only listable offerings are compared (suppliers.selectors.listable_offerings, today); ids that
are not numbers, not offerings or not listed today are named on the page, never a 500. More
than MAX_COMPARED is refused with a message, not cut short: the buyer chooses which to drop.
The page reads the offerings, their suppliers' profiles, lots and frameworks in one query, so
its query count does not grow with the number compared.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suppliers.attributes import display_value
from suppliers.models import Offering
from suppliers.selectors import listable_offerings

MAX_COMPARED = 10
PARAMETER = "offering"
BACK_PARAMETER = "back"
# Longest `back` read on a page reached from a search or a comparison (an offering's page).
MAX_RETURN_LENGTH = 8000
# More ids than this is not a person ticking boxes: only this many are even read.
MAX_IDS_READ = 100
NOT_ASKED = gettext_lazy("Not asked on this lot")
NOT_ANSWERED = gettext_lazy("Not answered")


@dataclass
class Comparison:
    offerings: list[Offering] = field(default_factory=list)
    # Each: {"label": question, "values": [answer as read, one per offering]}.
    attribute_rows: list[dict] = field(default_factory=list)
    # What was asked for and cannot be shown: (id as given, reason).
    problems: list[str] = field(default_factory=list)
    too_many: int = 0  # how many were chosen, when more than MAX_COMPARED


def chosen_ids(values: list[str]) -> tuple[list[int], list[str]]:
    """The distinct offering ids in the order given, and a message for each value that is not
    an offering number."""
    ids: list[int] = []
    problems: list[str] = []
    for value in values[:MAX_IDS_READ]:
        text = value.strip()
        if not text:
            continue
        if not text.isdigit() or len(text) > 12:
            problems.append(_("“%(value)s” is not an offering number") % {"value": text[:50]})
            continue
        number = int(text)
        if number not in ids:
            ids.append(number)
    return ids, problems


def attribute_rows(offerings: list[Offering]) -> list[dict]:
    """One row per question asked on any of the offerings' lots (a question is the same on two
    lots when its key and wording are), in the order the lots ask them."""
    specs_by_lot = {}
    for offering in offerings:
        if offering.lot_id not in specs_by_lot:
            specs_by_lot[offering.lot_id] = {
                (spec.key, spec.label): spec for spec in offering.lot.attributes()
            }
    questions: list[tuple[str, str]] = []
    for specs in specs_by_lot.values():
        questions.extend(question for question in specs if question not in questions)
    rows = []
    for question in questions:
        values = []
        for offering in offerings:
            spec = specs_by_lot[offering.lot_id].get(question)
            if spec is None:
                values.append({"text": NOT_ASKED, "missing": True})
                continue
            text = display_value(spec, offering.attributes.get(spec.key))
            values.append({"text": text or NOT_ANSWERED, "missing": not text})
        rows.append({"label": question[1], "values": values})
    return rows


def compare_offerings(values: list[str], *, on: date) -> Comparison:
    """The comparison of the offerings `values` name, as listed on `on`."""
    ids, problems = chosen_ids(values)
    comparison = Comparison(problems=problems)
    if len(ids) > MAX_COMPARED:
        comparison.too_many = len(ids)
        return comparison
    if not ids:
        return comparison
    found = {
        offering.pk: offering
        for offering in listable_offerings(on=on)
        .filter(pk__in=ids)
        .select_related("supplier__supplier_profile", "lot__framework__authority")
    }
    for pk in ids:
        if pk in found:
            comparison.offerings.append(found[pk])
        else:
            comparison.problems.append(
                _("Offering %(number)s is not listed today, or does not exist") % {"number": pk}
            )
    for offering in comparison.offerings:
        profile = getattr(offering.supplier, "supplier_profile", None)
        offering.accreditation_labels = profile.accreditation_labels() if profile else []
    comparison.attribute_rows = attribute_rows(comparison.offerings)
    return comparison


def back_url(query: QueryDict) -> str:
    """The search the buyer came from: `back` is that search's query string. It is parsed and
    encoded again, so it can only ever add parameters to /search/, never go elsewhere."""
    search_url = reverse("search:search")
    back = QueryDict(query.get(BACK_PARAMETER, "").lstrip("?")[:4000])
    pairs = [(key, value) for key, values in back.lists() for value in values]
    return f"{search_url}?{urlencode(pairs)}" if pairs else search_url


def _reencoded(path: str, query: str) -> str:
    pairs = [(key, value) for key, values in QueryDict(query).lists() for value in values]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def return_url(value: str) -> str:
    """Where a page reached from search goes back to: `value` is the path and query of the
    search or comparison it was opened from. It is taken apart and encoded again, so it can
    only ever be /search/ or /search/compare/ with parameters; anything else gives ""."""
    parts = urlsplit((value or "")[:MAX_RETURN_LENGTH])
    if parts.scheme or parts.netloc:
        return ""
    for name in ("search:search", "search:compare"):
        path = reverse(name)
        if parts.path == path:
            return _reencoded(path, parts.query)
    return ""


def is_comparison(url: str) -> bool:
    """Is `url` (from return_url) a comparison, rather than a search?"""
    return url.startswith(reverse("search:compare"))


def compare_page(request: HttpRequest) -> HttpResponse:
    comparison = compare_offerings(request.GET.getlist(PARAMETER), on=timezone.localdate())
    return render(
        request,
        "search/compare.html",
        {
            "comparison": comparison,
            "offerings": comparison.offerings,
            "max_compared": MAX_COMPARED,
            "back_url": back_url(request.GET),
            "back_query": request.GET.get(BACK_PARAMETER, "")[:4000],
        },
    )
