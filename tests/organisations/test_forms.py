import pytest

from marketplace.organisations.forms import (
    InviteMemberForm,
    NewAccountForm,
    OrganisationForm,
    RegisterOrganisationForm,
)
from tests import factories

VALID = {
    "kind": "supplier",
    "legal_name": "Northern Widgets Ltd",
    "company_number": "1234567",
    "region": "TLD",
    "contact_email": "hello@widgets.example",
    "postcode": "m1 1aa",
}


def register_form(data, kinds=("supplier", "buyer")):
    return RegisterOrganisationForm(data, kinds=list(kinds))


def test_valid_form_normalises_identifiers(db):
    form = register_form(
        {**VALID, "charity_number": "sc 012345", "ppon": " gb-ppon-pddw-2534-twpt"}
    )

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["company_number"], form.cleaned_data["charity_number"]) == (
        "01234567",
        "SC012345",
    )
    assert form.cleaned_data["postcode"] == "M1 1AA"
    assert form.cleaned_data["ppon"] == "PDDW-2534-TWPT"


def test_identifier_typed_with_spaces_is_accepted(db):
    form = register_form({**VALID, "company_number": "sc 123 456"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["company_number"] == "SC123456"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "company_number",
            "XX123456",
            "Enter a Companies House number in the correct format, like 01234567 or SC123456",
        ),
        (
            "ppon",
            "PDDW-2534-TWP1",
            "Enter a PPON in the correct format, like PDDW-2534-TWPT: P and 3 letters, "
            "4 numbers and 4 letters",
        ),
        (
            "ppon",
            "PDDW-2534-TWPT-EXTRA",
            "Enter a PPON in the correct format, like PDDW-2534-TWPT: P and 3 letters, "
            "4 numbers and 4 letters",
        ),
        (
            "charity_number",
            "12345",
            "Enter a charity number in the correct format, like 1123456, SC012345 or NIC100001",
        ),
        ("postcode", "LS1", "Enter a real postcode, like LS1 4AP"),
        (
            "contact_email",
            "not-an-email",
            "Enter an e-mail address in the correct format, like name@example.com",
        ),
    ],
)
def test_bad_input_names_the_field(db, field, value, message):
    form = register_form({**VALID, field: value})

    assert form.is_valid() is False
    assert form.errors[field] == [message]


def test_supplier_must_give_company_or_charity_number(db):
    form = register_form({**VALID, "company_number": ""})

    assert form.is_valid() is False
    assert form.errors["company_number"] == ["Enter a Companies House number or a charity number"]


def test_malformed_identifier_shows_only_its_format_error(db):
    form = register_form({**VALID, "company_number": "nonsense"})

    assert form.is_valid() is False
    assert form.errors["company_number"] == [
        "Enter a Companies House number in the correct format, like 01234567 or SC123456"
    ]


def test_buyer_must_give_a_company_or_charity_number(db):
    form = register_form({**VALID, "kind": "buyer", "company_number": ""})

    assert form.is_valid() is False
    assert form.errors["company_number"] == [
        "Enter a Companies House number or a charity number. Councils, NHS bodies and schools "
        "register by claiming their body instead."
    ]


def test_no_form_takes_a_typed_council_code(db):
    form = register_form({**VALID, "kind": "buyer", "council_code": "GB-MAN"})

    assert "council_code" not in form.fields
    assert form.is_valid(), form.errors
    assert "council_code" not in form.cleaned_data


def test_authority_kind_refused_when_not_offered(db):
    form = register_form({**VALID, "kind": "authority"})

    assert form.is_valid() is False
    assert form.errors["kind"] == ["Select what kind of organisation it is"]


def test_duplicate_legal_name_within_kind_is_refused(db):
    factories.OrganisationFactory(kind="supplier", legal_name="Northern Widgets Ltd")

    form = register_form({**VALID, "legal_name": "NORTHERN WIDGETS LTD"})

    assert form.is_valid() is False
    assert form.errors["legal_name"] == ["An organisation with this legal name already exists"]


def test_same_legal_name_in_another_kind_is_allowed(db):
    factories.OrganisationFactory(kind="buyer", legal_name="Northern Widgets Ltd")

    assert register_form(VALID).is_valid()


@pytest.mark.parametrize(
    ("field", "existing", "entered", "message"),
    [
        (
            "company_number",
            "01234567",
            "1234567",
            "An organisation with this Companies House number already exists",
        ),
        (
            "charity_number",
            "SC012345",
            "sc012345",
            "An organisation with this charity number already exists",
        ),
        (
            "ppon",
            "PDDW-2534-TWPT",
            "pddw-2534-twpt",
            "An organisation with this PPON already exists",
        ),
    ],
)
def test_duplicate_identifier_is_refused(db, field, existing, entered, message):
    factories.OrganisationFactory(**{field: existing})

    form = register_form({**VALID, field: entered})

    assert form.is_valid() is False
    assert form.errors[field] == [message]


def test_editing_keeps_own_identifiers_without_clash(supplier):
    data = {
        "legal_name": supplier.legal_name,
        "company_number": supplier.company_number,
        "region": supplier.region,
        "contact_email": supplier.contact_email,
        "postcode": supplier.postcode,
    }

    assert OrganisationForm(data, instance=supplier).is_valid()


def test_editing_to_another_suppliers_name_is_refused(supplier, other_supplier):
    data = {
        "legal_name": other_supplier.legal_name,
        "company_number": supplier.company_number,
        "region": supplier.region,
        "contact_email": supplier.contact_email,
    }

    form = OrganisationForm(data, instance=supplier)

    assert form.is_valid() is False
    assert form.errors["legal_name"] == ["An organisation with this legal name already exists"]


def test_invite_form_offers_only_roles_of_the_organisations_kind(supplier):
    form = InviteMemberForm(organisation=supplier)

    assert [value for value, _label in form.fields["role"].choices] == [
        "supplier_admin",
        "editor",
        "finance",
    ]


def test_invite_form_refuses_role_of_another_kind(supplier):
    form = InviteMemberForm({"email": "a@example.org", "role": "approver"}, organisation=supplier)

    assert form.errors["role"] == ["Select a role"]


def test_new_account_form_applies_password_validators():
    form = NewAccountForm(
        {"first_name": "Ada", "last_name": "L", "password1": "password", "password2": "password"},
        email="ada@example.org",
    )

    assert form.is_valid() is False
    assert form.errors["password1"] == [
        "This password is too short. It must contain at least 12 characters.",
        "This password is too common.",
    ]


def test_new_account_form_requires_matching_passwords():
    form = NewAccountForm(
        {
            "first_name": "Ada",
            "last_name": "L",
            "password1": "a-long-Unusual-passphrase",
            "password2": "a-long-Unusual-passphrasE",
        },
        email="ada@example.org",
    )

    assert form.errors["password2"] == ["The passwords do not match"]
