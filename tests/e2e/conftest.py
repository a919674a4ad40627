"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live_server."""

import shutil

from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test import Client
from django.test.testcases import LiveServerThread

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from tests.factories import MembershipFactory, OrganisationFactory
from tests.helpers import sign_in_with_second_factor

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browser here; `make browser` installs Debian's.
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


class OneRequestAtATimeServer(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # The live server thread itself installs connections_override before serving.
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite():
    """On SQLite the live server hands the test's one in-memory connection to every request
    thread. A Wagtail admin page fetches several URLs at once, each saving the session, and they
    collide ("database table is locked"): serve one request at a time there."""
    if connection.vendor != "sqlite":
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", OneRequestAtATimeServer)
        yield


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def axe():
    return Axe()


def run_axe_once_settled(axe, page, retries=2):
    """axe fails with a null document when a navigation commits while it runs (a click that
    had not yet left the page when the test moved on); it then runs again on the new page."""
    for _ in range(retries):
        page.wait_for_load_state("load")
        try:
            return axe.run(page)
        except PlaywrightError as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
    page.wait_for_load_state("load")
    return axe.run(page)


@pytest.fixture
def assert_accessible(axe):
    """Fails with axe's report if the page has any WCAG violation axe can find."""

    def check(page):
        results = run_axe_once_settled(axe, page)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def open_admin_as(live_server):
    """Signs the browser page in as `user` with a verified second factor, through a test client
    session: authority staff need a code, and these tests are not about the sign-in form."""

    def sign_in(page, user):
        client = Client()
        sign_in_with_second_factor(client, user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return sign_in


@pytest.fixture
def council():
    """The buyer of the call-off journeys."""
    return OrganisationFactory(kind="buyer", legal_name="Wigan Council", council_code="GB-WGN")


@pytest.fixture
def officer(council):
    return MembershipFactory(organisation=council, role="procurement_officer").user
