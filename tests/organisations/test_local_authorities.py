"""The council data: all 470 authorities loaded by migration, with the source's quirks handled."""

import datetime

import pytest

from marketplace.organisations import local_authorities
from marketplace.organisations.models import LocalAuthority, Region


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_every_authority_is_loaded(db):
    assert LocalAuthority.objects.count() == 470
    assert LocalAuthority.objects.filter(end_date__isnull=False).count() == 74  # 73 + NTCA


def test_a_council_has_its_names_codes_region_type_and_combined_authority(db):
    manchester = LocalAuthority.objects.get(code="MAN")

    assert manchester.official_name == "Manchester City Council"
    assert manchester.nice_name == "Manchester"
    assert manchester.gss_code == "E08000003"
    assert manchester.nation == "England"
    assert manchester.region == Region.NORTH_WEST
    assert (manchester.type_code, manchester.type_name) == ("MD", "Metropolitan district")
    assert manchester.combined_authority.code == "GMCA"
    assert manchester.county is None
    assert manchester.is_current


def test_a_district_sits_in_its_county(db):
    adur = LocalAuthority.objects.get(code="ADU")

    assert adur.county.code == "WSX"
    assert adur.region == Region.SOUTH_EAST


def test_every_region_name_maps_to_an_itl1_region():
    assert set(local_authorities.REGION_CODES.values()) == set(Region.values)


def test_every_authority_has_a_region(db):
    assert not LocalAuthority.objects.filter(region="").exists()


def test_a_former_council_without_a_region_takes_its_successors(db):
    poole = LocalAuthority.objects.get(code="POL")

    assert poole.region == Region.SOUTH_WEST
    assert codes(poole.successors.all()) == {"BPC"}


@pytest.mark.parametrize(
    ("code", "successors", "end_date"),
    [
        ("CMA", {"CBD", "WAF"}, datetime.date(2023, 4, 1)),
        ("NTH", {"NNT", "WNT"}, datetime.date(2021, 4, 1)),
    ],
)
def test_a_split_council_has_two_successors(db, code, successors, end_date):
    former = LocalAuthority.objects.get(code=code)

    assert codes(former.successors.all()) == successors
    assert former.end_date == end_date
    assert not former.is_current
    assert code in codes(LocalAuthority.objects.get(code=sorted(successors)[0]).predecessors.all())


def test_north_of_tyne_combined_authority_is_corrected_as_abolished(db):
    north_of_tyne = LocalAuthority.objects.get(code="NTCA")

    assert north_of_tyne.end_date == datetime.date(2024, 5, 7)
    assert codes(north_of_tyne.successors.all()) == {"NECA"}
    assert not north_of_tyne.is_current
    assert not north_of_tyne.constituent_councils.exists()
    north_east = LocalAuthority.objects.get(code="NECA")
    assert north_east.official_name == "North East Mayoral Combined Authority"
    assert codes(north_east.constituent_councils.all()) == {
        "DUR",
        "GAT",
        "NBL",
        "NET",
        "NTY",
        "SND",
        "STY",
    }


def test_current_authorities_depend_on_the_day(db):
    assert LocalAuthority.objects.current().count() == 396  # 397 in the source, less NTCA
    before = LocalAuthority.objects.current(on=datetime.date(2024, 5, 6))
    assert "NTCA" in codes(before)
    assert "NNT" in codes(before)
    assert "NNT" not in codes(LocalAuthority.objects.current(on=datetime.date(2021, 3, 31)))
    assert "NTH" in codes(LocalAuthority.objects.current(on=datetime.date(2021, 3, 31)))


def test_gss_codes_are_unique_where_given(db):
    assert LocalAuthority.objects.filter(gss_code="").count() == 25
    given = LocalAuthority.objects.exclude(gss_code="")
    assert given.values("gss_code").distinct().count() == given.count() == 445
