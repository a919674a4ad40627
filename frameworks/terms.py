"""The terms a framework fixes at award (Procurement Act 2023, issue 9 point 6).

Once a framework is awarded its terms change only by a recorded variation
(s.74 and Schedule 8); a page edit never changes them.
"""

from datetime import date


def publication_errors(framework, *, as_of: date) -> list[str]:
    """Why publishing this framework page would change its terms silently."""
    return []
