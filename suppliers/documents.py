"""Where supplier documents are kept, and who may download a document.

Suppliers' uploads (service definitions) go into the "Supplier documents" collection, on which
no Wagtail group holds a permission, and every download passes can_download_document (through
the before_serve_document hook in suppliers.wagtail_hooks). Document ids are sequential, so
anyone refused gets the same 404 as for an id that does not exist.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection, Revision

from frameworks.models import FrameworkDocument
from marketplace.organisations.models import Membership

from .models import Offering
from .selectors import listable_offerings

SUPPLIER_DOCUMENTS = "Supplier documents"


def supplier_documents_collection() -> Collection:
    """The private collection for supplier uploads, made on first use (no migration needed)."""
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=SUPPLIER_DOCUMENTS).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return root.add_child(name=SUPPLIER_DOCUMENTS)
    except IntegrityError:  # another first upload made it meanwhile
        return Collection.get_first_root_node().get_children().get(name=SUPPLIER_DOCUMENTS)


def _offering_revisions(document) -> QuerySet[Revision]:
    return Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Offering),
        content__service_definition=document.pk,
    )


def _is_public(document) -> bool:
    """Used by an offering's live version that buyers can see, or by a live framework page."""
    return (
        listable_offerings(on=timezone.localdate()).filter(service_definition=document).exists()
        or FrameworkDocument.objects.filter(document=document, framework__live=True).exists()
    )


def _is_supplier_document(document) -> bool:
    # Documents an offering uses are private even before protect_supplier_documents moves them.
    return (
        Collection.objects.filter(pk=document.collection_id, name=SUPPLIER_DOCUMENTS).exists()
        or Offering.objects.filter(service_definition=document).exists()
    )


def _used_by_offerings_of(user, document) -> bool:
    """Whether any offering of the user's supplier, or on the user's authority's frameworks,
    uses the document in its current row or in any of its revisions."""
    organisations = Membership.objects.filter(user=user).values("organisation_id")
    theirs = Offering.objects.filter(
        Q(supplier__in=organisations) | Q(lot__framework__authority__in=organisations)
    )
    if theirs.filter(service_definition=document).exists():
        return True
    keys = theirs.annotate(key=Cast("pk", CharField())).values("key")
    return _offering_revisions(document).filter(object_id__in=keys).exists()


def can_download_document(user, document) -> bool:
    """The one rule for downloading a Wagtail document.

    Public while a listable offering's live version uses it (or a live framework page lists
    it); otherwise a supplier document is only for the supplier's members and the staff of the
    authority whose framework the offering is on. Documents that are neither keep Wagtail's own
    rules (collection view restrictions). Superusers are not exempt.

    Call-offs extend this: a buyer whose frozen shortlist or contract holds a revision that
    uses the document may download it too.
    """
    if _is_public(document) or not _is_supplier_document(document):
        return True
    return bool(user.is_authenticated and user.is_active) and _used_by_offerings_of(user, document)


def offering_documents() -> QuerySet:
    """Every document an offering uses now or used in any revision."""
    in_revisions = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Offering)
    ).values_list("content__service_definition", flat=True)
    in_rows = Offering.objects.values_list("service_definition", flat=True)
    ids = {pk for pk in (*in_revisions.iterator(), *in_rows.iterator()) if pk is not None}
    return get_document_model().objects.filter(pk__in=ids)


@transaction.atomic
def protect_offering_documents() -> int:
    """Move documents offerings use into the private collection; returns how many moved."""
    collection = supplier_documents_collection()
    return offering_documents().exclude(collection=collection).update(collection=collection)
