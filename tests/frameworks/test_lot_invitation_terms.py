"""A lot's selection process for further competition: every supplier with an active
appointment is invited unless the framework lets a buyer narrow the invitation to those capable
of the work. It is a term of the lot, edited beside the routes and shown where the public lot
page says how to buy."""

import re
from html import unescape

import pytest

from frameworks import terms
from frameworks.models import FrameworkPage, Lot
from tests import factories
from tests.frameworks.conftest import add_framework_url, framework_form_data

pytestmark = pytest.mark.django_db

EVERY = "A buyer invites every supplier with an active appointment on the lot to bid"
NARROWED = (
    "A buyer invites the suppliers on the lot capable of the work to bid against its "
    "requirements, and records the reason for leaving out each of the others."
)


def how_to_buy(html: str) -> str:
    return re.search(r"How to buy</dt>(.*?)</dd>", unescape(html), re.S).group(1)


def test_a_lot_invites_every_appointed_supplier_by_default():
    field = Lot._meta.get_field("allows_narrowed_invitations")

    assert Lot().allows_narrowed_invitations is False
    assert field.verbose_name == (
        "further competition may be narrowed to suppliers capable of the work"
    )
    assert "every supplier with an active appointment" in field.help_text


@pytest.mark.parametrize(
    ("narrowing", "said", "not_said"), [(False, EVERY, NARROWED), (True, NARROWED, EVERY)]
)
def test_the_lot_page_says_whom_a_further_competition_invites(client, narrowing, said, not_said):
    framework = factories.framework_page(
        lots=[{"number": 1, "title": "Grounds", "allows_narrowed_invitations": narrowing}]
    )

    for url in (f"{framework.url}lots/1/", framework.url):
        section = how_to_buy(client.get(url).content.decode())
        assert "<strong>Further competition</strong>" in section
        assert said in section
        assert not_said not in section


def test_a_lot_without_further_competition_says_nothing_of_invitations(client):
    framework = factories.framework_page(
        lots=[
            {
                "number": 1,
                "title": "Grounds",
                "allows_further_competition": False,
                "allows_direct_award": True,
                "direct_award_method": "single_supplier",
                "allows_narrowed_invitations": True,
            }
        ]
    )

    section = how_to_buy(client.get(f"{framework.url}lots/1/").content.decode())

    assert "Further competition" not in section
    assert "capable of the work" not in section


def test_the_selection_process_is_one_of_the_lots_terms():
    framework = factories.framework_page(
        lots=[{"number": 1, "title": "Grounds", "allows_narrowed_invitations": True}]
    )

    assert terms.terms_of(framework)["lots"]["1"]["allows_narrowed_invitations"] is True
    assert terms.term_label("allows_narrowed_invitations") == (
        "Further competition may be narrowed to suppliers capable of the work"
    )


def test_the_editor_sets_it_beside_the_lots_routes(section, framework_manager, admin_client_for):
    client = admin_client_for(framework_manager)
    form = client.get(add_framework_url(section)).content.decode()
    assert form.index('name="lots-__prefix__-allows_further_competition"') < form.index(
        'name="lots-__prefix__-allows_narrowed_invitations"'
    )

    data = framework_form_data(
        lots=[{"number": "1", "title": "Software", "allows_narrowed_invitations": "on"}]
    )
    response = client.post(add_framework_url(section), data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    page = FrameworkPage.objects.get(reference="REG-DIG-2026")
    lot = page.get_latest_revision_as_object().lots.get()
    assert lot.allows_narrowed_invitations is True


def test_the_editor_leaves_it_unticked_unless_ticked(section, framework_manager, admin_client_for):
    client = admin_client_for(framework_manager)

    response = client.post(add_framework_url(section), framework_form_data())

    assert response.status_code == 302, response.context and response.context["form"].errors
    page = FrameworkPage.objects.get(reference="REG-DIG-2026")
    assert page.get_latest_revision_as_object().lots.get().allows_narrowed_invitations is False
