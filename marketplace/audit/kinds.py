from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    """Every kind of event the audit log records. Later issues add theirs here.

    Stored as plain text (no database choices) so adding a kind needs no migration.
    """

    ORGANISATION_CREATED = "organisation.created", _("Organisation created")
    ORGANISATION_UPDATED = "organisation.updated", _("Organisation updated")
    MEMBER_INVITED = "membership.invited", _("Member invited")
    MEMBER_ADDED = "membership.added", _("Member added")
    INVITATION_REVOKED = "membership.invitation_revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "membership.invitation_accepted", _("Invitation accepted")
    MEMBERSHIP_ROLE_CHANGED = "membership.role_changed", _("Member's role changed")
    MEMBERSHIP_REMOVED = "membership.removed", _("Member removed")
    CLAIM_SUBMITTED = "claim.submitted", _("Claim to act for a public body made")
    CLAIM_APPROVED = "claim.approved", _("Claim to act for a public body approved")
    CLAIM_REFUSED = "claim.refused", _("Claim to act for a public body refused")
    COUNCIL_EMAIL_DOMAINS_CHANGED = (
        "council.email_domains_changed",
        _("Council's e-mail domains changed"),
    )
    USER_SIGNED_IN = "account.signed_in", _("Signed in")
    USER_SIGNED_OUT = "account.signed_out", _("Signed out")
    SIGN_IN_LOCKED_OUT = "account.locked_out", _("Locked out after failed sign-ins")
    SECOND_FACTOR_ADDED = "account.second_factor_added", _("Second factor set up")
    ACCOUNT_CREATED = "account.created", _("Account created")
    AUTHORITY_SECTION_CREATED = "framework.authority_section_created", _("Authority section set up")
    FRAMEWORK_SUBMITTED = "framework.submitted", _("Framework submitted for approval")
    FRAMEWORK_APPROVED = "framework.approved", _("Framework approved")
    FRAMEWORK_CHANGES_REQUESTED = "framework.changes_requested", _("Framework changes requested")
    FRAMEWORK_SUSPENDED = "framework.suspended", _("Framework suspended")
    FRAMEWORK_REINSTATED = "framework.reinstated", _("Framework reinstated")
    FRAMEWORK_PUBLISHED = "framework.published", _("Framework published")
    FRAMEWORK_UNPUBLISHED = "framework.unpublished", _("Framework unpublished")
    FRAMEWORK_VARIED = "framework.varied", _("Framework terms varied")
    LOT_CLOSED = "lot.closed", _("Lot closed")
    LOT_QUESTIONS_DRAFTED = "lot.questions_drafted", _("Lot's offering questions saved as a draft")
    SUPPLIER_APPOINTED = "appointment.created", _("Supplier appointed to a lot")
    APPOINTMENT_STATUS_CHANGED = "appointment.status_changed", _("Appointment status changed")
    APPOINTMENTS_IMPORTED = "appointment.imported", _("Appointments imported from a file")
    SUPPLIER_DEBARRED = "debarment.added", _("Supplier added to the debarment list")
    DEBARMENT_ENDED = "debarment.ended", _("Debarment ended")
    DEBARMENT_DECISION_RECORDED = (
        "debarment.decision_recorded",
        _("Decision on a discretionary debarment recorded"),
    )
    SUPPLIER_PROFILE_SAVED = "supplier.profile_saved", _("Supplier profile saved")
    OFFERING_CREATED = "offering.created", _("Offering created")
    OFFERING_EDITED = "offering.edited", _("Offering edited")
    OFFERING_SUBMITTED = "offering.submitted", _("Offering submitted for review")
    OFFERING_APPROVED = "offering.approved", _("Offering approved and published")
    OFFERING_REJECTED = "offering.rejected", _("Offering rejected")
    OFFERING_WITHDRAWN = "offering.withdrawn", _("Offering withdrawn")
    OFFERINGS_IMPORTED = "offering.imported", _("Offerings imported from a file")
    SAVED_SEARCH_CREATED = "saved_search.created", _("Search saved")
    SAVED_SEARCH_RENAMED = "saved_search.renamed", _("Saved search renamed")
    SAVED_SEARCH_DELETED = "saved_search.deleted", _("Saved search deleted")
    AUDIT_BENCHMARK = "audit.benchmark", _("Benchmark write (disposable databases only)")
