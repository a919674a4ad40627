"""/search/compare/: up to 10 listable offerings side by side, every bad input a clear page."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

from django.urls import reverse
from django.utils import timezone

import pytest

from search.compare import MAX_COMPARED, back_url, chosen_ids
from suppliers.models import Accreditation, Offering, SupplierProfile
from tests import factories
from tests.helpers import queries_to_get

pytestmark = pytest.mark.django_db

COMPARE = "/search/compare/"

OTHER_SCHEMA = [
    (
        "yes_no",
        {
            "key": "hosted_in_uk",
            "label": "Hosted in the UK",
            "required": True,
            "filterable": True,
            "help_text": "",
        },
    ),
    (
        "number",
        {
            "key": "crews",
            "label": "Number of crews",
            "unit": "crews",
            "required": False,
            "filterable": True,
            "help_text": "",
        },
    ),
]


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def make_offerings(lot, count, *, supplier=None, attributes=None, **fields) -> list[Offering]:
    """`count` live offerings on `lot` by one appointed supplier, made as rows."""
    supplier = supplier or factories.OrganisationFactory(kind="supplier")
    factories.AppointmentFactory(supplier=supplier, lot=lot)
    offerings = []
    for number in range(count):
        offering = Offering(
            supplier=supplier,
            lot=lot,
            status=Offering.Status.LIVE,
            title=fields.get("title", f"Offering {number + 1} on {lot.title}"),
            summary="A summary.",
            description="A description.",
            attributes=attributes if attributes is not None else {},
            price=Decimal(fields.get("price", "80.00")),
            price_unit=fields.get("price_unit", "hour"),
            vat_treatment="exclusive",
            regions_served=["TLD", "TLC"],
            lead_time_days=5,
        )
        offering.save()
        offerings.append(offering)
    return offerings


def ids(*offerings) -> list[tuple[str, str]]:
    return [("offering", str(offering.pk)) for offering in offerings]


def column_titles(response) -> list[str]:
    return re.findall(
        r'<th scope="col" class="govuk-table__header"><a class="govuk-link" href="[^"]+">'
        r"([^<]+)</a></th>",
        unescape(response.content.decode()),
    )


def row(response, label: str) -> list[str]:
    html = unescape(response.content.decode())
    match = re.search(
        r'<th scope="row" class="govuk-table__header">' + re.escape(label) + r"</th>(.*?)</tr>",
        html,
        re.S,
    )
    assert match, f"no row {label!r}"
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', match[1], re.S)
    ]


@pytest.fixture
def lot():
    return factories.supplier_lot()


@pytest.fixture
def other_lot():
    page = factories.framework_page(
        lots=[{"number": 1, "title": "Grounds", "attribute_schema": OTHER_SCHEMA}]
    )
    return page.lots.get(number=1)


def test_offerings_show_side_by_side_in_the_order_chosen(client, lot):
    first, second = make_offerings(lot, 2)
    SupplierProfile.objects.create(
        organisation=first.supplier,
        headcount=12,
        annual_turnover=Decimal("1000000"),
        accreditations=[Accreditation.ISO_9001, Accreditation.CYBER_ESSENTIALS],
    )
    first.supplier.is_sme = True
    first.supplier.save()

    response = client.get(COMPARE, ids(second, first))

    assert response.status_code == 200
    assert column_titles(response) == [second.title, first.title]
    assert row(response, "Price") == ["£80.00", "£80.00"]
    assert row(response, "Unit") == ["per hour", "per hour"]
    assert row(response, "VAT") == ["Excluding VAT (VAT added at 20%)"] * 2
    assert row(response, "Comparable price (excluding VAT)") == ["£600.00 per day"] * 2
    assert row(response, "Lead time") == ["5 working days"] * 2
    assert row(response, "SME or VCSE") == ["SME", "SME"]
    assert (
        row(response, "Accreditations")
        == [
            "ISO 9001 (quality management) Cyber Essentials",
        ]
        * 2
    )
    # Each links to its page, which links back to this comparison.
    back = f"/search/compare/%3Foffering%3D{second.pk}%26offering%3D{first.pk}"
    offering_url = reverse("suppliers:offering", args=[first.pk])
    assert f'href="{offering_url}?back={back}"' in response.content.decode()


def test_every_lot_question_is_a_row_and_not_asked_where_a_lot_does_not_ask_it(
    client, lot, other_lot
):
    (software,) = make_offerings(
        lot, 1, attributes={"max_users": 500, "hosted_in_uk": True, "support_hours": "24/7"}
    )
    (grounds,) = make_offerings(other_lot, 1, attributes={"hosted_in_uk": False})

    response = client.get(COMPARE, ids(software, grounds))

    assert row(response, "Maximum users") == ["500 users", "Not asked on this lot"]
    assert row(response, "Hosted in the UK") == ["Yes", "No"]
    assert row(response, "Support hours") == ["24/7", "Not asked on this lot"]
    assert row(response, "Standards met") == ["Not answered", "Not asked on this lot"]
    assert row(response, "Number of crews") == ["Not asked on this lot", "Not answered"]


def test_more_than_ten_is_refused_with_a_message_and_no_table(client, lot):
    offerings = make_offerings(lot, MAX_COMPARED + 1)

    response = client.get(COMPARE, [*ids(*offerings), ("back", "q=cloud")])

    assert response.status_code == 200
    assert "Choose at most 10 offerings to compare: you chose 11" in text(response)
    assert 'class="govuk-error-summary"' in text(response)
    assert 'id="comparison"' not in text(response)
    assert 'href="/search/?q=cloud"' in text(response)


def test_ten_are_compared(client, lot):
    offerings = make_offerings(lot, MAX_COMPARED)

    response = client.get(COMPARE, ids(*offerings))

    assert len(column_titles(response)) == MAX_COMPARED


def test_unknown_and_malformed_ids_are_named_not_a_500(client, lot):
    (offering,) = make_offerings(lot, 1)

    response = client.get(
        COMPARE, [*ids(offering), ("offering", "999999"), ("offering", "' OR 1=1")]
    )

    assert response.status_code == 200
    page = text(response)
    assert "Offering 999999 is not listed today, or does not exist" in page
    assert "“' OR 1=1” is not an offering number" in page
    assert column_titles(response) == [offering.title]


def test_an_offering_that_is_not_listed_is_not_shown(client, lot):
    (listed,) = make_offerings(lot, 1)
    (draft,) = make_offerings(lot, 1)
    Offering.objects.filter(pk=draft.pk).update(status=Offering.Status.DRAFT)
    expired = factories.framework_page(
        lots=[{"number": 1, "title": "Old", "attribute_schema": []}],
        applications_open_on=timezone.localdate() - timedelta(days=900),
        applications_close_on=timezone.localdate() - timedelta(days=850),
        award_on=timezone.localdate() - timedelta(days=800),
        starts_on=timezone.localdate() - timedelta(days=780),
        ends_on=timezone.localdate() - timedelta(days=1),
    ).lots.get()
    (old,) = make_offerings(expired, 1)

    response = client.get(COMPARE, ids(listed, draft, old))

    assert column_titles(response) == [listed.title]
    page = text(response)
    assert f"Offering {draft.pk} is not listed today" in page
    assert f"Offering {old.pk} is not listed today" in page


def test_nothing_chosen_says_what_to_do(client):
    response = client.get(COMPARE)

    assert response.status_code == 200
    assert "There are no offerings to compare" in text(response)


def test_the_same_offering_twice_is_one_column(client, lot):
    (offering,) = make_offerings(lot, 1)

    response = client.get(COMPARE, ids(offering, offering))

    assert column_titles(response) == [offering.title]


def test_the_back_link_only_ever_goes_to_the_search_page():
    from django.http import QueryDict

    assert back_url(QueryDict("back=q%3Dcloud%26region%3DTLD")) == "/search/?q=cloud&region=TLD"
    assert back_url(QueryDict("back=%3Fq%3Dcloud")) == "/search/?q=cloud"
    assert back_url(QueryDict("back=https%3A%2F%2Fevil.example%2F")).startswith("/search/?")
    assert back_url(QueryDict("back=%22%3E%3Cscript%3E")) == "/search/?%22%3E%3Cscript%3E="
    assert back_url(QueryDict("")) == "/search/"


def test_chosen_ids_keep_order_and_drop_repeats_and_blanks():
    assert chosen_ids(["3", "1", "3", "", " 2 "]) == ([3, 1, 2], [])


def test_compare_queries_do_not_grow_with_the_offerings_compared(client, lot, other_lot):
    two = make_offerings(lot, 1) + make_offerings(other_lot, 1)
    ten = two + make_offerings(lot, 4) + make_offerings(other_lot, 4)
    client.get(COMPARE)  # the navigation and site caches fill over the first requests

    assert queries_to_get(client, COMPARE, ids(*two)) == queries_to_get(client, COMPARE, ids(*ten))


def test_compare_query_count_is_bounded(client, lot, django_assert_max_num_queries):
    offerings = make_offerings(lot, MAX_COMPARED)
    client.get(COMPARE, ids(*offerings))

    with django_assert_max_num_queries(4):
        client.get(COMPARE, ids(*offerings))
