"""The price formula, the quality score and the ranking, on worked examples with exact
Decimal results."""

from decimal import Decimal

import pytest

from marketplace.competitions.scoring import (
    BidToScore,
    criterion_score,
    price_score,
    score_bids,
)

# The brief: 40:60, quality criteria weighted 60, 25 and 15.
WEIGHTINGS = {"quality": 60, "local_jobs": 25, "net_zero": 15}


def bid(key, price, quality, local_jobs, net_zero):
    return BidToScore(
        key=key,
        price=Decimal(price),
        marks={"quality": quality, "local_jobs": local_jobs, "net_zero": net_zero},
    )


def test_the_worked_example_40_60_with_three_bids():
    bids = [
        bid(1, "40000.00", 8, 6, 5),
        bid(2, "50000.00", 9, 9, 8),
        bid(3, "45000.00", 6, 4, 10),
    ]

    scored = score_bids(bids=bids, weightings=WEIGHTINGS, price_weight=40)

    assert [
        (s.rank, s.key, s.price_score, s.criterion_scores, s.quality_score, s.total) for s in scored
    ] == [
        # 40000/50000 x 40 = 32; 60x0.9x0.6 = 32.4, 25x0.9x0.6 = 13.5, 15x0.8x0.6 = 7.2
        (
            1,
            2,
            Decimal("32.00"),
            {
                "quality": Decimal("32.40"),
                "local_jobs": Decimal("13.50"),
                "net_zero": Decimal("7.20"),
            },
            Decimal("53.10"),
            Decimal("85.10"),
        ),
        # the lowest price takes the whole 40; 28.8 + 9 + 4.5
        (
            2,
            1,
            Decimal("40.00"),
            {
                "quality": Decimal("28.80"),
                "local_jobs": Decimal("9.00"),
                "net_zero": Decimal("4.50"),
            },
            Decimal("42.30"),
            Decimal("82.30"),
        ),
        # 40000/45000 x 40 = 35.555... rounds to 35.56; 21.6 + 6 + 9
        (
            3,
            3,
            Decimal("35.56"),
            {
                "quality": Decimal("21.60"),
                "local_jobs": Decimal("6.00"),
                "net_zero": Decimal("9.00"),
            },
            Decimal("36.60"),
            Decimal("72.16"),
        ),
    ]


@pytest.mark.parametrize(
    ("price", "lowest", "weight", "expected"),
    [
        ("40000", "40000", 40, "40.00"),
        ("60000", "40000", 40, "26.67"),
        ("30000", "10000", 30, "10.00"),
        ("80000", "10000", 100, "12.50"),
        ("50000", "40000", 0, "0.00"),
    ],
)
def test_price_is_the_lowest_price_over_the_bids_price_times_the_price_weight(
    price, lowest, weight, expected
):
    assert price_score(
        price=Decimal(price), lowest_price=Decimal(lowest), price_weight=weight
    ) == Decimal(expected)


@pytest.mark.parametrize(
    ("weighting", "mark", "quality_weight", "expected"),
    [(60, 10, 60, "36.00"), (25, 7, 60, "10.50"), (15, 3, 55, "2.48"), (100, 0, 60, "0.00")],
)
def test_a_criterion_scores_its_weighting_times_the_mark_out_of_10_times_the_quality_share(
    weighting, mark, quality_weight, expected
):
    # 15 x 0.3 x 0.55 = 2.475, rounded half up
    assert criterion_score(weighting=weighting, mark=mark, quality_weight=quality_weight) == (
        Decimal(expected)
    )


def test_a_tie_goes_to_the_higher_quality_score():
    # 50:50. Cheap: 50 + 20 = 70; better: 40 + 30 = 70.
    cheap = bid("cheap", "40000", 4, 4, 4)
    better = bid("better", "50000", 6, 6, 6)

    scored = score_bids(bids=[cheap, better], weightings=WEIGHTINGS, price_weight=50)

    assert [(s.key, s.total) for s in scored] == [
        ("better", Decimal("70.00")),
        ("cheap", Decimal("70.00")),
    ]


def test_identical_bids_are_ranked_by_key():
    scored = score_bids(
        bids=[bid(9, "1000", 5, 5, 5), bid(4, "1000", 5, 5, 5)],
        weightings=WEIGHTINGS,
        price_weight=40,
    )

    assert [(s.rank, s.key) for s in scored] == [(1, 4), (2, 9)]


@pytest.mark.parametrize("mark", [-1, 11])
def test_a_mark_out_of_range_is_refused(mark):
    with pytest.raises(ValueError, match="A mark must be from 0 to 10"):
        criterion_score(weighting=50, mark=mark, quality_weight=60)


def test_a_bid_without_a_mark_for_every_criterion_is_refused():
    incomplete = BidToScore(key=1, price=Decimal("10"), marks={"quality": 5})

    with pytest.raises(ValueError, match="has no mark for"):
        score_bids(bids=[incomplete], weightings=WEIGHTINGS, price_weight=40)


@pytest.mark.parametrize("price", ["0", "-1"])
def test_a_price_of_zero_or_less_is_refused(price):
    with pytest.raises(ValueError, match="Prices must be more than zero"):
        price_score(price=Decimal(price), lowest_price=Decimal("1"), price_weight=40)


def test_no_bids_score_nothing():
    assert score_bids(bids=[], weightings=WEIGHTINGS, price_weight=40) == []
