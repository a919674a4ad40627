"""How bids are marked: pure arithmetic on Decimals, so a worked example can pin it exactly.

* Price: by the competition's formula; by default the lowest price divided by the bid's price,
  times the price weight (the lowest bid gets the whole price weight).
* Quality: for each criterion, its weighting (share of the quality mark) times the moderated
  mark out of 10, times the quality share (100 minus the price weight).
* Each part is rounded to 0.01, half up, so the parts a supplier is shown add
  up to the total shown.
* Ranking: highest total first; a tie goes to the higher quality score, then the lower price,
  then the bid started first (the lower key).
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import MARK_MAX, PriceFormula

PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def price_score(
    *,
    price: Decimal,
    lowest_price: Decimal,
    price_weight: int,
    formula: str = PriceFormula.LOWEST_PRICE_OVER_BID_PRICE,
) -> Decimal:
    if price <= 0 or lowest_price <= 0:
        raise ValueError("Prices must be more than zero")
    if lowest_price > price:
        raise ValueError("The lowest price cannot be above the bid's price")
    if formula != PriceFormula.LOWEST_PRICE_OVER_BID_PRICE:
        raise ValueError(f"Unknown price formula {formula!r}")
    return _round(lowest_price / price * price_weight)


def criterion_score(*, weighting: int, mark: int, quality_weight: int) -> Decimal:
    """A criterion's part of the total mark: weighting x mark/10 x quality share."""
    if not 0 <= mark <= MARK_MAX:
        raise ValueError(f"A mark must be from 0 to {MARK_MAX}, not {mark}")
    return _round(Decimal(weighting * mark * quality_weight) / (MARK_MAX * HUNDRED))


@dataclass(frozen=True)
class BidToScore:
    key: Hashable  # the bid's id: the lower key wins a tie that nothing else breaks
    price: Decimal
    marks: Mapping[Hashable, int]  # criterion key -> moderated mark out of 10


@dataclass(frozen=True)
class ScoredBid:
    key: Hashable
    rank: int
    price: Decimal
    price_score: Decimal
    criterion_scores: dict  # criterion key -> that criterion's part of the total
    quality_score: Decimal
    total: Decimal


def score_bids(
    *,
    bids: Sequence[BidToScore],
    weightings: Mapping[Hashable, int],
    price_weight: int,
    formula: str = PriceFormula.LOWEST_PRICE_OVER_BID_PRICE,
) -> list[ScoredBid]:
    """Every bid's scores, ranked. `weightings` maps each criterion key to its weighting;
    every bid needs a mark for every criterion."""
    if not bids:
        return []
    quality_weight = 100 - price_weight
    lowest = min(bid.price for bid in bids)
    unranked = []
    for bid in bids:
        if missing := set(weightings) - set(bid.marks):
            raise ValueError(f"Bid {bid.key} has no mark for {sorted(map(str, missing))}")
        parts = {
            key: criterion_score(
                weighting=weighting, mark=bid.marks[key], quality_weight=quality_weight
            )
            for key, weighting in weightings.items()
        }
        price_part = price_score(
            price=bid.price, lowest_price=lowest, price_weight=price_weight, formula=formula
        )
        quality = sum(parts.values(), Decimal("0.00"))
        unranked.append((bid, price_part, parts, quality, price_part + quality))
    unranked.sort(key=lambda row: (-row[4], -row[3], row[0].price, row[0].key))
    return [
        ScoredBid(
            key=bid.key,
            rank=rank,
            price=bid.price,
            price_score=price_part,
            criterion_scores=parts,
            quality_score=quality,
            total=total,
        )
        for rank, (bid, price_part, parts, quality, total) in enumerate(unranked, start=1)
    ]
