import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model

import pytest

from frameworks.models import Appointment
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from suppliers import services
from suppliers.models import Offering, SupplierProfile
from tests.factories import (
    ATTRIBUTE_SCHEMA,
    AppointmentFactory,
    MembershipFactory,
    UserFactory,
    offering,
    offering_data,
    supplier_lot,
)

Status = Offering.Status
Document = get_document_model()


def url(name, *args):
    return reverse(f"suppliers:{name}", args=args)


def text(response):
    return response.content.decode()


def form_data(**overrides) -> dict:
    """offering_data() as the offering form posts it: answers as attribute_<key> fields."""
    data = offering_data()
    posted = {key: value for key, value in data.items() if key != "attributes"}
    posted.update({f"attribute_{key}": value for key, value in data["attributes"].items()})
    posted.update(overrides)
    return posted


def pdf(name="service.pdf", size=None):
    content = b"%PDF-1.4\n" + b"x" * ((size or 100) - 9)
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def zipped(name, members: dict[str, bytes]):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def appointed(supplier, lot):
    return AppointmentFactory(supplier=supplier, lot=lot)


@pytest.fixture
def editor_client(client, supplier_user):
    client.force_login(supplier_user)
    return client


@pytest.fixture
def other_offering(other_supplier, lot):
    return offering(supplier=other_supplier, lot=lot)


# --- Dashboard ----------------------------------------------------------------------------


def test_dashboard_needs_sign_in(client, db):
    response = client.get(url("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_dashboard_advises_someone_not_acting_for_a_supplier(client, buyer, procurement_officer):
    client.force_login(procurement_officer)

    response = client.get(url("dashboard"))

    assert response.status_code == 200
    assert "You are not acting for a supplier" in text(response)
    assert reverse("organisations:register") in text(response)


def test_portal_pages_send_non_suppliers_to_the_dashboard(client, procurement_officer):
    client.force_login(procurement_officer)

    response = client.get(url("offering-list"))

    assert response.status_code == 302
    assert response["Location"] == url("dashboard")


def test_dashboard_empty_states(editor_client):
    response = editor_client.get(url("dashboard"))

    page = text(response)
    assert response.status_code == 200
    assert "You are not appointed to any framework lots yet" in page
    assert "has not completed its supplier profile yet" in page


def test_dashboard_asks_an_administrator_to_complete_the_profile(client, supplier_admin):
    client.force_login(supplier_admin)

    page = text(client.get(url("dashboard")))

    assert f'<a class="govuk-link" href="{url("profile")}">Complete your supplier profile</a>' in (
        page
    )


def test_dashboard_shows_each_appointment_and_offering_status(
    editor_client, supplier, supplier_user, lot, authority, reviewer, monkeypatch
):
    monkeypatch.setattr("suppliers.views.portal.DASHBOARD_OFFERINGS_PER_LOT", 6)
    offering(supplier=supplier, lot=lot, title="Plain draft")
    offering(supplier=supplier, lot=lot, status="submitted", title="Waiting")
    offering(supplier=supplier, lot=lot, status="live", title="On sale")
    rejected = offering(supplier=supplier, lot=lot, status="submitted", title="Sent back")
    services.reject_offering(
        actor=reviewer, authority=authority, offering=rejected, reason="Prices are unclear"
    )
    changed = offering(supplier=supplier, lot=lot, status="live", title="Being changed")
    services.edit_offering(
        actor=supplier_user,
        supplier=supplier,
        offering=changed,
        data=offering_data(title="Being changed", price="20"),
    )
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=changed)
    withdrawn = offering(supplier=supplier, lot=lot, title="Gone")
    services.withdraw_offering(actor=supplier_user, supplier=supplier, offering=withdrawn)

    page = text(editor_client.get(url("dashboard")))

    assert lot.framework.title in page
    assert "Lot 1: Software" in page
    assert '<strong class="govuk-tag govuk-tag--green">Appointed</strong>' in page
    for label in (
        "Draft",
        "Submitted for review",
        "Live",
        "Rejected",
        "Live – changes awaiting review",
        "Withdrawn",
    ):
        assert f">{label}</strong>" in page
    assert "Reason: Prices are unclear" in page
    assert url("offering-create", lot.pk) in page
    assert "See all" not in page


def test_dashboard_shows_a_suspended_appointment_without_a_create_link(
    editor_client, supplier, lot
):
    AppointmentFactory(
        supplier=supplier, lot=lot, status=Appointment.Status.SUSPENDED, reason="Late MI returns"
    )

    page = text(editor_client.get(url("dashboard")))

    assert '<strong class="govuk-tag govuk-tag--orange">Suspended</strong>' in page
    assert "Reason: Late MI returns" in page
    assert url("offering-create", lot.pk) not in page


def test_finance_sees_the_dashboard_read_only(client, supplier_finance, draft, lot):
    client.force_login(supplier_finance)

    page = text(client.get(url("dashboard")))

    assert draft.title in page
    assert url("choose-lot") not in page
    assert url("offering-create", lot.pk) not in page
    assert url("profile") not in page


def test_dashboard_queries_do_not_grow_with_lots_and_offerings(
    editor_client, supplier, supplier_user, django_assert_max_num_queries
):
    for _ in range(3):
        lot = supplier_lot()
        for number in range(7):
            offering(supplier=supplier, lot=lot, actor=supplier_user, title=f"Offering {number}")

    editor_client.get(url("dashboard"))  # the first request of a site sets up its navigation

    # One of them counts the open direct-award offers.
    with django_assert_max_num_queries(18):
        response = editor_client.get(url("dashboard"))

    assert text(response).count("See all 7 offerings on") == 3


# --- Profile ------------------------------------------------------------------------------


def test_registering_a_supplier_leads_to_the_profile(client, db):
    client.force_login(UserFactory())

    response = client.post(
        reverse("organisations:register"),
        {
            "kind": "supplier",
            "legal_name": "Fresh Start Ltd",
            "company_number": "7654321",
            "region": "TLD",
            "contact_email": "hello@fresh.example",
        },
        follow=True,
    )

    assert (
        f'Next, <a class="govuk-link" href="{url("profile")}">complete your supplier profile</a>'
        in text(response)
    )


PROFILE = {
    "description": "We build case management software.",
    "website": "www.example.co.uk",
    "headcount": "12",
    "annual_turnover": "£1,250,000",
    "balance_sheet_total": "",
    "is_vcse": "yes",
    "regions_served": ["TLC", "TLD"],
    "accreditations": ["cyber_essentials", "iso_9001"],
}


@pytest.fixture
def admin_client(client, supplier_admin):
    client.force_login(supplier_admin)
    return client


def test_profile_saves_and_shows_the_sme_result_with_its_basis(admin_client, supplier):
    response = admin_client.post(url("profile"), PROFILE)

    assert response.status_code == 302
    assert response["Location"] == url("dashboard")
    profile = SupplierProfile.objects.get(organisation=supplier)
    assert profile.headcount == 12
    assert profile.annual_turnover == Decimal("1250000.00")
    assert profile.website == "https://www.example.co.uk"
    assert profile.regions_served == ["TLC", "TLD"]
    assert profile.accreditations == ["cyber_essentials", "iso_9001"]
    supplier.refresh_from_db()
    assert (supplier.is_sme, supplier.is_vcse) == (True, True)
    page = text(admin_client.get(url("dashboard")))
    assert "Your supplier profile has been saved. Size: Small enterprise." in page
    assert "12 staff (fewer than 50) and turnover of £1.2 million (at most £10.0 million)" in page


def test_profile_form_shows_current_values_and_size(admin_client, supplier):
    admin_client.post(url("profile"), PROFILE)

    page = text(admin_client.get(url("profile")))

    assert 'value="12"' in page
    assert "<strong>Small enterprise</strong>" in page
    assert 'value="TLC" checked' in page


def test_profile_bad_input_lists_every_problem_and_saves_nothing(admin_client, supplier):
    response = admin_client.post(
        url("profile"),
        {
            **PROFILE,
            "headcount": "lots",
            "annual_turnover": "£1,2x",
            "balance_sheet_total": "-5",
            "website": "not a web address",
            "is_vcse": "",
            "regions_served": ["TLC", "TLZ"],
            "accreditations": ["made_up"],
        },
    )

    page = text(response)
    assert response.status_code == 200
    for message in (
        "Enter the number of staff as a whole number, like 25",
        "Enter the turnover in pounds, like 1,250,000",
        "The balance sheet total must be £0 or more",
        "Enter a web address, like www.example.co.uk",
        "Select yes if you are a VCSE",
        "Select regions from the list",
        "Select accreditations from the list",
    ):
        assert message in page
    assert 'value="lots"' in page
    assert not SupplierProfile.objects.exists()


def test_profile_publishes_the_contact_the_supplier_chooses_and_audits_it(admin_client, supplier):
    response = admin_client.post(
        url("profile"),
        {**PROFILE, "contact_name": " Priya Shah ", "contact_email": "Bids@Example.co.uk "},
    )

    assert response.status_code == 302
    profile = SupplierProfile.objects.get(organisation=supplier)
    assert (profile.contact_name, profile.contact_email) == ("Priya Shah", "Bids@example.co.uk")
    event = AuditEvent.objects.get(kind=AuditKind.SUPPLIER_PROFILE_SAVED)
    assert (event.data["contact_name"], event.data["contact_email"]) == (
        "Priya Shah",
        "Bids@example.co.uk",
    )
    page = text(admin_client.get(url("profile")))
    assert 'value="Priya Shah"' in page
    assert "Buyers see this name and address on your public profile" in page


@pytest.mark.parametrize(
    ("contact", "field", "message"),
    [
        (
            {"contact_name": "Priya Shah", "contact_email": "priya at example"},
            "contact_email",
            "Enter an e-mail address in the correct format, like name@example.com",
        ),
        (
            {"contact_name": "Priya Shah", "contact_email": ""},
            "contact_email",
            "Enter the e-mail address buyers can write to, or remove the contact name",
        ),
        (
            {"contact_name": "P" * 101, "contact_email": "bids@example.co.uk"},
            "contact_name",
            "The contact name must be 100 characters or fewer",
        ),
    ],
)
def test_profile_contact_bad_input_is_shown_on_its_field_and_nothing_saved(
    admin_client, supplier, contact, field, message
):
    response = admin_client.post(url("profile"), {**PROFILE, **contact})

    page = text(response)
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in page
    assert not SupplierProfile.objects.exists()


@pytest.mark.parametrize("role", ["editor", "finance"])
def test_only_profile_editors_may_edit_the_profile(client, supplier, role):
    client.force_login(MembershipFactory(organisation=supplier, role=role).user)

    assert client.get(url("profile")).status_code == 403
    assert client.post(url("profile"), PROFILE).status_code == 403
    assert not SupplierProfile.objects.exists()


# --- Choosing a lot -----------------------------------------------------------------------


def test_choose_lot_lists_appointed_lots_and_continues(editor_client, appointed, lot):
    page = text(editor_client.get(url("choose-lot")))
    assert f"{lot.framework.title} – Lot 1: Software" in page

    response = editor_client.post(url("choose-lot"), {"lot": lot.pk})

    assert response.status_code == 302
    assert response["Location"] == url("offering-create", lot.pk)


def test_choose_lot_refuses_a_lot_the_supplier_is_not_appointed_to(editor_client, appointed):
    elsewhere = supplier_lot()

    response = editor_client.post(url("choose-lot"), {"lot": elsewhere.pk})

    assert response.status_code == 200
    assert "Select the lot the offering is for" in text(response)


def test_choose_lot_explains_when_there_is_nothing_to_choose(editor_client, db):
    response = editor_client.get(url("choose-lot"))

    assert "You cannot create an offering yet" in text(response)


# --- Creating an offering ---------------------------------------------------------------


def test_offering_form_asks_the_lots_questions(editor_client, appointed, lot):
    page = text(editor_client.get(url("offering-create", lot.pk)))

    assert '<label class="govuk-label " for="id_attribute_max_users">Maximum users</label>' in page
    assert '<div class="govuk-input__suffix" aria-hidden="true">users</div>' in page
    assert 'name="attribute_hosted_in_uk" type="radio" value="yes"' in page
    assert 'name="attribute_support_hours" type="radio" value="24/7"' in page
    assert 'name="attribute_standards" type="checkbox" value="WCAG 2.2 AA"' in page
    assert "Standards met (optional)" in page
    assert 'for="id_attribute_onboarding">Onboarding (optional)</label>' in page
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in page


def test_create_offering_saves_a_draft_and_goes_to_check_answers(
    editor_client, supplier, appointed, lot
):
    response = editor_client.post(
        url("offering-create", lot.pk), form_data(price="£1,250.50", price_unit="day")
    )

    made = Offering.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("offering-check", made.pk)
    assert (made.supplier, made.lot, made.status) == (supplier, lot, Status.DRAFT)
    assert made.price == Decimal("1250.50")
    assert made.attributes == {"max_users": 500, "hosted_in_uk": True, "support_hours": "24/7"}
    assert made.regions_served == ["TLC", "TLD"]


def test_save_and_come_back_later_goes_to_the_offering(editor_client, appointed, lot):
    response = editor_client.post(url("offering-create", lot.pk), {**form_data(), "later": "1"})

    made = Offering.objects.get()
    assert response["Location"] == url("offering-detail", made.pk)


def test_create_offering_with_a_service_definition_document(
    editor_client, supplier_user, appointed, lot
):
    editor_client.post(url("offering-create", lot.pk), {**form_data(), "service_definition": pdf()})

    made = Offering.objects.get()
    document = Document.objects.get()
    assert made.service_definition == document
    assert (document.title, document.uploaded_by_user) == ("service.pdf", supplier_user)
    created = AuditEvent.objects.get(kind="offering.created")
    assert created.data["service_definition"] == document.pk


@pytest.mark.parametrize(
    "upload",
    [
        lambda: zipped(
            "service.docx", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}
        ),
        lambda: zipped("service.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"}),
    ],
    ids=["docx", "odt"],
)
def test_docx_and_odt_documents_are_accepted(editor_client, appointed, lot, upload):
    editor_client.post(
        url("offering-create", lot.pk), {**form_data(), "service_definition": upload()}
    )

    assert Offering.objects.get().service_definition is not None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"price": "£1,2x"}, "price", "Enter the price in pounds and pence, like 450 or 1,250.50"),
        ({"price": "-10"}, "price", "The price must be £0 or more (you entered “-10”)"),
        ({"price": "999999999"}, "price", "The price must be £100,000,000 or less"),
        ({"price": ""}, "price", "Enter a price"),
        ({"attribute_max_users": ""}, "attribute_max_users", "Answer “Maximum users”"),
        (
            {"attribute_max_users": "many"},
            "attribute_max_users",
            "Enter Maximum users as a number, like 250 or 12.5",
        ),
        (
            {"attribute_hosted_in_uk": "perhaps"},
            "attribute_hosted_in_uk",
            "Hosted in the UK must be yes or no",
        ),
        (
            {"attribute_support_hours": "Weekends"},
            "attribute_support_hours",
            "Support hours must be one of: Office hours, 24/7",
        ),
        (
            {"regions_served": ["TLC", "TLZ"]},
            "regions_served",
            "Regions served must be ITL1 codes or names, any of: TLC,",
        ),
        ({"regions_served": []}, "regions_served", "Choose at least one region you serve"),
        ({"price_unit": "fortnight"}, "price_unit", "Price unit must be one of: hour, day"),
        ({"lead_time_days": "soon"}, "lead_time_days", "Enter the lead time as a whole number"),
        ({"title": ""}, "title", "Enter a title"),
        (
            {"minimum_contract_value": "lots"},
            "minimum_contract_value",
            "Enter the minimum contract value in pounds and pence",
        ),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_saved(
    editor_client, appointed, lot, overrides, field, message
):
    response = editor_client.post(url("offering-create", lot.pk), form_data(**overrides))

    page = text(response)
    assert response.status_code == 200
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in page
    assert f'<a href="#id_{field}">{message}' in page
    assert f'<p id="id_{field}-error" class="govuk-error-message">' in page
    assert not Offering.objects.exists()


def test_every_problem_is_listed_at_once_and_nothing_typed_is_lost(editor_client, appointed, lot):
    response = editor_client.post(
        url("offering-create", lot.pk),
        form_data(
            price="£1,2x",
            attribute_max_users="",
            regions_served=["TLZ"],
            title="My typed title",
            description="",
        ),
    )

    page = text(response)
    start = page.index("govuk-error-summary__list")
    assert page[start : page.index("</ul>", start)].count("<li>") == 4
    assert 'value="My typed title"' in page
    assert 'value="£1,2x"' in page
    assert 'value="TLC"' in page
    assert "Cloud case management for adult social care teams." in page
    assert 'name="attribute_hosted_in_uk" type="radio" value="yes" checked' in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("notes.txt", b"hello"), "must be a PDF, DOCX or ODT"),
        (lambda: SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "must be a PDF, DOCX"),
        (lambda: zipped("fake.docx", {"hello.txt": b"hi"}), "must be a PDF, DOCX or ODT"),
        (lambda: SimpleUploadedFile("empty.pdf", b""), "The selected file is empty"),
    ],
    ids=["wrong-type", "renamed", "zip-not-docx", "empty"],
)
def test_wrong_file_is_refused(editor_client, appointed, lot, upload, message):
    response = editor_client.post(
        url("offering-create", lot.pk), {**form_data(), "service_definition": upload()}
    )

    assert message in text(response)
    assert not Offering.objects.exists()
    assert not Document.objects.exists()


def test_oversized_file_is_refused(editor_client, appointed, lot, settings):
    settings.MAX_UPLOAD_SIZE = 1024

    response = editor_client.post(
        url("offering-create", lot.pk), {**form_data(), "service_definition": pdf(size=2048)}
    )

    assert "The selected file must be smaller than 1.0\xa0KB" in text(response)
    assert not Document.objects.exists()


def test_a_good_file_with_other_errors_asks_to_choose_it_again(editor_client, appointed, lot):
    response = editor_client.post(
        url("offering-create", lot.pk), {**form_data(price="x"), "service_definition": pdf()}
    )

    assert "Choose service.pdf again" in text(response)
    assert not Document.objects.exists()


def test_unappointed_lot_is_not_found(editor_client, db):
    lot = supplier_lot()

    assert editor_client.get(url("offering-create", lot.pk)).status_code == 404
    assert editor_client.post(url("offering-create", lot.pk), form_data()).status_code == 404
    assert not Offering.objects.exists()


def test_suspended_appointment_is_not_a_lot_to_list_on(editor_client, supplier, lot):
    AppointmentFactory(supplier=supplier, lot=lot, status=Appointment.Status.SUSPENDED)

    assert editor_client.get(url("offering-create", lot.pk)).status_code == 404


def test_duplicate_title_on_the_lot_is_refused(editor_client, draft, lot):
    response = editor_client.post(url("offering-create", lot.pk), form_data(title=draft.title))

    assert "You already have an offering called" in text(response)
    assert Offering.objects.count() == 1


# --- Editing ---------------------------------------------------------------------------------


def test_edit_form_starts_from_the_saved_answers(editor_client, draft):
    page = text(editor_client.get(url("offering-edit", draft.pk)))

    assert f'value="{draft.title}"' in page
    assert 'id="id_attribute_max_users" name="attribute_max_users" type="text" value="500"' in page
    assert 'name="attribute_hosted_in_uk" type="radio" value="yes" checked' in page
    assert 'name="regions_served" type="checkbox" value="TLD" checked' in page
    assert 'value="12.50"' in page


def test_edit_a_draft_saves_it(editor_client, draft):
    response = editor_client.post(
        url("offering-edit", draft.pk), form_data(title="Renamed platform", price="15")
    )

    assert response["Location"] == url("offering-check", draft.pk)
    draft.refresh_from_db()
    assert (draft.title, draft.price) == ("Renamed platform", Decimal("15.00"))


def test_edit_keeps_the_document_unless_a_new_one_is_chosen(editor_client, draft):
    editor_client.post(url("offering-edit", draft.pk), {**form_data(), "service_definition": pdf()})
    document = Document.objects.get()

    editor_client.post(url("offering-edit", draft.pk), form_data(summary="Shorter."))

    draft.refresh_from_db()
    assert (draft.summary, draft.service_definition) == ("Shorter.", document)


def test_edit_of_a_live_offering_keeps_the_approved_version_live(
    editor_client, supplier, supplier_user, lot
):
    live = offering(supplier=supplier, lot=lot, actor=supplier_user, status="live")
    page = text(editor_client.get(url("offering-edit", live.pk)))
    assert "Buyers keep seeing the approved version until a reviewer approves the changes" in page

    editor_client.post(url("offering-edit", live.pk), form_data(price="99"))

    live.refresh_from_db()
    assert live.price == Decimal("12.50")
    assert live.status == Status.LIVE
    assert live.get_latest_revision_as_object().price == Decimal("99.00")
    page = text(editor_client.get(url("offering-edit", live.pk)))
    assert 'value="99.00"' in page


def test_submitted_offering_cannot_be_edited(editor_client, supplier, supplier_user, lot):
    waiting = offering(supplier=supplier, lot=lot, actor=supplier_user, status="submitted")

    response = editor_client.get(url("offering-edit", waiting.pk), follow=True)

    assert response.redirect_chain == [(url("offering-detail", waiting.pk), 302)]
    assert f"“{waiting.title}” cannot be changed while it is submitted for review" in text(response)


# --- Check answers, submit, confirmation ---------------------------------------------------


def test_check_answers_lists_every_answer_with_change_links(editor_client, draft):
    page = text(editor_client.get(url("offering-check", draft.pk)))
    edit = url("offering-edit", draft.pk)

    assert "Check your answers before submitting your offering" in page
    for anchor in ("id_title", "id_price", "id_attribute_max_users", "id_regions_served"):
        assert f'href="{edit}#{anchor}"' in page
    assert "500 users" in page
    assert "£12.50 per user per month" in page
    assert "£12.50 per user per month, excluding VAT" in page
    assert "Derived from the price: as stated, excluding VAT." in page


def test_comparable_price_shows_what_it_is_derived_from(editor_client, supplier, appointed, lot):
    editor_client.post(
        url("offering-create", lot.pk),
        form_data(price="60", price_unit="hour", vat_treatment="inclusive"),
    )

    page = text(editor_client.get(url("offering-check", Offering.objects.get().pk)))

    assert "£375.00 per day, excluding VAT" in page
    assert "Derived from the price: VAT at 20% taken off; hourly rate × 7.5 hours a day." in page


def test_submit_sends_the_offering_for_review_and_confirms(editor_client, draft):
    response = editor_client.post(url("offering-check", draft.pk))

    assert response["Location"] == url("offering-submitted", draft.pk)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.awaiting_review
    page = text(editor_client.get(response["Location"]))
    assert '<h1 class="govuk-panel__title">Offering submitted for review</h1>' in page
    assert draft.title in page


def test_submit_lists_problems_found_since_saving_with_links_to_fix_them(editor_client, draft, lot):
    lot.attribute_schema = [
        *ATTRIBUTE_SCHEMA,
        ("text", {"key": "sla", "label": "Service level", "required": True, "help_text": ""}),
    ]
    lot.save()

    response = editor_client.post(url("offering-check", draft.pk))

    assert response.status_code == 200
    edit = url("offering-edit", draft.pk)
    assert f'<a href="{edit}#id_attribute_sla">Answer “Service level”</a>' in text(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_confirmation_page_redirects_when_nothing_is_waiting(editor_client, draft):
    response = editor_client.get(url("offering-submitted", draft.pk))

    assert response["Location"] == url("offering-detail", draft.pk)


def test_rejected_offering_shows_the_reason_and_can_be_changed(
    editor_client, supplier, supplier_user, lot, authority, reviewer
):
    waiting = offering(supplier=supplier, lot=lot, actor=supplier_user, status="submitted")
    services.reject_offering(actor=reviewer, authority=authority, offering=waiting, reason="No SLA")

    page = text(editor_client.get(url("offering-detail", waiting.pk)))

    assert ">Rejected</strong>" in page
    assert "The reviewer sent this back: No SLA" in page
    assert url("offering-edit", waiting.pk) in page


# --- Withdrawing ---------------------------------------------------------------------------


def test_withdraw_asks_for_confirmation_then_withdraws(editor_client, supplier, supplier_user, lot):
    live = offering(supplier=supplier, lot=lot, actor=supplier_user, status="live")

    page = text(editor_client.get(url("offering-withdraw", live.pk)))
    assert "Are you sure you want to withdraw" in page
    response = editor_client.post(url("offering-withdraw", live.pk))

    assert response["Location"] == url("offering-list")
    live.refresh_from_db()
    assert (live.status, live.live) == (Status.WITHDRAWN, False)


def test_withdrawn_offering_cannot_be_withdrawn_again(
    editor_client, draft, supplier_user, supplier
):
    services.withdraw_offering(actor=supplier_user, supplier=supplier, offering=draft)

    response = editor_client.post(url("offering-withdraw", draft.pk))

    assert response["Location"] == url("offering-detail", draft.pk)
    assert AuditEvent.objects.filter(kind="offering.withdrawn").count() == 1


# --- The supplier's offering list -----------------------------------------------------------


def test_offering_list_paginates(editor_client, supplier, supplier_user, lot):
    for number in range(27):
        offering(supplier=supplier, lot=lot, actor=supplier_user, title=f"Offering {number:02d}")

    first = text(editor_client.get(url("offering-list")))
    second = text(editor_client.get(url("offering-list") + "?page=2"))

    assert "27 offerings" in first
    assert len(re.findall(r'href="/supplier/offerings/\d+/"', first)) == 25
    assert len(re.findall(r'href="/supplier/offerings/\d+/"', second)) == 2
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in first


def test_offering_list_filters_by_lot(editor_client, supplier, supplier_user, lot, draft):
    elsewhere = supplier_lot()
    offering(supplier=supplier, lot=elsewhere, actor=supplier_user, title="Elsewhere")

    page = text(editor_client.get(url("offering-list") + f"?lot={elsewhere.pk}"))

    assert "Elsewhere" in page
    assert draft.title not in page


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_offering_list_with_an_unknown_lot_is_not_found(editor_client, draft, value):
    assert editor_client.get(url("offering-list") + f"?lot={value}").status_code == 404


def test_offering_list_empty_state(editor_client, db):
    assert "You have no offerings yet." in text(editor_client.get(url("offering-list")))


def test_offering_list_queries_do_not_grow(
    editor_client, supplier, supplier_user, lot, django_assert_max_num_queries
):
    for number in range(30):
        offering(supplier=supplier, lot=lot, actor=supplier_user, title=f"Offering {number:02d}")

    editor_client.get(url("offering-list"))  # the first request of a site sets up its navigation

    with django_assert_max_num_queries(14):
        response = editor_client.get(url("offering-list"))

    assert "30 offerings" in text(response)


# --- Permissions and isolation --------------------------------------------------------------


def test_finance_cannot_create_edit_submit_or_withdraw(client, supplier_finance, draft, lot):
    client.force_login(supplier_finance)

    assert client.get(url("choose-lot")).status_code == 403
    assert client.get(url("offering-create", lot.pk)).status_code == 403
    assert client.post(url("offering-create", lot.pk), form_data(title="New")).status_code == 403
    assert client.get(url("offering-edit", draft.pk)).status_code == 403
    assert client.post(url("offering-edit", draft.pk), form_data()).status_code == 403
    assert client.post(url("offering-check", draft.pk)).status_code == 403
    assert client.post(url("offering-withdraw", draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert Offering.objects.count() == 1


def test_finance_may_read_the_list_and_the_offering(client, supplier_finance, draft):
    client.force_login(supplier_finance)

    assert draft.title in text(client.get(url("offering-list")))
    page = text(client.get(url("offering-detail", draft.pk)))
    assert draft.title in page
    assert url("offering-edit", draft.pk) not in page


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("offering-detail", "get"),
        ("offering-edit", "get"),
        ("offering-edit", "post"),
        ("offering-check", "get"),
        ("offering-check", "post"),
        ("offering-submitted", "get"),
        ("offering-withdraw", "get"),
        ("offering-withdraw", "post"),
    ],
)
def test_another_suppliers_offering_is_not_found(editor_client, other_offering, name, method):
    response = getattr(editor_client, method)(url(name, other_offering.pk), form_data())

    assert response.status_code == 404
    other_offering.refresh_from_db()
    assert other_offering.status == Status.DRAFT


def test_member_of_two_suppliers_reaches_only_the_one_acted_for(
    client, supplier, supplier_user, other_offering
):
    MembershipFactory(user=supplier_user, organisation=other_offering.supplier, role="editor")
    client.force_login(supplier_user)
    session = client.session
    session["acting_organisation_id"] = supplier.pk
    session.save()

    assert client.get(url("offering-detail", other_offering.pk)).status_code == 404


def test_expired_appointment_removes_the_create_link(editor_client, supplier, lot):
    AppointmentFactory(
        supplier=supplier,
        lot=lot,
        starts_on=timezone.localdate() - timedelta(days=60),
        ends_on=timezone.localdate() - timedelta(days=1),
    )

    page = text(editor_client.get(url("dashboard")))

    assert "Appointment ended" in page
    assert url("offering-create", lot.pk) not in page
