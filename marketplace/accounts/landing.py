"""Where someone starts after signing in when they did not ask for a page: where their work is.

Each kind of organisation has a home in the app that serves it, named here by URL name only
(the core imports nothing from frameworks or suppliers): a supplier's portal, a buyer's
frameworks, an authority's admin dashboard.
"""

from django.http import HttpRequest
from django.urls import reverse

from marketplace.organisations.roles import OrganisationKind
from marketplace.organisations.selectors import acting_membership

ADMIN_HOME = "wagtailadmin_home"
HOME_BY_KIND = {
    OrganisationKind.SUPPLIER: "suppliers:dashboard",
    OrganisationKind.BUYER: "frameworks:buyer-home",
    OrganisationKind.AUTHORITY: ADMIN_HOME,
}


def landing_url(request: HttpRequest) -> str:
    """The home of the organisation the user acts for; the account page to choose one."""
    if request.user.is_superuser:
        return reverse(ADMIN_HOME)
    # Asked afresh: request.membership was worked out before this request signed anyone in.
    membership = acting_membership(request)
    if membership is None:
        return reverse("accounts:dashboard")
    return reverse(HOME_BY_KIND[membership.organisation.kind])
