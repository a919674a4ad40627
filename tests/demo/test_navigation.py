"""Demo data adds its sections to the service navigation once, where it is asked to."""

from django.test import RequestFactory

import pytest

from cms.models import GuidanceIndexPage, NavigationSettings
from cms.navigation import navigation_items
from demo.content import ensure_navigation_link


@pytest.fixture
def help_index(home_page):
    index = GuidanceIndexPage(title="Help", slug="help", intro="Help for everyone.")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def links(rf: RequestFactory) -> list[tuple[str, str]]:
    return [(item.label, item.href) for item in navigation_items(rf.get("/"))]


def test_link_is_put_at_the_position_asked_for(rf, navigation, help_index):
    ensure_navigation_link(label="Help", page=help_index, position=1)

    assert links(rf) == [
        ("Home", "/"),
        ("Help", "/help/"),
        ("Guidance", "/guidance/"),
        ("Search guidance", "/search/"),
    ]


def test_link_is_added_once(rf, navigation, help_index):
    ensure_navigation_link(label="Help", page=help_index, position=1)
    ensure_navigation_link(label="Help", page=help_index, position=1)

    assert [label for label, _href in links(rf)].count("Help") == 1


def test_a_page_already_linked_under_another_label_is_left_alone(rf, navigation, guidance_index):
    ensure_navigation_link(label="Guides", page=guidance_index, position=0)

    assert links(rf) == [("Home", "/"), ("Guidance", "/guidance/"), ("Search guidance", "/search/")]


def test_a_position_past_the_end_appends(rf, navigation, help_index):
    ensure_navigation_link(label="Help", page=help_index, position=10)

    assert links(rf)[-1] == ("Help", "/help/")


def test_an_empty_navigation_gets_the_one_link(rf, site, help_index):
    ensure_navigation_link(label="Help", page=help_index, position=1)

    assert links(rf) == [("Help", "/help/")]
    assert len(NavigationSettings.for_site(site).links) == 1
