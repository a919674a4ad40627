"""Demo content for the editorial side: home page, guidance and the navigation links.

`ensure_demo_content()` is idempotent: pages that already exist (matched by slug) are left as
editors may have changed them, and navigation links are only set when there are none. Other
apps' demo data adds its own sections to the navigation with `ensure_navigation_link()`.
"""

from django.db import transaction

from wagtail.models import Page, Site

from cms.models import GuidanceIndexPage, GuidancePage, HomePage, NavigationSettings

HOME_TITLE = "Find a framework supplier"
HOME_INTRO = (
    "Find the shared procurement frameworks run by regional authorities, check whether your "
    "organisation can use them, and see the suppliers appointed to each lot and what they "
    "offer."
)


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


# What works today, and plainly what does not yet: the demo must promise nothing unbuilt.
NOT_BUILT_YET = (
    "Monthly management information returns and levy payments, and an open data API with "
    "dashboards, are not built yet."
)

HOME_BODY = [
    ("heading", {"text": "Who this service is for", "level": "h2"}),
    (
        "paragraph",
        _ul(
            "procurement officers in councils, schools, NHS bodies and other public buyers",
            "suppliers appointed to a framework, including small businesses and charities",
            "regional authorities that run frameworks on behalf of their members",
        ),
    ),
    ("heading", {"text": "What you can do today", "level": "h2"}),
    (
        "paragraph",
        _ul(
            "buyers: see the frameworks your organisation can use, with their lots and "
            "appointed suppliers, and whether each framework is open to you",
            "buyers: search offerings across lots with filters, compare up to 10 side by "
            "side, and save searches to run again",
            "buyers: run a buying project and award a contract by direct award, as the lot's "
            "mechanism says (a frozen shortlist, a ranked list or its single supplier), with "
            "sign-off, the award and contract details notices' data, and KPIs",
            "buyers: run a further competition: the brief, invitations, published answers, "
            "sealed bids, conflict declarations, scoring, moderation and the award; suppliers: "
            "ask questions, submit sealed bids and see their scores, and report progress "
            "against their contracts' KPIs",
            "anyone: read the contracts register, download it as CSV, and each call-off as "
            "open data (OCDS)",
            "anyone: read supplier profiles and their live offerings, and download each "
            "framework as open data (OCDS)",
            "suppliers: keep one organisation profile, list offerings on the lots you are "
            "appointed to, and import or export them as a spreadsheet",
            "authorities: publish frameworks, appoint suppliers and review their offerings, "
            "with every change recorded in an audit log",
        ),
    ),
    ("heading", {"text": "Not built yet", "level": "h2"}),
    (
        "paragraph",
        _p(NOT_BUILT_YET),
    ),
    (
        "inset_text",
        "<p>You need an account from your organisation to list an offering or see the "
        "frameworks you can use. Anyone can read frameworks, lots and supplier profiles.</p>",
    ),
]

GUIDANCE = [
    {
        "slug": "how-to-buy-from-a-framework",
        "title": "How to buy from a framework",
        "summary": (
            "How a buyer finds a framework their organisation can use, and the suppliers and "
            "offerings on its lots."
        ),
        "body": [
            ("heading", {"text": "Check you can use the framework", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Each framework lists the organisations that may buy from it, usually by "
                    "region and type of organisation. Sign in and go to Frameworks you can use "
                    "to see the frameworks open to your organisation; each framework's page "
                    "also says whether your organisation can use it."
                ),
            ),
            ("heading", {"text": "Find suppliers on a lot", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Open the lot that covers what you need. It lists the suppliers appointed "
                    "to it. Each supplier's profile shows their size, the lots they are on and "
                    "their live offerings, with prices.",
                    "To search offerings across lots, use Search: filter by framework, lot, "
                    "region, supplier size and price, compare up to 10 offerings side by side, "
                    "and save a search to run again later.",
                ),
            ),
            (
                "warning_text",
                "You can only award a call-off contract to a supplier appointed to the lot.",
            ),
            ("heading", {"text": "Award a contract", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Start a buying project from Buying projects, choose the lot and the route "
                    "it allows, and follow the project's task list. Both routes work: for a "
                    "further competition, write the brief, invite the suppliers, answer their "
                    "questions, then score the sealed bids after the deadline and award. The "
                    "routes are:"
                ),
            ),
            (
                "paragraph",
                _ul(
                    "direct award, where the lot allows it",
                    "further competition among the suppliers on the lot",
                ),
            ),
            (
                "details",
                {
                    "summary": "What if only one supplier is on the lot?",
                    "body": _p(
                        "If the framework has a single supplier on the lot, you can award to "
                        "that supplier without competition, on the framework's terms."
                    ),
                },
            ),
        ],
    },
    {
        "slug": "direct-award-and-further-competition",
        "title": "Direct award and further competition under the Procurement Act 2023",
        "summary": (
            "When a call-off may be awarded without competition, and how a further competition "
            "between framework suppliers works."
        ),
        "body": [
            (
                "inset_text",
                "<p>You can run both in this service: start a buying project from your buyer "
                "home, choose a lot your organisation may use and a route its terms allow, "
                "and follow the project's task list to the contract.</p>",
            ),
            ("heading", {"text": "Direct award", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Under the Procurement Act 2023 a contract may be awarded under a framework "
                    "without competition only if the framework sets out an objective mechanism "
                    "for choosing the supplier, such as the highest-ranked supplier that can "
                    "meet the requirement. Keep a record of how you applied it."
                ),
            ),
            ("heading", {"text": "Further competition", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "In a further competition you invite every supplier with an active "
                    "appointment on the lot, unless the lot's terms let you invite only those "
                    "capable of the work; then you record why each other supplier is left out. "
                    "You refine the framework's award criteria (you cannot add new ones) and "
                    "their weightings, which must add up to 100, choose the split between price "
                    "and quality, and set deadlines for questions and for bids. Bids stay "
                    "sealed until the deadline: no one can read them before it."
                ),
            ),
            (
                "table",
                {
                    "caption": "Comparing the two routes",
                    "headers": ["Route", "Direct award", "Further competition"],
                    "rows": [
                        ["Competition", "None", "Among suppliers on the lot"],
                        [
                            "When allowed",
                            "Objective mechanism in the framework",
                            "When the lot allows it",
                        ],
                        ["Typical time", "Days", "Weeks"],
                    ],
                },
            ),
        ],
    },
    {
        "slug": "how-suppliers-join-a-framework",
        "title": "How suppliers join a framework",
        "summary": (
            "How regional authorities appoint suppliers to framework lots, and what to do once "
            "you are appointed."
        ),
        "body": [
            ("heading", {"text": "Applying", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Authorities open frameworks to applications for a fixed period, announced "
                    "in a tender notice. After evaluation, successful suppliers are appointed "
                    "to one or more lots for the life of the framework."
                ),
            ),
            ("heading", {"text": "After you are appointed", "level": "h2"}),
            (
                "paragraph",
                _ul(
                    "complete your organisation profile once: it is used on every framework",
                    "list an offering on each lot you are appointed to, one at a time or by "
                    "importing a spreadsheet",
                    "keep your offerings up to date; changes are reviewed by the authority",
                ),
            ),
            (
                "details",
                {
                    "summary": "Small businesses and voluntary organisations",
                    "body": _p(
                        "Tell us if you are a small or medium-sized enterprise (SME) or a "
                        "voluntary, community or social enterprise (VCSE). Your public profile "
                        "shows it to buyers."
                    ),
                },
            ),
        ],
    },
    {
        "slug": "management-information-and-levy",
        "title": "Management information and the levy: coming",
        "summary": (
            "The service does not take monthly management information returns or levy "
            "payments yet. Until it does, report and pay as your framework agreement says."
        ),
        "body": [
            (
                "inset_text",
                "<p>Monthly returns and levy payments are not built yet. Until they are, "
                "report your spend and pay the levy to the authority that runs the framework, "
                "as your framework agreement says.</p>",
            ),
            ("heading", {"text": "What is coming", "level": "h2"}),
            (
                "paragraph",
                _ul(
                    "one management information (MI) return per framework each month, listing "
                    "every invoice raised under a call-off contract, or a nil return",
                    "the levy worked out from the spend you declare, at the rate each "
                    "framework sets, with payment by card or by invoice",
                ),
            ),
        ],
    },
    {
        "slug": "open-data-we-publish",
        "title": "Open data we publish",
        "summary": (
            "Every framework, with its lots and appointed suppliers, as open data in the Open "
            "Contracting Data Standard (OCDS)."
        ),
        "body": [
            ("heading", {"text": "What we publish", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Every published framework, with its lots and appointed suppliers, as an "
                    "OCDS release package and record package. Download them from each "
                    "framework's page, under the Open Government Licence."
                ),
            ),
            (
                "inset_text",
                "<p>We never publish bids, evaluation scores for individual suppliers or the "
                "personal data of buyers' staff.</p>",
            ),
            ("heading", {"text": "Coming", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Contracts called off from frameworks, spend by framework and region, CSV "
                    "downloads, an API and dashboards are not published yet: they come with "
                    "call-offs and monthly returns."
                ),
            ),
        ],
    },
]


BUYER_HOME_PATH = "/buy/"


def _stream(blocks: list[tuple[str, object]]) -> list[dict]:
    """StreamField data in its stored (JSON) form: rich text as HTML, pages as ids."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"{message}\n")


def _home_page(site: Site, stdout) -> HomePage:
    root_page = site.root_page.specific
    if isinstance(root_page, HomePage):
        return root_page
    tree_root = Page.get_first_root_node()
    home = HomePage(title=HOME_TITLE, slug="find-a-framework-supplier", intro=HOME_INTRO)
    tree_root.add_child(instance=home)
    site.root_page = home
    site.save()
    _say(stdout, "Created the home page")
    return home


@transaction.atomic
def ensure_demo_content(*, stdout=None) -> None:
    site = Site.objects.get(is_default_site=True)
    home = _home_page(site, stdout)

    if not home.body:
        home.title = HOME_TITLE
        home.intro = HOME_INTRO
        home.body = _stream(HOME_BODY)
        home.save_revision().publish()
        _say(stdout, "Filled in the home page")

    index = GuidanceIndexPage.objects.child_of(home).filter(slug="guidance").first()
    if index is None:
        index = GuidanceIndexPage(
            title="Guidance",
            slug="guidance",
            intro="How to buy from, supply to and report on the region's shared frameworks.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        _say(stdout, "Created the guidance section")

    existing = set(GuidancePage.objects.child_of(index).values_list("slug", flat=True))
    for spec in GUIDANCE:
        if spec["slug"] in existing:
            continue
        page = GuidancePage(**{**spec, "body": _stream(spec["body"])})
        index.add_child(instance=page)
        page.save_revision().publish()
        _say(stdout, f"Published guidance: {spec['title']}")
    first_guide = GuidancePage.objects.child_of(index).filter(slug=GUIDANCE[0]["slug"]).first()

    home.refresh_from_db()
    # Earlier demos started at the first guide, a dead end; the buyer home is where buying
    # starts (sign-in first for anonymous visitors).
    if not home.cta_label or (first_guide is not None and home.cta_page_id == first_guide.pk):
        home.cta_label = "Start now"
        home.cta_page = None
        home.cta_url = BUYER_HOME_PATH
        home.save_revision().publish()

    nav = NavigationSettings.for_site(site)
    if not nav.links:
        nav.links = _stream(
            [
                ("link", {"label": "Home", "page": home.pk, "url": ""}),
                ("link", {"label": "Guidance", "page": index.pk, "url": ""}),
                ("link", {"label": "Search", "page": None, "url": SEARCH_PATH}),
            ]
        )
        nav.save()
        _say(stdout, "Set the navigation links")
    else:
        rename_search_link(nav, stdout=stdout)


SEARCH_PATH = "/search/"


def rename_search_link(nav: NavigationSettings, *, stdout=None) -> None:
    """/search/ searches offerings first now, not only guidance: earlier demos' "Search
    guidance" link to it reads "Search" (a link an editor relabelled otherwise is left alone)."""
    renamed = False
    for block in nav.links:
        if block.value["label"] == "Search guidance" and block.value["url"] == SEARCH_PATH:
            block.value["label"] = "Search"
            renamed = True
    if renamed:
        nav.save()
        _say(stdout, "Renamed the navigation's Search guidance link to Search")


def ensure_navigation_link(*, label: str, page: Page, position: int, stdout=None) -> None:
    """Put a link to `page` at `position` in the default site's service navigation, unless the
    navigation already links to that page (under any label, as an editor may have renamed it)."""
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    if any(block.value["page"] and block.value["page"].pk == page.pk for block in nav.links):
        return
    nav.links.insert(
        min(position, len(nav.links)), ("link", {"label": label, "page": page, "url": ""})
    )
    nav.save()
    _say(stdout, f"Added {label} to the navigation")
