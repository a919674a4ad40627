"""One way to change a stored status: check the move against the model's table, make the
change, and write the audit event, all in one transaction.

A stateful model declares:

* ``TRANSITIONS``: a mapping from each state to the frozenset of states it may move to;
* ``STATE_FIELD`` (default ``"status"``): the attribute that holds the current state (a field,
  or a property when the state is read from several columns, as a framework's publication is);
* ``STATES`` (default the model's ``Status`` choices): the choices, for labels in messages.

Tests pin each model's table by hand; they never read the table they test.
"""

from collections.abc import Callable

from django.db import models, transaction
from django.utils.translation import gettext as _

from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from marketplace.exceptions import DomainError


def _states(model: type[models.Model]):
    return getattr(model, "STATES", None) or model.Status


def current_state(obj: models.Model) -> str:
    return getattr(obj, getattr(type(obj), "STATE_FIELD", "status"))


def can_move(model: type[models.Model], current: str, new: str) -> bool:
    states = _states(model)
    return states(new) in model.TRANSITIONS[states(current)]


def check_move(model: type[models.Model], current: str, new: str) -> None:
    """Raise a DomainError (code ``invalid_transition``) unless the table allows the move."""
    if not can_move(model, current, new):
        states = _states(model)
        raise DomainError(
            _("This %(model)s cannot go from “%(current)s” to “%(new)s”")
            % {
                "model": model._meta.verbose_name,
                "current": states(current).label.lower(),
                "new": states(new).label.lower(),
            },
            code="invalid_transition",
        )


@transaction.atomic
def change_state(
    obj: models.Model,
    *,
    to: str,
    actor,
    organisation,
    kind: AuditKind,
    data: dict | None = None,
    apply: Callable[[], None] | None = None,
    update_fields: tuple[str, ...] = (),
) -> str:
    """Move obj to state ``to`` and audit it; return the state it left.

    By default the state field is set and saved with ``update_fields`` beside it. A model
    whose state spans several columns, or whose save belongs to a framework (a Wagtail
    publish), passes ``apply`` to make the change instead. The caller locks the row first
    where two requests could race.
    """
    model = type(obj)
    previous = current_state(obj)
    check_move(model, previous, to)
    if apply is None:
        field = getattr(model, "STATE_FIELD", "status")
        setattr(obj, field, to)
        obj.save(update_fields=[field, *update_fields])
    else:
        apply()
    record(
        actor=actor,
        organisation=organisation,
        kind=kind,
        target=obj,
        data={"from": str(previous), "to": str(to), **(data or {})},
    )
    return previous
