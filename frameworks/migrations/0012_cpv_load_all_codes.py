"""Load the whole CPV 2008 vocabulary (frameworks/data/cpv-2008.csv, 9,454 codes) in its tree.

The 92 codes loaded before (0002) keep their rows, so the lots and frameworks that point at
them keep their codes; their titles become the CSV's. Each code's parent is its nearest
existing ancestor: the code with its last significant digit zeroed, or zeroed further where
that code does not exist (35 codes), never past the division. Divisions have no parent.

Self-contained on purpose: the rules are written here, not imported, so that later changes to
the model cannot change what this migration did.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "cpv-2008.csv"
LEVELS = {2: "division", 3: "group", 4: "class", 5: "category"}


def _prefix(code: str) -> str:
    digits = code[:8]
    return digits[:2] + digits[2:].rstrip("0")


def _ancestor_prefixes(prefix: str):
    """The prefixes above `prefix`, nearest first, down to the division's two digits."""
    for length in range(len(prefix) - 1, 1, -1):
        yield _prefix(prefix[:length])


def load_all_codes(apps, schema_editor):
    CpvCode = apps.get_model("frameworks", "CpvCode")
    with CSV.open(encoding="utf-8", newline="") as handle:
        titles = {row["code"]: row["description"] for row in csv.DictReader(handle)}
    existing = {row.code: row for row in CpvCode.objects.all()}
    for code, row in existing.items():
        if code not in titles:  # not in the vocabulary: kept, placed like the others
            titles[code] = row.title

    pk_by_prefix: dict[str, int] = {}
    by_length: dict[int, list[str]] = {}
    for code in titles:
        by_length.setdefault(len(_prefix(code)), []).append(code)

    # Shallowest first, so every parent has its id before its children are written.
    for length in sorted(by_length):
        new, changed = [], []
        for code in by_length[length]:
            prefix = _prefix(code)
            parent_id = next(
                (
                    pk_by_prefix[ancestor]
                    for ancestor in _ancestor_prefixes(prefix)
                    if ancestor in pk_by_prefix
                ),
                None,
            )
            values = {
                "title": titles[code],
                "level": LEVELS.get(len(prefix), "subcategory"),
                "division": code[:2],
                "path": prefix,
                "parent_id": parent_id,
            }
            row = existing.get(code)
            if row is None:
                new.append(CpvCode(code=code, **values))
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
        CpvCode.objects.bulk_create(new, batch_size=500)
        CpvCode.objects.bulk_update(
            changed, ["title", "level", "division", "path", "parent_id"], batch_size=500
        )
        pk_by_prefix.update(
            CpvCode.objects.filter(code__in=by_length[length]).values_list("path", "pk")
        )


def unload_finer_codes(apps, schema_editor):
    """Back to the 92 codes of 0002: the others go (with any lot's or framework's link to
    them), and the kept ones lose their place in the tree."""
    import json

    CpvCode = apps.get_model("frameworks", "CpvCode")
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "cpv_codes.json"
    kept = {row["fields"]["code"] for row in json.loads(fixture.read_text(encoding="utf-8"))}
    CpvCode.objects.update(parent=None)
    CpvCode.objects.exclude(code__in=kept).delete()


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0011_cpv_hierarchy")]

    operations = [migrations.RunPython(load_all_codes, unload_finer_codes)]
