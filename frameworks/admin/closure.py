"""Closing a lot of a framework, from the framework's page header in the admin.

A lot with appointments is never removed from the page: it is closed here, with the reason,
by frameworks.services.close_lot.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks import selectors, services
from frameworks.models import Lot, VariationGround
from marketplace.organisations.roles import Action

from .views import FrameworkActionView


class CloseLotForm(forms.Form):
    lot = forms.ModelChoiceField(
        label=gettext_lazy("Lot to close"),
        queryset=Lot.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Why the lot is closing, as recorded in the decision. It is kept in the audit log."
        ),
    )

    ground = forms.ChoiceField(
        label=gettext_lazy("Ground for the change"),
        choices=VariationGround.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Closing a lot after award varies the framework's terms: the ground in the "
            "Procurement Act 2023 that permits it. It is shown on the framework's page."
        ),
    )

    def __init__(self, *args, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots


class LotCloseView(FrameworkActionView):
    action = Action.EDIT_FRAMEWORKS
    form_class = CloseLotForm
    page_title = gettext_lazy("Close a lot")
    submit_label = gettext_lazy("Close the lot")
    intro = gettext_lazy(
        "A closed lot takes no new appointments or offerings, and buyers no longer see its "
        "offerings. Its appointments and offerings are kept. A lot cannot be reopened."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "lots": selectors.open_lots(framework=self.framework)}

    def perform(self, form):
        lot = form.cleaned_data["lot"]
        services.close_lot(
            actor=self.request.user,
            organisation=self.authority,
            lot=lot,
            reason=form.cleaned_data["reason"],
            ground=form.cleaned_data["ground"],
        )
        messages.success(self.request, _("%(lot)s is closed") % {"lot": lot})
        return redirect(self._explorer_url())
