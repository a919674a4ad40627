"""Ranking a lot's suppliers (ranked list with rotation), from the framework's page header.

The ranking is one of the framework's terms: before award it is set here; once the framework
is awarded this screen varies it, with the ground and explanation a variation needs
(frameworks.services.set_lot_ranking).
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks import rules, services, terms
from frameworks.models import Appointment, DirectAwardMethod, Lot, VariationGround
from marketplace.organisations.roles import Action

from .views import FrameworkActionView


class LotRankingForm(forms.Form):
    """A rank for each active supplier on the lot; the ground and explanation once awarded."""

    def __init__(self, *args, appointments, is_awarded: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.appointments = appointments
        for appointment in appointments:
            self.fields[f"rank-{appointment.pk}"] = forms.IntegerField(
                label=str(appointment.supplier),
                required=False,
                initial=appointment.rank,
                min_value=1,
                max_value=len(appointments),
                help_text=_("From 1 (offered first) to %(count)s") % {"count": len(appointments)},
            )
        if is_awarded:
            self.fields["ground"] = forms.ChoiceField(
                label=gettext_lazy("Ground for the change"),
                choices=VariationGround.choices,
                widget=forms.RadioSelect,
                help_text=gettext_lazy(
                    "The framework is awarded: its ranking changes only by a variation, "
                    "published on the framework's page with the old and new rankings."
                ),
            )
            self.fields["explanation"] = forms.CharField(
                label=gettext_lazy("Explanation"),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=gettext_lazy("Why the ranking changes and why the ground applies."),
            )

    def clean(self):
        cleaned_data = super().clean()
        ranks = {
            str(appointment.supplier): cleaned_data.get(f"rank-{appointment.pk}")
            for appointment in self.appointments
        }
        for problem in rules.ranking_errors(ranks):
            self.add_error(None, problem)
        return cleaned_data

    def supplier_ids(self) -> list[int]:
        """The suppliers in rank order."""
        ranked = sorted(
            self.appointments,
            key=lambda appointment: self.cleaned_data[f"rank-{appointment.pk}"],
        )
        return [appointment.supplier_id for appointment in ranked]


class LotRankingView(FrameworkActionView):
    action = Action.EDIT_FRAMEWORKS
    form_class = LotRankingForm
    header_icon = "list-ol"
    submit_label = gettext_lazy("Save the ranking")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.number = kwargs["number"]

    def _load(self):
        super()._load()
        lot = Lot.objects.filter(framework=self.framework, number=self.number).first()
        if lot is None or lot.direct_award_method != DirectAwardMethod.RANKED_ROTATION:
            raise Http404("No lot with a ranked list")
        self.lot = lot
        self.is_awarded = terms.is_awarded(self.framework)
        self.appointments = list(
            Appointment.objects.filter(lot=lot, status=Appointment.Status.ACTIVE)
            .select_related("supplier")
            .order_by("rank", "supplier__legal_name")
        )

    def get_page_title(self):
        title = _("Rank the suppliers on %(lot)s") % {"lot": self.lot}
        return _("Error: %(title)s") % {"title": title} if self.has_errors else title

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "appointments": self.appointments,
            "is_awarded": self.is_awarded,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _(
            "A direct award on this lot is offered down this ranking: rank 1 first. A supplier "
            "awarded a contract waits at the bottom for %(days)s days, then returns to its "
            "rank. Rank every active supplier, each with its own rank."
        ) % {"days": self.lot.rotation_period_days}
        return context

    def perform(self, form):
        services.set_lot_ranking(
            actor=self.request.user,
            organisation=self.authority,
            lot=self.lot,
            supplier_ids=form.supplier_ids(),
            ground=form.cleaned_data.get("ground", ""),
            explanation=form.cleaned_data.get("explanation", ""),
        )
        messages.success(self.request, _("The ranking of %(lot)s is saved") % {"lot": self.lot})
        return redirect(self._explorer_url())
