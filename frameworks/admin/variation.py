"""Varying an awarded framework's terms, from the framework's page header in the admin.

After award the page editor shows the terms but takes no edits (frameworks.page_forms); this
screen changes them by frameworks.services.vary_framework, which records the variation.
Named buyers and award criteria are varied through the service only (no screen yet); the
other eligibility rules are the page editor's tick boxes.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks import eligibility, services, terms
from frameworks.models import FrameworkPage, Lot, VariationGround
from frameworks.page_forms import ELIGIBILITY_FORM_FIELDS, EligibilityFields
from marketplace.organisations.roles import Action

from .views import FrameworkActionView


def _term_field(model, name: str, initial) -> forms.Field:
    field = model._meta.get_field(name).formfield()
    field.label = str(field.label).capitalize()
    field.initial = initial
    return field


class VaryTermsForm(EligibilityFields):
    """The framework's and each open lot's terms, filled in with their current values. Named
    buyers keep their rules here: they are varied through the service only."""

    ground = forms.ChoiceField(
        label=gettext_lazy("Ground for the change"),
        choices=VariationGround.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("The ground in the Procurement Act 2023 that permits the change."),
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explanation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Why the terms change and why the ground applies. It is published on the "
            "framework's page with the old and new values."
        ),
    )

    field_order = ["ground", "explanation"]

    def __init__(self, *args, framework: FrameworkPage, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["eligible_organisations"]
        self.show_eligibility(eligibility.framework_keys(framework))
        self.lots = list(Lot.objects.filter(framework=framework).order_by("number"))
        for name in terms.FRAMEWORK_TERM_FIELDS:
            self.fields[name] = _term_field(FrameworkPage, name, getattr(framework, name))
        for lot in self.lots:
            for name in terms.LOT_TERM_FIELDS:
                field = _term_field(Lot, name, getattr(lot, name))
                field.label = _("Lot %(number)s: %(term)s") % {
                    "number": lot.number,
                    "term": field.label,
                }
                self.fields[f"lot-{lot.number}-{name}"] = field

    def changes(self) -> dict:
        """The terms whose value the form changed, in vary_framework's shape."""
        changes: dict = {}
        for name in self.changed_data:
            if name.startswith("lot-"):
                _lot, number, term = name.split("-", 2)
                changes.setdefault("lots", {}).setdefault(number, {})[term] = self.cleaned_data[
                    name
                ]
            elif name in ELIGIBILITY_FORM_FIELDS:
                changes[terms.ELIGIBILITY] = self.eligibility_keys()
            elif name not in ("ground", "explanation"):
                changes[name] = self.cleaned_data[name]
        return changes


class FrameworkVariationView(FrameworkActionView):
    action = Action.EDIT_FRAMEWORKS
    form_class = VaryTermsForm
    page_title = gettext_lazy("Vary the terms")
    submit_label = gettext_lazy("Vary the terms")
    intro = gettext_lazy(
        "The framework has been awarded: its terms change only by a recorded variation. "
        "Change the terms below, give the ground and explain why. The variation is published "
        "on the framework's page with the old and new values. Close a lot from its own screen."
    )

    def _load(self):
        super()._load()
        if not terms.is_awarded(self.framework):
            raise Http404("The framework is not awarded: edit its page instead")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "framework": self.framework}

    def perform(self, form):
        services.vary_framework(
            actor=self.request.user,
            organisation=self.authority,
            framework=self.framework,
            changes=form.changes(),
            ground=form.cleaned_data["ground"],
            explanation=form.cleaned_data["explanation"],
        )
        messages.success(
            self.request, _("The terms of %(title)s are varied") % {"title": self.framework.title}
        )
        return redirect(self._explorer_url())
