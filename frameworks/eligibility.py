"""Can an organisation use a framework? One answer, with the reason, for pages and search.

How it is stored, and why: a framework's eligibility is a set of rules, one
`EligibilityRule` row per rule, each holding one indexed text key:

    kind:buyer              every buyer
    kind:buyer:TLD          buyers in one ITL1 region (North West)
    org:42                  one named organisation
    area:GMCA               councils in a combined authority's area (its council code)
    councils:TLD            councils in one region
    county:LAN              councils in a county (the county council and its districts)

An organisation may use a framework when any of the framework's keys is one of the
organisation's own keys, which `organisation_keys` works out in Python from the organisation's
fields (its id, kind and region, and for a council its region, county and combined authority).
So "frameworks this organisation may use" is one query, `key IN (...)` on an index, whose
count does not grow with the number of frameworks. A framework with no rules is open to
DEFAULT_ELIGIBLE_KINDS (buyers).

The rules are child rows of the page (ParentalKey), so drafts and revisions carry them as
they carry lots, and Wagtail writes the rows only when a revision is published: the rows
are always the live page's rules, never a draft's, and the query reads only live pages.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from marketplace.organisations.models import LocalAuthority, Organisation, Region
from marketplace.organisations.roles import OrganisationKind

DEFAULT_ELIGIBLE_KINDS = (OrganisationKind.BUYER,)

KIND, ORGANISATION, AREA, COUNCILS, COUNTY = "kind", "org", "area", "councils", "county"

PLURALS = {
    OrganisationKind.AUTHORITY: _("regional authorities"),
    OrganisationKind.BUYER: _("buyers"),
    OrganisationKind.SUPPLIER: _("suppliers"),
}


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


@dataclass
class Rules:
    """A framework's rule keys taken apart: what the editor's tick boxes show."""

    kinds: list[str] = field(default_factory=list)  # with no region: every one of the kind
    regions: list[str] = field(default_factory=list)  # the regions of the kind:…:region keys
    organisations: list[int] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)  # combined authorities' codes
    council_regions: list[str] = field(default_factory=list)
    counties: list[str] = field(default_factory=list)  # county councils' codes
    regional_kinds: list[str] = field(default_factory=list)  # the kinds of kind:…:region keys


def rule_keys(
    *,
    kinds=(),
    regions=(),
    organisations=(),
    areas=(),
    council_regions=(),
    counties=(),
) -> list[str]:
    """The keys for the editor's choices: each ticked kind in each ticked region (a region with
    no kind ticked means the default kinds; a kind with no region, everywhere)."""
    kinds = list(kinds) or (list(DEFAULT_ELIGIBLE_KINDS) if regions else [])
    keys = [
        f"{KIND}:{kind}:{region}" if region else f"{KIND}:{kind}"
        for kind in kinds
        for region in (list(regions) or [""])
    ]
    keys += [f"{ORGANISATION}:{int(pk)}" for pk in organisations]
    keys += [f"{AREA}:{code}" for code in areas]
    keys += [f"{COUNCILS}:{region}" for region in council_regions]
    keys += [f"{COUNTY}:{code}" for code in counties]
    return sorted(set(keys))


def parse(keys) -> Rules:
    """Take keys apart; an unknown key raises ValueError."""
    rules = Rules()
    for key in sorted(keys):
        kind, _sep, value = key.partition(":")
        if kind == KIND and value.count(":") == 1:
            organisation_kind, region = value.split(":")
            _check(organisation_kind, OrganisationKind.values, key)
            _check(region, Region.values, key)
            _add(rules.regional_kinds, organisation_kind)
            _add(rules.regions, region)
        elif kind == KIND:
            _check(value, OrganisationKind.values, key)
            _add(rules.kinds, value)
        elif kind == ORGANISATION and value.isdigit():
            _add(rules.organisations, int(value))
        elif kind == AREA and value:
            _add(rules.areas, value)
        elif kind == COUNCILS:
            _check(value, Region.values, key)
            _add(rules.council_regions, value)
        elif kind == COUNTY and value:
            _add(rules.counties, value)
        else:
            raise ValueError(f"Not an eligibility rule: {key!r}")
    return rules


def _check(value: str, known, key: str) -> None:
    if value not in known:
        raise ValueError(f"Not an eligibility rule: {key!r}")


def _add(values: list, value) -> None:
    if value not in values:
        values.append(value)


def framework_keys(framework) -> list[str]:
    """The framework's rule keys: its live rows, or a revision's rows when it is one."""
    return sorted(rule.key for rule in framework.eligibility_rules.all())


# Local authorities that are not councils: combined authorities and the Greater London
# Authority. They are buyers, but no rule for "councils in ..." takes them in.
COMBINED_AUTHORITY = "COMB"
NOT_COUNCILS = (COMBINED_AUTHORITY, "SRA")
COUNTY_COUNCIL = "CTY"


def _council(organisation: Organisation) -> LocalAuthority | None:
    """The council a buyer is, with its county and combined authority, if it is one."""
    if organisation.kind != OrganisationKind.BUYER or not organisation.local_authority_id:
        return None
    return (
        LocalAuthority.objects.select_related("county", "combined_authority")
        .exclude(type_code__in=NOT_COUNCILS)
        .filter(pk=organisation.local_authority_id)
        .first()
    )


def organisation_keys(
    organisation: Organisation, council: LocalAuthority | None = None
) -> set[str]:
    """Every key that would admit `organisation`. At most one query (a council's data)."""
    keys = {f"{KIND}:{organisation.kind}"}
    if organisation.pk:
        keys.add(f"{ORGANISATION}:{organisation.pk}")
    if organisation.region:
        keys.add(f"{KIND}:{organisation.kind}:{organisation.region}")
    council = council or _council(organisation)
    if council is not None:
        if council.region:
            keys.add(f"{COUNCILS}:{council.region}")
        if council.combined_authority_id:
            keys.add(f"{AREA}:{council.combined_authority.code}")
        if council.county_id:
            keys.add(f"{COUNTY}:{council.county.code}")
        elif council.type_code == COUNTY_COUNCIL:
            keys.add(f"{COUNTY}:{council.code}")
    return keys


def _names(rules: Rules) -> dict[str, str]:
    """The names of the councils the rules name, by code: a combined authority's official
    name, a county's short one ("Lancashire")."""
    if not (rules.areas or rules.counties):
        return {}
    councils = LocalAuthority.objects.filter(code__in=[*rules.areas, *rules.counties])
    return {
        council.code: council.official_name if council.code in rules.areas else council.nice_name
        for council in councils
    }


def _listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def describe(keys) -> list[str]:
    """Who each rule admits, for people to read: "buyers in London and Wales", "councils in the
    Greater Manchester Combined Authority area". No keys: the default kinds."""
    rules = parse(keys)
    if not keys:
        return [", ".join(str(PLURALS[kind]) for kind in DEFAULT_ELIGIBLE_KINDS)]
    names = _names(rules)
    phrases = [_listed([str(PLURALS[kind]) for kind in rules.kinds])] if rules.kinds else []
    by_kind: dict[str, list[str]] = {}
    for key in sorted(keys):
        parts = key.split(":")
        if parts[0] == KIND and len(parts) == 3:
            by_kind.setdefault(parts[1], []).append(str(Region(parts[2]).label))
    phrases += [
        _("%(kinds)s in %(regions)s") % {"kinds": PLURALS[kind], "regions": _listed(regions)}
        for kind, regions in by_kind.items()
    ]
    phrases += [
        _("councils in the %(name)s area") % {"name": names.get(code, code)} for code in rules.areas
    ]
    phrases += [
        _("councils in %(region)s") % {"region": Region(region).label}
        for region in rules.council_regions
    ]
    phrases += [
        _("councils in %(county)s") % {"county": names.get(code, code)} for code in rules.counties
    ]
    if rules.organisations:
        phrases.append(_("the organisations named on it"))
    return phrases


def _allowed_reason(key: str, organisation: Organisation, council) -> str:
    kind, _sep, value = key.partition(":")
    if kind == ORGANISATION:
        return _("Your organisation is named as able to use this framework.")
    if kind == KIND and ":" in value:
        return _("%(kinds)s in %(region)s can use this framework.") % {
            "kinds": str(PLURALS[organisation.kind]).capitalize(),
            "region": Region(organisation.region).label,
        }
    if kind == KIND:
        return _("Any %(kind)s can use this framework.") % {"kind": _kind_label(value)}
    if kind == AREA:
        return _("Councils in the %(name)s area can use this framework.") % {
            "name": council.combined_authority.official_name
        }
    if kind == COUNCILS:
        return _("Councils in %(region)s can use this framework.") % {
            "region": Region(council.region).label
        }
    return _("Councils in %(county)s can use this framework.") % {
        "county": (council.county or council).nice_name
    }


# The order in which a reason is given when several rules admit the organisation.
_REASON_ORDER = (ORGANISATION, KIND, AREA, COUNCILS, COUNTY)


def _kind_label(kind: str) -> str:
    return OrganisationKind(kind).label.lower()


def eligibility(framework, organisation: Organisation, *, keys: list[str] | None = None):
    """May `organisation` use `framework`, and why. Pass `keys` (the framework's rule keys,
    when already read) to save a query per framework."""
    keys = framework_keys(framework) if keys is None else keys
    if not keys and organisation.kind in DEFAULT_ELIGIBLE_KINDS:
        return Eligibility(
            True,
            _("Any %(kind)s can use this framework.") % {"kind": _kind_label(organisation.kind)},
        )
    council = _council(organisation) if keys else None
    matched = set(keys) & organisation_keys(organisation, council)
    if matched:
        key = min(matched, key=lambda key: (_REASON_ORDER.index(key.split(":")[0]), key))
        return Eligibility(True, _allowed_reason(key, organisation, council))
    where = f" in {Region(organisation.region).label}" if organisation.region else ""
    return Eligibility(
        False,
        _("This framework is open to %(who)s; your organisation is a %(kind)s%(where)s.")
        % {
            "who": "; ".join(describe(keys)),
            "kind": _kind_label(organisation.kind),
            "where": where,
        },
    )


def eligible_frameworks_filter(organisation: Organisation) -> Q:
    """eligibility()'s rule as a filter on FrameworkPage querysets: live pages whose rule keys
    meet the organisation's (one indexed IN), or with no rules when the default admits it."""
    from frameworks.models import EligibilityRule

    matching = EligibilityRule.objects.filter(key__in=organisation_keys(organisation))
    admitted = Q(pk__in=matching.values("framework_id"))
    if organisation.kind in DEFAULT_ELIGIBLE_KINDS:
        admitted |= ~Exists(EligibilityRule.objects.filter(framework_id=OuterRef("pk")))
    return Q(live=True) & admitted


def eligible_frameworks(queryset: QuerySet, organisation: Organisation) -> QuerySet:
    return queryset.filter(eligible_frameworks_filter(organisation))
