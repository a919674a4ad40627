"""Authority admin screens, inside the Wagtail admin.

Every view works for one authority, the one the user is acting for (admin.access), and reads
through the frameworks selectors scoped to it, so another authority's object answers 404. The
central debarment list is the exception: platform administrators keep it, authority staff read it.
Every change is made by a frameworks.services function; a DomainError becomes a form error.
The listings and these screens are registered as viewsets in frameworks/wagtail_hooks.py.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from frameworks import debarment, selectors, services
from frameworks.appointment_import import check_rows
from frameworks.models import Appointment
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action, OrganisationKind

from . import forms
from .access import ActingAuthorityMixin, acting_authority, authorities_where
from .listing import AuthorityListingView, CellColumn, ListingView

IMPORT_SALT = "frameworks.appointment-import"
IMPORT_MAX_AGE = 60 * 60  # a preview can be confirmed for an hour


class AdminScreenMixin(WagtailAdminTemplateMixin):
    """A screen of one of this module's sections, with breadcrumbs back to its index (the
    section's viewset passes its own index_url_name)."""

    index_url_name = "appointments:index"
    index_label = gettext_lazy("Appointments")

    def get_index_url(self) -> str:
        return reverse(self.index_url_name)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        index_url = self.get_index_url()
        if self.request.path != index_url:
            items.append({"url": index_url, "label": self.index_label})
        items.append({"url": "", "label": self.get_page_title()})
        return items


class AuthorityAdminMixin(ActingAuthorityMixin, AdminScreenMixin):
    header_icon = "group"


class ServiceFormMixin:
    """A form screen: the service call lives in perform(); DomainError → form error. First in
    the bases, so its template and title win over the admin mixin's."""

    template_name = "frameworks/admin/form.html"
    submit_label = gettext_lazy("Save")
    intro = ""
    has_errors = False

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            return self.perform(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)

    def form_invalid(self, form):
        self.has_errors = True
        return super().form_invalid(form)

    def get_page_title(self):
        title = str(self.page_title)
        return _("Error: %(title)s") % {"title": title} if self.has_errors else title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            submit_label=self.submit_label,
            intro=self.intro,
            cancel_url=self.get_index_url(),
        )
        return context


class AuthorityFormView(ServiceFormMixin, AuthorityAdminMixin, FormView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "authority": self.authority}


# --- Appointments ----------------------------------------------------------------------------

APPOINTMENT_CELLS = "frameworks/admin/appointments/cells.html"


class AppointmentIndexView(AuthorityListingView):
    page_title = gettext_lazy("Appointments")

    def get_base_queryset(self):
        return selectors.with_replaced(
            selectors.appointments_for_authority(organisation=self.authority)
        )

    def get_caption(self):
        return _("Suppliers appointed to %(name)s's lots") % {"name": self.authority.name}

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(_("Appoint a supplier"), reverse("appointments:add"), icon_name="plus"),
            HeaderButton(
                _("Appoint suppliers from a CSV file"),
                reverse("appointments:import"),
                icon_name="upload",
            ),
        ]

    @cached_property
    def columns(self):
        return [
            CellColumn("supplier", label=_("Supplier"), template_name=APPOINTMENT_CELLS),
            Column("framework", label=_("Framework"), accessor="lot.framework.title"),
            Column("lot", label=_("Lot")),
            Column("starts_on", label=_("From"), accessor=lambda row: _day(row.starts_on)),
            Column(
                "ends_on",
                label=_("Until"),
                accessor=lambda row: _day(row.ends_on) or _("End of framework"),
            ),
            CellColumn("status", label=_("Status"), template_name=APPOINTMENT_CELLS),
            CellColumn("actions", label=_("Actions"), template_name=APPOINTMENT_CELLS),
        ]


def _day(value) -> str:
    return date_format(value, "j M Y") if value else ""


class AppointmentCreateView(AuthorityFormView):
    page_title = gettext_lazy("Appoint a supplier")
    submit_label = gettext_lazy("Appoint supplier")
    form_class = forms.AppointmentForm
    template_name = "frameworks/admin/appointments/add.html"
    intro = gettext_lazy(
        "Suppliers join a framework only at an award: from the award decision to the day the "
        "framework starts, or from an open framework's reopening award to the end of its "
        "standstill. Between awards a supplier can only take the place of an excluded one, "
        "where the framework's terms allow it, with the reason recorded."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "authority": self.authority}

    def get_initial(self):
        """?replaces=<id>, from an excluded appointment's row: replace that supplier."""
        pk = self.request.GET.get("replaces")
        if pk is None:
            return super().get_initial()
        if not pk.isdigit():
            raise Http404
        replaced = get_object_or_404(
            selectors.replaceable_appointments(organisation=self.authority), pk=pk
        )
        return {"lot": replaced.lot_id, "replaces": replaced.pk}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        frameworks = (
            selectors.frameworks_for_authority(organisation=self.authority)
            .filter(ends_on__gte=today)
            .prefetch_related("reopenings")
        )
        context["award_windows"] = [
            (framework, services.appointment_windows(framework)) for framework in frameworks
        ]
        context["today"] = today
        return context

    def perform(self, form):
        appointment = services.appoint_supplier(
            actor=self.request.user,
            organisation=self.authority,
            lot=form.cleaned_data["lot"],
            supplier=form.cleaned_data["supplier"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            replaces=form.cleaned_data.get("replaces"),
            reason=form.cleaned_data.get("reason", ""),
        )
        messages.success(
            self.request,
            _("%(supplier)s is appointed to %(lot)s")
            % {"supplier": appointment.supplier, "lot": appointment.lot},
        )
        return redirect(self.get_index_url())


class AppointmentStatusView(AuthorityFormView):
    page_title = gettext_lazy("Change appointment status")
    submit_label = gettext_lazy("Change status")
    form_class = forms.AppointmentStatusForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    def get_appointment(self) -> Appointment:
        if not hasattr(self, "appointment"):
            self.appointment = selectors.get_appointment_for_authority(
                organisation=self.authority, pk=self.pk
            )
        return self.appointment

    def get(self, request, *args, **kwargs):
        self.get_appointment()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_appointment()
        return super().post(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.appointment)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "appointment": self.appointment}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _("%(appointment)s is currently %(status)s.") % {
            "appointment": self.appointment,
            "status": self.appointment.get_status_display().lower(),
        }
        return context

    def perform(self, form):
        appointment = services.change_appointment_status(
            actor=self.request.user,
            organisation=self.authority,
            appointment=self.appointment,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            self.request,
            _("%(appointment)s is now %(status)s")
            % {"appointment": appointment, "status": appointment.get_status_display().lower()},
        )
        return redirect(self.get_index_url())


# --- Appointments from a CSV file --------------------------------------------------------------


class AppointmentImportView(AuthorityFormView):
    page_title = gettext_lazy("Appoint suppliers from a CSV file")
    submit_label = gettext_lazy("Check the file")
    form_class = forms.AppointmentImportForm
    intro = gettext_lazy(
        "Upload the company numbers of the suppliers to appoint. You will see every row and "
        "any problem before anything is saved; the suppliers are appointed all together or "
        "not at all."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "authority": self.authority}

    def perform(self, form):
        lot = form.cleaned_data["lot"]
        today = timezone.localdate()
        services.refuse_unless_taking_appointments(lot, on=today)
        # Between awards the whole file is refused; its rows are still checked and shown.
        starts_on, refusal = form.cleaned_data["starts_on"], None
        try:
            starts_on = services.start_at_award(lot, starts_on=starts_on, on=today)
        except DomainError as error:
            refusal = error.message
        rows = check_rows(
            rows=form.parsed.rows, lot=lot, authority=self.authority, on=starts_on or today
        )
        problems = [row for row in rows if row.problem]
        confirm_form = None
        if not problems and refusal is None:
            token = signing.dumps(
                {
                    "authority": self.authority.pk,
                    "lot": lot.pk,
                    "starts_on": starts_on.isoformat(),
                    "suppliers": [row.supplier.pk for row in rows],
                    "file": form.cleaned_data["file"].name,
                },
                salt=IMPORT_SALT,
            )
            confirm_form = forms.ConfirmImportForm(initial={"token": token})
        self.page_title = _("Check the appointments")
        self.template_name = "frameworks/admin/appointments/import_preview.html"
        return self.render_to_response(
            self.get_context_data(
                form=form,
                rows=rows,
                problems=problems,
                refusal=refusal,
                lot=lot,
                starts_on=starts_on,
                file_name=form.cleaned_data["file"].name,
                confirm_form=confirm_form,
                confirm_url=reverse("appointments:import-confirm"),
                restart_url=reverse("appointments:import"),
            )
        )


class AppointmentImportConfirmView(AuthorityAdminMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = forms.ConfirmImportForm(request.POST)
        try:
            if not form.is_valid():
                raise signing.BadSignature
            payload = signing.loads(
                form.cleaned_data["token"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
            )
        except signing.SignatureExpired:
            return self._start_again(_("The check has expired: upload the file again."))
        except signing.BadSignature:
            return self._start_again(
                _("The confirmation could not be read: upload the file again.")
            )
        if payload["authority"] != self.authority.pk:
            return self._start_again(_("The check was made for another authority."))
        lot = selectors.get_lot_for_authority(organisation=self.authority, pk=payload["lot"])
        suppliers = list(
            Organisation.objects.filter(
                pk__in=payload["suppliers"], kind=OrganisationKind.SUPPLIER
            ).order_by("legal_name")
        )
        try:
            appointments = services.appoint_suppliers_from_import(
                actor=request.user,
                organisation=self.authority,
                lot=lot,
                suppliers=suppliers,
                starts_on=parse_date(payload["starts_on"]),
                file_name=payload["file"],
            )
        except DomainError as error:
            return self._start_again(
                _("Nothing was saved: %(problem)s") % {"problem": error.message}
            )
        messages.success(
            request,
            _("%(count)s suppliers are appointed to %(lot)s")
            % {"count": len(appointments), "lot": lot},
        )
        return redirect(f"{self.get_index_url()}?{urlencode({'lot': lot.pk})}")

    def _start_again(self, message: str) -> HttpResponseRedirect:
        messages.error(self.request, message)
        return redirect(reverse("appointments:import"))


# --- The debarment list ------------------------------------------------------------------------


class DebarmentAccessMixin:
    """The central debarment list: platform administrators keep it; authority staff read it, as
    they meet its suppliers, and record their authority's decisions on discretionary entries."""

    platform_admins_only = False

    def dispatch(self, request, *args, **kwargs):
        self.keeps_list = policy.is_platform_admin(request.user)
        self.authority = acting_authority(request, Action.APPOINT_SUPPLIERS)
        if not self.keeps_list and (
            self.platform_admins_only
            or not authorities_where(request.user, Action.VIEW_ORGANISATION)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DebarmentListMixin(DebarmentAccessMixin, AdminScreenMixin):
    index_label = gettext_lazy("Debarment list")


DEBARMENT_CELLS = "frameworks/admin/debarments/cells.html"


class DebarmentIndexView(DebarmentAccessMixin, ListingView):
    page_title = gettext_lazy("Debarment list")
    template_name = "frameworks/admin/debarments/index.html"

    def get_base_queryset(self):
        return selectors.debarment_list()

    def get_caption(self):
        return _("Suppliers on the central debarment list")

    def paginate_queryset(self, queryset, page_size):
        """Marks each entry on the page as in force today or not, and with the acting
        authority's decision on it: one query for the page, whatever its length."""
        paginator, page, entries, is_paginated = super().paginate_queryset(queryset, page_size)
        today = timezone.localdate()
        page.object_list = entries = list(entries)
        decisions = selectors.debarment_decisions(organisation=self.authority, entries=entries)
        for entry in entries:
            entry.is_in_force = entry.is_in_force_on(today)
            entry.decision = decisions.get(entry.pk)
        return paginator, page, entries, is_paginated

    @cached_property
    def header_buttons(self):
        if not self.keeps_list:
            return []
        return [
            HeaderButton(
                _("Add an entry to the debarment list"),
                reverse("debarments:add"),
                icon_name="plus",
            )
        ]

    @cached_property
    def columns(self):
        columns = [
            Column("supplier", label=_("Supplier"), accessor="supplier.name"),
            Column("ground", label=_("Exclusion ground")),
            Column("exclusion_type", label=_("Type"), accessor="get_exclusion_type_display"),
            Column("starts_on", label=_("From"), accessor=lambda row: _day(row.starts_on)),
            Column(
                "expected_end_on",
                label=_("Expected end"),
                accessor=lambda row: _day(row.expected_end_on) or _("No end stated"),
            ),
            CellColumn("in_force", label=_("In force"), template_name=DEBARMENT_CELLS),
        ]
        if self.authority:
            columns.append(
                CellColumn(
                    "decision",
                    label=_("Decision of %(name)s") % {"name": self.authority.name},
                    template_name=DEBARMENT_CELLS,
                    context={"next_url": self._here()},
                )
            )
        if self.keeps_list:
            columns.append(CellColumn("actions", label=_("Actions"), template_name=DEBARMENT_CELLS))
        return columns

    def _here(self) -> str:
        """This page of the listing, filters and all (the results view's own URL is a
        fragment): where the decision page comes back to."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        return f"{self.index_url}?{query.urlencode()}" if query else self.index_url


class DebarmentCreateView(ServiceFormMixin, DebarmentListMixin, FormView):
    page_title = gettext_lazy("Add an entry to the debarment list")
    submit_label = gettext_lazy("Add to the debarment list")
    form_class = forms.DebarmentForm
    platform_admins_only = True
    intro = gettext_lazy(
        "Copy the entry as the Minister's published list states it. A mandatory entry bars the "
        "supplier everywhere; a discretionary one is shown to every buyer and authority that "
        "meets the supplier, and each records its decision."
    )

    def perform(self, form):
        entry = debarment.add_debarment_entry(
            actor=self.request.user,
            supplier=form.cleaned_data["supplier"],
            ground=form.cleaned_data["ground"],
            exclusion_type=form.cleaned_data["exclusion_type"],
            starts_on=form.cleaned_data["starts_on"],
            expected_end_on=form.cleaned_data["expected_end_on"],
        )
        messages.success(
            self.request, _("%(supplier)s is on the debarment list") % {"supplier": entry.supplier}
        )
        return redirect(self.get_index_url())


class DebarmentRemoveView(ServiceFormMixin, DebarmentListMixin, FormView):
    page_title = gettext_lazy("Remove an entry from the debarment list")
    submit_label = gettext_lazy("Remove from the list")
    form_class = forms.RemoveDebarmentForm
    platform_admins_only = True

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    def _load(self):
        self.entry = get_object_or_404(
            selectors.debarment_list().filter(removed_on__isnull=True), pk=self.pk
        )

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        return super().post(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.entry.supplier)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _("%(supplier)s has been on the list since %(date)s: %(ground)s") % {
            "supplier": self.entry.supplier,
            "date": self.entry.starts_on.strftime("%-d %B %Y"),
            "ground": self.entry.ground,
        }
        return context

    def perform(self, form):
        entry = debarment.remove_debarment_entry(
            actor=self.request.user, entry=self.entry, removed_on=form.cleaned_data["removed_on"]
        )
        messages.success(
            self.request,
            _("%(supplier)s leaves the debarment list on %(date)s")
            % {"supplier": entry.supplier, "date": entry.removed_on.strftime("%-d %B %Y")},
        )
        return redirect(self.get_index_url())


# --- Suspending a framework ----------------------------------------------------------------------


class FrameworkActionView(AuthorityFormView):
    """A form about one of the authority's framework pages, reached from its page header."""

    header_icon = "warning"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.page_id = kwargs["page_id"]

    def _load(self):
        self.framework = get_object_or_404(
            selectors.frameworks_for_authority(organisation=self.authority), pk=self.page_id
        )

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        return super().post(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.framework.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self._explorer_url(), "label": self.framework.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def _explorer_url(self) -> str:
        return reverse("wagtailadmin_explore", args=(self.framework.get_parent().pk,))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self._explorer_url()
        return context


class FrameworkSuspensionView(FrameworkActionView):
    """Suspend a framework with a reason, or reinstate a suspended one."""

    action = Action.APPROVE_FRAMEWORKS
    form_class = forms.SuspendFrameworkForm

    def _load(self):
        super()._load()
        if self.framework.is_suspended:
            self.page_title = _("Reinstate the framework")
            self.submit_label = _("Reinstate the framework")
        else:
            self.page_title = _("Suspend the framework")
            self.submit_label = _("Suspend the framework")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.framework.is_suspended:
            del form.fields["reason"]
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.framework.is_suspended:
            context["intro"] = _(
                "Suspended because: %(reason)s. Reinstating returns it to the state its dates "
                "give it today."
            ) % {"reason": self.framework.suspension_reason}
        else:
            context["intro"] = _(
                "While it is suspended, the framework shows as suspended to everyone and "
                "buyers cannot call off from it."
            )
        return context

    def perform(self, form):
        if self.framework.is_suspended:
            services.reinstate_framework(
                actor=self.request.user, organisation=self.authority, framework=self.framework
            )
            message = _("%(framework)s is reinstated")
        else:
            services.suspend_framework(
                actor=self.request.user,
                organisation=self.authority,
                framework=self.framework,
                reason=form.cleaned_data["reason"],
            )
            message = _("%(framework)s is suspended")
        messages.success(self.request, message % {"framework": self.framework.title})
        return redirect(self._explorer_url())
