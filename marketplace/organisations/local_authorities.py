"""Reading mySociety's list of UK local authorities into LocalAuthority rows.

Used by the data migration ``0005_load_local_authorities`` with the historical model, so nothing
here imports the app's models.
"""

import csv
import datetime
from pathlib import Path

DATA_PATH = Path(__file__).parent / "data" / "uk-local-authorities.csv"

CREDIT = 'mySociety, "UK Local Authority Names and Codes", CC BY 4.0'

# The CSV's region names and the ITL1 codes of organisations.models.Region.
REGION_CODES = {
    "North East": "TLC",
    "North West": "TLD",
    "Yorkshire and The Humber": "TLE",
    "East Midlands": "TLF",
    "West Midlands": "TLG",
    "East of England": "TLH",
    "London": "TLI",
    "South East": "TLJ",
    "South West": "TLK",
    "Wales": "TLL",
    "Scotland": "TLM",
    "Northern Ireland": "TLN",
}

# Known errors in the source, by authority code: the CSV columns to replace. (Whether an
# authority is current is worked out from its dates, so ``current-authority`` is not read.)
CORRECTIONS: dict[str, dict[str, str]] = {
    # The North of Tyne Combined Authority was abolished on 7 May 2024, when the North East
    # Mayoral Combined Authority (the renamed North East Combined Authority, NECA) took over
    # its three councils. The source still lists it as current.
    "NTCA": {
        "end-date": "2024-05-07",
        "replaced-by": "NECA",
    },
    "NECA": {"official-name": "North East Mayoral Combined Authority"},
    "NBL": {"combined-authority": "NECA"},
    "NET": {"combined-authority": "NECA"},
    "NTY": {"combined-authority": "NECA"},
}


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def read_rows(path: Path = DATA_PATH) -> list[dict[str, str]]:
    """The CSV's rows with CORRECTIONS applied."""
    with path.open(newline="", encoding="utf-8") as data:
        rows = [
            row | CORRECTIONS.get(row["local-authority-code"], {}) for row in csv.DictReader(data)
        ]
    by_code = {row["local-authority-code"]: row for row in rows}
    for row in rows:
        # Fifteen English councils abolished in 2019–2023 have no region in the source: they
        # lie in their successor's region (a merger never crosses a region boundary).
        if not row["region"] and row["replaced-by"]:
            row["region"] = by_code[successor_codes(row)[0]]["region"]
    return rows


def successor_codes(row: dict[str, str]) -> list[str]:
    """``replaced-by`` holds one code, or two ("CBD,WAF") when an area was split."""
    return [code.strip() for code in row["replaced-by"].split(",") if code.strip()]


def load(local_authority_model, path: Path = DATA_PATH) -> None:
    """Create every authority, then link counties, combined authorities and successors."""
    rows = read_rows(path)
    authorities = local_authority_model.objects.bulk_create(
        local_authority_model(
            code=row["local-authority-code"],
            gss_code=row["gss-code"],
            official_name=row["official-name"],
            nice_name=row["nice-name"],
            nation=row["nation"],
            region=REGION_CODES.get(row["region"], ""),
            type_code=row["local-authority-type"],
            type_name=row["local-authority-type-name"],
            start_date=_date(row["start-date"]),
            end_date=_date(row["end-date"]),
            gov_uk_slug=row["gov-uk-slug"],
        )
        for row in rows
    )
    if not all(authority.pk for authority in authorities):  # backends that return no ids
        authorities = list(local_authority_model.objects.all())
    by_code = {authority.code: authority for authority in authorities}
    for row in rows:
        authority = by_code[row["local-authority-code"]]
        authority.county = by_code.get(row["county-la"])
        authority.combined_authority = by_code.get(row["combined-authority"])
    local_authority_model.objects.bulk_update(authorities, ["county", "combined_authority"])
    through = local_authority_model.successors.through
    through.objects.bulk_create(
        through(
            from_localauthority_id=by_code[row["local-authority-code"]].pk,
            to_localauthority_id=by_code[code].pk,
        )
        for row in rows
        for code in successor_codes(row)
    )
