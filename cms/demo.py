"""Demo content for the editorial side: home page, guidance and the navigation links.

`ensure_demo_content()` is idempotent: pages that already exist (matched by slug) are left as
editors may have changed them, and navigation links are only set when there are none. Other
apps' demo data adds its own sections to the navigation with `ensure_navigation_link()`.
"""

from django.db import transaction

from wagtail.models import Page, Site

from .models import GuidanceIndexPage, GuidancePage, HomePage, NavigationSettings

HOME_TITLE = "Find a framework supplier"
HOME_INTRO = (
    "Buy goods and services through shared procurement frameworks run by regional "
    "authorities. Search the offerings of appointed suppliers, then call off a contract by "
    "direct award or further competition under the Procurement Act 2023."
)


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


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
    (
        "inset_text",
        "<p>You need an account from your organisation to call off a contract or list an "
        "offering. Anyone can read frameworks, contracts and spend as open data.</p>",
    ),
]

GUIDANCE = [
    {
        "slug": "how-to-buy-from-a-framework",
        "title": "How to buy from a framework",
        "summary": (
            "The steps a buyer takes to call off a contract from a shared framework, from "
            "checking you are eligible to publishing the contract details."
        ),
        "body": [
            ("heading", {"text": "Check you can use the framework", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Each framework lists the organisations that may buy from it, usually by "
                    "region and type of organisation. The service only shows you frameworks "
                    "your organisation is eligible to use."
                ),
            ),
            ("heading", {"text": "Find suppliers and freeze your shortlist", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Search the offerings on the lot that covers what you need. When you have "
                    "finished searching, save the search: this freezes a shortlist of the "
                    "results so you can show how you chose a supplier."
                ),
            ),
            (
                "warning_text",
                "You can only award a contract to a supplier on your frozen shortlist.",
            ),
            ("heading", {"text": "Choose how to award", "level": "h2"}),
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
            ("heading", {"text": "Direct award", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Under the Procurement Act 2023 a contract may be awarded under a framework "
                    "without competition only if the framework sets out an objective mechanism "
                    "for choosing the supplier, such as the highest-ranked supplier that can "
                    "meet the requirement. The service records the mechanism with the award."
                ),
            ),
            ("heading", {"text": "Further competition", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "In a further competition you invite every supplier on the lot that can "
                    "meet your requirement to bid. You set the award criteria and their "
                    "weightings, which must add up to 100, and a deadline for bids."
                ),
            ),
            (
                "inset_text",
                "<p>Bids stay sealed until the deadline. Nobody, including administrators, "
                "can read a bid before then.</p>",
            ),
            (
                "table",
                {
                    "caption": "Comparing the two routes",
                    "headers": ["Route", "Direct award", "Further competition"],
                    "rows": [
                        ["Competition", "None", "Among suppliers on the lot"],
                        ["When allowed", "Objective mechanism in the framework", "Always"],
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
                    "list an offering on each lot you are appointed to",
                    "keep your offerings up to date; changes are reviewed by the authority",
                ),
            ),
            (
                "details",
                {
                    "summary": "Small businesses and voluntary organisations",
                    "body": _p(
                        "Tell us if you are a small or medium-sized enterprise (SME) or a "
                        "voluntary, community or social enterprise (VCSE). Buyers can filter "
                        "on this, and it is published in spend data."
                    ),
                },
            ),
        ],
    },
    {
        "slug": "management-information-and-levy",
        "title": "Filing monthly management information and paying the levy",
        "summary": (
            "Suppliers report the spend under each framework every month and pay a levy on it "
            "to the authority that runs the framework."
        ),
        "body": [
            ("heading", {"text": "Monthly returns", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "File one management information (MI) return per framework each month. "
                    "List every invoice raised under a call-off contract, or file a nil return "
                    "if there was none. You can upload the lines as a spreadsheet."
                ),
            ),
            (
                "warning_text",
                "You must file a return every month, including a nil return when there was no "
                "spend.",
            ),
            ("heading", {"text": "The levy", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "The levy is a percentage of the spend you declare, set by each framework. "
                    "You can pay by card online or by invoice."
                ),
            ),
        ],
    },
    {
        "slug": "open-data-we-publish",
        "title": "Open data we publish",
        "summary": (
            "Frameworks, call-off contracts and spend are published as open data in the Open "
            "Contracting Data Standard (OCDS), as CSV and through an API."
        ),
        "body": [
            ("heading", {"text": "What we publish", "level": "h2"}),
            (
                "paragraph",
                _ul(
                    "every framework, with its lots and appointed suppliers",
                    "every contract called off from a framework",
                    "spend by framework and region, and the share going to SMEs and VCSEs",
                ),
            ),
            (
                "inset_text",
                "<p>We never publish bids, evaluation scores for individual suppliers or the "
                "personal data of buyers' staff.</p>",
            ),
            ("heading", {"text": "Formats", "level": "h2"}),
            (
                "paragraph",
                _p(
                    "Data is available as OCDS release packages, as CSV downloads and through a "
                    "read-only JSON API, under the Open Government Licence."
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
                ("link", {"label": "Search guidance", "page": None, "url": "/search/"}),
            ]
        )
        nav.save()
        _say(stdout, "Set the navigation links")


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
