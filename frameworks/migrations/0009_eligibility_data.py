"""Each framework's eligibility lists become rule rows (frameworks.eligibility), with the
same meaning: the named organisations, or each listed kind (buyers when none) in each listed
region (everywhere when none). A framework with no rule at all stays open to buyers. Past
variations of the lists, and drafts waiting to be published, are rewritten the same way."""

from django.db import migrations

OLD_TERMS = ("eligible_regions", "eligible_kinds", "eligible_organisations")


def _keys(regions, kinds, named) -> list[str]:
    if not (regions or kinds or named):
        return []
    keys = {
        f"kind:{kind}:{region}" if region else f"kind:{kind}"
        for kind in kinds or ["buyer"]
        for region in regions or [""]
    }
    return sorted(keys | {f"org:{pk}" for pk in named})


def _state_keys(state: dict) -> list[str]:
    return _keys(*(state.get(name) or [] for name in OLD_TERMS))


def _rewrite_variations(Variation, page, state: dict) -> None:
    """Walk back from today's lists, undoing each variation, to give each one its old and new
    rules as keys in place of the old lists."""
    for variation in Variation.objects.filter(framework_id=page.pk).order_by(
        "-effective_on", "-made_at", "-pk"
    ):
        if not set(OLD_TERMS) & variation.old_values.keys():
            continue
        after = _state_keys(state)
        state = {**state, **{k: v for k, v in variation.old_values.items() if k in OLD_TERMS}}
        before = _state_keys(state)
        for values in (variation.old_values, variation.new_values):
            for name in OLD_TERMS:
                values.pop(name, None)
        if before != after:
            variation.old_values["eligibility"] = before
            variation.new_values["eligibility"] = after
        variation.save(update_fields=["old_values", "new_values"])


def _rewrite_draft(Revision, page) -> None:
    """A draft waiting to be published keeps its own rules."""
    if not (page.has_unpublished_changes and page.latest_revision_id):
        return
    revision = Revision.objects.filter(pk=page.latest_revision_id).first()
    if revision is None or "eligible_regions" not in revision.content:
        return
    content = revision.content
    keys = _keys(
        content.pop("eligible_regions", None) or [],
        content.pop("eligible_kinds", None) or [],
        content.pop("eligible_organisations", None) or [],
    )
    content["eligibility_rules"] = [{"pk": None, "framework": page.pk, "key": k} for k in keys]
    revision.save(update_fields=["content"])


def forward(apps, schema_editor):
    FrameworkPage = apps.get_model("frameworks", "FrameworkPage")
    EligibilityRule = apps.get_model("frameworks", "EligibilityRule")
    Variation = apps.get_model("frameworks", "Variation")
    Revision = apps.get_model("wagtailcore", "Revision")
    # The through table itself: a historical model's parental many-to-many is not to be relied on.
    Named = FrameworkPage._meta.get_field("eligible_organisations").remote_field.through
    for page in FrameworkPage.objects.all():
        state = {
            "eligible_regions": page.eligible_regions,
            "eligible_kinds": page.eligible_kinds,
            "eligible_organisations": sorted(
                Named.objects.filter(frameworkpage_id=page.pk).values_list(
                    "organisation_id", flat=True
                )
            ),
        }
        EligibilityRule.objects.bulk_create(
            EligibilityRule(framework_id=page.pk, key=key) for key in _state_keys(state)
        )
        _rewrite_variations(Variation, page, state)
        _rewrite_draft(Revision, page)


def backward(apps, schema_editor):
    """Back to the lists, as far as they can say it: council groups have no list."""
    FrameworkPage = apps.get_model("frameworks", "FrameworkPage")
    Named = FrameworkPage._meta.get_field("eligible_organisations").remote_field.through
    for page in FrameworkPage.objects.prefetch_related("eligibility_rules"):
        regions, kinds, named = set(), set(), set()
        for rule in page.eligibility_rules.all():
            parts = rule.key.split(":")
            if parts[0] == "kind":
                kinds.add(parts[1])
                regions.update(parts[2:])
            elif parts[0] == "org":
                named.add(int(parts[1]))
        page.eligible_regions, page.eligible_kinds = sorted(regions), sorted(kinds)
        page.save(update_fields=["eligible_regions", "eligible_kinds"])
        Named.objects.bulk_create(
            Named(frameworkpage_id=page.pk, organisation_id=pk) for pk in sorted(named)
        )
    apps.get_model("frameworks", "EligibilityRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0008_eligibility_rules")]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="frameworkpage", name="eligible_regions"),
        migrations.RemoveField(model_name="frameworkpage", name="eligible_kinds"),
        migrations.RemoveField(model_name="frameworkpage", name="eligible_organisations"),
    ]
