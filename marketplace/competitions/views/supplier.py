"""A supplier's further competitions under /supplier/competitions/: the invitations, each
competition's brief and clarifications, and the supplier's own sealed bid.

Only members of an invited supplier who may answer call-offs find a competition; anyone else
is told it does not exist (404). Bids are sealed to everyone, the bidder included, so the bid
page shows a receipt, never the bid: revising it means submitting it again in full.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms.pagination import paginate
from marketplace.calloffs.award_forms import add_refusal
from marketplace.calloffs.views.access import supplier_required
from marketplace.organisations import policy
from marketplace.organisations.roles import Action

from ..models import BidDocument, Competition
from ..selectors import bids as bid_selectors
from ..selectors.competitions import (
    competitions_for_supplier,
    get_competition_for_supplier,
    own_clarifications,
    published_clarifications,
)
from ..selectors.evaluation import outcome_for_supplier
from ..services import bids as bid_services
from ..services.checks import CompetitionError
from ..services.clarifications import ask_clarification
from ..supplier_forms import BidDocumentForm, BidForm, QuestionForm
from ..uploads import UploadTooLarge, memory_only_uploads, raise_for_refused_uploads

COMPETITIONS_PER_PAGE = 20


def answering_supplier_required(view):
    """Acting for a supplier (else calloffs' "this page is for suppliers"), as a member who
    may answer call-offs (else 404: the competitions are not theirs to see)."""

    @supplier_required
    @wraps(view)
    def wrapped(request, organisation, *args, **kwargs):
        if not policy.can(request.user, Action.ANSWER_CALLOFFS, organisation):
            raise Http404(_("No such competition"))
        return view(request, organisation, *args, **kwargs)

    return wrapped


def invited_competition_required(view):
    """view(request, organisation, competition, ...): a competition the organisation was
    invited to, found by its ``pk`` and closed first if its deadline for bids has passed."""

    @answering_supplier_required
    @wraps(view)
    def wrapped(request, organisation, pk, *args, **kwargs):
        competition = get_competition_for_supplier(organisation=organisation, pk=pk)
        competition = bid_services.close_if_due(competition)
        return view(request, organisation, competition, *args, **kwargs)

    return wrapped


def supplier_status(competition: Competition, *, now) -> str:
    """What a bidder needs to know: may it still bid, is it waiting, or is there an outcome.
    An open competition past its deadline is shown closed before the service closes it."""
    if competition.status == Competition.Status.OPEN:
        return "open" if now < competition.submission_deadline else "closed"
    if competition.status in (Competition.Status.CLOSED, Competition.Status.EVALUATED):
        return "closed"
    return competition.status  # awarded or cancelled


@answering_supplier_required
def competition_list(request, organisation):
    now = timezone.now()
    page_obj = paginate(
        request,
        competitions_for_supplier(organisation=organisation),
        per_page=COMPETITIONS_PER_PAGE,
    )
    for competition in page_obj.object_list:
        competition.supplier_status = supplier_status(competition, now=now)
    return render(
        request,
        "competitions/supplier/competition_list.html",
        {"organisation": organisation, "page_obj": page_obj},
    )


@invited_competition_required
@require_http_methods(["GET", "POST"])
def competition_detail(request, organisation, competition):
    questions_open = (
        competition.status == Competition.Status.OPEN
        and timezone.now() < competition.clarification_deadline
    )
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ask_clarification(
                actor=request.user,
                competition=competition,
                supplier=organisation,
                question=form.cleaned_data["question"],
            )
        except CompetitionError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _(
                    "Your question is sent. The buyer publishes its answer to every invited "
                    "supplier, without saying who asked."
                ),
            )
            return redirect("supplier_competitions:competition", competition.pk)
    return render(
        request,
        "competitions/supplier/competition_detail.html",
        {
            "organisation": organisation,
            "competition": competition,
            "project": competition.project,
            "criteria": competition.criteria.all(),
            "published": published_clarifications(competition),
            "own_questions": own_clarifications(competition, supplier=organisation),
            "questions_open": questions_open,
            "status": supplier_status(competition, now=timezone.now()),
            "receipt": bid_selectors.own_bid_receipt(competition, organisation),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _render_bid_page(
    request, organisation, competition, *, bid_form=None, document_form=None, refusal=None
):
    receipt = bid_selectors.own_bid_receipt(competition, organisation)
    bid_form = bid_form or BidForm(criteria=list(competition.criteria.all()))
    document_form = document_form or BidDocumentForm()
    return render(
        request,
        "competitions/supplier/bid.html",
        {
            "organisation": organisation,
            "competition": competition,
            "project": competition.project,
            "status": supplier_status(competition, now=timezone.now()),
            "receipt": receipt,
            # Sizes only: the documents' names are sealed like their content.
            "documents": receipt.bid.documents.only("pk", "size", "bid_id") if receipt else [],
            "form": bid_form,
            "document_form": document_form,
            "refusal": refusal,
        },
        status=400 if bid_form.errors or document_form.errors or refusal else 200,
    )


@invited_competition_required
@require_http_methods(["GET", "POST"])
def bid(request, organisation, competition):
    if request.method != "POST":
        return _render_bid_page(request, organisation, competition)
    form = BidForm(request.POST, criteria=list(competition.criteria.all()))
    if form.is_valid():
        try:
            bid_services.save_bid(
                actor=request.user,
                competition=competition,
                supplier=organisation,
                price=form.cleaned_data["price"],
                answers=form.answers,
                commitments=form.commitments,
            )
        except CompetitionError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("Your bid is received. It stays sealed until the deadline for bids.")
            )
            return redirect("supplier_competitions:bid", competition.pk)
    return _render_bid_page(request, organisation, competition, bid_form=form)


@memory_only_uploads
@invited_competition_required
@require_POST
def add_document(request, organisation, competition):
    files = request.FILES  # parsed here, so the handler has seen the upload
    refusal = None
    try:
        raise_for_refused_uploads(request)
    except UploadTooLarge as too_large:
        refusal = too_large.message
    form = BidDocumentForm(request.POST, files, refusal=refusal)
    receipt = bid_selectors.own_bid_receipt(competition, organisation)
    if receipt is None:
        form.add_error(None, _("Submit your bid before you add documents to it"))
    if form.is_valid():
        try:
            bid_services.add_bid_document(
                actor=request.user, bid=receipt.bid, upload=form.cleaned_data["document"]
            )
        except CompetitionError as refused:
            form.add_error("document", str(refused))
        else:
            messages.success(request, _("The document is added to your bid, sealed."))
            return redirect("supplier_competitions:bid", competition.pk)
    return _render_bid_page(request, organisation, competition, document_form=form)


@invited_competition_required
@require_POST
def remove_document(request, organisation, competition, document_pk):
    document = get_object_or_404(
        BidDocument.objects.only("pk", "bid_id"),
        pk=document_pk,
        bid__competition=competition,
        bid__supplier=organisation,
    )
    try:
        bid_services.remove_bid_document(actor=request.user, document=document)
    except CompetitionError as refusal:
        return _render_bid_page(request, organisation, competition, refusal=str(refusal))
    messages.success(request, _("The document is removed from your bid."))
    return redirect("supplier_competitions:bid", competition.pk)


@invited_competition_required
def outcome(request, organisation, competition):
    """Once awarded: the supplier's own scores and the winner's, per criterion (never the
    winner's name, price or answers). An invited supplier that did not bid is told so."""
    if competition.status != Competition.Status.AWARDED:
        raise Http404(_("No outcome yet"))
    return render(
        request,
        "competitions/supplier/outcome.html",
        {
            "organisation": organisation,
            "competition": competition,
            "project": competition.project,
            "outcome": outcome_for_supplier(competition, organisation),
        },
    )


urlpatterns = [
    path("", competition_list, name="competition-list"),
    path("<int:pk>/", competition_detail, name="competition"),
    path("<int:pk>/bid/", bid, name="bid"),
    path("<int:pk>/outcome/", outcome, name="outcome"),
    path("<int:pk>/bid/documents/", add_document, name="bid-document-add"),
    path(
        "<int:pk>/bid/documents/<int:document_pk>/remove/",
        remove_document,
        name="bid-document-remove",
    ),
]
