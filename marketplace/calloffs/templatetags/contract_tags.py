"""{% late_details_notices organisation %}: the buyer's overdue contract details notices, for
any page a buyer lands on (the buyer home, the projects list) without each view loading them."""

from django import template
from django.utils import timezone

from ..selectors.contracts import late_details_notices as late_notices_for

register = template.Library()


@register.inclusion_tag("calloffs/contracts/_late_notices.html")
def late_details_notices(organisation) -> dict:
    return {
        "late_details_notices": list(
            late_notices_for(organisation=organisation, today=timezone.localdate())
        )
    }
