"""The framework page editor at demo scale: named buyers are chosen by search, never from a
list of every organisation, and the editor's queries stay bounded."""

from django.urls import reverse

import pytest

from frameworks.eligibility import framework_keys, parse
from marketplace.organisations.models import Organisation
from tests import factories
from tests.frameworks.conftest import framework_form_data


@pytest.fixture
def framework(unawarded):
    """Not awarded yet: after award the editor takes no edits to the named buyers (a term)."""
    return unawarded


def _edit_url(framework):
    return reverse("wagtailadmin_pages:edit", args=(framework.pk,))


def _save(client, framework, **data):
    return client.post(
        _edit_url(framework),
        framework_form_data(slug=framework.slug, reference=framework.reference) | data,
    )


def _named(framework):
    framework.refresh_from_db()  # for its latest revision
    keys = framework_keys(framework.get_latest_revision_as_object())
    return list(Organisation.objects.filter(pk__in=parse(keys).organisations))


def test_editor_names_buyers_in_a_chooser_not_a_list(manager_client, framework, buyer):
    factories.OrganisationFactory.create_batch(3, kind="supplier")
    html = manager_client.get(_edit_url(framework)).content.decode()
    assert '<select name="eligible_organisations"' not in html
    assert reverse("buyer_chooser:choose") in html
    assert buyer.legal_name not in html


def test_a_buyer_added_in_the_chooser_is_named(manager_client, framework, buyer):
    response = _save(manager_client, framework, **{"eligible_organisations-add": buyer.pk})
    assert response.status_code == 302
    assert _named(framework) == [buyer]


def test_ticked_buyers_stay_named_and_unticked_ones_go(manager_client, framework, buyer):
    kept, added = factories.OrganisationFactory.create_batch(2, kind="buyer")
    _save(
        manager_client,
        framework,
        eligible_organisations=[kept.pk],
        **{"eligible_organisations-add": added.pk},
    )
    assert sorted(_named(framework), key=lambda org: org.pk) == [kept, added]
    _save(manager_client, framework, eligible_organisations=[added.pk])
    assert _named(framework) == [added]


def test_a_supplier_cannot_be_named(manager_client, framework, supplier):
    response = _save(manager_client, framework, **{"eligible_organisations-add": supplier.pk})
    assert response.status_code == 200
    assert "eligible_organisations" in response.context["form"].errors
    assert _named(framework) == []


def test_named_buyers_are_shown_ticked(manager_client, framework, buyer):
    _save(manager_client, framework, **{"eligible_organisations-add": buyer.pk})
    html = manager_client.get(_edit_url(framework)).content.decode()
    assert f'name="eligible_organisations" value="{buyer.pk}" checked' in html


def test_buyer_chooser_offers_buyers_only(manager_client, buyer, supplier):
    response = manager_client.get(reverse("buyer_chooser:choose_results"))
    assert list(response.context["results"]) == [buyer]


def test_editor_queries_stay_bounded_at_demo_scale(
    manager_client, section, django_assert_max_num_queries
):
    buyers = factories.OrganisationFactory.create_batch(30, kind="buyer")
    factories.OrganisationFactory.create_batch(200, kind="supplier")
    framework = factories.framework_page(
        section,
        lots=[
            {"number": n, "title": f"Lot {n}", "attribute_schema": factories.ATTRIBUTE_SCHEMA}
            for n in range(1, 7)
        ],
        cpv_codes=("72000000-5", "48800000-6"),
        eligible_organisations=buyers,
    )
    # 78 measured: six lots (two CPV queries each), 30 named buyers (one query for all), the
    # award criteria, the stored terms an awarded framework's editor starts from, and the
    # current combined authorities and counties the eligibility tick boxes offer.
    with django_assert_max_num_queries(78):
        response = manager_client.get(_edit_url(framework))
    assert response.status_code == 200
