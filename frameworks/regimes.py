"""Which law a framework is procured under, and what kind of framework it is.

Kept apart from the models so that frameworks.rules can use them without importing a model.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

# The Procurement Act 2023 applies to procurements begun on or after this day; earlier ones
# stay under the Public Contracts Regulations 2015 for their whole life.
PROCUREMENT_ACT_COMMENCEMENT = date(2025, 2, 24)


class Regime(models.TextChoices):
    PROCUREMENT_ACT_2023 = "pa2023", _("Procurement Act 2023")
    PCR_2015 = "pcr2015", _("Public Contracts Regulations 2015")


class FrameworkKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    OPEN = "open", _("Open framework")
    DEFENCE_AND_SECURITY = "defence_and_security", _("Defence and security")
    UTILITIES = "utilities", _("Utilities")
    LIGHT_TOUCH = "light_touch", _("Light-touch (care and other light-touch services)")


# Kinds the Act lets last up to 8 years, with a recorded reason beyond 4 (s.47(2)).
LONGER_TERM_KINDS = frozenset({FrameworkKind.DEFENCE_AND_SECURITY, FrameworkKind.UTILITIES})
# Kinds outside the s.47 term limit: an open framework has its own scheme limits (s.49), and
# a light-touch contract is exempt.
NO_TERM_LIMIT_KINDS = frozenset({FrameworkKind.OPEN, FrameworkKind.LIGHT_TOUCH})
