from django.core.exceptions import ValidationError

from wagtail.models import Page

import pytest

from cms.models import GuidanceIndexPage, GuidancePage, HomePage, NavigationSettings
from demo.content import ensure_demo_content

pytestmark = pytest.mark.django_db


def test_fresh_database_serves_a_home_page_at_the_site_root(site):
    assert type(site.root_page.specific) is HomePage
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()


def test_home_page_renders_the_govuk_template(client, home_page):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "cms/home_page.html"
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<header class="govuk-template__header">' in html
    assert 'class="govuk-phase-banner"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert '<footer class="govuk-template__footer">' in html
    assert f'<h1 class="govuk-heading-xl">{home_page.title}</h1>' in html


def test_home_page_title_is_not_repeated(client, home_page):
    response = client.get("/")

    assert f"<title>{home_page.title}</title>" in response.content.decode()


def test_home_page_start_button_leads_to_the_chosen_page(client, home_page, guidance_page):
    home_page.cta_label = "Start now"
    home_page.cta_page = guidance_page
    home_page.save_revision().publish()

    response = client.get("/")

    html = response.content.decode()
    assert 'href="/guidance/how-to-buy-from-a-framework/" role="button"' in html
    assert 'class="govuk-button govuk-button--start"' in html


def test_home_page_without_start_button_text_shows_no_button(client, home_page):
    response = client.get("/")

    assert "govuk-button--start" not in response.content.decode()


def test_guidance_page_renders_every_block_with_govuk_markup(client, guidance_page):
    response = client.get(guidance_page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="govuk-heading-l">Before you start</h2>' in html
    assert '<h3 class="govuk-heading-m">What you need</h3>' in html
    assert (
        '<p class="govuk-body">Read the <a class="govuk-link" href="https://example.org/">terms</a>'
        in html
    )
    assert '<div class="govuk-inset-text">' in html
    assert '<p class="govuk-body">Bids are sealed until the deadline.</p>' in html
    assert '<span class="govuk-warning-text__icon" aria-hidden="true">!</span>' in html
    assert "File a nil return when there was no spend." in html
    assert '<span class="govuk-details__summary-text">Only one supplier?</span>' in html
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">Routes to market</caption>'
        in html
    )
    assert '<th scope="col" class="govuk-table__header">Competition</th>' in html
    assert '<td class="govuk-table__cell">Further competition</td>' in html


def test_guidance_page_has_breadcrumbs_to_its_section(client, guidance_page):
    response = client.get(guidance_page.url)

    html = response.content.decode()
    assert '<a class="govuk-breadcrumbs__link" href="/">Home</a>' in html
    assert '<a class="govuk-breadcrumbs__link" href="/guidance/">Guidance</a>' in html


def test_pages_carry_no_inline_styles(client, guidance_page):
    for url in ["/", "/guidance/", guidance_page.url, "/search/?q=buy", "/cookies/"]:
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert "<script>" not in html, url


def test_draft_guidance_page_is_not_public(client, make_guidance):
    draft = make_guidance("Unpublished guidance", live=False)

    response = client.get("/guidance/unpublished-guidance/")

    assert draft.live is False
    assert response.status_code == 404


def test_guidance_index_lists_only_live_guidance(client, guidance_index, make_guidance):
    make_guidance("Published guidance")
    make_guidance("Draft guidance", live=False)

    response = client.get(guidance_index.url)

    assert [page.title for page in response.context["guidance_pages"]] == ["Published guidance"]


def test_guidance_index_queries_do_not_grow(
    client, guidance_index, make_guidance, django_assert_max_num_queries
):
    for number in range(12):
        make_guidance(f"Guidance {number}")
    client.get(guidance_index.url)  # warm Wagtail's site root paths cache

    with django_assert_max_num_queries(12):
        response = client.get(guidance_index.url)

    assert len(response.context["guidance_pages"]) == 12


def test_guidance_pages_only_live_under_a_guidance_index(home_page, guidance_index):
    assert GuidancePage.can_create_at(guidance_index) is True
    assert GuidancePage.can_create_at(home_page) is False
    assert GuidanceIndexPage.can_create_at(home_page) is True
    assert HomePage.can_create_at(guidance_index) is False


def test_guidance_pages_have_no_children(guidance_page):
    assert GuidancePage.allowed_subpage_models() == []


def test_home_page_start_button_needs_a_destination(home_page):
    home_page.cta_label = "Start now"

    with pytest.raises(ValidationError) as error:
        home_page.full_clean()

    assert error.value.message_dict["cta_page"] == ["Choose the page the start button leads to"]


def test_demo_content_is_created_once(site):
    ensure_demo_content()
    ensure_demo_content()

    home = site.root_page.specific
    assert GuidanceIndexPage.objects.child_of(home).count() == 1
    assert GuidancePage.objects.live().count() == 5
    assert [block.value["label"] for block in NavigationSettings.for_site(site).links] == [
        "Home",
        "Guidance",
        "Search",
    ]
    assert home.cta_href() == "/buy/"


def test_demo_start_button_that_led_to_the_first_guide_now_leads_to_the_buyer_home(site):
    ensure_demo_content()
    home = site.root_page.specific
    home.cta_url = ""
    home.cta_page = GuidancePage.objects.get(slug="how-to-buy-from-a-framework")
    home.save_revision().publish()

    ensure_demo_content()

    home.refresh_from_db()
    assert home.cta_href() == "/buy/"


def test_demo_content_keeps_pages_editors_changed(site):
    ensure_demo_content()
    page = GuidancePage.objects.get(slug="open-data-we-publish")
    page.title = "Open data"
    page.save_revision().publish()

    ensure_demo_content()

    assert GuidancePage.objects.get(slug="open-data-we-publish").title == "Open data"


def test_demo_guidance_pages_render(client, site):
    ensure_demo_content()

    for page in GuidancePage.objects.live():
        assert client.get(page.url).status_code == 200


def test_page_scripts_carry_the_csp_nonce(client, home_page):
    response = client.get("/")

    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert html.count(f'<script nonce="{nonce}">') == 1
    assert html.count(f'<script type="module" nonce="{nonce}">') == 1


# Claims the demo content once made about features that are not built yet.
UNBUILT_PROMISES = [
    "Search the offerings",
    "then call off a contract",
    "save the search: this freezes a shortlist",
    "The service records the mechanism with the award",
    "Nobody, including administrators, can read a bid",
    "Buyers can filter on this",
    "You can pay by card online",
    "You can upload the lines as a spreadsheet",
    "every contract called off from a framework",
    "through a read-only JSON API",
]


def test_demo_pages_promise_nothing_that_is_not_built(client, site):
    ensure_demo_content()

    for page in [site.root_page.specific, *GuidancePage.objects.live()]:
        html = client.get(page.url).content.decode()
        for promise in UNBUILT_PROMISES:
            assert promise not in html, (page.url, promise)


def test_demo_home_page_says_what_works_today_and_what_is_coming(client, site):
    ensure_demo_content()

    html = client.get("/").content.decode()

    assert '<h2 class="govuk-heading-l">What you can do today</h2>' in html
    assert '<h2 class="govuk-heading-l">Not built yet</h2>' in html
    assert "search offerings across lots" in html
    assert "award a contract by direct award" in html
    assert "run a further competition" in html
