"""A walk per role: every demo role signs in and follows the links its landing page leads to;
the public walks from the home page without signing in.

The net for every page: a page a user can reach from their landing page answers, passes axe and
reflows at 320 CSS px. Breadth first, same site, <a href> only (forms may change things), one
page per URL pattern and at most MAX_PAGES per role. Every failure of a role is collected and
reported together, so one run shows all that is left to mend.
"""

from collections import deque
from dataclasses import dataclass
from io import StringIO
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from wagtail.models import Site

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError

from demo import organisations as demo

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_PAGES = 40
NARROWEST = 320  # CSS px: WCAG 2.2 1.4.10 Reflow
ROLES = {
    "Wagtail superuser",
    "Regional authority: Framework manager",
    "Regional authority: Reviewer",
    "Buyer: Procurement officer",
    "Buyer: Approver",
    "Supplier: Administrator",
    "Supplier: Editor",
    "Supplier: Finance",
}
PUBLIC = "Public (not signed in)"
BUYER_PAGES = {
    "search:search",
    "calloffs:saved-search-list",
    "calloffs:project-list",
    "calloffs:project",
    "calloffs:contract-list",
    "calloffs:buyer-settings",
}
SUPPLIER_PAGES = {
    "supplier_calloffs:offer-list",
    "supplier_calloffs:contract-list",
    "supplier_calloffs:contract",
}
# The demo's further competitions: the buyer's summary and ranking, a supplier's invitations;
# Finance may not bid, so its home offers no competitions. (One page per route is walked, so
# deeper pages depend on which competition comes first: the browser journey covers them.)
COMPETITION_PAGES = {"buyer_competition:summary", "buyer_competition:ranking"}
BIDDING_PAGES = {"supplier_competitions:competition-list", "supplier_competitions:competition"}
# The pages each role must reach by links from where it lands, whatever else the walk finds.
MUST_REACH = {
    "Buyer: Procurement officer": BUYER_PAGES | COMPETITION_PAGES,
    "Buyer: Approver": BUYER_PAGES | {"calloffs:sign-off-queue"},
    "Supplier: Administrator": SUPPLIER_PAGES | BIDDING_PAGES,
    "Supplier: Editor": SUPPLIER_PAGES | BIDDING_PAGES,
    "Supplier: Finance": SUPPLIER_PAGES,
    PUBLIC: {"contracts:list", "contracts:detail"},
}
# Never followed even when offered as a link: they end the walk rather than show a page.
SKIPPED_ROUTES = {"accounts:sign-out", "wagtailadmin_logout"}

# What fails in Wagtail's own admin markup and cannot be mended from this project:
# {route: ({axe rule ids, or "HTTP <status>"}, why)}. Keep it short; mend what the project renders.
WAGTAIL_MARKUP: dict[str, tuple[set[str], str]] = {
    "wagtail_bulk_action": (
        {"HTTP 404"},
        "the bulk action bar's links get the chosen items' ids from Wagtail's script",
    ),
    "wagtailadmin_pages:edit": (
        {"aria-input-field-name", "landmark-unique", "scrollable-region-focusable"},
        "Draftail's editors, StreamField block sections and the minimap",
    ),
    "wagtailadmin_pages:preview_on_edit": (
        {"region", "skip-link"},
        "followed as a link, not posted from the editor, it is Wagtail's bare 'Preview not "
        "available' page",
    ),
    "wagtailadmin_pages:preview_on_add": ({"region", "skip-link"}, "as preview_on_edit"),
    "wagtaildocs:add_multiple": ({"label"}, "the multiple upload's file input (#fileupload)"),
    "wagtailimages:add_multiple": ({"label"}, "as wagtaildocs:add_multiple"),
    "wagtaildocs:edit": (
        {"label"},
        "the tag field's autocomplete input, which Wagtail's tag script adds without a label",
    ),
    "wagtailadmin_workflows:index": (
        {"heading-order", "list", "listitem"},
        "each workflow's task list (superuser only)",
    ),
    "wagtailadmin_workflows:add": ({"empty-table-header"}, "the task table (superuser only)"),
    "wagtailadmin_workflows:edit": ({"empty-table-header"}, "as wagtailadmin_workflows:add"),
    "wagtailusers_users:add": ({"aria-required-parent"}, "the group tick boxes (superuser only)"),
}


def wagtail_markup(route: str, failure: str) -> bool:
    return failure in WAGTAIL_MARKUP.get(route, (set(), ""))[0]


# The elements that stick out of the viewport, innermost first, leaving out those a scrolling
# region keeps in: what to mend when a page is too wide.
OVERFLOWING = """(limit) => {
  const scrolls = (el) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll('body *')].filter(
    (el) => el.getBoundingClientRect().right > limit + 0.5 && !clipped(el)
  );
  return wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)))
    .slice(0, 3)
    .map((el) => `${el.outerHTML.slice(0, 80)} (${Math.round(el.getBoundingClientRect().right)})`);
}"""


# A buyer reaches search from every page: a link to it, or a search box that submits to it.
SEARCH_LINK = 'a[href^="/search/"], form[action^="/search/"]'


@dataclass(frozen=True)
class Link:
    url: str
    offered_on: str  # the page that offered it; blank for the landing page


def route_of(path: str) -> str:
    """What makes a page a page of its kind: the URL pattern's name, or for a page served from
    Wagtail's page tree, its page type (and the sub-route of a routable page)."""
    try:
        match = resolve(path)
    except Resolver404:
        return f"unresolved {path}"
    if match.view_name != "wagtail_serve":
        return match.view_name or match._func_path
    site = Site.objects.get(is_default_site=True)
    components = [part for part in path.split("/") if part]
    try:
        found, args, _kwargs = site.root_page.specific.route(RequestFactory().get(path), components)
    except Http404:
        return f"missing page {path}"
    sub_route = f":{args[0].__name__}" if args and callable(args[0]) else ""
    return f"{found.specific_class.__name__}{sub_route}"


def sign_in(page, live_server, account: demo.SignIn) -> str:
    """Signs in through the forms, with a code from the demo authenticator where one is asked;
    answers the landing page."""
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if account.needs_totp:
        device = TOTPDevice.objects.get(user__email=account.email, confirmed=True)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    return page.url


def same_site_links(page, live_server, seen_on: str) -> list[Link]:
    origin = urlsplit(live_server.url)[:2]
    links = []
    for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
        parts = urlsplit(href)
        if parts[:2] != origin or parts.path.startswith(settings.STATIC_URL):
            continue
        links.append(Link(urlunsplit((*parts[:4], "")), seen_on))
    return links


def check_page(page, axe, route: str, where: str) -> list[str]:
    problems = []
    results = axe.run(page)
    for violation in results.response["violations"]:
        if wagtail_markup(route, violation["id"]):
            continue
        targets = ", ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        problems.append(f"{where}: axe {violation['id']} ({violation['help']}) at {targets}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > NARROWEST:
        culprits = "; ".join(page.evaluate(OVERFLOWING, NARROWEST))
        problems.append(f"{where}: {width} px wide at a {NARROWEST} px viewport: {culprits}")
    return problems


def walk(page, live_server, axe, role: str, landing: str) -> tuple[list[str], set[str]]:
    """The problems found, and the routes of the pages checked."""
    problems = []
    checked_routes = set()
    queue = deque([Link(landing, "")])
    routes_seen = set(SKIPPED_ROUTES)
    checked = 0
    while queue and checked < MAX_PAGES:
        link = queue.popleft()
        path = urlsplit(link.url).path
        route = route_of(path)
        if route in routes_seen:
            continue
        routes_seen.add(route)
        where = f"[{role}] {link.url.removeprefix(live_server.url)} ({route})"
        offered = f", linked from {link.offered_on.removeprefix(live_server.url) or 'sign-in'}"
        try:
            response = page.goto(link.url)
            status = response.status
        except PlaywrightError as error:
            if "Download is starting" in error.message:
                continue
            # Chromium shows no page for an error with an empty body: ask for the status alone.
            status = page.context.request.get(link.url, max_redirects=0).status
        if status >= 400:
            if not wagtail_markup(route, f"HTTP {status}"):
                problems.append(f"{where}: answers {status}{offered}")
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        checked += 1
        checked_routes.add(route)
        problems += check_page(page, axe, route, where)
        if role.startswith("Buyer") and not page.locator(SEARCH_LINK).count():
            problems.append(f"{where}: no link or box to search offerings")
        queue.extend(same_site_links(page, live_server, link.url))
    return problems, checked_routes


@pytest.mark.parametrize("role", sorted(ROLES | {PUBLIC}))
def test_every_role_walks_from_its_landing_page_without_a_broken_page(
    role, browser, live_server, axe
):
    # A test per role, so parallel workers share the walks and a failure names its role.
    call_command("seed_demo", buyers=2, suppliers=6, offerings=40, stdout=StringIO())

    # One context, no zoom: 320 CSS px is the whole layout viewport.
    context = browser.new_context(
        viewport={"width": NARROWEST, "height": 800}, device_scale_factor=1
    )
    try:
        page = context.new_page()
        if role == PUBLIC:
            landing = f"{live_server.url}/"
        else:
            account = next(account for account in demo.sign_ins() if account.role == role)
            landing = sign_in(page, live_server, account)
        problems, routes = walk(page, live_server, axe, role, landing)
    finally:
        context.close()
    # Search is what buyers use most; call-offs are where they buy, suppliers answer offers
    # and see their contracts, and the public reads the contracts register.
    problems += [
        f"[{role}] never reached {route}" for route in sorted(MUST_REACH.get(role, set()) - routes)
    ]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
