"""Every change to supplier profiles and offerings goes through here."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.actions.unpublish import UnpublishAction
from wagtail.documents import get_document_model

from frameworks.models import Lot
from marketplace import state
from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action
from search.tasks import schedule_offerings, schedule_supplier

from . import selectors
from .documents import supplier_documents_collection
from .models import Offering, SupplierProfile
from .sme import sme_status
from .validation import clean_offering

PROFILE_FIELDS = (
    "description",
    "website",
    "contact_name",
    "contact_email",
    "headcount",
    "annual_turnover",
    "balance_sheet_total",
    "regions_served",
    "accreditations",
)


@transaction.atomic
def save_supplier_profile(*, actor, organisation: Organisation, data: Mapping) -> SupplierProfile:
    """Create or update the profile; the organisation's SME flag follows the declared figures."""
    policy.require(actor, Action.EDIT_ORGANISATION, organisation)
    profile = SupplierProfile.objects.select_for_update().filter(organisation=organisation).first()
    profile = profile or SupplierProfile(organisation=organisation)
    for field in PROFILE_FIELDS:
        setattr(profile, field, data.get(field, getattr(profile, field)))
    profile.full_clean()
    profile.save()
    organisation.is_sme = sme_status(profile).is_sme
    organisation.is_vcse = bool(data.get("is_vcse", organisation.is_vcse))
    organisation.ppon = data.get("ppon", organisation.ppon)
    organisation.clean_fields(exclude=_all_but(organisation, "ppon"))
    organisation.validate_constraints(exclude=_all_but(organisation, "ppon"))
    organisation.save(update_fields=["is_sme", "is_vcse", "ppon", "updated_at"])
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.SUPPLIER_PROFILE_SAVED,
        target=profile,
        data={field: getattr(profile, field) for field in PROFILE_FIELDS}
        | {"is_sme": organisation.is_sme, "is_vcse": organisation.is_vcse}
        | {"ppon": organisation.ppon},
    )
    schedule_supplier(organisation.pk)
    return profile


def _all_but(organisation: Organisation, name: str) -> set[str]:
    """Every field of the organisation except one: validate only what the profile changes."""
    return {field.name for field in organisation._meta.fields} - {name}


def _lock(offering: Offering) -> Offering:
    """Decisions on one offering are taken one at a time (a review racing an edit, say)."""
    return Offering.objects.select_for_update().select_related("lot__framework").get(pk=offering.pk)


def _after_review(offering: Offering, decided: str) -> str:
    """The status a decision leaves: a live offering stays live while its revisions are reviewed."""
    return Offering.Status.LIVE if offering.status == Offering.Status.LIVE else decided


def closed_lot_message(lot: Lot) -> str:
    return _("%(lot)s is closed: no new offerings can be listed on it") % {"lot": lot}


def _require_open_lot(lot: Lot) -> None:
    if lot.is_closed:
        raise DomainError(closed_lot_message(lot), code="lot_closed")


def _require_appointed(*, supplier: Organisation, lot: Lot) -> None:
    _require_open_lot(lot)
    if not selectors.is_appointed(supplier=supplier, lot=lot, on=timezone.localdate()):
        raise DomainError(
            _("%(supplier)s is not appointed to %(lot)s, so cannot list offerings on it")
            % {"supplier": supplier, "lot": lot},
            code="not_appointed",
        )


def _snapshot(content: Mapping) -> dict:
    """Audit data for offering content: the document by id, everything else as is."""
    document = content.get("service_definition")
    return {**content, "service_definition": document.pk if document else None}


@transaction.atomic
def store_service_definition(*, actor, supplier: Organisation, file):
    """Keep an uploaded service definition as a document, to attach to an offering's content.

    It is audited as part of the offering edit that attaches it. It goes into the private
    collection: suppliers.documents decides who may download it.
    """
    policy.require(actor, Action.EDIT_OFFERINGS, supplier)
    document = get_document_model()(
        title=file.name,
        file=file,
        uploaded_by_user=actor,
        collection=supplier_documents_collection(),
    )
    document.save()
    return document


@transaction.atomic
def create_offering(*, actor, supplier: Organisation, lot: Lot, data: Mapping) -> Offering:
    policy.require(actor, Action.EDIT_OFFERINGS, supplier)
    _require_appointed(supplier=supplier, lot=lot)
    content = clean_offering(supplier=supplier, lot=lot, data=data)
    offering = Offering(supplier=supplier, lot=lot, live=False, **content)
    offering.save()
    offering.save_revision(user=actor, clean=False)
    record(
        actor=actor,
        organisation=supplier,
        kind=AuditKind.OFFERING_CREATED,
        target=offering,
        data={"lot": lot.pk, **_snapshot(content)},
    )
    return offering


@transaction.atomic
def edit_offering(*, actor, supplier: Organisation, offering: Offering, data: Mapping) -> Offering:
    """Save changes as a new revision; a live offering keeps its approved version live."""
    policy.require(actor, Action.EDIT_OFFERINGS, supplier, offering)
    offering = _lock(offering)
    if offering.status in {Offering.Status.SUBMITTED, Offering.Status.WITHDRAWN}:
        raise DomainError(
            _("This offering is %(status)s: it cannot be changed now")
            % {"status": offering.get_status_display().lower()},
            code="not_editable",
        )
    if offering.awaiting_review:
        raise DomainError(
            _("Your changes are waiting for review: you can edit again after the decision"),
            code="not_editable",
        )
    content = clean_offering(supplier=supplier, lot=offering.lot, data=data, offering=offering)
    draft = offering.get_latest_revision_as_object()
    for field, value in content.items():
        setattr(draft, field, value)
    if not offering.live:
        # Never published: the row is the draft itself.
        draft.save()
    draft.save_revision(user=actor, clean=False)
    record(
        actor=actor,
        organisation=supplier,
        kind=AuditKind.OFFERING_EDITED,
        target=offering,
        data={"revision": draft.latest_revision_id, **_snapshot(content)},
    )
    offering.refresh_from_db()
    return offering


def save_offering_with_document(
    *,
    actor,
    supplier: Organisation,
    data: Mapping,
    upload=None,
    lot: Lot | None = None,
    offering: Offering | None = None,
    current_document=None,
) -> Offering:
    """Store an uploaded service definition and create the offering on `lot`, or edit
    `offering`, with it, in one transaction: the portal form's save. Without an upload the
    offering keeps `current_document`."""
    document = None
    try:
        with transaction.atomic():
            if upload:
                document = store_service_definition(actor=actor, supplier=supplier, file=upload)
            content = {**data, "service_definition": document or current_document}
            if offering is None:
                return create_offering(actor=actor, supplier=supplier, lot=lot, data=content)
            return edit_offering(actor=actor, supplier=supplier, offering=offering, data=content)
    except Exception:
        if document is not None:
            # The row went with the rolled-back transaction; the stored file must go too.
            document.file.delete(save=False)
        raise


@transaction.atomic
def submit_offering(*, actor, supplier: Organisation, offering: Offering) -> Offering:
    """Send the latest revision to the authority's reviewers."""
    policy.require(actor, Action.EDIT_OFFERINGS, supplier, offering)
    offering = _lock(offering)
    _require_appointed(supplier=supplier, lot=offering.lot)
    if offering.status == Offering.Status.LIVE:
        if offering.awaiting_review:
            raise DomainError(_("These changes are already waiting for review"))
        if not offering.has_unpublished_changes:
            raise DomainError(_("There are no changes to submit"))
    to = _after_review(offering, Offering.Status.SUBMITTED)
    # A withdrawn or already submitted offering is refused as such, before its content is read.
    state.check_move(Offering, offering.status, to)
    # Check the revision being sent, not only what was valid when it was saved: the lot's
    # questions may have changed since.
    draft = offering.get_latest_revision_as_object()
    clean_offering(
        supplier=supplier,
        lot=offering.lot,
        data={field: getattr(draft, field) for field in Offering.CONTENT_FIELDS},
        offering=offering,
    )
    offering.submitted_revision = offering.latest_revision
    offering.submitted_at = timezone.now()
    offering.rejection_reason = ""
    state.change_state(
        offering,
        to=to,
        actor=actor,
        organisation=supplier,
        kind=AuditKind.OFFERING_SUBMITTED,
        data={"revision": offering.submitted_revision_id, "status": to},
        update_fields=("submitted_revision", "submitted_at", "rejection_reason"),
    )
    return offering


def _require_reviewer(actor, authority: Organisation, offering: Offering) -> Offering:
    policy.require(actor, Action.REVIEW_OFFERINGS, authority, offering.lot)
    offering = _lock(offering)
    if not offering.awaiting_review:
        raise DomainError(_("Nothing on this offering is waiting for review"), code="not_pending")
    return offering


@transaction.atomic
def approve_offering(*, actor, authority: Organisation, offering: Offering) -> Offering:
    """Publish the revision under review: it becomes what buyers see."""
    offering = _require_reviewer(actor, authority, offering)
    # Submitted before the lot closed: it could never be listed, so it is rejected, not approved.
    _require_open_lot(offering.lot)
    revision = offering.submitted_revision
    offering.submitted_revision = None
    # The status is saved before publishing: the published revision takes it from the row.
    state.change_state(
        offering,
        to=_after_review(offering, Offering.Status.LIVE),
        actor=actor,
        organisation=authority,
        kind=AuditKind.OFFERING_APPROVED,
        data={"revision": revision.pk, "supplier": offering.supplier_id},
        update_fields=("submitted_revision",),
    )
    revision.publish(user=actor, skip_permission_checks=True)
    schedule_offerings([offering.pk])
    offering.refresh_from_db()
    return offering


@transaction.atomic
def reject_offering(*, actor, authority: Organisation, offering: Offering, reason: str) -> Offering:
    """Send the revision back with a reason; a live offering stays live as approved."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Enter the reason for rejecting this offering"), code="reason")
    offering = _require_reviewer(actor, authority, offering)
    revision_id = offering.submitted_revision_id
    offering.submitted_revision = None
    offering.rejection_reason = reason
    state.change_state(
        offering,
        to=_after_review(offering, Offering.Status.DRAFT),
        actor=actor,
        organisation=authority,
        kind=AuditKind.OFFERING_REJECTED,
        data={"revision": revision_id, "reason": reason, "supplier": offering.supplier_id},
        update_fields=("submitted_revision", "rejection_reason"),
    )
    return offering


@transaction.atomic
def withdraw_offering(*, actor, supplier: Organisation, offering: Offering) -> Offering:
    """Take the offering off the marketplace for good."""
    policy.require(actor, Action.EDIT_OFFERINGS, supplier, offering)
    offering = _lock(offering)
    offering.submitted_revision = None
    state.change_state(
        offering,
        to=Offering.Status.WITHDRAWN,
        actor=actor,
        organisation=supplier,
        kind=AuditKind.OFFERING_WITHDRAWN,
        data={"lot": offering.lot_id},
        update_fields=("submitted_revision",),
    )
    if offering.live:
        # Wagtail's own unpublish asks for its model permission; the policy has decided.
        UnpublishAction(offering, user=actor, log_action=False).execute(skip_permission_checks=True)
    schedule_offerings([offering.pk])
    return offering
