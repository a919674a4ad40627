"""The one validator for an offering's answers to its lot's attribute schema.

Forms, spreadsheet imports and the service layer all call clean_attributes, so an answer is
accepted or refused the same way wherever it comes from. Answers may arrive typed (from a
form) or as text (from a spreadsheet cell); they leave as JSON-ready values.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from frameworks.attributes import AttributeKind, AttributeSpec

YES_WORDS = frozenset({"yes", "y", "true", "1"})
NO_WORDS = frozenset({"no", "n", "false", "0"})
# Several choices in one spreadsheet cell are separated like this.
MANY_SEPARATOR = ";"
MAX_TEXT_LENGTH = 500
# Longer entries are shortened when an error quotes them.
MAX_QUOTED_LENGTH = 40


class AttributeErrors(Exception):
    """Raised with every problem at once: {attribute key: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def you_entered(message: str, value) -> str:
    """The message quoting what was entered, so a person can find it in their spreadsheet."""
    text = str(value).strip()
    if len(text) > MAX_QUOTED_LENGTH:
        text = f"{text[:MAX_QUOTED_LENGTH]}…"
    return _("%(message)s (you entered “%(value)s”)") % {"message": message, "value": text}


def too_long(message: str, text: str) -> str:
    """A length error, with the length entered rather than the text itself."""
    return _("%(message)s (you entered %(length)s)") % {
        "message": message,
        "length": f"{len(text):,}",
    }


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return not any(str(item).strip() for item in value)
    return False


def _clean_text(spec: AttributeSpec, value) -> str:
    text = str(value).strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(
            too_long(
                _("%(label)s must be %(max)s characters or fewer")
                % {"label": spec.label, "max": MAX_TEXT_LENGTH},
                text,
            )
        )
    return text


def _clean_number(spec: AttributeSpec, value) -> str:
    text = str(value).strip()
    if spec.unit and text.lower().endswith(spec.unit.lower()):
        text = text[: -len(spec.unit)].strip()
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        message = (
            _("%(label)s must be a number of %(unit)s") % {"label": spec.label, "unit": spec.unit}
            if spec.unit
            else _("%(label)s must be a number") % {"label": spec.label}
        )
        raise ValueError(you_entered(message, value))
    # Stored as text so JSON keeps the exact decimal; normalise() drops trailing zeros.
    return format(number.normalize(), "f")


def _clean_yes_no(spec: AttributeSpec, value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueError(you_entered(_("%(label)s must be yes or no") % {"label": spec.label}, value))


def _option(spec: AttributeSpec, value) -> str | None:
    wanted = str(value).strip().lower()
    return next((option for option in spec.options if option.lower() == wanted), None)


def _clean_one_of(spec: AttributeSpec, value) -> str:
    option = _option(spec, value)
    if option is None:
        message = _("%(label)s must be one of: %(options)s") % {
            "label": spec.label,
            "options": ", ".join(spec.options),
        }
        raise ValueError(you_entered(message, value))
    return option


def _clean_many_of(spec: AttributeSpec, value) -> list[str]:
    items = value.split(MANY_SEPARATOR) if isinstance(value, str) else list(value)
    items = [str(item).strip() for item in items if str(item).strip()]
    unknown = [item for item in items if _option(spec, item) is None]
    if unknown:
        message = _("%(label)s must be any of: %(options)s") % {
            "label": spec.label,
            "options": ", ".join(spec.options),
        }
        raise ValueError(you_entered(message, f"{MANY_SEPARATOR} ".join(unknown)))
    chosen = {_option(spec, item) for item in items}
    return [option for option in spec.options if option in chosen]


_CLEANERS = {
    AttributeKind.TEXT: _clean_text,
    AttributeKind.NUMBER: _clean_number,
    AttributeKind.YES_NO: _clean_yes_no,
    AttributeKind.ONE_OF: _clean_one_of,
    AttributeKind.MANY_OF: _clean_many_of,
}


def clean_attributes(specs: Iterable[AttributeSpec], answers: Mapping[str, object]) -> dict:
    """Check answers against the schema; return clean values or raise AttributeErrors."""
    specs = list(specs)
    known = {spec.key for spec in specs}
    errors = {
        key: _("%(key)s is not a question on this lot") % {"key": key}
        for key in answers
        if key not in known
    }
    cleaned = {}
    for spec in specs:
        value = answers.get(spec.key)
        if _is_blank(value):
            if spec.required:
                errors[spec.key] = _("Answer “%(label)s”") % {"label": spec.label}
            continue
        try:
            cleaned[spec.key] = _CLEANERS[spec.kind](spec, value)
        except ValueError as error:
            errors[spec.key] = str(error)
    if errors:
        raise AttributeErrors(errors)
    return cleaned


def display_value(spec: AttributeSpec, value) -> str:
    """An answer as a person reads it."""
    if value is None or value == "" or value == []:
        return ""
    if spec.kind == AttributeKind.YES_NO:
        return _("Yes") if value else _("No")
    if spec.kind == AttributeKind.MANY_OF:
        return ", ".join(value)
    if spec.kind == AttributeKind.NUMBER and spec.unit:
        return f"{value} {spec.unit}"
    return str(value)


def spreadsheet_value(spec: AttributeSpec, value) -> str:
    """An answer as it is written in an import or export cell (the inverse of cleaning)."""
    if value is None:
        return ""
    if spec.kind == AttributeKind.YES_NO:
        return "yes" if value else "no"
    if spec.kind == AttributeKind.MANY_OF:
        return f"{MANY_SEPARATOR} ".join(value)
    return str(value)
