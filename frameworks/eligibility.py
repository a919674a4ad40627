"""Can an organisation use a framework? One answer, with the reason, for pages and search."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from marketplace.organisations.models import Organisation, Region
from marketplace.organisations.roles import OrganisationKind

DEFAULT_ELIGIBLE_KINDS = (OrganisationKind.BUYER,)


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def _kind_label(kind: str) -> str:
    return OrganisationKind(kind).label.lower()


def eligibility(framework, organisation: Organisation, *, named_ids: set[int] | None = None):
    """Named organisations always may; otherwise both the kind and the region must match.

    Pass named_ids (the framework's named organisation ids) to avoid a query per framework.
    """
    if named_ids is None:
        named_ids = set(framework.eligible_organisations.values_list("pk", flat=True))
    if organisation.pk in named_ids:
        return Eligibility(True, _("Your organisation is named as able to use this framework."))
    kinds = framework.eligible_kinds or list(DEFAULT_ELIGIBLE_KINDS)
    if organisation.kind not in kinds:
        return Eligibility(
            False,
            _("This framework is for %(kinds)s; your organisation is a %(kind)s.")
            % {
                "kinds": ", ".join(_kind_label(kind) for kind in kinds),
                "kind": _kind_label(organisation.kind),
            },
        )
    regions = framework.eligible_regions
    if regions and organisation.region not in regions:
        return Eligibility(
            False,
            _("This framework is open to organisations in %(regions)s; yours is in %(region)s.")
            % {
                "regions": ", ".join(str(Region(code).label) for code in regions),
                "region": Region(organisation.region).label,
            },
        )
    if regions:
        return Eligibility(
            True,
            _("Organisations in %(region)s can use this framework.")
            % {"region": Region(organisation.region).label},
        )
    return Eligibility(
        True, _("Any %(kind)s can use this framework.") % {"kind": _kind_label(organisation.kind)}
    )


def eligible_frameworks_filter(organisation: Organisation) -> Q:
    """The same rule as eligibility(), as a filter on FrameworkPage querysets.

    JSON list membership is tested with a text match on the quoted code, which works on both
    PostgreSQL and SQLite.
    """
    kind_matches = Q(eligible_kinds__icontains=f'"{organisation.kind}"')
    if organisation.kind in DEFAULT_ELIGIBLE_KINDS:
        kind_matches |= Q(eligible_kinds=[])
    region_matches = Q(eligible_regions=[]) | Q(
        eligible_regions__icontains=f'"{organisation.region}"'
    )
    return Q(eligible_organisations=organisation) | (kind_matches & region_matches)


def eligible_frameworks(queryset: QuerySet, organisation: Organisation) -> QuerySet:
    return queryset.filter(eligible_frameworks_filter(organisation)).distinct()
