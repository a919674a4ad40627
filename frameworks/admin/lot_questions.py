"""A lot's offering questions, edited on a page of their own.

The framework page editor shows each lot's questions as a count and a link here
(frameworks.admin.panels.LotQuestionsPanel): a question editor per lot made that page slow to
open. Saving here makes a new draft revision of the framework in which only this lot's questions
change (frameworks.services.save_lot_questions); the framework's approval publishes it, as it
does any edit. Whoever may open the framework in the page editor may open this page; anyone
else gets 404.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin import messages as wagtail_messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.mixins import PanelMixin

from frameworks import selectors, services
from frameworks.models import Lot
from marketplace.exceptions import DomainError


class LotQuestionsForm(forms.Form):
    """The lot's attribute_schema field alone, as the model makes it: the same block, so the
    same validation, as the page editor used."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attribute_schema"] = Lot._meta.get_field("attribute_schema").formfield()


class LotQuestionsView(PanelMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "frameworks/admin/lot_questions.html"
    form_class = LotQuestionsForm
    header_icon = "list-ul"
    submit_button_label = gettext_lazy("Save draft")
    submit_button_active_label = gettext_lazy("Saving…")

    def dispatch(self, request, *args, page_id: int, number: int, **kwargs):
        self.framework = selectors.get_framework_for_editing(user=request.user, page_id=page_id)
        self.lot = selectors.get_draft_lot(
            draft=self.framework.get_latest_revision_as_object(), number=number
        )
        return super().dispatch(request, *args, page_id=page_id, number=number, **kwargs)

    def get_panel(self):
        return ObjectList([FieldPanel("attribute_schema")]).bind_to_model(Lot)

    def get_bound_panel(self, form):
        return self.panel.get_bound_panel(request=self.request, instance=self.lot, form=form)

    def get_initial(self):
        return {"attribute_schema": self.lot.attribute_schema}

    def get_page_title(self):
        return _("Offering questions for %(lot)s") % {"lot": self.lot}

    def _editor_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=(self.framework.pk,))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self._editor_url(), "label": self.framework.get_admin_display_title()},
            {"url": "", "label": self.get_page_title()},
        ]

    def _locked_message(self) -> str:
        """Why a save would be refused, shown before the person starts, as the editor does."""
        lock = self.framework.get_lock()
        if lock is None or not lock.for_user(self.request.user):
            return ""
        return lock.get_message(self.request.user) or _("The framework is locked")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.path,
            submit_button_label=self.submit_button_label,
            submit_button_active_label=self.submit_button_active_label,
            framework=self.framework,
            lot=self.lot,
            locked_message=self._locked_message(),
        )
        return context

    def form_valid(self, form):
        try:
            services.save_lot_questions(
                actor=self.request.user,
                framework=self.framework,
                number=self.lot.number,
                questions=form.cleaned_data["attribute_schema"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Lot %(number)s's offering questions are saved in a draft of the framework. "
                "They apply once the framework is published."
            )
            % {"number": self.lot.number},
        )
        return redirect(self._editor_url())

    def form_invalid(self, form):
        wagtail_messages.validation_error(
            self.request, _("The offering questions could not be saved due to errors."), form
        )
        return super().form_invalid(form)
