"""The framework page's admin form: rules that need the inline rows (lots, reopenings).

The model's clean() sees only the page's own fields; lot numbers and reopening dates live in
inline formsets, so they are checked here, with the same rule functions. Who may use the
framework is edited here as tick boxes and a buyer chooser (EligibilityFields), all usable
without JavaScript, and saved as the page's eligibility rule rows (frameworks.eligibility).
"""

from types import SimpleNamespace

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminPageForm

from marketplace.organisations.choosers import NamedOrganisationsWidget, buyer_chooser_viewset
from marketplace.organisations.models import LocalAuthority, Organisation, Region
from marketplace.organisations.roles import OrganisationKind

from . import eligibility, rules, terms

ELIGIBILITY_FORM_FIELDS = (
    "eligible_kinds",
    "eligible_regions",
    "eligible_organisations",
    "councils_in_areas",
    "councils_in_regions",
    "councils_in_counties",
)


def _current_councils(type_code: str) -> list[tuple[str, str]]:
    return list(
        LocalAuthority.objects.current()
        .filter(type_code=type_code)
        .order_by("official_name")
        .values_list("code", "official_name")
    )


def _tick_boxes(label, help_text, choices) -> forms.MultipleChoiceField:
    """An unknown code is refused as an invalid choice."""
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class EligibilityFields(forms.Form):
    """Who may use a framework, as tick boxes and a buyer chooser: shown from the framework's
    rule keys (show_eligibility) and read back as keys (eligibility_keys)."""

    eligible_kinds = _tick_boxes(
        gettext_lazy("Eligible kinds of organisation"),
        gettext_lazy("With a region ticked below, only those in it. None ticked: buyers."),
        OrganisationKind.choices,
    )
    eligible_regions = _tick_boxes(
        gettext_lazy("Eligible regions"),
        gettext_lazy("The ITL1 regions of the kinds ticked above. None ticked: everywhere."),
        Region.choices,
    )
    eligible_organisations = forms.ModelMultipleChoiceField(
        # Named bodies are buyers, chosen by search: there are too many for a list.
        queryset=Organisation.objects.filter(kind=OrganisationKind.BUYER),
        required=False,
        widget=NamedOrganisationsWidget(buyer_chooser_viewset),
        label=gettext_lazy("Named organisations"),
        help_text=gettext_lazy("Buyers that may use the framework whatever their region."),
    )
    councils_in_areas = _tick_boxes(
        gettext_lazy("Councils in a combined authority's area"),
        gettext_lazy("Every council that belongs to the combined authority."),
        lambda: _current_councils(eligibility.COMBINED_AUTHORITY),
    )
    councils_in_regions = _tick_boxes(
        gettext_lazy("Councils in a region"),
        gettext_lazy("Every council in the region, whatever its kind of council."),
        Region.choices,
    )
    councils_in_counties = _tick_boxes(
        gettext_lazy("Councils in a county"),
        gettext_lazy("The county council and every district council in its area."),
        lambda: _current_councils(eligibility.COUNTY_COUNCIL),
    )

    def show_eligibility(self, keys) -> None:
        self._eligibility_shown = eligibility.parse(keys)
        shown = self._eligibility_shown
        self.initial.update(
            eligible_kinds=list(dict.fromkeys([*shown.kinds, *shown.regional_kinds])),
            eligible_regions=shown.regions,
            eligible_organisations=shown.organisations,
            councils_in_areas=shown.areas,
            councils_in_regions=shown.council_regions,
            councils_in_counties=shown.counties,
        )

    def eligibility_keys(self) -> list[str]:
        """The rule keys the ticked boxes make. Without the named organisations field (the
        variation screen) the named organisations are kept as they were."""
        data = self.cleaned_data
        named = data.get("eligible_organisations")
        return eligibility.rule_keys(
            kinds=data.get("eligible_kinds", ()),
            regions=data.get("eligible_regions", ()),
            organisations=(
                self._eligibility_shown.organisations
                if "eligible_organisations" not in self.fields
                else [organisation.pk for organisation in named or ()]
            ),
            areas=data.get("councils_in_areas", ()),
            council_regions=data.get("councils_in_regions", ()),
            counties=data.get("councils_in_counties", ()),
        )


def _live_rows(formset) -> list[dict]:
    """Cleaned data of the rows that would be kept (valid, filled in and not deleted)."""
    if formset is None:
        return []
    # Each row on its own: the formset's own checks run later, in ClusterForm.is_valid().
    return [
        form.cleaned_data
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _stored_lot(form):
    """The one stored lot a lot form edits, as a queryset."""
    return type(form.instance).objects.filter(pk=form.instance.pk)


def _fix_fields(form, names) -> None:
    for name in names:
        field = form.fields.get(name)
        if field is not None:
            field.disabled = True
            field.help_text = f"{_(terms.FIXED_HINT)}. {field.help_text or ''}".strip()


def _is_deleted(form) -> bool:
    form.is_valid()  # cleans the row: cleaned_data holds its DELETE box even if it is invalid
    return bool(form.cleaned_data.get("DELETE"))


class FrameworkPageForm(EligibilityFields, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_eligibility(eligibility.framework_keys(self.instance))
        self.is_awarded = self._is_awarded()
        if self.is_awarded:
            self._fix_terms()

    def _is_awarded(self) -> bool:
        """Judged on the live row: a draft cannot move the award date to free the terms."""
        if self.instance.pk is None:
            return False
        award_on = (
            type(self.instance)
            .objects.filter(pk=self.instance.pk)
            .values_list("award_on", flat=True)
            .first()
        )
        return award_on is not None and timezone.localdate() >= award_on

    def _fix_terms(self) -> None:
        """After award the terms change only by a variation: show them, but take no edits."""
        _fix_fields(self, (*terms.FRAMEWORK_TERM_FIELDS, *ELIGIBILITY_FORM_FIELDS))
        for form in getattr(self.formsets.get("lots"), "forms", []):
            if form.instance.pk:
                _fix_fields(form, terms.LOT_TERM_FIELDS)
        for form in getattr(self.formsets.get("award_criteria"), "forms", []):
            _fix_fields(form, terms.CRITERION_FIELDS)

    def save(self, commit=True):
        """The ticked rules become the page's rule rows, kept by key so unchanged rows keep
        their ids: a revision holds them, and publishing writes them. After award the rules
        are left exactly as they are (a variation changes them)."""
        from .models import EligibilityRule

        if not self.is_awarded:
            existing = {rule.key: rule for rule in self.instance.eligibility_rules.all()}
            self.instance.eligibility_rules = [
                existing.get(key) or EligibilityRule(key=key) for key in self.eligibility_keys()
            ]
        return super().save(commit=commit)

    def clean(self):
        cleaned_data = super().clean()
        self._check_lot_numbers()
        self._check_removed_lots()
        self._check_reopenings(cleaned_data)
        self._check_award_criteria()
        if self.is_awarded:
            self._check_awarded_rows()
        return cleaned_data

    def _check_award_criteria(self) -> None:
        rows = _live_rows(self.formsets.get("award_criteria"))
        weightings = [row["weighting"] for row in rows if row.get("weighting")]
        for error in terms.award_criteria_errors(weightings):
            self.add_error(None, error)

    def _check_awarded_rows(self) -> None:
        """No lot or award criterion is added or taken away by a page edit after award."""
        from .models.pages import lots_with_records

        for form in getattr(self.formsets.get("lots"), "forms", []):
            if form.instance.pk is None and form.has_changed() and not _is_deleted(form):
                self.add_error(
                    None,
                    _(
                        "The framework has been awarded: a lot cannot be added by editing the "
                        "page. Its lots are fixed at award and change only by a variation."
                    ),
                )
            # A lot with records has its own message (_check_removed_lots).
            elif (
                form.instance.pk
                and _is_deleted(form)
                and not lots_with_records(_stored_lot(form)).exists()
            ):
                self.add_error(
                    None,
                    _(
                        "Lot %(number)s cannot be removed: the framework has been awarded. "
                        "Close the lot instead."
                    )
                    % {"number": form.instance.number},
                )
        for form in getattr(self.formsets.get("award_criteria"), "forms", []):
            added = form.instance.pk is None and form.has_changed() and not _is_deleted(form)
            if added or (form.instance.pk and _is_deleted(form)):
                self.add_error(
                    None,
                    _(
                        "The framework has been awarded: its award criteria are fixed at award "
                        "and change only by a variation."
                    ),
                )
                return

    def _check_removed_lots(self) -> None:
        """A lot with appointments is closed, never removed: refuse here, not at publish."""
        formset = self.formsets.get("lots")
        if formset is None or self.instance.pk is None:
            return
        # Imported here: the page model imports this form.
        from .models.pages import lots_with_records

        kept = {form.instance.pk for form in formset.forms if not _is_deleted(form)}
        removed = (
            lots_with_records(formset.model.objects.filter(framework_id=self.instance.pk))
            .exclude(pk__in=kept)
            .select_related("closure")
            .order_by("number")
        )
        for lot in removed:
            names = {"number": lot.number, "title": lot.title}
            if lot.is_closed:
                message = _(
                    "Lot %(number)s, %(title)s, is closed and cannot be removed: it keeps the "
                    "record of its appointments."
                )
            else:
                message = _(
                    "Lot %(number)s, %(title)s, has appointments and cannot be removed. "
                    "Close it instead."
                )
            self.add_error(None, message % names)

    def _check_lot_numbers(self) -> None:
        formset = self.formsets.get("lots")
        rows = _live_rows(formset)
        duplicates = rules.duplicate_lot_numbers(
            row["number"] for row in rows if row.get("number") is not None
        )
        if not duplicates:
            return
        message = _(
            "Two or more lots have the number %(numbers)s: give each lot its own number"
        ) % {"numbers": ", ".join(str(number) for number in duplicates)}
        self.add_error(None, message)
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("number") in duplicates and not data.get("DELETE"):
                form.add_error("number", _("Another lot already has this number"))

    def _check_reopenings(self, cleaned_data: dict) -> None:
        """The rules that need the reopening rows or the appointments (s.49). The model's
        clean() checks the rest, so only errors it cannot see are added here."""
        reopenings = [
            (row["opens_on"], row["closes_on"], row.get("award_on"))
            for row in _live_rows(self.formsets.get("reopenings"))
            if row.get("opens_on") and row.get("closes_on")
        ]
        fields = SimpleNamespace(
            **{name: cleaned_data.get(name) for name in rules.FRAMEWORK_RULE_FIELDS},
        )
        fields.longer_term_reason = fields.longer_term_reason or ""
        as_of = timezone.localdate()
        seen_by_model = rules.framework_errors(fields, as_of=as_of)
        errors = rules.framework_errors(
            fields,
            reopenings=reopenings,
            supplier_count=self.instance.appointed_supplier_count(),
            as_of=as_of,
        )
        for name, message in errors.items():
            if seen_by_model.get(name) == message:
                continue
            self.add_error(None if name == "reopenings" else name, message)
