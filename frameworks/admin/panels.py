"""Panels of the framework page editor, and the form field its CPV codes get.

Imported by frameworks.models, so this module imports no models.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.panels import Panel


def _cpv_codes_form_field(db_field) -> dict:
    """A framework's and a lot's CPV codes are typed or chosen (frameworks.admin.cpv), never a
    select of 9,454 codes. Registered here, as the models load, so every admin form class made
    later has it; other many-to-many fields keep Wagtail's default."""
    if db_field.related_model._meta.label != "frameworks.CpvCode":
        return {}
    from .cpv import CpvCodesField  # it imports the models

    return {"form_class": CpvCodesField}


register_form_field_override(ParentalManyToManyField, override=_cpv_codes_form_field)


class LotQuestionsPanel(Panel):
    """A lot's offering questions in the framework editor: how many, and a link to the page
    that edits them (frameworks.admin.lot_questions). A question editor per lot on the framework
    page made it slow to open (docs/performance.md)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Offering questions"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "frameworks/admin/panels/lot_questions.html"

        def saved_number(self) -> int | None:
            """The lot's number in the framework's latest revision, or None for a lot added
            since: only a saved lot can be found by the questions page. The form's initial
            number is the saved one even while the editor shows an unsaved change to it."""
            if self.form is None or not self.instance.framework_id:
                return None
            return self.form.initial.get("number")

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            count = len(self.instance.attribute_schema or [])
            number = self.saved_number()
            context.update(
                summary=ngettext(
                    "%(count)s offering question", "%(count)s offering questions", count
                )
                % {"count": count},
                number=number,
                questions_url=None
                if number is None
                else reverse(
                    "frameworks_admin:lot-questions", args=(self.instance.framework_id, number)
                ),
            )
            return context
