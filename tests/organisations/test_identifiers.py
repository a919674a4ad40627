from django.core.exceptions import ValidationError

import pytest

from marketplace.organisations import identifiers


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("1234567", "01234567"),
        ("123", "00000123"),
        ("01234567", "01234567"),
        ("sc123456", "SC123456"),
        ("NI 012 345", "NI012345"),
        (" oc301234 ", "OC301234"),
    ],
)
def test_company_numbers_are_normalised(raw, normalised):
    assert identifiers.normalise_company_number(raw) == normalised


@pytest.mark.parametrize("value", ["01234567", "1234567", "SC123456", "NI012345", "OC301234"])
def test_valid_company_numbers_pass(value):
    identifiers.validate_company_number(value)


@pytest.mark.parametrize("value", ["123456789", "XX123456", "SC12345", "SC1234567", "ABCDEFGH"])
def test_invalid_company_numbers_fail(value):
    with pytest.raises(ValidationError) as error:
        identifiers.validate_company_number(value)

    assert error.value.code == "invalid_company_number"


@pytest.mark.parametrize("value", ["GB-MAN", "gb-man", "MAN", "GB-BIR", "GB-CRF", "GB-BFS"])
def test_valid_council_codes_pass(value):
    identifiers.validate_council_code(value)


@pytest.mark.parametrize("value", ["GB-XXX", "XXX", "FR-75", "GB-", "GB-MANC"])
def test_invalid_council_codes_fail(value):
    with pytest.raises(ValidationError) as error:
        identifiers.validate_council_code(value)

    assert error.value.code == "invalid_council_code"


def test_council_code_is_normalised_with_country_prefix():
    assert identifiers.normalise_council_code(" man ") == "GB-MAN"


@pytest.mark.parametrize("value", ["1123456", "212345", "SC012345", "sc012345", "NIC100001"])
def test_valid_charity_numbers_pass(value):
    identifiers.validate_charity_number(value)


@pytest.mark.parametrize("value", ["12345", "12345678", "SC01234", "NI100001", "CH123456"])
def test_invalid_charity_numbers_fail(value):
    with pytest.raises(ValidationError) as error:
        identifiers.validate_charity_number(value)

    assert error.value.code == "invalid_charity_number"


@pytest.mark.parametrize(
    ("raw", "normalised"), [("ls14ap", "LS1 4AP"), ("SW1A1AA", "SW1A 1AA"), ("m1  1aa", "M1 1AA")]
)
def test_postcodes_are_normalised(raw, normalised):
    assert identifiers.normalise_postcode(raw) == normalised


@pytest.mark.parametrize("value", ["LS1 4AP", "SW1A 1AA", "M1 1AA", "B33 8TH", "CR2 6XH"])
def test_valid_postcodes_pass(value):
    identifiers.validate_postcode(value)


@pytest.mark.parametrize("value", ["LS1", "12345", "LS1 4A", "QQQ 1AA", "M1 1AAA"])
def test_invalid_postcodes_fail(value):
    with pytest.raises(ValidationError) as error:
        identifiers.validate_postcode(value)

    assert error.value.code == "invalid_postcode"


@pytest.mark.parametrize(
    ("entered", "stored"),
    [("PDDW-2534-TWPT", "PDDW-2534-TWPT"), (" gb-ppon-pddw-2534-twpt ", "PDDW-2534-TWPT")],
)
def test_ppon_is_normalised_and_valid(entered, stored):
    assert identifiers.normalise_ppon(entered) == stored
    identifiers.validate_ppon(entered)


@pytest.mark.parametrize(
    "value",
    ["", "PDDW2534TWPT", "ADDW-2534-TWPT", "PDDW-253-TWPT", "PDDW-2534-TWP1", "P123-4567-ABCD"],
)
def test_malformed_ppons_fail(value):
    with pytest.raises(ValidationError) as error:
        identifiers.validate_ppon(value)

    assert error.value.code == "invalid_ppon"


@pytest.mark.parametrize("value", ["RW3", "00T", "rw3 ", "Y02345", "ABCDEF"])
def test_valid_ods_codes_pass(value):
    identifiers.validate_ods_code(value)


@pytest.mark.parametrize("value", ["", "RW", "RW3ABCD", "RW-3", "RW_3"])
def test_invalid_ods_codes_fail(value):
    with pytest.raises(ValidationError):
        identifiers.validate_ods_code(value)


@pytest.mark.parametrize(
    ("value", "valid"), [("100000", True), ("12345", False), ("1234567", False), ("12345A", False)]
)
def test_urns_are_six_digits(value, valid):
    if valid:
        identifiers.validate_urn(value)
    else:
        with pytest.raises(ValidationError):
            identifiers.validate_urn(value)
