from datetime import timedelta

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration_in_words(value: timedelta | None) -> str:
    """`timedelta(minutes=15)` as "15 minutes", `timedelta(hours=1, minutes=30)` as
    "1 hour 30 minutes"; seconds are rounded up to the next minute."""
    if not value:
        return ""
    minutes = -(-int(value.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)
