from .appointments import Appointment, DebarmentEntry
from .closures import LotClosure
from .pages import (
    AuthorityPage,
    FrameworkContact,
    FrameworkDocument,
    FrameworkIndexPage,
    FrameworkPage,
    FrameworkReopening,
    Lot,
    Regime,
    Route,
    Sector,
)
from .reference import CpvCode
from .workflow import SecondMemberApprovalTask

__all__ = [
    "Appointment",
    "AuthorityPage",
    "CpvCode",
    "DebarmentEntry",
    "FrameworkContact",
    "FrameworkDocument",
    "FrameworkIndexPage",
    "FrameworkPage",
    "FrameworkReopening",
    "Lot",
    "LotClosure",
    "Regime",
    "Route",
    "SecondMemberApprovalTask",
    "Sector",
]
