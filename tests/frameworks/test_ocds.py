import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.documents.models import Document

import pytest

from frameworks import ocds, services
from frameworks.models import (
    Appointment,
    FrameworkContact,
    FrameworkDocument,
    FrameworkPage,
    FrameworkReopening,
    Lot,
    VariationGround,
)
from tests import factories
from tests.ocds_schema import check_ocds_extras, validate_record_package, validate_release_package

LONDON = ZoneInfo("Europe/London")
IT_SERVICES = {
    "scheme": "CPV",
    "id": "72000000",
    "description": "IT services: consulting, software development, Internet and support",
}
PUBLISHED_AT = datetime(2026, 5, 1, 12, 0, tzinfo=LONDON)
DATES = {
    "applications_open_on": date(2026, 1, 5),
    "applications_close_on": date(2026, 2, 27),
    "award_on": date(2026, 3, 20),
    "starts_on": date(2026, 4, 1),
    "ends_on": date(2028, 3, 31),
}
LOTS = [
    {
        "number": 1,
        "title": "Software development",
        "description": "Building and running digital services.",
        "minimum_value": Decimal("1000.00"),
        "maximum_value": Decimal("250000.50"),
        "maximum_term_months": 24,
        "allows_direct_award": True,
        "allows_further_competition": True,
        "direct_award_mechanism": "The highest-ranked supplier from the framework evaluation.",
        "direct_award_method": "search_shortlist",
    },
    {
        "number": 2,
        "title": "Hosting",
        "maximum_value": Decimal("1000000"),
        "maximum_term_months": 12,
    },
]


def release_of(framework, today=date(2026, 5, 1)):
    return ocds.build_release(framework, today=today)


@pytest.fixture
def framework(db):
    return factories.framework_page(
        title="Digital services",
        slug="digital-services",
        reference="NWA-DIG-2026",
        summary="Digital and technology services for the North West.",
        lots=LOTS,
        cpv_codes=("72000000-5", "48000000-8"),
        eligible_regions=["TLD"],
        **DATES,
    )


@pytest.fixture
def lot_1(framework):
    return framework.lots.get(number=1)


@pytest.fixture
def lot_2(framework):
    return framework.lots.get(number=2)


@pytest.fixture
def appointed(lot_1, lot_2):
    """An active supplier on both lots, a charity on lot 1, one suspended and one excluded."""
    both = factories.OrganisationFactory(legal_name="Acme Digital Ltd", company_number="01234567")
    charity = factories.OrganisationFactory(
        legal_name="Code Club Scotland", company_number="", charity_number="SC012345"
    )
    suspended = factories.OrganisationFactory(legal_name="Suspended Ltd")
    excluded = factories.OrganisationFactory(legal_name="Excluded Ltd")
    for lot in (lot_1, lot_2):
        factories.AppointmentFactory(lot=lot, supplier=both, starts_on=DATES["starts_on"])
    factories.AppointmentFactory(lot=lot_1, supplier=charity, starts_on=DATES["starts_on"])
    factories.AppointmentFactory(
        lot=lot_1, supplier=suspended, status=Appointment.Status.SUSPENDED, reason="Late MI"
    )
    factories.AppointmentFactory(
        lot=lot_2, supplier=excluded, status=Appointment.Status.EXCLUDED, reason="s57 ground"
    )
    return {"both": both, "charity": charity, "suspended": suspended, "excluded": excluded}


@pytest.fixture
def attached_document(framework):
    document = Document.objects.create(
        title="Terms", file=ContentFile(b"%PDF-1.4 terms", name="terms.pdf")
    )
    return FrameworkDocument.objects.create(
        framework=framework, document=document, title="Framework terms and conditions"
    )


# --- Validity ---------------------------------------------------------------------------------


def test_release_package_validates_against_ocds_with_extensions(framework, appointed):
    package = ocds.build_release_package(framework, published_at=PUBLISHED_AT)
    assert validate_release_package(package) == []


def test_record_package_validates_against_ocds_with_extensions(framework, appointed):
    package = ocds.build_record_package(framework, published_at=PUBLISHED_AT)
    assert validate_record_package(package) == []


def test_release_package_passes_the_checks_the_schema_cannot_make(
    framework, appointed, attached_document
):
    package = ocds.build_release_package(framework, published_at=PUBLISHED_AT)
    assert check_ocds_extras(package) == []


def test_record_package_passes_the_checks_the_schema_cannot_make(framework, appointed):
    package = ocds.build_record_package(framework, published_at=PUBLISHED_AT)
    assert check_ocds_extras(package) == []


def test_validation_reports_a_broken_release(framework):
    package = ocds.build_release_package(framework, published_at=PUBLISHED_AT)
    package["releases"][0]["tender"]["status"] = "open"
    del package["releases"][0]["initiationType"]
    assert validate_release_package(package) == [
        "releases/0: 'initiationType' is a required property",
        "releases/0/tender/status: 'open' is not one of "
        "['planning', 'planned', 'active', 'cancelled', 'unsuccessful', 'complete', "
        "'withdrawn', None]",
    ]


def test_extras_report_duplicate_ids_empty_values_and_a_foreign_prefix(framework):
    package = ocds.build_release_package(framework, published_at=PUBLISHED_AT)
    release = package["releases"][0]
    release["ocid"] = "ocds-other-framework-1"
    release["tender"]["lots"][1]["id"] = "lot-1"
    release["tender"]["description"] = ""
    assert check_ocds_extras(package) == [
        "ocid 'ocds-other-framework-1' does not start with 'ocds-test01-'",
        "/releases/0/tender/description: empty value",
        "/releases/0/tender/lots: duplicate ids lot-1",
    ]


# --- Content ----------------------------------------------------------------------------------


def test_ocid_is_the_configured_prefix_and_the_framework_id(framework, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    assert release_of(framework)["ocid"] == f"ocds-abc123-framework-{framework.pk}"


def test_package_lists_the_three_extensions_and_version(framework):
    package = ocds.build_release_package(framework, published_at=PUBLISHED_AT)
    assert (package["version"], package["extensions"]) == (
        "1.1",
        [
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_submissionTerms_extension/master/extension.json",
        ],
    )


def test_package_uri_is_the_public_download(framework):
    package = ocds.build_release_package(framework, published_at=PUBLISHED_AT)
    assert package["uri"] == "http://testserver/frameworks/digital-services/ocds.json"


def test_authority_is_buyer_and_procuring_entity(framework):
    release = release_of(framework)
    authority = framework.authority
    reference = {"id": f"GB-COH-{authority.company_number}", "name": authority.name}
    assert (release["buyer"], release["tender"]["procuringEntity"]) == (reference, reference)
    assert release["parties"][0]["roles"] == ["buyer", "procuringEntity"]


def test_award_per_lot_lists_only_active_suppliers(framework, appointed):
    awards = {award["id"]: award for award in release_of(framework)["awards"]}
    assert {key: [s["id"] for s in award["suppliers"]] for key, award in awards.items()} == {
        "award-lot-1": ["GB-COH-01234567", "GB-SC-SC012345"],
        "award-lot-2": ["GB-COH-01234567"],
    }
    assert awards["award-lot-1"]["relatedLots"] == ["lot-1"]


def test_suspended_and_excluded_suppliers_are_not_parties(framework, appointed):
    party_ids = [party["id"] for party in release_of(framework)["parties"]]
    assert party_ids == [
        f"GB-COH-{framework.authority.company_number}",
        "GB-COH-01234567",
        "GB-SC-SC012345",
    ]


def test_appointment_that_has_ended_is_not_listed(framework, lot_2):
    factories.AppointmentFactory(lot=lot_2, starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30))
    assert "awards" not in release_of(framework, today=date(2026, 5, 1))


def test_release_without_appointments_is_a_tender_release_only(framework):
    release = release_of(framework)
    assert (release["tag"], "awards" in release) == (["tender"], False)


def test_release_with_appointments_is_tender_and_award(framework, appointed):
    assert release_of(framework)["tag"] == ["tender", "award"]


def test_award_is_pending_before_the_framework_starts(framework, appointed):
    release = release_of(framework, today=date(2026, 3, 25))
    assert [award["status"] for award in release["awards"]] == ["pending", "pending"]


def test_award_is_active_once_the_framework_starts(framework, appointed):
    release = release_of(framework, today=date(2026, 4, 1))
    assert [award["status"] for award in release["awards"]] == ["active", "active"]


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 1, 4), "planned"),  # coming
        (date(2026, 1, 5), "active"),  # open
        (date(2026, 3, 1), "active"),  # evaluating
        (date(2026, 3, 25), "active"),  # standstill
        (date(2026, 4, 1), "complete"),  # live
        (date(2028, 4, 1), "complete"),  # expired
    ],
)
def test_tender_and_lot_status_follow_the_lifecycle(framework, today, status):
    tender = release_of(framework, today=today)["tender"]
    assert [tender["status"], *(lot["status"] for lot in tender["lots"])] == [status] * 3


def test_suspended_framework_keeps_the_status_of_its_dates(framework):
    FrameworkPage.objects.filter(pk=framework.pk).update(is_suspended=True)
    framework.refresh_from_db()
    assert release_of(framework, today=date(2026, 1, 10))["tender"]["status"] == "active"


def test_tender_and_contract_periods_are_rfc3339_in_london_time(framework):
    tender = release_of(framework)["tender"]
    assert (tender["tenderPeriod"], tender["contractPeriod"]) == (
        {"startDate": "2026-01-05T00:00:00+00:00", "endDate": "2026-02-27T23:59:59+00:00"},
        {"startDate": "2026-04-01T00:00:00+01:00", "endDate": "2028-03-31T23:59:59+01:00"},
    )


def test_techniques_describe_the_framework_agreement(framework):
    assert release_of(framework)["tender"]["techniques"] == {
        "hasFrameworkAgreement": True,
        "frameworkAgreement": {
            "method": "withAndWithoutReopeningCompetition",
            "buyerCategories": "Buyers in North West (England)",
            "period": {
                "startDate": "2026-04-01T00:00:00+01:00",
                "endDate": "2028-03-31T23:59:59+01:00",
            },
        },
    }


def test_lots_carry_values_terms_and_their_own_method(framework):
    lots = release_of(framework)["tender"]["lots"]
    assert lots == [
        {
            "id": "lot-1",
            "title": "Software development",
            "description": "Building and running digital services.",
            "status": "complete",
            "value": {"amount": 250000.5, "currency": "GBP"},
            "minimumValue": {"amount": 1000, "currency": "GBP"},
            "contractPeriod": {"durationInDays": 731},  # to 1 April 2028, a leap year
            "techniques": {
                "hasFrameworkAgreement": True,
                "frameworkAgreement": {
                    "method": "withAndWithoutReopeningCompetition",
                    "description": "The highest-ranked supplier from the framework evaluation.",
                },
            },
        },
        {
            "id": "lot-2",
            "title": "Hosting",
            "status": "complete",
            "value": {"amount": 1000000, "currency": "GBP"},
            "contractPeriod": {"durationInDays": 365},
            "techniques": {
                "hasFrameworkAgreement": True,
                "frameworkAgreement": {"method": "withReopeningCompetition"},
            },
        },
    ]


def test_cpv_codes_classify_the_tender_and_the_lots(framework, lot_2):
    lot_2.cpv_codes.set(framework.cpv_codes.filter(code="72000000-5"))
    lot_2.save()
    tender = release_of(framework)["tender"]
    assert (
        tender["classification"],
        tender["additionalClassifications"],
        tender["mainProcurementCategory"],
        tender["lots"][1]["additionalClassifications"],
    ) == (
        {
            "scheme": "CPV",
            "id": "48000000",
            "description": "Software package and information systems",
        },
        [
            IT_SERVICES,
        ],
        "goods",
        [
            IT_SERVICES,
        ],
    )


@pytest.mark.parametrize(
    ("code", "category"), [("45000000", "works"), ("30000000", "goods"), ("79000000", "services")]
)
def test_procurement_category_from_cpv_division(code, category):
    assert ocds.procurement_category(code) == category


@pytest.mark.parametrize(
    ("fields", "identifier"),
    [
        ({"company_number": "SC123456"}, ("GB-COH", "SC123456")),
        ({"company_number": "", "charity_number": "1123456"}, ("GB-CHC", "1123456")),
        ({"company_number": "", "charity_number": "SC012345"}, ("GB-SC", "SC012345")),
        ({"company_number": "", "charity_number": "NIC100001"}, ("GB-NIC", "100001")),
    ],
)
def test_party_identifiers_come_from_registers(db, fields, identifier):
    organisation = factories.OrganisationFactory(legal_name="Registered Ltd", **fields)
    assert ocds.organisation_identifier(organisation) == {
        "scheme": identifier[0],
        "id": identifier[1],
        "legalName": "Registered Ltd",
    }


def test_organisation_without_a_register_number_gets_a_local_identifier(db):
    authority = factories.OrganisationFactory(kind="authority", company_number="")
    assert ocds.party_id(authority) == f"ocds-test01-org-{authority.pk}"


def test_framework_contacts_are_not_published(framework):
    FrameworkContact.objects.create(
        framework=framework, name="Jo Bloggs", email="jo.bloggs@authority.gov.uk"
    )
    published = ocds.dumps(release_of(framework))
    assert ("Jo Bloggs" in published, "jo.bloggs@" in published) == (False, False)


def test_documents_have_absolute_urls(framework, attached_document):
    documents = release_of(framework)["tender"]["documents"]
    document_url = reverse(
        "wagtaildocs_serve",
        args=[attached_document.document.pk, attached_document.document.filename],
    )
    assert [(doc["id"], doc["url"]) for doc in documents] == [
        ("framework-page", "http://testserver" + framework.url),
        (f"document-{attached_document.pk}", "http://testserver" + document_url),
    ]


def test_release_id_is_the_same_for_the_same_content(framework, appointed):
    assert release_of(framework)["id"] == release_of(framework)["id"]


def test_release_id_changes_when_an_appointment_is_suspended(framework, appointed):
    before = release_of(framework)["id"]
    Appointment.objects.filter(supplier=appointed["charity"]).update(
        status=Appointment.Status.SUSPENDED
    )
    assert release_of(framework)["id"] != before


def test_release_date_is_the_latest_change(framework, appointed):
    latest = Appointment.objects.latest("updated_at").updated_at
    expected = timezone.localtime(latest).isoformat(timespec="seconds")
    assert release_of(framework)["date"] == expected


def test_release_date_moves_to_the_lifecycle_date_that_changed_the_status(db):
    coming = factories.framework_page(
        applications_open_on=date(2030, 1, 1),
        applications_close_on=date(2030, 2, 1),
        award_on=date(2030, 3, 1),
        starts_on=date(2030, 4, 1),
        ends_on=date(2033, 3, 31),
    )
    assert release_of(coming, today=date(2030, 2, 10))["date"] == "2030-02-02T00:00:00+00:00"


# --- Variations as amendments ------------------------------------------------------------------

WHY = "The levy pays for running the framework"


def _vary(framework):
    manager = factories.MembershipFactory(
        organisation=framework.authority, role="framework_manager"
    ).user
    return services.vary_framework(
        actor=manager,
        organisation=framework.authority,
        framework=framework,
        changes={"levy_rate": Decimal("2.50"), "lots": {"1": {"maximum_term_months": 36}}},
        ground=VariationGround.NOT_SUBSTANTIAL,
        explanation=WHY,
        as_of=date(2026, 4, 15),
    )


@pytest.fixture
def varied(framework):
    return _vary(framework)


def test_a_framework_never_varied_has_no_amendments(framework):
    assert "amendments" not in release_of(framework)["tender"]


def test_a_variation_is_an_amendment_of_the_tender(framework, varied):
    assert release_of(framework)["tender"]["amendments"] == [
        {
            "id": f"variation-{varied.pk}",
            "date": "2026-04-15T00:00:00+01:00",
            "rationale": f"Not a substantial modification (s.74). {WHY}",
            "description": (
                "Fee (% of call-off value): 1.00 changed to 2.50; "
                "Lot 1: Maximum call-off term (months): 24 changed to 36"
            ),
        }
    ]


def test_packages_with_a_variation_validate(framework, appointed, varied):
    release_package = ocds.build_release_package(framework, published_at=PUBLISHED_AT)
    record_package = ocds.build_record_package(framework, published_at=PUBLISHED_AT)

    assert validate_release_package(release_package) == []
    assert validate_record_package(record_package) == []
    assert check_ocds_extras(release_package) == []
    assert check_ocds_extras(record_package) == []


def test_release_date_and_id_move_with_a_variation(framework, appointed):
    before = release_of(framework)["id"]
    variation = _vary(framework)

    assert release_of(framework)["date"] == timezone.localtime(variation.made_at).isoformat(
        timespec="seconds"
    )
    assert release_of(framework)["id"] != before


# --- The view ---------------------------------------------------------------------------------


def test_view_serves_the_release_package_of_a_live_framework(client, framework, appointed):
    response = client.get("/frameworks/digital-services/ocds.json")
    data = json.loads(response.content)
    assert (response.status_code, response["Content-Type"], data["releases"][0]["ocid"]) == (
        200,
        "application/json",
        f"ocds-test01-framework-{framework.pk}",
    )


def test_view_response_is_an_inline_cacheable_download(client, framework):
    response = client.get(reverse("frameworks:ocds", kwargs={"slug": framework.slug}))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert (response["Content-Disposition"], cache_control) == (
        f'inline; filename="ocds-test01-framework-{framework.pk}.json"',
        {"public", "max-age=300"},
    )


def test_view_amounts_are_json_numbers(client, framework):
    response = client.get("/frameworks/digital-services/ocds.json")
    lots = json.loads(response.content)["releases"][0]["tender"]["lots"]
    assert [lot["value"]["amount"] for lot in lots] == [250000.5, 1000000]
    assert {type(lot["value"]["amount"]) for lot in lots} == {float, int}


def test_view_answers_404_for_a_framework_never_published(client, db):
    draft = factories.framework_page(lots=1, live=False)
    response = client.get(f"/frameworks/{draft.slug}/ocds.json")
    assert response.status_code == 404


def test_view_answers_404_for_an_unpublished_framework(client, framework):
    framework.unpublish()
    assert client.get("/frameworks/digital-services/ocds.json").status_code == 404


def test_view_answers_404_for_an_unknown_slug(client, db):
    assert client.get("/frameworks/no-such-framework/ocds.json").status_code == 404


def test_view_serves_the_published_version_not_a_draft_revision(client, framework):
    draft = FrameworkPage.objects.get(pk=framework.pk)
    draft.title = "Secret draft title"
    draft.lots = [*draft.lots.all(), Lot(number=9, title="Draft-only lot")]
    draft.save_revision()
    response = client.get("/frameworks/digital-services/ocds.json")
    tender = json.loads(response.content)["releases"][0]["tender"]
    assert (tender["title"], [lot["id"] for lot in tender["lots"]]) == (
        "Digital services",
        ["lot-1", "lot-2"],
    )


def test_view_refuses_post(client, framework):
    assert client.post("/frameworks/digital-services/ocds.json").status_code == 405


def test_record_view_serves_a_valid_record_package(client, framework, appointed):
    response = client.get(reverse("frameworks:ocds-record", kwargs={"slug": framework.slug}))
    assert (response.status_code, validate_record_package(json.loads(response.content))) == (
        200,
        [],
    )


def test_view_queries_do_not_grow_with_lots_and_suppliers(
    client, db, django_assert_max_num_queries
):
    framework = factories.framework_page(
        slug="big-framework", lots=[{"number": n, "title": f"Lot {n}"} for n in range(1, 11)]
    )
    for lot in framework.lots.all():
        for _ in range(3):
            factories.AppointmentFactory(lot=lot)
    with django_assert_max_num_queries(20):
        response = client.get("/frameworks/big-framework/ocds.json")
    assert len(json.loads(response.content)["releases"][0]["awards"]) == 10


# --- The export command -----------------------------------------------------------------------


def test_export_writes_valid_release_and_record_packages(framework, appointed, tmp_path):
    factories.framework_page(lots=1, live=False)  # a draft: not exported
    output = tmp_path / "ocds" / "out"
    stdout = StringIO()
    call_command("export_ocds", "--output", str(output), stdout=stdout)
    ocid = f"ocds-test01-framework-{framework.pk}"
    release_package = json.loads((output / f"{ocid}.json").read_text())
    record_package = json.loads((output / f"{ocid}-record.json").read_text())
    assert (
        sorted(path.name for path in output.iterdir()),
        validate_release_package(release_package),
        validate_record_package(record_package),
        stdout.getvalue().splitlines()[-1],
    ) == (
        [f"{ocid}-record.json", f"{ocid}.json"],
        [],
        [],
        f"Wrote 1 release packages and 1 record packages to {output}",
    )


def test_export_refuses_a_file_as_output(db, tmp_path):
    target = tmp_path / "not-a-directory"
    target.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a directory"):
        call_command("export_ocds", "--output", str(target))


# --- Every framework the demo (or a varied set) builds -----------------------------------------


def _varied_frameworks():
    """Three frameworks unlike the fixture: coming, an open framework reopening, a charity's
    sole supplier on a direct-award lot with no values."""
    coming = factories.framework_page(
        lots=1,
        applications_open_on=date(2030, 1, 1),
        applications_close_on=date(2030, 2, 1),
        award_on=date(2030, 3, 1),
        starts_on=date(2030, 4, 1),
        ends_on=date(2033, 3, 31),
    )
    reopening = factories.framework_page(
        lots=2,
        cpv_codes=("45000000-7",),
        kind="open",
        eligible_kinds=["buyer", "authority"],
    )
    today = timezone.localdate()
    FrameworkReopening.objects.create(
        framework=reopening, opens_on=today, closes_on=today, award_on=today + timedelta(days=1)
    )
    sole = factories.framework_page(
        lots=[
            {
                "number": 1,
                "title": "Sole supplier",
                "allows_direct_award": True,
                "direct_award_method": "single_supplier",
                "allows_further_competition": False,
            }
        ],
        cpv_codes=("79000000-4",),
    )
    charity = factories.OrganisationFactory(company_number="", charity_number="1123456")
    factories.AppointmentFactory(lot=sole.lots.get(), supplier=charity)
    return [coming, reopening, sole]


def test_every_demo_framework_validates(db):
    call_command("seed_demo", "--buyers", "2", "--suppliers", "4", stdout=StringIO())
    _varied_frameworks()
    frameworks = list(FrameworkPage.objects.live())
    problems = {}
    for framework in frameworks:
        release_package = ocds.build_release_package(framework, published_at=PUBLISHED_AT)
        record_package = ocds.build_record_package(framework, published_at=PUBLISHED_AT)
        found = [
            *validate_release_package(release_package),
            *validate_record_package(record_package),
            *check_ocds_extras(release_package),
            *check_ocds_extras(record_package),
        ]
        if found:
            problems[framework.slug] = found
    assert (len(frameworks) >= 3, problems) == (True, {})
