"""Framework pages in Wagtail's page editor: each authority sees and edits only its own."""

from datetime import timedelta

from django.urls import reverse

from frameworks import rules
from frameworks.models import FrameworkPage
from marketplace.working_days import standstill_end
from tests.frameworks.conftest import framework_form_data

DENIED = "Sorry, you do not have permission to access this area."


def _add(client, section, data):
    return client.post(
        reverse("wagtailadmin_pages:add", args=("frameworks", "frameworkpage", section.pk)), data
    )


def test_opening_another_authoritys_framework_editor_is_denied(manager_client, other_framework):
    response = manager_client.get(
        reverse("wagtailadmin_pages:edit", args=(other_framework.pk,)), follow=True
    )
    content = response.content.decode()
    assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert DENIED in content
    assert other_framework.reference not in content


def test_saving_another_authoritys_framework_is_denied(manager_client, other_framework, today):
    response = manager_client.post(
        reverse("wagtailadmin_pages:edit", args=(other_framework.pk,)),
        framework_form_data(title="Hijacked", slug=other_framework.slug),
    )
    other_framework.refresh_from_db()
    assert (response.status_code, other_framework.title) == (302, "Other region's framework")


def test_adding_a_framework_to_another_authoritys_section_is_denied(manager_client, other_section):
    response = _add(manager_client, other_section, framework_form_data())
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not FrameworkPage.objects.exists()


def test_explorer_shows_only_the_authoritys_section(
    manager_client, section, framework, other_framework
):
    response = manager_client.get(reverse("wagtailadmin_explore_root"), follow=True)
    content = response.content.decode()
    assert section.title in content
    assert other_framework.title not in content


def test_explorer_of_another_authoritys_section_is_denied(manager_client, other_section):
    response = manager_client.get(reverse("wagtailadmin_explore", args=(other_section.pk,)))
    assert response.status_code in (302, 403, 404)
    assert response.status_code != 200


def test_framework_manager_cannot_publish_directly(manager_client, section):
    _add(manager_client, section, framework_form_data() | {"action-publish": "1"})
    assert list(FrameworkPage.objects.values_list("live", flat=True)) in ([], [False])


def test_section_authority_field_is_not_offered_to_staff(manager_client, section):
    response = manager_client.get(reverse("wagtailadmin_pages:edit", args=(section.pk,)))
    assert "authority" not in response.context["form"].fields


# --- FrameworkPageForm -------------------------------------------------------------------------


def test_duplicate_lot_numbers_are_refused(manager_client, section):
    data = framework_form_data(
        lots=[{"number": "1", "title": "Software"}, {"number": "1", "title": "Hardware"}]
    )
    response = _add(manager_client, section, data)
    form = response.context["form"]
    assert form.non_field_errors() == [
        "Two or more lots have the number 1: give each lot its own number"
    ]
    assert [lot_form.errors.get("number") for lot_form in form.formsets["lots"].forms] == [
        ["Another lot already has this number"],
        ["Another lot already has this number"],
    ]
    assert not FrameworkPage.objects.exists()


def test_distinct_lot_numbers_are_accepted(manager_client, section):
    data = framework_form_data(
        lots=[{"number": "1", "title": "Software"}, {"number": "2", "title": "Hardware"}]
    )
    response = _add(manager_client, section, data)
    assert response.status_code == 302
    assert FrameworkPage.objects.get().lots.count() == 2


def test_reopenings_on_a_closed_framework_are_refused(manager_client, section, today):
    data = framework_form_data(
        reopenings=[
            {
                "opens_on": (today + timedelta(days=200)).isoformat(),
                "closes_on": (today + timedelta(days=230)).isoformat(),
                "award_on": (today + timedelta(days=250)).isoformat(),
            }
        ]
    )
    response = _add(manager_client, section, data)
    assert response.context["form"].non_field_errors() == [
        "Only an open framework has reopening dates"
    ]
    assert not FrameworkPage.objects.exists()


def test_reopening_outside_the_term_is_refused(manager_client, section, today):
    data = framework_form_data(
        kind="open",
        reopenings=[
            {
                "opens_on": (today + timedelta(days=20)).isoformat(),
                "closes_on": (today + timedelta(days=30)).isoformat(),
                "award_on": (today + timedelta(days=40)).isoformat(),
            }
        ],
    )
    response = _add(manager_client, section, data)
    assert response.context["form"].non_field_errors() == [
        "Each reopening must fall between the start and end dates"
    ]


def test_direct_award_without_a_mechanism_is_refused_in_the_admin(manager_client, section):
    data = framework_form_data(
        lots=[{"number": "1", "title": "Software", "allows_direct_award": "on"}]
    )
    response = _add(manager_client, section, data)
    assert response.context["form"].formsets["lots"].forms[0].errors["direct_award_mechanism"] == [
        "Direct award needs a written objective selection mechanism, unless the lot has "
        "exactly one supplier"
    ]
    assert not FrameworkPage.objects.exists()


def test_an_open_framework_without_a_reopening_is_refused_in_the_admin(manager_client, section):
    response = _add(manager_client, section, framework_form_data(kind="open"))
    assert response.context["form"].non_field_errors() == [
        "An open framework must award a new framework through a reopening within 3 years of "
        "its first award"
    ]
    assert not FrameworkPage.objects.exists()


def test_a_utilities_framework_over_4_years_needs_its_reason_in_the_admin(
    manager_client, section, today
):
    long = {"kind": "utilities", "ends_on": (today + timedelta(days=80 + 5 * 366)).isoformat()}
    response = _add(manager_client, section, framework_form_data(**long))
    assert response.context["form"].errors["longer_term_reason"] == [
        "Enter why the framework needs to last over 4 years"
    ]
    assert not FrameworkPage.objects.exists()

    reason = {"longer_term_reason": "Heat networks take six years to build."}
    response = _add(manager_client, section, framework_form_data(**long, **reason))
    assert response.status_code == 302
    assert FrameworkPage.objects.get().kind == "utilities"


def test_a_standard_framework_of_4_years_and_a_day_is_refused_in_the_admin(
    manager_client, section, today
):
    ends = rules.add_years(today + timedelta(days=80), 4)  # the start in framework_form_data
    response = _add(manager_client, section, framework_form_data(ends_on=ends.isoformat()))
    assert response.context["form"].errors["ends_on"] == ["A framework can last at most 4 years"]
    assert not FrameworkPage.objects.exists()


def test_a_start_inside_the_standstill_is_refused_in_the_admin(manager_client, section, today):
    notice = today + timedelta(days=60)  # the award day in framework_form_data
    data = framework_form_data(
        award_notice_identifier="001234-2027",
        award_notice_published_on=notice.isoformat(),
        starts_on=standstill_end(notice).isoformat(),
    )
    response = _add(manager_client, section, data)
    assert response.context["form"].errors["starts_on"] == [
        "The framework must start after the standstill, which ends on "
        f"{standstill_end(notice):%-d %B %Y}"
    ]
    assert not FrameworkPage.objects.exists()
