from frameworks.regimes import FrameworkKind, Regime

from .appointments import Appointment
from .closures import LotClosure
from .criteria import AwardCriterion, SocialValueTheme
from .debarment import DebarmentDecision, DebarmentEntry, ExclusionType
from .pages import (
    AuthorityPage,
    DirectAwardMethod,
    EligibilityRule,
    FrameworkContact,
    FrameworkDocument,
    FrameworkIndexPage,
    FrameworkPage,
    FrameworkReopening,
    Lot,
    Publication,
    Route,
)
from .reference import CpvCode
from .variations import Variation, VariationGround
from .workflow import SecondMemberApprovalTask

__all__ = [
    "Appointment",
    "AuthorityPage",
    "AwardCriterion",
    "CpvCode",
    "DebarmentDecision",
    "DebarmentEntry",
    "DirectAwardMethod",
    "EligibilityRule",
    "ExclusionType",
    "FrameworkContact",
    "FrameworkDocument",
    "FrameworkIndexPage",
    "FrameworkKind",
    "FrameworkPage",
    "FrameworkReopening",
    "Lot",
    "LotClosure",
    "Publication",
    "Regime",
    "Route",
    "SecondMemberApprovalTask",
    "SocialValueTheme",
    "Variation",
    "VariationGround",
]
