"""Validation and normalisation of the identifiers organisations are known by."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import pycountry

# Companies House: eight digits, or a two-letter register prefix and six digits.
COMPANY_NUMBER_PREFIXES = (
    "SC", "NI", "OC", "SO", "NC", "LP", "SL", "NL", "R0", "IP", "SP", "RS", "NP", "NO", "FC",
    "SF", "NF", "GE", "GS", "RC", "SR", "ZC", "CE", "CS", "PC", "SE", "SG", "IC", "SI", "NR",
)  # fmt: skip
_COMPANY_NUMBER = re.compile(r"^(?:\d{8}|(?:" + "|".join(COMPANY_NUMBER_PREFIXES) + r")\d{6})$")
# Charity Commission (England and Wales): 6–7 digits; OSCR: SC + 6 digits; CCNI: NIC + 6 digits.
_CHARITY_NUMBER = re.compile(r"^(?:\d{6,7}|SC\d{6}|NIC\d{6})$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


def normalise_company_number(value: str) -> str:
    """Upper-case, strip spaces and restore the leading zeros people often drop."""
    value = re.sub(r"\s+", "", value or "").upper()
    if value.isdigit() and len(value) < 8:
        value = value.zfill(8)
    return value


def validate_company_number(value: str) -> None:
    if not _COMPANY_NUMBER.match(normalise_company_number(value)):
        raise ValidationError(
            _("Enter a Companies House number in the correct format, like 01234567 or SC123456"),
            code="invalid_company_number",
        )


def normalise_charity_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_charity_number(value: str) -> None:
    if not _CHARITY_NUMBER.match(normalise_charity_number(value)):
        raise ValidationError(
            _("Enter a charity number in the correct format, like 1123456, SC012345 or NIC100001"),
            code="invalid_charity_number",
        )


def normalise_council_code(value: str) -> str:
    value = re.sub(r"\s+", "", value or "").upper()
    if value and not value.startswith("GB-"):
        value = f"GB-{value}"
    return value


def council_subdivision(code: str):
    """The ISO 3166-2:GB subdivision for a code, or None."""
    return pycountry.subdivisions.get(code=normalise_council_code(code))


def validate_council_code(value: str) -> None:
    if council_subdivision(value) is None:
        raise ValidationError(
            _("Enter a council code from ISO 3166-2:GB, like GB-MAN for Manchester"),
            code="invalid_council_code",
        )


def normalise_postcode(value: str) -> str:
    value = re.sub(r"\s+", "", value or "").upper()
    return f"{value[:-3]} {value[-3:]}" if len(value) > 3 else value


def validate_postcode(value: str) -> None:
    if not _POSTCODE.match(normalise_postcode(value)):
        raise ValidationError(_("Enter a real postcode, like LS1 4AP"), code="invalid_postcode")


# NHS Organisation Data Service (ODS) codes: 3 to 6 letters and digits, like RW3 or 00T.
_ODS_CODE = re.compile(r"^[A-Z0-9]{3,6}$")
# Schools' Unique Reference Numbers (Get Information about Schools): six digits.
_URN = re.compile(r"^\d{6}$")
# Public Procurement Organisation Numbers, as the Central Digital Platform issues them and
# publishes them under the GB-PPON scheme in its notices: "PDDW-2534-TWPT".
_PPON = re.compile(r"^P[A-Z]{3}-\d{4}-[A-Z]{4}$")


def normalise_ods_code(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_ods_code(value: str) -> None:
    if not _ODS_CODE.match(normalise_ods_code(value)):
        raise ValidationError(
            _("Enter an ODS code of 3 to 6 letters and numbers, like RW3 or 00T"),
            code="invalid_ods_code",
        )


def normalise_urn(value: str) -> str:
    return re.sub(r"\s+", "", value or "")


def validate_urn(value: str) -> None:
    if not _URN.match(normalise_urn(value)):
        raise ValidationError(_("Enter a URN of 6 digits, like 100000"), code="invalid_urn")


def normalise_ppon(value: str) -> str:
    """Upper-case, drop spaces and the GB-PPON- scheme prefix people copy from notices."""
    value = re.sub(r"\s+", "", value or "").upper()
    return value.removeprefix("GB-PPON-")


def validate_ppon(value: str) -> None:
    if not _PPON.match(normalise_ppon(value)):
        raise ValidationError(
            _(
                "Enter a PPON in the correct format, like PDDW-2534-TWPT: P and 3 letters, "
                "4 numbers and 4 letters"
            ),
            code="invalid_ppon",
        )


_EMAIL_DOMAIN = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def validate_email_domain(value: str) -> None:
    if not _EMAIL_DOMAIN.match(value or ""):
        raise ValidationError(
            _("Enter a domain like manchester.gov.uk, without the part before the @"),
            code="invalid_email_domain",
        )
