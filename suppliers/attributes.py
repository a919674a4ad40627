"""The one validator for an offering's answers to its lot's attribute schema.

Forms, spreadsheet imports and the service layer all call clean_attributes, so an answer is
accepted or refused the same way wherever it comes from. Answers may arrive typed (from a
form) or as text (from a spreadsheet cell); they leave as JSON-ready values.
"""

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from frameworks.attributes import PERCENTAGE_UNIT, AttributeKind, AttributeSpec

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


# Plain decimals only: ASCII digits, thousands in groups of three, an optional point. No
# exponent, NaN or Infinity, so no answer can make Decimal arithmetic overflow or grow.
NUMBER_PATTERN = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?", re.ASCII)
# Longer than any answer the bounds allow (11 digits, separators, 4 decimal places, a unit):
# such text is refused before it is parsed at all.
MAX_NUMBER_LENGTH = 60


def _number_text(spec: AttributeSpec, value) -> str:
    if isinstance(value, bool):  # a bool is an int to Python, never an answer to a number
        return ""
    if isinstance(value, int | float | Decimal):
        # Typed answers: repr of a float is its shortest exact decimal, or holds an exponent
        # (1e+16), which the pattern then refuses.
        return str(value)
    text = str(value).strip()
    if len(text) > MAX_NUMBER_LENGTH:
        return ""
    if spec.unit and text.lower().endswith(spec.unit.lower()):
        text = text[: -len(spec.unit)].strip()
    return text


def format_bound(number: Decimal) -> str:
    """A bound as people read it: 1,000,000,000 or 12.5."""
    return f"{number.normalize():,f}"


def clean_number(spec: AttributeSpec, value) -> int | float:
    """A number answer within the question's bounds, as a JSON number; raises ValueError.

    The value is an int when it is whole, otherwise a float: the bounds keep every answer to
    15 significant digits, which a float holds exactly (its repr reads back the same decimal).
    "-0" is taken as 0.
    """
    text = _number_text(spec, value)
    if not NUMBER_PATTERN.fullmatch(text) or not re.search("[0-9]", text):
        example = _("like 250") if spec.decimal_places == 0 else _("like 250 or 12.5")
        message = _("Enter %(label)s as a number, %(example)s") % {
            "label": spec.label,
            "example": example,
        }
        raise ValueError(you_entered(message, value))
    number = Decimal(text.replace(",", ""))
    if not spec.minimum <= number <= spec.maximum:
        message = _("Enter a number between %(minimum)s and %(maximum)s for %(label)s") % {
            "minimum": format_bound(spec.minimum),
            "maximum": format_bound(spec.maximum),
            "label": spec.label,
        }
        raise ValueError(you_entered(message, value))
    if number != round(number, spec.decimal_places):
        message = (
            _("Enter %(label)s as a whole number") % {"label": spec.label}
            if spec.decimal_places == 0
            else _("Enter %(label)s with no more than %(places)s decimal places")
            % {"label": spec.label, "places": spec.decimal_places}
        )
        raise ValueError(you_entered(message, value))
    if number == number.to_integral_value():
        return int(number)
    return float(number)


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
    AttributeKind.NUMBER: clean_number,
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


def number_guidance(spec: AttributeSpec) -> str:
    """What a number question accepts, for form hints and import guidance."""
    bounds = {"minimum": format_bound(spec.minimum), "maximum": format_bound(spec.maximum)}
    if spec.decimal_places == 0:
        text = _("A whole number from %(minimum)s to %(maximum)s.") % bounds
    else:
        text = _("A number from %(minimum)s to %(maximum)s, with up to %(places)s decimal places.")
        text %= {**bounds, "places": spec.decimal_places}
    if spec.unit and spec.unit != PERCENTAGE_UNIT:
        text = " ".join([text, _("In %(unit)s.") % {"unit": spec.unit}])
    return text


MONEY_SIGN = "£"


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _number_text_for(spec: AttributeSpec, value, *, grouping: bool) -> str:
    """A stored number with the question's decimal places (none when it is whole).

    Answers stored before bounds existed, which did not fit them, are still text: as they were.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    number = Decimal(str(value))
    if number == number.to_integral_value():
        places = 0
    else:
        # Never fewer places than the answer has, should an editor lower them later.
        places = max(spec.decimal_places, -number.normalize().as_tuple().exponent)
    return f"{number:{',' if grouping else ''}.{places}f}"


def display_value(spec: AttributeSpec, value) -> str:
    """An answer as a person reads it."""
    if value is None or value == "" or value == []:
        return ""
    if spec.kind == AttributeKind.YES_NO:
        return _("Yes") if value else _("No")
    if spec.kind == AttributeKind.MANY_OF:
        return ", ".join(value)
    if spec.kind == AttributeKind.NUMBER:
        text = _number_text_for(spec, value, grouping=True)
        if spec.unit == PERCENTAGE_UNIT:
            return f"{text}{PERCENTAGE_UNIT}"
        if spec.unit.startswith(MONEY_SIGN) and _is_number(value):
            # Money reads with the pound sign first: "£864 per day", "-£12.50", "£1,200".
            sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
            return f"{sign}{MONEY_SIGN}{digits}{spec.unit[len(MONEY_SIGN) :]}"
        return f"{text} {spec.unit}" if spec.unit else text
    return str(value)


def spreadsheet_value(spec: AttributeSpec, value) -> str:
    """An answer as it is written in an import or export cell (the inverse of cleaning)."""
    if value is None:
        return ""
    if spec.kind == AttributeKind.YES_NO:
        return "yes" if value else "no"
    if spec.kind == AttributeKind.MANY_OF:
        return f"{MANY_SEPARATOR} ".join(value)
    if spec.kind == AttributeKind.NUMBER:
        return _number_text_for(spec, value, grouping=False)
    return str(value)
