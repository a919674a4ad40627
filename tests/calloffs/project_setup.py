"""Lots for buying-project tests: a live framework's lot whose band, term and routes are known."""

from frameworks.models import Lot
from tests import factories

LOT_TERMS = {
    "number": 1,
    "title": "Parks and open spaces",
    "minimum_value": "10000.00",
    "maximum_value": "100000.00",
    "maximum_term_months": 24,
    "allows_direct_award": True,
    "allows_further_competition": True,
    "direct_award_method": "search_shortlist",
    "direct_award_mechanism": "The best value offering of a frozen search, by price.",
}


def fitting_lot(framework_fields=None, **terms) -> Lot:
    """Lot 1 of a new live framework any buyer may use: £10,000 to £100,000, up to 24 months,
    direct award by search and shortlist or further competition (unless `terms` say otherwise)."""
    page = factories.framework_page(lots=[{**LOT_TERMS, **terms}], **(framework_fields or {}))
    return page.lots.select_related("framework").get()
