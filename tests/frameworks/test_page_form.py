"""Who may use a framework is chosen with tick boxes in the page editor, never typed as JSON."""

from django import forms
from django.urls import reverse

import pytest

from frameworks.models import FrameworkPage
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


def test_ticked_codes_are_saved_as_lists(manager_client, section):
    data = framework_form_data() | {
        "eligible_regions": ["TLD", "TLM"],
        "eligible_kinds": ["buyer", "authority"],
    }

    response = _add(manager_client, section, data)

    assert response.status_code == 302
    page = FrameworkPage.objects.get()
    assert (page.eligible_regions, page.eligible_kinds) == (["TLD", "TLM"], ["buyer", "authority"])


def test_nothing_ticked_saves_empty_lists(manager_client, section):
    _add(manager_client, section, framework_form_data())

    page = FrameworkPage.objects.get()
    assert (page.eligible_regions, page.eligible_kinds) == ([], [])


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
    page = create_framework(section, eligible_regions=["TLD"], eligible_kinds=["buyer"])

    form = _form(manager_client, page)

    content = str(form["eligible_regions"])
    # Awarded: the terms are shown, fixed (disabled).
    assert (
        '<input type="checkbox" name="eligible_regions" value="TLD" disabled '
        'id="id_eligible_regions_1" checked>' in content
    )
    assert content.count("checked") == 1
    assert form["eligible_kinds"].value() == ["buyer"]
