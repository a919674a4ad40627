"""Who reaches the call-off pages: decorators that load the acting organisation and, for a
project's pages, the project itself (another organisation's project is a 404)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from marketplace.organisations.roles import OrganisationKind

from ..selectors.projects import get_project


def _acting_for(kind: str, template: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            organisation = getattr(request, "organisation", None) or None
            if organisation is None or organisation.kind != kind:
                return render(request, template, status=403)
            return view(request, organisation, *args, **kwargs)

        return wrapped

    return decorator


# Signed in and acting for a buyer organisation; otherwise a page saying how to be.
buyer_required = _acting_for(OrganisationKind.BUYER, "calloffs/not_a_buyer.html")
supplier_required = _acting_for(OrganisationKind.SUPPLIER, "calloffs/not_a_supplier.html")


def project_required(view):
    """A buyer's view of one of its organisation's projects: view(request, organisation,
    project, ...), the project found by its ``pk`` among the organisation's own."""

    @buyer_required
    @wraps(view)
    def wrapped(request, organisation, pk, *args, **kwargs):
        project = get_project(organisation=organisation, pk=pk)
        return view(request, organisation, project, *args, **kwargs)

    return wrapped
