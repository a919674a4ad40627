"""Further competition: a brief, invited suppliers, clarifications, sealed bids and scores."""

from .bids import Bid, BidAnswer, BidDocument
from .competition import (
    Clarification,
    Competition,
    CompetitionCriterion,
    Invitation,
    PriceFormula,
)
from .evaluation import MARK_MAX, ConflictDeclaration, ModeratedScore, Score

__all__ = [
    "MARK_MAX",
    "Bid",
    "BidAnswer",
    "BidDocument",
    "Clarification",
    "Competition",
    "CompetitionCriterion",
    "ConflictDeclaration",
    "Invitation",
    "ModeratedScore",
    "PriceFormula",
    "Score",
]
