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
    LOT_RANKING_SET = "lot.ranking_set", _("Lot's supplier ranking set")
    BUYER_SETTINGS_CHANGED = "buyer.settings_changed", _("Buyer's call-off settings changed")
    PROJECT_CREATED = "project.created", _("Buying project started")
    PROJECT_UPDATED = "project.updated", _("Buying project's details changed")
    PROJECT_LOT_CHOSEN = "project.lot_chosen", _("Lot and route chosen for a buying project")
    PROJECT_CANCELLED = "project.cancelled", _("Buying project cancelled")
    PROJECT_STATUS_CHANGED = "project.status_changed", _("Buying project's status changed")
    SHORTLIST_FROZEN = "shortlist.frozen", _("Search ended and shortlist frozen")
    SHORTLIST_ITEM_DECIDED = "shortlist.item_decided", _("Shortlist item kept or rejected")
    SUPPLIER_SELECTED = "project.supplier_selected", _("Supplier selected for direct award")
    ROTATION_OFFER_MADE = "rotation.offered", _("Direct award offered to a ranked supplier")
    ROTATION_OFFER_ACCEPTED = "rotation.accepted", _("Direct award offer accepted")
    ROTATION_OFFER_DECLINED = "rotation.declined", _("Direct award offer declined")
    ROTATION_OFFER_LAPSED = "rotation.lapsed", _("Direct award offer lapsed")
    AWARD_MADE = "award.made", _("Award made")
    AWARD_SIGNED_OFF = "award.signed_off", _("Award signed off")
    AWARD_SIGN_OFF_REFUSED = "award.sign_off_refused", _("Award sign-off refused")
    AWARD_NOTICE_RECORDED = "award.notice_recorded", _("Contract award notice recorded")
    AWARD_WITHDRAWN = "award.withdrawn", _("Award withdrawn")
    CONTRACT_ENTERED_INTO = "contract.entered_into", _("Contract entered into")
    CONTRACT_DETAILS_NOTICE_RECORDED = (
        "contract.details_notice_recorded",
        _("Contract details notice recorded"),
    )
    CONTRACT_DOCUMENT_PUBLISHED = "contract.document_published", _("Contract document published")
    PERFORMANCE_ASSESSED = "contract.performance_assessed", _("Contract performance assessed")
    KPI_PROGRESS_REPORTED = "contract.kpi_progress_reported", _("KPI progress reported")
    COMPETITION_CREATED = "competition.created", _("Further competition started")
    COMPETITION_BRIEF_UPDATED = (
        "competition.brief_updated",
        _("Further competition's brief changed"),
    )
    COMPETITION_SUPPLIERS_INVITED = (
        "competition.suppliers_invited",
        _("Suppliers invited to a further competition"),
    )
    CLARIFICATION_ASKED = "clarification.asked", _("Clarification question asked")
    CLARIFICATION_PUBLISHED = "clarification.published", _("Clarification answer published")
    CONFLICT_DECLARED = "competition.conflict_declared", _("Conflict of interest declared")
    SCORE_RECORDED = "competition.score_recorded", _("Evaluator's score recorded")
    SCORE_MODERATED = "competition.score_moderated", _("Moderated score agreed")
    COMPETITION_EVALUATED = "competition.evaluated", _("Further competition evaluated")
    COMPETITION_AWARDED = "competition.awarded", _("Further competition's winner chosen")
    BID_SUBMITTED = "bid.submitted", _("Bid submitted")
    BID_REVISED = "bid.revised", _("Bid revised")
    BID_DOCUMENT_ADDED = "bid.document_added", _("Document added to a bid")
    BID_DOCUMENT_REMOVED = "bid.document_removed", _("Document removed from a bid")
    COMPETITION_CLOSED = "competition.closed", _("Further competition closed for bids")
    COMPETITION_CANCELLED = (
        "competition.cancelled",
        _("Further competition cancelled with its project"),
    )
    AUDIT_BENCHMARK = "audit.benchmark", _("Benchmark write (disposable databases only)")
