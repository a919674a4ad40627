"""The public framework pages: the filtered list, an authority's page, a framework and a lot."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from wagtail.documents.models import Document

import pytest

from frameworks.models import (
    Appointment,
    CpvCode,
    FrameworkContact,
    FrameworkDocument,
    FrameworkPage,
    FrameworkReopening,
    Lot,
)
from marketplace.organisations.models import Region
from marketplace.working_days import standstill_end
from tests import factories

TODAY = timezone.localdate()


def days(n: int):
    return TODAY + timedelta(days=n)


COMING = {
    "applications_open_on": days(10),
    "applications_close_on": days(40),
    "award_on": days(60),
    "starts_on": days(90),
    "ends_on": days(800),
}
OPEN = {
    "applications_open_on": days(-5),
    "applications_close_on": days(20),
    "award_on": days(40),
    "starts_on": days(60),
    "ends_on": days(700),
}
EXPIRED = {
    "applications_open_on": days(-900),
    "applications_close_on": days(-850),
    "award_on": days(-800),
    "starts_on": days(-780),
    "ends_on": days(-10),
}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def listed(response) -> list[str]:
    """The titles of the framework cards on a list page, in order."""
    return re.findall(
        r'govuk-summary-card__title"><a class="govuk-link" href="[^"]+">([^<]+)</a>',
        response.content.decode(),
    )


@pytest.fixture
def manchester(db):
    return factories.authority_page(
        factories.OrganisationFactory(kind="authority", legal_name="Greater Manchester CA")
    )


@pytest.fixture
def london(db):
    return factories.authority_page(
        factories.OrganisationFactory(
            kind="authority", legal_name="London Councils", region=Region.LONDON
        )
    )


@pytest.fixture
def buyer_client(client, procurement_officer):
    client.force_login(procurement_officer)
    return client


# The list -------------------------------------------------------------------------------------


def test_list_shows_each_published_framework_with_its_details(client, manchester):
    factories.framework_page(
        manchester, title="Digital services", reference="GM-DIG-1", lots=3, **OPEN
    )

    page = text(client.get("/frameworks/"))

    assert listed(client.get("/frameworks/")) == ["Digital services"]
    assert '<h2 class="govuk-heading-m" id="results-heading">1 framework</h2>' in page
    assert '<dd class="govuk-summary-list__value">GM-DIG-1</dd>' in page
    assert '<dd class="govuk-summary-list__value">Greater Manchester CA</dd>' in page
    assert '<strong class="govuk-tag govuk-tag--green">Open for applications</strong>' in page
    assert (
        f"{OPEN['applications_open_on']:%-d %B %Y} to {OPEN['applications_close_on']:%-d %B %Y}"
        in page
    )
    assert (
        '<dt class="govuk-summary-list__key">Lots</dt> <dd class="govuk-summary-list__value">3'
        in page
    )


def test_list_leaves_out_unpublished_frameworks(client, manchester):
    factories.framework_page(manchester, title="Published")
    factories.framework_page(manchester, title="Never published", live=False)

    assert listed(client.get("/frameworks/")) == ["Published"]


def test_list_filters_by_authority(client, manchester, london):
    factories.framework_page(manchester, title="Manchester digital")
    factories.framework_page(london, title="London digital")

    response = client.get("/frameworks/", {"authority": london.authority.slug})

    assert listed(response) == ["London digital"]


def test_list_filters_by_status(client, manchester):
    factories.framework_page(manchester, title="Coming", **COMING)
    factories.framework_page(manchester, title="Open", **OPEN)
    factories.framework_page(manchester, title="Live")
    factories.framework_page(manchester, title="Expired", **EXPIRED)

    response = client.get("/frameworks/", {"status": ["open", "expired"]})

    assert listed(response) == ["Expired", "Open"]


def test_list_filters_by_category_division_of_any_cpv_code(client, manchester):
    factories.framework_page(manchester, title="Software", cpv_codes=("72200000-7",))
    factories.framework_page(manchester, title="Mixed", cpv_codes=("45000000-7", "72000000-5"))
    factories.framework_page(manchester, title="Building", cpv_codes=("45300000-0",))

    response = client.get("/frameworks/", {"category": "72"})

    assert listed(response) == ["Mixed", "Software"]


def test_list_filters_to_frameworks_my_organisation_can_use(buyer_client, manchester, buyer):
    factories.framework_page(manchester, title="Any buyer")
    factories.framework_page(manchester, title="North West", eligible_regions=[Region.NORTH_WEST])
    factories.framework_page(manchester, title="London only", eligible_regions=[Region.LONDON])
    factories.framework_page(manchester, title="Suppliers only", eligible_kinds=["supplier"])
    factories.framework_page(
        manchester,
        title="Named",
        eligible_regions=[Region.LONDON],
        eligible_organisations=[buyer],
    )

    response = buyer_client.get("/frameworks/", {"eligible": "on"})

    assert listed(response) == ["Any buyer", "Named", "North West"]


def test_eligibility_filter_is_offered_only_to_someone_acting_for_an_organisation(
    buyer_client, manchester
):
    factories.framework_page(manchester)

    assert 'name="eligible"' not in Client().get("/frameworks/").content.decode()
    assert 'name="eligible"' in buyer_client.get("/frameworks/").content.decode()


def test_eligibility_filter_is_ignored_for_anonymous_visitors(client, manchester):
    factories.framework_page(manchester, title="London only", eligible_regions=[Region.LONDON])

    assert listed(client.get("/frameworks/", {"eligible": "on"})) == ["London only"]


def tags(response) -> dict[str, str]:
    """Each listed framework's "Open to you" or "Not open to you" tag."""
    return dict(
        re.findall(
            r'govuk-summary-card__title"><a class="govuk-link" href="[^"]+">([^<]+)</a>.*?'
            r'<strong class="govuk-tag[^"]*" id="open-to-you-\d+">([^<]+)</strong>',
            response.content.decode(),
            flags=re.DOTALL,
        )
    )


def test_buyer_sees_on_every_framework_whether_it_is_open_to_them(buyer_client, manchester):
    factories.framework_page(manchester, title="Any buyer")
    factories.framework_page(manchester, title="London only", eligible_regions=[Region.LONDON])

    response = buyer_client.get("/frameworks/", {"filtered": "1"})

    assert tags(response) == {"Any buyer": "Open to you", "London only": "Not open to you"}


def test_only_frameworks_i_can_use_is_on_by_default_for_a_buyer(buyer_client, manchester):
    factories.framework_page(manchester, title="Any buyer")
    factories.framework_page(manchester, title="London only", eligible_regions=[Region.LONDON])

    response = buyer_client.get("/frameworks/")

    assert listed(response) == ["Any buyer"]
    assert re.search(r'<input[^>]* name="eligible"[^>]* checked', text(response))
    assert '<input type="hidden" name="filtered" value="1">' in text(response)


def test_a_buyer_can_untick_only_frameworks_i_can_use_without_javascript(buyer_client, manchester):
    """Unticked boxes send nothing: the hidden marker says the form was sent."""
    factories.framework_page(manchester, title="Any buyer")
    factories.framework_page(manchester, title="London only", eligible_regions=[Region.LONDON])

    response = buyer_client.get("/frameworks/", {"filtered": "1"})

    assert listed(response) == ["Any buyer", "London only"]
    assert not re.search(r'<input[^>]* name="eligible"[^>]* checked', text(response))


def test_suppliers_and_anonymous_visitors_get_no_eligibility_tags(
    client, supplier_admin, manchester
):
    factories.framework_page(manchester, title="Any buyer")

    assert tags(client.get("/frameworks/")) == {}
    client.force_login(supplier_admin)
    response = client.get("/frameworks/")
    assert tags(response) == {}
    assert 'name="eligible"' not in response.content.decode()


def test_expired_frameworks_are_hidden_unless_asked_for(client, manchester):
    factories.framework_page(manchester, title="Live")
    factories.framework_page(manchester, title="Expired", **EXPIRED)

    assert listed(client.get("/frameworks/")) == ["Live"]
    assert listed(client.get("/frameworks/", {"include_expired": "on"})) == ["Expired", "Live"]


def test_expired_count_shows_what_ticking_expired_would_give(client, manchester):
    factories.framework_page(manchester, title="Live")
    factories.framework_page(manchester, title="Expired", **EXPIRED)

    page = text(client.get("/frameworks/"))

    assert ">Expired (1)</label>" in page
    assert ">Greater Manchester CA (1)</label>" in page


def test_filters_combine(client, manchester, london):
    factories.framework_page(manchester, title="Manchester open", **OPEN)
    factories.framework_page(manchester, title="Manchester live")
    factories.framework_page(london, title="London open", **OPEN)

    response = client.get(
        "/frameworks/", {"authority": manchester.authority.slug, "status": "open"}
    )

    assert listed(response) == ["Manchester open"]


def test_each_facet_counts_with_every_other_filter_but_its_own(buyer_client, manchester, london):
    factories.framework_page(manchester, title="M open IT", cpv_codes=("72000000-5",), **OPEN)
    factories.framework_page(manchester, title="M live IT", cpv_codes=("72100000-6",))
    factories.framework_page(
        manchester, title="M live building", cpv_codes=("45000000-7",), eligible_kinds=["supplier"]
    )
    factories.framework_page(london, title="L open IT", cpv_codes=("72000000-5",), **OPEN)
    factories.framework_page(london, title="L expired", **EXPIRED)

    page = text(
        buyer_client.get("/frameworks/", {"authority": manchester.authority.slug, "status": "live"})
    )

    assert ">Greater Manchester CA (2)</label>" in page  # live frameworks of each authority
    assert ">London Councils (0)</label>" in page
    assert ">Open for applications (1)</label>" in page  # Manchester's, by status
    assert ">Live (2)</label>" in page
    assert ">Expired (0)</label>" in page
    assert ">IT services: consulting, software development, Internet and support (1)</option>" in (
        page
    )
    assert ">Construction work (1)</option>" in page
    assert ">Only frameworks I can use (1)</label>" in page
    assert '<h2 class="govuk-heading-m" id="results-heading">2 frameworks</h2>' in page


def test_facet_counts_count_a_framework_once_per_division(client, manchester):
    factories.framework_page(manchester, cpv_codes=("72000000-5", "72100000-6", "72200000-7"))

    page = text(client.get("/frameworks/"))

    assert ">IT services: consulting, software development, Internet and support (1)</option>" in (
        page
    )


def test_list_paginates_twenty_frameworks_a_page_keeping_the_filters(client, manchester):
    for number in range(22):
        factories.framework_page(manchester, title=f"Framework {number:02d}")

    first = client.get("/frameworks/", {"status": ["live", "open"]})
    second = client.get("/frameworks/", {"status": ["live", "open"], "page": 2})

    assert len(listed(first)) == 20
    assert listed(second) == ["Framework 20", "Framework 21"]
    assert 'href="?status=live&amp;status=open&amp;page=2" rel="next"' in first.content.decode()
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in first.content.decode()


def test_list_has_no_pagination_for_one_page(client, manchester):
    factories.framework_page(manchester)

    assert "govuk-pagination" not in client.get("/frameworks/").content.decode()


def test_list_says_when_no_framework_matches(client, manchester):
    factories.framework_page(manchester)

    page = text(client.get("/frameworks/", {"status": "expired"}))

    assert '<h2 class="govuk-heading-m" id="results-heading">0 frameworks</h2>' in page
    assert "No frameworks match your filters. Try removing some filters." in page
    assert '<a class="govuk-link" href="/frameworks/">Clear filters</a>' in page


def test_list_says_when_nothing_is_published(client, manchester):
    page = text(client.get("/frameworks/"))

    assert "There are no published frameworks yet." in page
    assert "Clear filters" not in page


def test_bad_filter_values_are_reported_and_ignored(client, manchester):
    factories.framework_page(manchester, title="Live one")
    factories.framework_page(manchester, title="Expired one", **EXPIRED)

    response = client.get(
        "/frameworks/",
        {"authority": "nobody", "status": ["expired", "bogus"], "category": "zz", "page": "x"},
    )
    page = text(response)

    assert response.status_code == 200
    assert "<title>Error: Frameworks" in page
    assert '<a href="#id_authority">Select authorities from the list</a>' in page
    assert '<a href="#id_status">Select statuses from the list</a>' in page
    assert '<a href="#id_category">Select a category from the list</a>' in page
    assert listed(response) == ["Live one"]  # the status filter is ignored: expired stay hidden


def test_list_queries_do_not_grow_with_frameworks(
    buyer_client, manchester, london, django_assert_max_num_queries
):
    for number in range(25):
        factories.framework_page(
            manchester if number % 2 else london, lots=2, cpv_codes=("72000000-5",)
        )

    buyer_client.get("/frameworks/")  # the first request of a site creates its settings
    with django_assert_max_num_queries(26):
        response = buyer_client.get(
            "/frameworks/",
            {"status": "live", "category": "72", "eligible": "on", "include_expired": "on"},
        )

    assert len(listed(response)) == 20
    assert set(tags(response).values()) == {"Open to you"}


# An authority's page ---------------------------------------------------------------------------


def test_authority_page_lists_only_its_published_frameworks(client, manchester, london):
    factories.framework_page(manchester, title="Manchester digital")
    factories.framework_page(manchester, title="Manchester draft", live=False)
    factories.framework_page(london, title="London digital")

    response = client.get(manchester.url)

    assert '<h1 class="govuk-heading-xl">Greater Manchester CA</h1>' in text(response)
    assert listed(response) == ["Manchester digital"]


# A framework ------------------------------------------------------------------------------------


@pytest.fixture
def specification(db):
    return Document.objects.create(
        title="Specification",
        file=ContentFile(b"x" * 2048, name="specification.pdf"),
        file_size=2048,
    )


@pytest.fixture
def full_framework(manchester, specification):
    framework = factories.framework_page(
        manchester,
        title="Digital services",
        reference="GM-DIG-1",
        summary="Digital and technology services for Greater Manchester.",
        description=[{"type": "paragraph", "value": "<p>Everything from discovery to live.</p>"}],
        cpv_codes=("72000000-5",),
        levy_rate=Decimal("1.50"),
        kind="open",
        reopenings=[
            FrameworkReopening(opens_on=days(200), closes_on=days(230), award_on=days(250))
        ],
        documents=[FrameworkDocument(document=specification, title="Framework specification")],
        contacts=[
            FrameworkContact(
                name="Frameworks team", email="frameworks@example.gov.uk", telephone="0161 000 0000"
            )
        ],
        lots=[
            {
                "number": 1,
                "title": "Software development",
                "allows_direct_award": True,
                "allows_further_competition": True,
                "direct_award_mechanism": "Award to the highest ranked supplier at appointment.",
                "minimum_value": Decimal("10000"),
                "maximum_value": Decimal("250000"),
                "maximum_term_months": 36,
            },
            {"number": 2, "title": "Hosting", "maximum_value": Decimal("99999.50")},
        ],
    )
    return framework


def test_framework_page_shows_its_details(client, full_framework):
    page = text(client.get(full_framework.url))

    assert '<h1 class="govuk-heading-xl govuk-!-margin-bottom-4">Digital services</h1>' in page
    assert '<span class="govuk-caption-l">Greater Manchester CA</span>' in page
    assert '<strong class="govuk-tag govuk-tag--turquoise">Live</strong>' in page
    assert "Digital and technology services for Greater Manchester." in page
    assert '<p class="govuk-body">Everything from discovery to live.</p>' in page
    assert '<dd class="govuk-summary-list__value">GM-DIG-1</dd>' in page
    assert '<dd class="govuk-summary-list__value">Procurement Act 2023</dd>' in page
    assert '<dd class="govuk-summary-list__value">1.50% of the value of each call-off</dd>' in page
    assert (
        "<li>72000000-5 IT services: consulting, software development, Internet and support</li>"
        in (page)
    )


def test_framework_page_shows_key_dates_and_reopenings(client, full_framework):
    page = text(client.get(full_framework.url))

    for label, day in [
        ("Applications open", full_framework.applications_open_on),
        ("Applications close", full_framework.applications_close_on),
        ("Award decision", full_framework.award_on),
        ("Starts", full_framework.starts_on),
        ("Ends", full_framework.ends_on),
    ]:
        assert (
            f'<dt class="govuk-summary-list__key">{label}</dt> '
            f'<dd class="govuk-summary-list__value">{day:%-d %B %Y}</dd>'
        ) in page
    assert (
        f"<li>{days(200):%-d %B %Y} to {days(230):%-d %B %Y}, awarded {days(250):%-d %B %Y}</li>"
    ) in page


def test_framework_page_shows_its_law_kind_notice_and_scheme(client, full_framework):
    page = text(client.get(full_framework.url))

    award, notice = full_framework.award_on, full_framework.award_notice_published_on
    assert '<dd class="govuk-summary-list__value">Procurement Act 2023</dd>' in page
    assert '<dd class="govuk-summary-list__value">Open framework</dd>' in page
    assert (
        '<dt class="govuk-summary-list__key">Contract award notice</dt> '
        f'<dd class="govuk-summary-list__value">GM-DIG-1-CAN, {notice:%-d %B %Y}</dd>'
    ) in page
    assert (
        '<dt class="govuk-summary-list__key">Standstill ends</dt> '
        f'<dd class="govuk-summary-list__value">{standstill_end(notice):%-d %B %Y}</dd>'
    ) in page
    rows = [(award, days(249)), (days(250), full_framework.ends_on)]
    for awarded, ends in rows:
        assert (
            f'<td class="govuk-table__cell">{awarded:%-d %B %Y}</td>'
            f'<td class="govuk-table__cell">{ends:%-d %B %Y}</td>'
        ) in page


def test_a_pcr_2015_framework_is_labelled_and_shows_no_act_standstill(client, manchester):
    today = timezone.localdate()
    framework = factories.framework_page(
        manchester,
        regime="pcr2015",
        applications_open_on=date(2024, 6, 3),
        applications_close_on=date(2024, 7, 1),
        award_on=date(2024, 8, 1),
        starts_on=date(2024, 9, 1),
        ends_on=today + timedelta(days=30),
    )
    page = text(client.get(framework.url))

    assert '<dd class="govuk-summary-list__value">Public Contracts Regulations 2015</dd>' in page
    assert '<dd class="govuk-summary-list__value">Standard</dd>' in page
    assert "Standstill ends" not in page
    assert "Contract award notice" not in page


def test_framework_page_shows_each_lot_with_how_to_buy(client, full_framework):
    lot = full_framework.lots.get(number=1)
    factories.AppointmentFactory(lot=lot)
    factories.AppointmentFactory(lot=lot)
    factories.AppointmentFactory(lot=lot, status=Appointment.Status.SUSPENDED)

    page = text(client.get(full_framework.url))

    assert (
        f'<a class="govuk-link" href="{full_framework.url}lots/1/">Lot 1: Software development</a>'
    ) in page
    assert "Award to the highest ranked supplier at appointment." in page
    assert "<strong>Further competition</strong>" in page
    assert '<dd class="govuk-summary-list__value">£10,000 to £250,000</dd>' in page
    assert '<dd class="govuk-summary-list__value">Up to £99,999.50</dd>' in page
    assert '<dd class="govuk-summary-list__value">36 months</dd>' in page
    assert (
        '<dt class="govuk-summary-list__key">Suppliers appointed</dt> '
        '<dd class="govuk-summary-list__value">2</dd>'
    ) in page


def test_framework_page_lists_documents_with_type_and_size(client, full_framework, specification):
    page = text(client.get(full_framework.url))

    assert (
        f'<a class="govuk-link" href="{specification.url}">Framework specification</a> '
        "(PDF, 2.0 KB)"
    ) in page


def test_framework_page_shows_contacts_and_open_data_link(client, full_framework):
    page = text(client.get(full_framework.url))

    assert '<a class="govuk-link" href="mailto:frameworks@example.gov.uk">' in page
    assert "Telephone: 0161 000 0000" in page
    assert f'href="/frameworks/{full_framework.slug}/ocds.json"' in page


def test_suspended_framework_shows_a_warning_with_the_reason(client, manchester):
    framework = factories.framework_page(manchester)
    FrameworkPage.objects.filter(pk=framework.pk).update(
        is_suspended=True, suspension_reason="Under legal challenge."
    )

    page = text(client.get(framework.url))

    assert '<strong class="govuk-tag govuk-tag--red">Suspended</strong>' in page
    assert (
        "This framework is suspended: no call-offs can be made under it. Under legal challenge."
        in page
    )


def test_anonymous_visitors_are_asked_to_sign_in_to_check_eligibility(client, manchester):
    framework = factories.framework_page(manchester)

    page = text(client.get(framework.url))

    assert (
        f'<a class="govuk-link" href="/account/sign-in/?next={framework.url}">'
        "Sign in to check whether your organisation can use this framework</a>"
    ) in page


@pytest.mark.parametrize(
    ("fields", "answer", "reason"),
    [
        (
            {"eligible_regions": [Region.NORTH_WEST, Region.YORKSHIRE]},
            "Yes, {name} can use this framework",
            "Buyers in North West (England) can use this framework.",
        ),
        ({}, "Yes, {name} can use this framework", "Any buyer can use this framework."),
        (
            {"eligible_regions": [Region.LONDON]},
            "No, {name} cannot use this framework",
            "This framework is open to buyers in London; "
            "your organisation is a buyer in North West (England).",
        ),
        (
            {"eligible_kinds": ["supplier", "authority"]},
            "No, {name} cannot use this framework",
            "This framework is open to regional authorities and suppliers; "
            "your organisation is a buyer in North West (England).",
        ),
    ],
)
def test_eligibility_panel_answers_with_the_reason(
    buyer_client, buyer, manchester, fields, answer, reason
):
    framework = factories.framework_page(manchester, **fields)

    page = text(buyer_client.get(framework.url))

    assert f"<strong>{answer.format(name=buyer.name)}</strong>" in page
    assert f'<p class="govuk-body">{reason}</p>' in page


def test_eligibility_panel_admits_a_named_organisation_from_elsewhere(
    buyer_client, buyer, manchester
):
    framework = factories.framework_page(
        manchester, eligible_regions=[Region.LONDON], eligible_organisations=[buyer]
    )

    page = text(buyer_client.get(framework.url))

    assert f"<strong>Yes, {buyer.name} can use this framework</strong>" in page
    assert "Your organisation is named as able to use this framework." in page


def test_members_of_several_organisations_are_asked_which_they_act_for(client, buyer, manchester):
    framework = factories.framework_page(manchester)
    user = factories.MembershipFactory(organisation=buyer, role="procurement_officer").user
    factories.MembershipFactory(
        user=user,
        organisation=factories.OrganisationFactory(kind="buyer", council_code="GB-LIV"),
        role="procurement_officer",
    )
    client.force_login(user)

    page = text(client.get(framework.url))

    assert (
        f'<a class="govuk-link" href="/account/?next={framework.url}">'
        "Choose the organisation you are acting for</a> to check whether it can use this framework."
    ) in page
    # It once led to the choice's POST-only address: 405 for a link.
    choose = client.get(f"/account/?next={framework.url}")
    assert f'<input type="hidden" name="next" value="{framework.url}">' in text(choose)
    response = client.post(
        "/account/organisation/", {"organisation": buyer.pk, "next": framework.url}
    )
    assert response.url == framework.url


def test_framework_page_queries_do_not_grow_with_lots_and_suppliers(
    buyer_client, manchester, django_assert_max_num_queries
):
    framework = factories.framework_page(manchester, lots=6, cpv_codes=("72000000-5", "72100000-6"))
    for lot in framework.lots.all():
        for _ in range(4):
            factories.AppointmentFactory(lot=lot)

    buyer_client.get("/frameworks/")  # the first request of a site creates its settings
    with django_assert_max_num_queries(31):
        response = buyer_client.get(framework.url)

    assert response.content.decode().count('<dd class="govuk-summary-list__value">4</dd>') == 6


# Drafts are never public -----------------------------------------------------------------------


def test_unpublished_draft_changes_are_not_shown(client, manchester):
    framework = factories.framework_page(manchester, title="Old title", lots=1)
    framework.title = "New title"
    framework.lots.add(Lot(number=2, title="Draft lot"))
    framework.save_revision()

    page = text(client.get(framework.url))

    assert '<h1 class="govuk-heading-xl govuk-!-margin-bottom-4">Old title</h1>' in page
    assert "New title" not in page
    assert "Draft lot" not in page
    assert client.get(f"{framework.url}lots/2/").status_code == 404


def test_a_preview_shows_the_draft_lots(manchester):
    framework = factories.framework_page(manchester, lots=1)
    framework.lots.add(Lot(number=2, title="Draft lot"))

    response = framework.make_preview_request()

    assert response.status_code == 200
    assert "Lot 2: Draft lot" in response.rendered_content


def test_never_published_framework_is_not_found(client, manchester):
    framework = factories.framework_page(manchester, live=False)

    assert client.get("/frameworks/" + manchester.slug + f"/{framework.slug}/").status_code == 404


def test_unpublished_frameworks_lots_are_not_found(client, manchester):
    framework = factories.framework_page(manchester, live=False)

    assert client.get(f"/frameworks/{manchester.slug}/{framework.slug}/lots/1/").status_code == 404


# A lot -----------------------------------------------------------------------------------------


def test_lot_page_shows_the_lot_and_how_to_buy(client, full_framework):
    page = text(client.get(f"{full_framework.url}lots/1/"))

    assert "<title>Lot 1: Software development – Digital services" in page
    assert (
        f'<a class="govuk-breadcrumbs__link" href="{full_framework.url}">Digital services</a>'
        in page
    )
    assert "<strong>Direct award</strong>" in page
    assert "Award to the highest ranked supplier at appointment." in page
    assert '<dd class="govuk-summary-list__value">£10,000 to £250,000</dd>' in page
    assert '<dd class="govuk-summary-list__value">36 months</dd>' in page


def test_lot_page_shows_the_lots_own_cpv_codes(client, manchester):
    framework = factories.framework_page(manchester)
    lot = framework.lots.get(number=1)
    lot.cpv_codes.set(CpvCode.objects.filter(code="72300000-8"))
    lot.save()

    page = text(client.get(f"{framework.url}lots/1/"))

    assert "<li>72300000-8 Data services</li>" in page


def test_lot_page_lists_active_current_suppliers_with_their_tags_and_profile_links(
    client, manchester
):
    framework = factories.framework_page(manchester)
    lot = framework.lots.get(number=1)
    supplier = factories.OrganisationFactory(
        legal_name="Able Digital Ltd", is_sme=True, is_vcse=True, region=Region.WALES
    )
    factories.AppointmentFactory(lot=lot, supplier=supplier)

    page = text(client.get(f"{framework.url}lots/1/"))

    assert (
        '<th scope="row" class="govuk-table__header">'
        f'<a class="govuk-link" href="/suppliers/{supplier.slug}/">Able Digital Ltd</a></th> '
        '<td class="govuk-table__cell">Wales</td> '
        '<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--blue">SME</strong> '
        '<strong class="govuk-tag govuk-tag--purple">VCSE</strong></td>'
    ) in page
    assert "1 supplier appointed to this lot" in page


@pytest.mark.parametrize(
    "appointment",
    [
        {"status": Appointment.Status.SUSPENDED},
        {"status": Appointment.Status.EXCLUDED},
        {"starts_on": days(5)},
        {"starts_on": days(-100), "ends_on": days(-1)},
    ],
    ids=["suspended", "excluded", "not started", "ended"],
)
def test_lot_page_leaves_out_suppliers_not_currently_appointed(client, manchester, appointment):
    framework = factories.framework_page(manchester)
    lot = framework.lots.get(number=1)
    factories.AppointmentFactory(
        lot=lot, supplier=factories.OrganisationFactory(legal_name="Hidden Ltd"), **appointment
    )

    page = text(client.get(f"{framework.url}lots/1/"))

    assert "Hidden Ltd" not in page
    assert "No suppliers are appointed to this lot yet." in page


def test_unknown_lot_number_is_not_found(client, manchester):
    framework = factories.framework_page(manchester, lots=2)

    assert client.get(f"{framework.url}lots/3/").status_code == 404
