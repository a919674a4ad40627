"""The supplier portal: profile, dashboard and the offering journey.

Every page acts for the supplier the signed-in user has chosen (request.organisation). Reads go
through selectors scoped to that supplier, so another supplier's offering is a 404; changes go
through suppliers.services, which check the role's permission again.
"""

import copy
import functools
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.pagination import paginate
from marketplace.calloffs.selectors.rotation import open_offer_count
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.roles import Action, OrganisationKind
from suppliers import selectors, services
from suppliers.forms import (
    ChooseLotForm,
    OfferingForm,
    SupplierProfileForm,
    field_name_for,
    initial_for,
)
from suppliers.models import Offering, SupplierProfile
from suppliers.sme import sme_status
from suppliers.validation import OfferingInvalid

from .display import (
    SIZE_LABELS,
    answer_rows,
    can_change,
    can_submit,
    can_withdraw,
    status_tag,
    with_status_tags,
)

OFFERINGS_PER_PAGE = 25
DASHBOARD_OFFERINGS_PER_LOT = 5


def _acting_supplier(request):
    organisation = request.organisation
    if organisation and organisation.kind == OrganisationKind.SUPPLIER:
        return organisation
    return None


def supplier_portal(view):
    """Passes the supplier the user acts for; anyone else is sent to the dashboard's advice."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        supplier = _acting_supplier(request)
        if supplier is None:
            return redirect("suppliers:dashboard")
        return view(request, supplier, *args, **kwargs)

    return wrapper


def _sme(profile: SupplierProfile | None) -> dict | None:
    if profile is None:
        return None
    status = sme_status(profile)
    return {"label": SIZE_LABELS[status.size], "basis": status.basis}


def _latest_version(offering: Offering) -> Offering:
    """The latest saved content: the draft of a live offering, or the offering itself."""
    version = offering.get_latest_revision_as_object()
    # A revision always keeps its offering's lot (see Offering.with_content_json).
    version.lot = offering.lot
    return version


# --- Dashboard and profile ----------------------------------------------------------------------


@login_required
def dashboard(request):
    supplier = _acting_supplier(request)
    if supplier is None:
        return render(request, "suppliers/not_a_supplier.html")
    today = timezone.localdate()
    recent = groupby(
        with_status_tags(
            selectors.recent_offerings_by_lot(
                organisation=supplier, per_lot=DASHBOARD_OFFERINGS_PER_LOT
            )
        ),
        key=lambda offering: offering.lot_id,
    )
    recent_by_lot = {lot_id: list(offerings) for lot_id, offerings in recent}
    counts = selectors.offering_counts_by_lot(organisation=supplier)
    open_lots = set(
        selectors.appointed_lots(supplier=supplier, on=today).values_list("pk", flat=True)
    )
    appointments = list(selectors.appointments_for_supplier(organisation=supplier))
    for appointment in appointments:
        appointment.is_open = appointment.lot_id in open_lots
        appointment.has_ended = appointment.ends_on is not None and appointment.ends_on < today
        appointment.recent_offerings = recent_by_lot.get(appointment.lot_id, [])
        appointment.offering_count = counts.get(appointment.lot_id, 0)
    frameworks = [
        (framework, list(rows))
        for framework, rows in groupby(appointments, key=lambda a: a.lot.framework)
    ]
    profile = selectors.profile_for(organisation=supplier)
    return render(
        request,
        "suppliers/dashboard.html",
        {
            "supplier": supplier,
            "profile": profile,
            "sme": _sme(profile),
            "frameworks": frameworks,
            "can_edit_profile": policy.can(request.user, Action.EDIT_ORGANISATION, supplier),
            "can_edit_offerings": policy.can(request.user, Action.EDIT_OFFERINGS, supplier),
            "open_offer_count": open_offer_count(organisation=supplier, on=today),
            "can_bid": policy.can(request.user, Action.ANSWER_CALLOFFS, supplier),
        },
    )


@supplier_portal
@require_http_methods(["GET", "POST"])
def profile(request, supplier):
    policy.require(request.user, Action.EDIT_ORGANISATION, supplier)
    existing = selectors.profile_for(organisation=supplier)
    # The form works on a copy so a refused change never touches the profile we hold.
    instance = copy.copy(existing) if existing else SupplierProfile(organisation=supplier)
    form = SupplierProfileForm(request.POST or None, instance=instance, organisation=supplier)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_supplier_profile(
                actor=request.user, organisation=supplier, data=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your supplier profile has been saved. Size: %(size)s.")
                % {"size": _sme(saved)["label"]},
            )
            return redirect("suppliers:dashboard")
    return render(
        request,
        "suppliers/profile_form.html",
        {"form": form, "supplier": supplier, "sme": _sme(existing)},
    )


# --- Offerings: listing ---------------------------------------------------------------------


@supplier_portal
def offering_list(request, supplier):
    lot = None
    if "lot" in request.GET:
        lot = selectors.get_lot_of_supplier(organisation=supplier, lot_id=request.GET["lot"])
    offerings = selectors.offerings_for_supplier(organisation=supplier, lot=lot)
    page = paginate(request, offerings, per_page=OFFERINGS_PER_PAGE)
    return render(
        request,
        "suppliers/offering_list.html",
        {
            "supplier": supplier,
            "lot": lot,
            "page_obj": page,
            "offerings": with_status_tags(page.object_list),
            "can_edit_offerings": policy.can(request.user, Action.EDIT_OFFERINGS, supplier),
        },
    )


@supplier_portal
def offering_detail(request, supplier, pk):
    offering = selectors.get_offering_for_supplier(organisation=supplier, pk=pk)
    (offering,) = with_status_tags([offering])
    may_edit = policy.can(request.user, Action.EDIT_OFFERINGS, supplier, offering)
    version = _latest_version(offering)
    return render(
        request,
        "suppliers/offering_detail.html",
        {
            "supplier": supplier,
            "offering": offering,
            "version": version,
            "answers": answer_rows(version),
            "is_listed": selectors.is_listed(offering=offering, on=timezone.localdate()),
            "can_change": may_edit and can_change(offering),
            "can_submit": may_edit and can_submit(offering),
            "can_withdraw": may_edit and can_withdraw(offering),
        },
    )


# --- Offerings: the journey -------------------------------------------------------------------


@supplier_portal
@require_http_methods(["GET", "POST"])
def choose_lot(request, supplier):
    policy.require(request.user, Action.EDIT_OFFERINGS, supplier)
    lots = list(selectors.appointed_lots(supplier=supplier, on=timezone.localdate()))
    form = ChooseLotForm(request.POST or None, lots=lots)
    if request.method == "POST" and form.is_valid():
        return redirect("suppliers:offering-create", lot_id=form.cleaned_data["lot"])
    return render(
        request, "suppliers/choose_lot.html", {"form": form, "lots": lots, "supplier": supplier}
    )


def _save_offering(request, supplier, form: OfferingForm, **target):
    """Save the form's content and any uploaded document; problems go on the form."""
    try:
        return services.save_offering_with_document(
            actor=request.user,
            supplier=supplier,
            data=form.content(),
            upload=form.cleaned_data.get("service_definition"),
            **target,
        )
    except OfferingInvalid as invalid:
        form.add_offering_errors(invalid)
    except DomainError as error:
        form.add_error(None, str(error))
    return None


def _after_save(request, offering: Offering, form: OfferingForm):
    if "later" in request.POST:
        messages.success(
            request,
            _("Your changes to “%(title)s” have been saved")
            % {"title": form.cleaned_data["title"]},
        )
        return redirect("suppliers:offering-detail", pk=offering.pk)
    return redirect("suppliers:offering-check", pk=offering.pk)


@supplier_portal
@require_http_methods(["GET", "POST"])
def offering_create(request, supplier, lot_id):
    policy.require(request.user, Action.EDIT_OFFERINGS, supplier)
    lot = get_object_or_404(
        selectors.appointed_lots(supplier=supplier, on=timezone.localdate()), pk=lot_id
    )
    form = OfferingForm(request.POST or None, request.FILES or None, supplier=supplier, lot=lot)
    if request.method == "POST" and form.is_valid():
        offering = _save_offering(request, supplier, form, lot=lot)
        if offering is not None:
            return _after_save(request, offering, form)
    return render(
        request,
        "suppliers/offering_form.html",
        {"form": form, "lot": lot, "supplier": supplier, "offering": None},
    )


@supplier_portal
@require_http_methods(["GET", "POST"])
def offering_edit(request, supplier, pk):
    offering = selectors.get_offering_for_supplier(organisation=supplier, pk=pk)
    policy.require(request.user, Action.EDIT_OFFERINGS, supplier, offering)
    if not can_change(offering):
        messages.error(
            request,
            _("“%(title)s” cannot be changed while it is %(status)s")
            % {"title": offering.title, "status": status_tag(offering).label.lower()},
        )
        return redirect("suppliers:offering-detail", pk=offering.pk)
    version = _latest_version(offering)
    form = OfferingForm(
        request.POST or None,
        request.FILES or None,
        supplier=supplier,
        lot=offering.lot,
        offering=offering,
        initial=initial_for(version, specs=offering.lot.attributes()),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_offering(
            request,
            supplier,
            form,
            offering=offering,
            current_document=version.service_definition,
        )
        if saved is not None:
            return _after_save(request, saved, form)
    return render(
        request,
        "suppliers/offering_form.html",
        {
            "form": form,
            "lot": offering.lot,
            "supplier": supplier,
            "offering": offering,
            "version": version,
        },
    )


@supplier_portal
@require_http_methods(["GET", "POST"])
def offering_check(request, supplier, pk):
    offering = selectors.get_offering_for_supplier(organisation=supplier, pk=pk)
    policy.require(request.user, Action.EDIT_OFFERINGS, supplier, offering)
    if not can_submit(offering):
        return redirect("suppliers:offering-detail", pk=offering.pk)
    errors = []
    if request.method == "POST":
        try:
            services.submit_offering(actor=request.user, supplier=supplier, offering=offering)
        except OfferingInvalid as invalid:
            edit_url = reverse("suppliers:offering-edit", args=[offering.pk])
            errors = [
                {"href": f"{edit_url}#id_{field_name_for(key)}", "text": message}
                for key, message in invalid.errors.items()
            ]
        except DomainError as error:
            errors = [{"href": "", "text": str(error)}]
        else:
            return redirect("suppliers:offering-submitted", pk=offering.pk)
    version = _latest_version(offering)
    return render(
        request,
        "suppliers/check_answers.html",
        {
            "supplier": supplier,
            "offering": offering,
            "version": version,
            "answers": answer_rows(version),
            "errors": errors,
        },
    )


@supplier_portal
def offering_submitted(request, supplier, pk):
    offering = selectors.get_offering_for_supplier(organisation=supplier, pk=pk)
    if not offering.awaiting_review:
        return redirect("suppliers:offering-detail", pk=offering.pk)
    return render(request, "suppliers/submitted.html", {"supplier": supplier, "offering": offering})


@supplier_portal
@require_http_methods(["GET", "POST"])
def offering_withdraw(request, supplier, pk):
    offering = selectors.get_offering_for_supplier(organisation=supplier, pk=pk)
    policy.require(request.user, Action.EDIT_OFFERINGS, supplier, offering)
    if not can_withdraw(offering):
        return redirect("suppliers:offering-detail", pk=offering.pk)
    error = None
    if request.method == "POST":
        try:
            services.withdraw_offering(actor=request.user, supplier=supplier, offering=offering)
        except DomainError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request, _("“%(title)s” has been withdrawn") % {"title": offering.title}
            )
            return redirect("suppliers:offering-list")
    return render(
        request,
        "suppliers/withdraw.html",
        {"supplier": supplier, "offering": offering, "error": error},
        status=409 if error else 200,
    )
