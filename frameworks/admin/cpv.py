"""Choosing CPV codes in the admin: a text field of codes and a searchable chooser.

The vocabulary has 9,454 codes, too many for a list. A framework's or lot's codes are typed
in a text box ("72000000-5, 90600000"), which works without JavaScript and is checked against
the table; the "Choose CPV codes" button (shown only with JavaScript) opens Wagtail's chooser
modal, searched by code, start of a code or words of the title, and adds the codes picked.

The admin forms get CpvCodesField for every ParentalManyToManyField to CpvCode through
Wagtail's form field override (registered in frameworks.admin.panels, which the models import,
so that it is in place before any admin form class is made).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet

from frameworks import selectors
from frameworks.models import CpvCode
from frameworks.models.reference import CODE_PATTERN, significant_prefix

_SEPARATORS = re.compile(r"[\s,;]+")


def _terms(text: str) -> list[str]:
    return [term for term in _SEPARATORS.split(text or "") if term]


# The chooser modal ----------------------------------------------------------------------------


class CpvSearchForm(BaseFilterForm):
    """Search by code, start of a code or words of the title (selectors.cpv_matching)."""

    q = forms.CharField(
        label=_("Code or words"),
        required=False,
        help_text=_("A code or its start, like 72000000-5 or 7221, or words of its title."),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects & selectors.cpv_matching(query)
        return objects


class CpvListing:
    filter_form_class = CpvSearchForm
    ordering = ["code"]

    @property
    def columns(self):
        return [
            *super().columns,
            Column("level", label=_("Level"), accessor="get_level_display", width="15%"),
        ]


class CpvChooseView(CpvListing, ChooseView):
    pass


class CpvChooseResultsView(CpvListing, ChooseResultsView):
    pass


class CpvChosenResponse:
    """The code and its title apart, so the form's script can add the code to the text box."""

    def get_chosen_response_data(self, item):
        return {**super().get_chosen_response_data(item), "code": item.code, "label": item.title}


class CpvChosenView(CpvChosenResponse, ChosenView):
    pass


class CpvChosenMultipleView(CpvChosenResponse, ChosenMultipleView):
    pass


class CpvChooserViewSet(ChooserViewSet):
    model = CpvCode
    icon = "tag"
    per_page = 25
    page_title = _("Choose CPV codes")
    choose_one_text = _("Choose a CPV code")
    choose_another_text = _("Choose another CPV code")
    register_widget = False  # the forms use CpvCodesField, many codes in one text box
    choose_view_class = CpvChooseView
    choose_results_view_class = CpvChooseResultsView
    chosen_view_class = CpvChosenView
    chosen_multiple_view_class = CpvChosenMultipleView

    def get_object_list(self):
        return CpvCode.objects.all()


cpv_chooser_viewset = CpvChooserViewSet("cpv_chooser", url_prefix="cpv-chooser")


# The form field -------------------------------------------------------------------------------


class CpvCodesWidget(forms.TextInput):
    """A text box of codes, the codes it holds with their titles, and a button (revealed by
    the script) that opens the chooser modal and adds the codes picked to the box."""

    template_name = "frameworks/admin/widgets/cpv_codes.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    @property
    def media(self):
        return forms.Media(
            js=[
                versioned_static("wagtailadmin/js/modal-workflow.js"),
                versioned_static("wagtailadmin/js/chooser-modal.js"),
                "frameworks/admin/cpv-codes.js",
            ]
        )

    @staticmethod
    def _codes(value) -> list[CpvCode]:
        """The CpvCode rows a value names: rows as they are, ids or typed text looked up."""
        if not value:
            return []
        if isinstance(value, str):
            digits = [match.group(1) for match in map(CODE_PATTERN.match, _terms(value)) if match]
            return list(CpvCode.objects.filter(path__in={significant_prefix(d) for d in digits}))
        items = list(value)
        if all(isinstance(item, CpvCode) for item in items):
            return sorted(items, key=lambda code: code.code)
        return list(CpvCode.objects.filter(pk__in=[getattr(item, "pk", item) for item in items]))

    def format_value(self, value):
        if isinstance(value, str):
            return value
        return ", ".join(code.code for code in self._codes(value))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self._codes(value)
        context["widget"]["value"] = (
            value if isinstance(value, str) else ", ".join(code.code for code in chosen)
        )
        context["chosen"] = chosen
        context["chooser_url"] = reverse(f"{cpv_chooser_viewset.name}:choose")
        return context


class CpvCodesField(forms.ModelMultipleChoiceField):
    """CPV codes typed as text, separated by commas or spaces, each with or without its check
    digit. Each must be in the vocabulary, and a check digit typed must be the code's."""

    widget = CpvCodesWidget
    default_error_messages = {
        **forms.ModelMultipleChoiceField.default_error_messages,
        "malformed": _(
            "%(terms)s: a CPV code is eight digits, with or without its check digit, "
            "like 72000000-5 or 72000000"
        ),
    }

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "Codes from the CPV 2008 vocabulary, separated by commas, like "
                "72000000-5, 90600000. The check digit is optional. Find codes by word with "
                "“Choose CPV codes”."
            ),
        )
        super().__init__(CpvCode.objects.all() if queryset is None else queryset, **kwargs)

    def prepare_value(self, value):
        """Rows stay rows, so the widget shows them without looking them up again."""
        if value and not isinstance(value, str) and hasattr(value, "__iter__"):
            items = list(value)
            if all(isinstance(item, CpvCode) for item in items):
                return items
        return super().prepare_value(value)

    def _parse(self, text: str) -> list[tuple[str, str | None, str]]:
        """(digits, check digit or None, as typed) of each term; malformed ones refused."""
        terms = _terms(text)
        malformed = [term for term in terms if not CODE_PATTERN.match(term)]
        if malformed:
            raise ValidationError(
                self.error_messages["malformed"],
                code="malformed",
                params={"terms": ", ".join(f"“{term}”" for term in malformed)},
            )
        parsed = []
        for term in terms:
            match = CODE_PATTERN.match(term)
            parsed.append((match.group(1), match.group(2), term))
        return parsed

    def clean(self, value):
        if not isinstance(value, str) and value is not None:
            # A disabled field (an awarded framework's terms) cleans its initial rows.
            return super().clean([getattr(item, "pk", item) for item in value])
        parsed = self._parse(value or "")
        if not parsed:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        found = {
            code.digits: code
            for code in self.queryset.filter(
                path__in={significant_prefix(digits) for digits, _check, _term in parsed}
            )
        }
        errors = []
        unknown = list(dict.fromkeys(term for digits, _c, term in parsed if digits not in found))
        if unknown:
            errors.append(
                ValidationError(
                    ngettext(
                        "%(codes)s is not a code of the CPV 2008 vocabulary. Check it, or find "
                        "the code with “Choose CPV codes”.",
                        "%(codes)s are not codes of the CPV 2008 vocabulary. Check them, or "
                        "find the codes with “Choose CPV codes”.",
                        len(unknown),
                    ),
                    code="unknown",
                    params={"codes": ", ".join(unknown)},
                )
            )
        for digits, check, term in parsed:
            code = found.get(digits)
            if code is not None and check is not None and code.code != f"{digits}-{check}":
                errors.append(
                    ValidationError(
                        _("%(term)s has the wrong check digit: the code is %(code)s (%(title)s)."),
                        code="check_digit",
                        params={"term": term, "code": code.code, "title": code.title},
                    )
                )
        if errors:
            raise ValidationError(errors)
        self.run_validators(value)
        return self.queryset.filter(pk__in=[code.pk for code in found.values()])

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        before = {code.digits for code in CpvCodesWidget._codes(initial)}
        if isinstance(data, str):
            after = {
                match.group(1) if match else term
                for term in _terms(data)
                for match in [CODE_PATTERN.match(term)]
            }
        else:
            after = {code.digits for code in CpvCodesWidget._codes(data)}
        return before != after
