"""Call-offs: how a buyer gets from a search to a contract."""

from .awards import (
    Award,
    Contract,
    KeyPerformanceIndicator,
    KpiRating,
    PerformanceAssessment,
    RulesApplied,
)
from .progress import KpiProgressReport
from .projects import BuyerSettings, BuyingProject
from .saved import NAME_MAX_LENGTH, SavedSearch
from .selection import RotationOffer, Shortlist, ShortlistItem

__all__ = [
    "NAME_MAX_LENGTH",
    "Award",
    "BuyerSettings",
    "BuyingProject",
    "Contract",
    "KeyPerformanceIndicator",
    "KpiProgressReport",
    "KpiRating",
    "PerformanceAssessment",
    "RotationOffer",
    "RulesApplied",
    "SavedSearch",
    "Shortlist",
    "ShortlistItem",
]
