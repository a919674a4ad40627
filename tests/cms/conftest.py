from wagtail.models import Site

import pytest

from cms.models import GuidanceIndexPage, GuidancePage, NavigationSettings

ALL_BLOCKS = [
    {"type": "heading", "value": {"text": "Before you start", "level": "h2"}},
    {"type": "heading", "value": {"text": "What you need", "level": "h3"}},
    {"type": "paragraph", "value": '<p>Read the <a href="https://example.org/">terms</a>.</p>'},
    {"type": "inset_text", "value": "<p>Bids are sealed until the deadline.</p>"},
    {"type": "warning_text", "value": "File a nil return when there was no spend."},
    {"type": "details", "value": {"summary": "Only one supplier?", "body": "<p>Award it.</p>"}},
    {
        "type": "table",
        "value": {
            "caption": "Routes to market",
            "headers": ["Route", "Competition"],
            "rows": [["Direct award", "None"], ["Further competition", "Among the lot"]],
        },
    },
]


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home_page(site):
    return site.root_page.specific


@pytest.fixture
def guidance_index(home_page):
    index = GuidanceIndexPage(title="Guidance", slug="guidance", intro="How to use frameworks.")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_guidance(guidance_index):
    def make(title="How to buy", *, slug=None, summary="A summary.", body=None, live=True):
        page = GuidancePage(
            title=title,
            slug=slug or title.lower().replace(" ", "-"),
            summary=summary,
            body=body if body is not None else ALL_BLOCKS[:1],
            live=live,
        )
        guidance_index.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def guidance_page(make_guidance):
    return make_guidance("How to buy from a framework", body=ALL_BLOCKS)


@pytest.fixture
def navigation(site, home_page, guidance_index):
    nav = NavigationSettings.for_site(site)
    nav.links = [
        {"type": "link", "value": {"label": "Home", "page": home_page.pk, "url": ""}},
        {"type": "link", "value": {"label": "Guidance", "page": guidance_index.pk, "url": ""}},
        {"type": "link", "value": {"label": "Search guidance", "page": None, "url": "/search/"}},
    ]
    nav.save()
    return nav
