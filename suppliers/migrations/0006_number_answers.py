"""Number answers stored as text ("1500") become JSON numbers (1500), so search can filter ranges.

Offerings and their revisions are converted with each lot's schema and the same cleaner forms
and imports use. An answer that no longer fits its question's bounds is left as it was and
counted in the output, for its supplier to correct; nothing fails. Audit events are records of
what happened and stay as written.
"""

from django.db import migrations

# The app's own schema reading and cleaning, not copies: the migration converts with exactly
# the rules new answers meet.
from frameworks.attributes import AttributeKind, AttributeSchemaBlock, specs_from_stream
from suppliers.attributes import clean_number


def _number_specs(lot) -> dict:
    raw = lot.attribute_schema.get_prep_value()
    specs = specs_from_stream(AttributeSchemaBlock().to_python(raw))
    return {spec.key: spec for spec in specs if spec.kind == AttributeKind.NUMBER}


def _converted(answers: dict, specs: dict) -> tuple[dict, int, list[str]]:
    """(answers with text numbers as numbers, how many converted, keys left as text)."""
    answers = dict(answers)
    converted, left = 0, []
    for key, spec in specs.items():
        value = answers.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            answers[key] = clean_number(spec, value)
            converted += 1
        except ValueError:
            left.append(key)
    return answers, converted, left


def answers_as_numbers(apps, schema_editor=None) -> dict:
    """Convert every offering's and revision's number answers; return and print the counts."""
    Lot = apps.get_model("frameworks", "Lot")
    Offering = apps.get_model("suppliers", "Offering")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    specs = {lot.pk: _number_specs(lot) for lot in Lot.objects.all()}
    counts = {"converted": 0, "left": []}

    def convert(answers, lot_id, where):
        answers, converted, left = _converted(answers or {}, specs.get(lot_id, {}))
        counts["converted"] += converted
        counts["left"].extend(f"{where} {key}" for key in left)
        return answers, converted

    for offering in Offering.objects.only("pk", "reference", "lot_id", "attributes").iterator():
        answers, converted = convert(offering.attributes, offering.lot_id, offering.reference)
        if converted:
            Offering.objects.filter(pk=offering.pk).update(attributes=answers)

    offering_type = ContentType.objects.filter(app_label="suppliers", model="offering").first()
    revisions = Revision.objects.filter(content_type=offering_type).only("pk", "content")
    for revision in revisions.iterator():
        content = revision.content
        answers, converted = convert(
            content.get("attributes"), content.get("lot"), f"revision {revision.pk}"
        )
        if converted:
            Revision.objects.filter(pk=revision.pk).update(
                content={**content, "attributes": answers}
            )

    left = counts["left"]
    if not (counts["converted"] or left):
        return counts
    # A migration's output is where an operator reads what it did.
    print(
        f"\n  Number answers: {counts['converted']} converted to numbers; {len(left)} left as "
        "text because they do not fit their question's bounds"
        + (f": {', '.join(left)}" if left else "")
    )
    return counts


class Migration(migrations.Migration):
    dependencies = [
        ("suppliers", "0005_supplier_profile_contact"),
        ("frameworks", "0010_number_bounds"),
    ]

    operations = [migrations.RunPython(answers_as_numbers, migrations.RunPython.noop)]
