"""Template helpers that render Django form fields with GOV.UK Frontend markup."""

from django import forms, template

register = template.Library()

_WIDGET_KINDS = (
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.ClearableFileInput, "file"),
    (forms.FileInput, "file"),
)


@register.filter
def widget_kind(bound_field: forms.BoundField) -> str:
    widget = bound_field.field.widget
    for widget_class, kind in _WIDGET_KINDS:
        if isinstance(widget, widget_class):
            return kind
    return "input"


@register.filter
def input_type(bound_field: forms.BoundField) -> str:
    return getattr(bound_field.field.widget, "input_type", "text")


@register.filter
def is_selected(bound_field: forms.BoundField, value) -> bool:
    """Whether a choice is the field's current value (works for single and multiple choice)."""
    current = bound_field.value()
    if current is None:
        return False
    if isinstance(current, list | tuple):
        return str(value) in {str(item) for item in current}
    return str(value) == str(current)


@register.inclusion_tag("includes/fields/field.html")
def govuk_field(
    bound_field: forms.BoundField,
    label_class: str = "",
    input_class: str = "",
    is_page_heading: bool = False,
    prefix: str = "",
    suffix: str = "",
) -> dict:
    """Render one field: `{% govuk_field form.email input_class="govuk-!-width-two-thirds" %}`.

    `prefix` and `suffix` (text inputs only) show a unit beside the box, like "£" or "days".
    """
    return {
        "field": bound_field,
        "kind": widget_kind(bound_field),
        "label_class": label_class,
        "input_class": input_class,
        "is_page_heading": is_page_heading,
        "prefix": prefix,
        "suffix": suffix,
        "autocomplete": bound_field.field.widget.attrs.get("autocomplete", ""),
    }


@register.inclusion_tag("includes/fields/error_summary.html")
def govuk_error_summary(*forms_with_errors) -> dict:
    """An error summary linking to each field in error, for one or more forms."""
    errors = []
    for form in forms_with_errors:
        if form is None or not form.is_bound:
            continue
        errors.extend({"href": "", "text": message} for message in form.non_field_errors())
        for bound_field in form:
            errors.extend(
                {"href": f"#{bound_field.auto_id}", "text": message}
                for message in bound_field.errors
            )
    return {"errors": errors}
