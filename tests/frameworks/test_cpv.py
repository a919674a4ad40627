"""The whole CPV 2008 vocabulary in its tree, the selectors that read it, and choosing codes in
the framework editor: typed as text (without JavaScript) or picked in the chooser modal."""

import csv
import json
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import pytest

from frameworks import selectors
from frameworks.admin.cpv import CpvCodesField
from frameworks.models import CpvCode, FrameworkPage
from tests import factories
from tests.frameworks.conftest import framework_form_data

CSV = Path(settings.BASE_DIR) / "frameworks" / "data" / "cpv-2008.csv"
FIXTURE = Path(settings.BASE_DIR) / "frameworks" / "fixtures" / "cpv_codes.json"


def _csv_rows() -> dict[str, str]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["description"] for row in csv.DictReader(handle)}


def _codes(queryset) -> list[str]:
    return [code.code for code in queryset]


# The vocabulary and its tree -------------------------------------------------------------------


@pytest.mark.django_db
def test_every_code_of_the_csv_is_loaded_with_its_title():
    rows = _csv_rows()

    assert CpvCode.objects.count() == len(rows) == 9454
    assert dict(CpvCode.objects.values_list("code", "title")) == rows


@pytest.mark.django_db
def test_the_45_divisions_are_the_top_of_the_tree_and_none_sits_under_another():
    top = CpvCode.objects.filter(parent__isnull=True)

    assert top.count() == 45
    assert set(top.values_list("level", flat=True)) == {CpvCode.Level.DIVISION}
    assert CpvCode.objects.filter(level=CpvCode.Level.DIVISION).count() == 45
    assert all(code.code[2:8] == "000000" for code in top)


@pytest.mark.django_db
def test_levels_follow_the_significant_digits():
    counts = {level: CpvCode.objects.filter(level=level).count() for level in CpvCode.Level.values}

    assert counts == {
        "division": 45,
        "group": 272,
        "class": 1002,
        "category": 2379,
        "subcategory": 5756,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "level", "parent", "path"),
    [
        ("72200000-7", "group", "72000000-5", "722"),
        ("72210000-0", "class", "72200000-7", "7221"),
        ("72212000-4", "category", "72210000-0", "72212"),
        ("72212100-0", "subcategory", "72212000-4", "722121"),
        ("72212211-1", "subcategory", "72212210-4", "72212211"),
        ("90600000-3", "group", "90000000-7", "906"),
    ],
)
def test_a_code_sits_under_the_code_with_its_last_significant_digit_zeroed(
    code, level, parent, path
):
    row = CpvCode.objects.select_related("parent").get(code=code)

    assert (row.level, row.parent.code, row.path) == (level, parent, path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "parent"),
    [
        # No 30192120: ballpoint pens sit under 30192100, two levels up.
        ("30192121-5", "30192100-2"),
        # No 60110000: the category sits under its group.
        ("60112000-6", "60100000-9"),
        ("44115310-5", "44115000-9"),
    ],
)
def test_a_code_whose_parent_is_missing_sits_under_the_nearest_existing_ancestor(code, parent):
    row = CpvCode.objects.select_related("parent").get(code=code)
    missing = row.digits[: len(row.path) - 1].ljust(8, "0")

    assert not CpvCode.objects.filter(code__startswith=f"{missing}-").exists()
    assert row.parent.code == parent


@pytest.mark.django_db
def test_every_parent_is_the_nearest_existing_ancestor_in_the_same_division():
    """35 codes of the CSV have no code with their last digit zeroed: all are placed right."""
    rows = list(CpvCode.objects.values_list("code", "path", "parent__path", "parent__code"))
    paths = {path for _code, path, _parent_path, _parent_code in rows}
    skipped = 0
    for code, path, parent_path, parent_code in rows:
        if len(path) == 2:
            assert parent_code is None, code
            continue
        assert parent_code[:2] == code[:2], code
        assert path.startswith(parent_path) and path != parent_path, code
        between = [path[:n] for n in range(len(parent_path) + 1, len(path))]
        assert not any(prefix in paths for prefix in between), code
        skipped += len(parent_path) < len(path) - 1
    # The vocabulary's 35 codes without a direct parent, plus those whose zeroed digit is
    # followed by further zeros (a parent found one level of zeros up is still the nearest).
    assert skipped >= 35


@pytest.mark.django_db
def test_divisions_ending_in_zero_keep_both_digits():
    thirty = CpvCode.objects.get(code="30000000-9")

    assert thirty.path == "30"
    assert {code[:2] for code in _codes(selectors.cpv_descendants([thirty]))} == {"30"}
    assert CpvCode.objects.get(code="31000000-6").parent is None


@pytest.mark.django_db
def test_the_codes_loaded_before_keep_their_rows_and_take_the_csvs_titles():
    old = [row["fields"]["code"] for row in json.loads(FIXTURE.read_text(encoding="utf-8"))]
    kept = CpvCode.objects.filter(code__in=old)

    assert kept.count() == 92
    # Loaded first (0002), they keep their ids: the lots and frameworks point at those.
    assert max(kept.values_list("pk", flat=True)) < min(
        CpvCode.objects.exclude(code__in=old).values_list("pk", flat=True)
    )
    assert (
        CpvCode.objects.get(code="70300000-4").title
        == "Real estate agency services on a fee or contract basis"
    )


@pytest.mark.django_db
def test_a_check_digit_is_kept_as_the_vocabulary_gives_it():
    assert all(re.fullmatch(r"\d{8}-\d", code) for code in _csv_rows())
    assert CpvCode.objects.get(code__startswith="72000000-").code == "72000000-5"


@pytest.mark.django_db
def test_the_demo_data_names_only_codes_of_the_vocabulary():
    demo = Path(settings.BASE_DIR) / "demo"
    named = {
        code
        for path in demo.glob("*.py")
        for code in re.findall(r'"(\d{8}-\d)"', path.read_text(encoding="utf-8"))
    }

    assert named
    assert set(CpvCode.objects.filter(code__in=named).values_list("code", flat=True)) == named


# Selectors --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_descendants_are_the_codes_and_everything_beneath_in_one_query(
    django_assert_num_queries,
):
    expected = sorted(code for code in _csv_rows() if code.startswith("906"))

    with django_assert_num_queries(1):
        found = _codes(selectors.cpv_descendants(["90600000-3"]))

    assert found == expected
    assert found[0] == "90600000-3"
    assert len(found) == 14


@pytest.mark.django_db
def test_descendants_of_several_codes_rows_or_codes_without_check_digit():
    it = CpvCode.objects.get(code="72000000-5")
    rows = _csv_rows()

    found = _codes(selectors.cpv_descendants([it, "72200000", "90600000-3"]))

    assert found == sorted(code for code in rows if code[:2] == "72" or code[:3] == "906")
    assert not selectors.cpv_descendants([]).exists()
    with pytest.raises(ValueError, match="not a CPV code"):
        selectors.cpv_descendants(["72"])


@pytest.mark.django_db
def test_a_lot_under_a_group_is_found_from_a_code_beneath_it(section):
    """What search does with the tree: the lots whose codes are above a code searched for."""
    framework = factories.framework_page(section, lots=1)
    lot = framework.lots.get()
    lot.cpv_codes = [CpvCode.objects.get(code="77300000-3")]
    lot.save()
    searched = CpvCode.objects.get(code="77314000-4")
    above = [searched.path[:n] for n in range(2, len(searched.path) + 1)]

    assert list(framework.lots.filter(cpv_codes__path__in=above)) == [lot]
    assert searched in selectors.cpv_descendants(lot.cpv_codes.all())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("7221", "72210000-0"),
        ("72000000-5", "72000000-5"),
        ("72000000", "72000000-5"),
        ("GROUNDS Maintenance", "43325100-8"),
        ("7731 grounds", "77314000-4"),
    ],
)
def test_search_by_code_start_code_with_or_without_check_digit_or_words(text, first):
    found = selectors.cpv_search(text, limit=10)

    assert found[0].code == first
    assert len(found) <= 10


@pytest.mark.django_db
def test_search_matches_all_terms_and_respects_the_limit():
    assert all(code.code.startswith("7221") for code in selectors.cpv_search("7221", limit=50))
    assert len(selectors.cpv_search("7221", limit=5)) == 5
    assert _codes(selectors.cpv_search("grounds maintenance", limit=10)) == [
        "43325100-8",
        "77314000-4",
    ]
    assert _codes(selectors.cpv_search("72000000-4", limit=10)) == []  # wrong check digit
    assert selectors.cpv_search("  ", limit=10) == []
    # Punctuation is no syntax: the words are looked for as they are.
    assert all(
        "or" in code.title.lower() and "1" in code.title
        for code in selectors.cpv_search("' OR 1=1 --", limit=10)
    )


# The chooser ------------------------------------------------------------------------------------


def test_the_chooser_opens_and_searches_by_code_or_words(manager_client):
    response = manager_client.get(reverse("cpv_chooser:choose"))
    assert response.status_code == 200

    response = manager_client.get(reverse("cpv_chooser:choose_results"), {"q": "7221"})
    results = list(response.context["results"])
    assert results and all(code.code.startswith("7221") for code in results)

    response = manager_client.get(
        reverse("cpv_chooser:choose_results"), {"q": "grounds maintenance"}
    )
    assert _codes(response.context["results"]) == ["43325100-8", "77314000-4"]
    assert "Grounds maintenance services" in response.content.decode()


def test_the_chooser_picks_several_codes_at_once(manager_client):
    response = manager_client.get(
        reverse("cpv_chooser:choose_results"), {"q": "grounds", "multiple": "1"}
    )
    assert 'name="id"' in response.content.decode()  # a tick box for each code

    codes = CpvCode.objects.filter(code__in=["77314000-4", "72000000-5"])
    response = manager_client.get(
        reverse("cpv_chooser:chosen_multiple"), {"id": [code.pk for code in codes]}
    )
    result = response.json()["result"]
    assert sorted(item["code"] for item in result) == ["72000000-5", "77314000-4"]
    assert {item["label"] for item in result} >= {"Grounds maintenance services"}


def test_the_chooser_is_for_admin_users_only(client, db):
    response = client.get(reverse("cpv_chooser:choose"))

    assert response.status_code == 302


# The framework editor ---------------------------------------------------------------------------


def _edit_url(framework):
    return reverse("wagtailadmin_pages:edit", args=(framework.pk,))


def _save(client, framework, *, lot_codes="", page_codes=""):
    """The editor's form for `framework` with its lots as they stand, lot 1's CPV box and the
    framework's holding the text given."""
    lots = list(framework.lots.order_by("number"))
    rows = [{"id": str(lot.pk), "number": str(lot.number), "title": lot.title} for lot in lots]
    rows[0]["cpv_codes"] = lot_codes
    data = framework_form_data(slug=framework.slug, reference=framework.reference, lots=rows)
    data["lots-INITIAL_FORMS"] = str(len(lots))
    return client.post(_edit_url(framework), data | {"cpv_codes": page_codes})


def _draft_codes(framework) -> tuple[list[str], list[str]]:
    framework.refresh_from_db()
    draft = framework.get_latest_revision_as_object()
    lot = next(lot for lot in draft.lots.all() if lot.number == 1)
    return (
        sorted(code.code for code in draft.cpv_codes.all()),
        sorted(code.code for code in lot.cpv_codes.all()),
    )


def test_the_editor_offers_a_text_box_and_the_chooser_not_a_list(manager_client, unawarded):
    _save(manager_client, unawarded, lot_codes="72212100")

    html = manager_client.get(_edit_url(unawarded)).content.decode()

    assert '<select name="cpv_codes"' not in html
    assert '<select name="lots-0-cpv_codes"' not in html
    assert 'name="cpv_codes"' in html
    assert 'name="lots-0-cpv_codes" value="72212100-0"' in html
    assert "Industry specific software development services" in html
    assert reverse("cpv_chooser:choose") in html
    assert "Choose CPV codes" in html
    assert "Agricultural and horticultural products" not in html  # no list of every code


def test_the_lot_editor_accepts_codes_typed_with_or_without_check_digit(manager_client, unawarded):
    response = _save(
        manager_client,
        unawarded,
        lot_codes="72000000-5, 90600000;77314000-4  72212100",
        page_codes="48000000-8 72000000",
    )

    assert response.status_code == 302
    assert _draft_codes(unawarded) == (
        ["48000000-8", "72000000-5"],
        ["72000000-5", "72212100-0", "77314000-4", "90600000-3"],
    )


def test_an_empty_box_leaves_no_codes(manager_client, unawarded):
    _save(manager_client, unawarded, lot_codes="72000000-5")

    response = _save(manager_client, unawarded, lot_codes=" ")

    assert response.status_code == 302
    assert _draft_codes(unawarded) == ([], [])


def _lot_errors(response) -> list[str]:
    return response.context["form"].formsets["lots"].forms[0].errors["cpv_codes"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "72000000-5, 12345678",
            "12345678 is not a code of the CPV 2008 vocabulary. Check it, or find the code "
            "with “Choose CPV codes”.",
        ),
        (
            "72000000-4",
            "72000000-4 has the wrong check digit: the code is 72000000-5 (IT services: "
            "consulting, software development, Internet and support).",
        ),
        (
            "IT services, 7200",
            "“IT”, “services”, “7200”: a CPV code is eight digits, with or without its check "
            "digit, like 72000000-5 or 72000000",
        ),
        (
            "30192120 30192120-1",
            "30192120, 30192120-1 are not codes of the CPV 2008 vocabulary. Check them, or "
            "find the codes with “Choose CPV codes”.",
        ),
    ],
)
def test_the_lot_editor_refuses_an_unknown_code_with_a_clear_message(
    manager_client, unawarded, typed, message
):
    response = _save(manager_client, unawarded, lot_codes=typed)

    assert response.status_code == 200
    assert _lot_errors(response) == [message]
    assert f'value="{typed}"' in response.content.decode()  # kept to correct
    assert _draft_codes(unawarded) == ([], [])


def test_an_unknown_code_on_the_framework_is_refused_too(manager_client, unawarded):
    response = _save(manager_client, unawarded, page_codes="99999999")

    assert response.context["form"].errors["cpv_codes"] == [
        "99999999 is not a code of the CPV 2008 vocabulary. Check it, or find the code with "
        "“Choose CPV codes”."
    ]


@pytest.mark.django_db
def test_a_disabled_box_keeps_the_codes_it_started_with():
    """A disabled field cleans its initial rows, not text."""
    codes = list(CpvCode.objects.filter(code__in=["72000000-5", "90600000-3"]))

    field = CpvCodesField(disabled=True)

    assert _codes(field.clean(codes)) == ["72000000-5", "90600000-3"]
    assert not field.has_changed(codes, "")
    assert CpvCodesField().has_changed(codes, "72000000")
    assert not CpvCodesField().has_changed(codes, "90600000, 72000000-5")


def test_the_frameworks_list_still_filters_by_division_of_a_fine_code(client, section):
    factories.framework_page(section, title="Pens", cpv_codes=("30192121-5",))
    factories.framework_page(section, title="Software", cpv_codes=("72212100-0",))

    response = client.get("/frameworks/", {"category": "30"})

    assert re.findall(
        r'govuk-summary-card__title"><a class="govuk-link" href="[^"]+">([^<]+)</a>',
        response.content.decode(),
    ) == ["Pens"]
    assert [division for division, _title in selectors.cpv_divisions()] == sorted(
        code[:2] for code in _csv_rows() if code[2:8] == "000000"
    )
    assert FrameworkPage.objects.count() == 2
