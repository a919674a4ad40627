"""Who may use a framework is chosen with tick boxes in the page editor, never typed as JSON."""

from django import forms
from django.urls import reverse

import pytest

from frameworks.models import EligibilityRule, FrameworkPage
from tests.frameworks.conftest import create_framework, framework_form_data


def _add(client, section, data):
    return client.post(
        reverse("wagtailadmin_pages:add", args=("frameworks", "frameworkpage", section.pk)), data
    )


def _form(client, page):
    return client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).context["form"]


def test_eligibility_fields_are_tick_boxes_of_the_known_codes(manager_client, section):
    form = manager_client.get(
        reverse("wagtailadmin_pages:add", args=("frameworks", "frameworkpage", section.pk))
    ).context["form"]

    regions, kinds = form.fields["eligible_regions"], form.fields["eligible_kinds"]
    assert (type(regions.widget), type(kinds.widget)) == (
        forms.CheckboxSelectMultiple,
        forms.CheckboxSelectMultiple,
    )
    assert [code for code, _label in regions.choices] == [
        "TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM", "TLN",
    ]  # fmt: skip
    assert list(kinds.choices) == [
        ("authority", "Regional authority"),
        ("buyer", "Buyer"),
        ("supplier", "Supplier"),
    ]
    assert (str(regions.label), str(kinds.label)) == (
        "Eligible regions",
        "Eligible kinds of organisation",
    )


def test_editor_page_renders_a_checkbox_per_region(manager_client, section):
    response = manager_client.get(
        reverse("wagtailadmin_pages:add", args=("frameworks", "frameworkpage", section.pk))
    )
    content = response.content.decode()

    assert content.count('type="checkbox" name="eligible_regions"') == 12
    assert content.count('type="checkbox" name="eligible_kinds"') == 3


def _rules(page) -> list[str]:
    return sorted(page.eligibility_rules.values_list("key", flat=True))


def test_ticked_codes_are_saved_as_rules_of_each_kind_in_each_region(manager_client, section):
    data = framework_form_data() | {
        "eligible_regions": ["TLD", "TLM"],
        "eligible_kinds": ["buyer", "authority"],
    }

    response = _add(manager_client, section, data)

    assert response.status_code == 302
    assert _rules(FrameworkPage.objects.get()) == [
        "kind:authority:TLD",
        "kind:authority:TLM",
        "kind:buyer:TLD",
        "kind:buyer:TLM",
    ]


def test_nothing_ticked_saves_no_rule(manager_client, section):
    _add(manager_client, section, framework_form_data())

    assert _rules(FrameworkPage.objects.get()) == []


def test_council_groups_are_ticked_from_the_current_combined_authorities_and_counties(
    manager_client, section
):
    form = manager_client.get(
        reverse("wagtailadmin_pages:add", args=("frameworks", "frameworkpage", section.pk))
    ).context["form"]

    areas = dict(form.fields["councils_in_areas"].choices)
    counties = dict(form.fields["councils_in_counties"].choices)
    assert areas["GMCA"] == "Greater Manchester Combined Authority"
    assert "NTCA" not in areas  # abolished in 2024
    assert "MAN" not in areas
    assert counties["LAN"] == "Lancashire County Council"
    assert [code for code, _label in form.fields["councils_in_regions"].choices][:2] == [
        "TLC",
        "TLD",
    ]


def test_ticked_council_groups_are_saved_as_rules(manager_client, section, buyer):
    data = framework_form_data() | {
        "councils_in_areas": ["GMCA"],
        "councils_in_regions": ["TLE"],
        "councils_in_counties": ["LAN"],
        "eligible_organisations": [buyer.pk],
    }

    response = _add(manager_client, section, data)

    assert response.status_code == 302
    assert _rules(FrameworkPage.objects.get()) == [
        "area:GMCA",
        "councils:TLE",
        "county:LAN",
        f"org:{buyer.pk}",
    ]


def test_a_former_combined_authority_is_refused(manager_client, section):
    response = _add(
        manager_client, section, framework_form_data() | {"councils_in_areas": ["NTCA"]}
    )

    assert response.context["form"].errors["councils_in_areas"] == [
        "Select a valid choice. NTCA is not one of the available choices."
    ]
    assert not FrameworkPage.objects.exists()


def test_a_saved_draft_leaves_the_live_rules_alone(manager_client, unawarded):
    data = framework_form_data(slug=unawarded.slug, reference=unawarded.reference) | {
        "eligible_regions": ["TLI"]
    }

    response = manager_client.post(reverse("wagtailadmin_pages:edit", args=(unawarded.pk,)), data)

    assert response.status_code == 302
    unawarded.refresh_from_db()
    draft = unawarded.get_latest_revision_as_object()
    assert sorted(rule.key for rule in draft.eligibility_rules.all()) == ["kind:buyer:TLI"]
    assert _rules(unawarded) == []


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("eligible_regions", ["TLD", "TLZ"]),
        ("eligible_regions", ["[]"]),
        ("eligible_kinds", ["buyer", "charity"]),
    ],
)
def test_an_unknown_code_is_refused_and_nothing_saved(manager_client, section, field, values):
    response = _add(manager_client, section, framework_form_data() | {field: values})

    assert response.context["form"].errors[field] == [
        f"Select a valid choice. {values[-1]} is not one of the available choices."
    ]
    assert not FrameworkPage.objects.exists()


def test_editing_shows_the_saved_codes_ticked(manager_client, section):
    page = create_framework(section, eligibility_rules=[EligibilityRule(key="kind:buyer:TLD")])

    form = _form(manager_client, page)

    content = str(form["eligible_regions"])
    # Awarded: the terms are shown, fixed (disabled).
    assert (
        '<input type="checkbox" name="eligible_regions" value="TLD" disabled '
        'id="id_eligible_regions_1" checked>' in content
    )
    assert content.count("checked") == 1
    assert form["eligible_kinds"].value() == ["buyer"]
