"""State changes for saved searches: one function per action, each audited.

Any member of a buyer organisation who may search may save a search for it; the member who
saved it and the organisation's administrators may rename or delete it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action, OrganisationKind, administrator_role

from .. import search_params
from ..models import NAME_MAX_LENGTH, SavedSearch

# A saved query string longer than this is not a search anyone typed.
QUERY_STRING_MAX_LENGTH = 20_000


class SavedSearchError(DomainError):
    """A saved search that cannot be saved as asked; code names the field at fault."""


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SavedSearchError(_("Enter a name for the search"), code="name")
    if len(name) > NAME_MAX_LENGTH:
        raise SavedSearchError(
            _("Name must be %(limit)d characters or fewer (you entered %(count)d)")
            % {"limit": NAME_MAX_LENGTH, "count": len(name)},
            code="name",
        )
    return name


def _require_buyer(actor, organisation: Organisation) -> None:
    if organisation is None or organisation.kind != OrganisationKind.BUYER:
        raise SavedSearchError(_("Only buyer organisations can save searches"), code="organisation")
    policy.require(actor, Action.SEARCH_OFFERINGS, organisation)


def may_change(actor, saved_search: SavedSearch) -> bool:
    """The member who saved it, or an administrator of its organisation."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    membership = policy.membership_for(actor, saved_search.organisation)
    if membership is None:
        return False
    return saved_search.created_by_id == actor.pk or membership.role == administrator_role(
        saved_search.organisation.kind
    )


def _require_change(actor, organisation: Organisation, saved_search: SavedSearch) -> None:
    if saved_search.organisation_id != organisation.pk or not may_change(actor, saved_search):
        raise policy.PolicyDenied(
            _(
                "Only the person who saved this search or an administrator of %(organisation)s "
                "can change it"
            )
            % {"organisation": organisation}
        )


@transaction.atomic
def create_saved_search(
    *, actor, organisation: Organisation, name: str, query_string: str
) -> SavedSearch:
    _require_buyer(actor, organisation)
    name = clean_name(name)
    query_string = search_params.normalise(query_string)
    if len(query_string) > QUERY_STRING_MAX_LENGTH:
        raise SavedSearchError(_("This search is too long to save"), code="query_string")
    saved_search = SavedSearch.objects.create(
        organisation=organisation, created_by=actor, name=name, query_string=query_string
    )
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.SAVED_SEARCH_CREATED,
        target=saved_search,
        data={"name": name, "query_string": query_string},
    )
    return saved_search


@transaction.atomic
def rename_saved_search(
    *, actor, organisation: Organisation, saved_search: SavedSearch, name: str
) -> SavedSearch:
    _require_change(actor, organisation, saved_search)
    name = clean_name(name)
    old_name = saved_search.name
    if name == old_name:
        return saved_search
    saved_search.name = name
    saved_search.save(update_fields=["name", "updated_at"])
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.SAVED_SEARCH_RENAMED,
        target=saved_search,
        data={"old": {"name": old_name}, "new": {"name": name}},
    )
    return saved_search


@transaction.atomic
def delete_saved_search(*, actor, organisation: Organisation, saved_search: SavedSearch) -> None:
    _require_change(actor, organisation, saved_search)
    # Recorded while the row exists, so the event names its target.
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.SAVED_SEARCH_DELETED,
        target=saved_search,
        data={"name": saved_search.name, "query_string": saved_search.query_string},
    )
    saved_search.delete()


def record_run(*, actor, organisation: Organisation, saved_search: SavedSearch) -> None:
    """Note when a member ran the search again. Reading is not audited, so neither is this."""
    policy.require(actor, Action.VIEW_ORGANISATION, organisation, saved_search)
    SavedSearch.objects.filter(pk=saved_search.pk).update(last_run_at=timezone.now())
