"""Publishing and unpublishing a framework: the only way a framework page goes live or comes down.

Each publish and unpublish is permission-checked, checked against the law (frameworks.rules)
and the terms fixed at award (frameworks.terms), and writes one hash-chained audit event
through marketplace.state. Every Wagtail path reaches these services or is switched off for
framework pages:

* approving the "Framework approval" workflow publishes through publish_framework
  (frameworks.approval), as the approver;
* the editor's "Publish" (and "Publish" of a reverted revision) and the create view's are
  taken over by a before_publish_page hook, and Wagtail's unpublish view by a
  before_unpublish_page hook (frameworks.wagtail_hooks);
* bulk publish and unpublish in the page explorer refuse any selection that would publish or
  unpublish a framework, with a message;
* scheduled publishing is switched off: a framework page never keeps go_live_at or expire_at
  (FrameworkPage.save and with_content_json), so publish_scheduled never finds one. A
  publication must be answered for by a person who may approve frameworks on the day.
* FrameworkPage.publish() and unpublish() refuse any other call made for a person (a user),
  so a Wagtail path added later cannot publish a framework silently.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.actions.unpublish_page import UnpublishPageAction

from marketplace.audit.kinds import AuditKind
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.roles import Action
from marketplace.state import change_state
from search.tasks import schedule_framework

from . import rules, terms
from .models import FrameworkPage, Publication

_through_service: ContextVar[bool] = ContextVar("framework_publishing", default=False)


@contextmanager
def _wagtail_may_publish():
    token = _through_service.set(True)
    try:
        yield
    finally:
        _through_service.reset(token)


def refuse_unless_through_service(user) -> None:
    """FrameworkPage.publish()/unpublish() call this: a person's publish must come through here."""
    if user is not None and not _through_service.get():
        raise PermissionDenied(
            _("A framework is published through its approval workflow, so that it is checked")
        )


def publication_errors(framework: FrameworkPage, *, as_of: date) -> list[str]:
    """Why this version of the framework may not be published on as_of: the law, then the terms."""
    return [
        *rules.publication_errors(framework, as_of=as_of),
        *terms.publication_errors(framework, as_of=as_of),
    ]


def _locked(pk: int) -> FrameworkPage:
    return FrameworkPage.objects.select_for_update().get(pk=pk)


@transaction.atomic
def publish_framework(*, actor, organisation, revision, as_of: date | None = None) -> FrameworkPage:
    """Publish `revision` of a framework. A suspended framework stays suspended."""
    framework = _locked(revision.object_id)
    policy.require(actor, Action.APPROVE_FRAMEWORKS, organisation, framework)
    errors = publication_errors(revision.as_object(), as_of=as_of or timezone.localdate())
    if errors:
        raise DomainError(" ".join(str(error) for error in errors), code="publication_refused")

    def publish() -> None:
        with _wagtail_may_publish():
            revision.publish(user=actor, skip_permission_checks=True)

    change_state(
        framework,
        to=Publication.SUSPENDED if framework.is_suspended else Publication.PUBLISHED,
        actor=actor,
        organisation=organisation,
        kind=AuditKind.FRAMEWORK_PUBLISHED,
        data={"revision": revision.pk},
        apply=publish,
    )
    schedule_framework(framework.pk)
    return FrameworkPage.objects.get(pk=framework.pk)


@transaction.atomic
def unpublish_framework(*, actor, organisation, framework: FrameworkPage) -> FrameworkPage:
    """Take a published framework off the public site; its records stay."""
    framework = _locked(framework.pk)
    policy.require(actor, Action.APPROVE_FRAMEWORKS, organisation, framework)

    def unpublish() -> None:
        # The policy above is the permission: authority staff hold no Wagtail publish permission.
        UnpublishPageAction(framework, user=actor).execute(skip_permission_checks=True)

    change_state(
        framework,
        to=Publication.UNPUBLISHED,
        actor=actor,
        organisation=organisation,
        kind=AuditKind.FRAMEWORK_UNPUBLISHED,
        apply=unpublish,
    )
    schedule_framework(framework.pk)
    return FrameworkPage.objects.get(pk=framework.pk)
