"""The buyer's evaluation of a further competition's bids, after the deadline: each evaluator
declares any conflict of interest first, then scores each criterion of each opened bid on
their own; the evaluators agree the moderated scores; the ranking leads to the award.

The pages sit beside views.buyer's and share their rules: another organisation's project is
a 404, a member off the project's team gets the read-only page, and a bid's content is shown
only to an evaluator who declared no conflict, and only once the deadline has opened the bids.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.calloffs.permissions import may_work_on
from marketplace.calloffs.views.access import project_required
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied

from ..evaluation_forms import AwardForm, DeclarationForm, MarkForm, ModerationForm
from ..models import Bid, BidDocument, Competition
from ..selectors.bids import open_bid_document, unsealed_bids
from ..selectors.evaluation import evaluation_state, moderation_rows, ranking, submitted_bids
from ..services.award import award_to_winner
from ..services.clarifications import london_time
from ..services.evaluation import declare_conflict, moderate_score, record_score
from .buyer import _competition, _not_a_worker, _read_only, _refused

# Bids are open to evaluators from the deadline, which closes the competition.
OPENED = (Competition.Status.CLOSED, Competition.Status.EVALUATED, Competition.Status.AWARDED)


def _context(organisation, project, competition, **extra) -> dict:
    return {"organisation": organisation, "project": project, "competition": competition, **extra}


def _sealed(request, organisation, project, competition):
    if competition.status == Competition.Status.OPEN:
        problem = _("Bids are sealed until %(deadline)s: evaluation starts after the deadline.") % {
            "deadline": london_time(competition.submission_deadline)
        }
    else:
        problem = _("The competition is %(status)s: there are no bids to evaluate.") % {
            "status": competition.get_status_display().lower()
        }
    return _read_only(request, organisation, project, problem)


def evaluator_required(view):
    """A page for the project's evaluators once the bids are open: view(request, organisation,
    project, competition, state, ...). Undeclared evaluators go to the declaration first; a
    declared conflict is shown the read-only page, without any bid content."""

    @project_required
    def wrapped(request, organisation, project, *args, **kwargs):
        competition = _competition(organisation, project)
        if not may_work_on(request.user, project):
            return _not_a_worker(request, organisation, project)
        if competition.status not in OPENED:
            return _sealed(request, organisation, project, competition)
        state = evaluation_state(competition, evaluator=request.user)
        if not state.declared:
            return redirect("buyer_competition:evaluate", pk=project.pk)
        if not state.may_score:
            return _read_only(
                request,
                organisation,
                project,
                _(
                    "You declared a conflict of interest in this competition, so you cannot see or "
                    "score its bids."
                ),
            )
        return view(request, organisation, project, competition, state, *args, **kwargs)

    return wrapped


def _numbered_bids(competition) -> dict:
    """Bid id -> its number ("Bid 1", "Bid 2"…) in the order the bids were started."""
    return {bid.pk: number for number, bid in enumerate(submitted_bids(competition), start=1)}


@project_required
@require_http_methods(["GET", "POST"])
def evaluate(request, organisation, project):
    """The declaration, then the cells left to score."""
    competition = _competition(organisation, project)
    if not may_work_on(request.user, project):
        return _not_a_worker(request, organisation, project)
    state = evaluation_state(competition, evaluator=request.user)
    form = None
    status = 200
    if not state.declared:
        form = DeclarationForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                declare_conflict(actor=request.user, competition=competition, **form.declaration())
            except (DomainError, PolicyDenied) as refusal:
                status = _refused(form, refusal, {})
            else:
                messages.success(request, _("Your declaration is recorded."))
                return redirect("buyer_competition:evaluate", pk=project.pk)
    opened = state.may_score and competition.status in OPENED
    numbered = list(enumerate(submitted_bids(competition), start=1)) if opened else []
    criteria = list(competition.criteria.order_by("position")) if opened else []
    cell_count = len(numbered) * len(criteria)
    return render(
        request,
        "competitions/buyer/evaluate.html",
        _context(
            organisation,
            project,
            competition,
            state=state,
            form=form,
            opened=opened,
            sealed_until=london_time(competition.submission_deadline)
            if competition.status == Competition.Status.OPEN
            else "",
            bids=[
                (
                    number,
                    bid,
                    [
                        (criterion, state.scores.get((bid.pk, criterion.pk)))
                        for criterion in criteria
                    ],
                )
                for number, bid in numbered
            ],
            cell_count=cell_count,
            scored_count=cell_count - len(state.to_score),
            moderated_count=cell_count - len(state.to_moderate),
        ),
        status=status,
    )


def _opened_bid(competition, bid_pk):
    opened = next(iter(unsealed_bids(competition, bid_pk=bid_pk)), None)
    if opened is None:
        raise Http404(_("No such bid"))
    return opened


@evaluator_required
@require_http_methods(["GET", "POST"])
def bid(request, organisation, project, competition, state, bid_pk):
    """One opened bid, and the evaluator's own mark for each criterion."""
    opened = _opened_bid(competition, bid_pk)
    criteria = list(competition.criteria.order_by("position"))
    moderated = {row.criterion_id: row for row in opened.bid.moderated_scores.all()}
    posted = request.POST.get("criterion") if request.method == "POST" else None
    forms = {}
    status = 200
    for criterion in criteria:
        own = state.scores.get((opened.bid.pk, criterion.pk))
        bound = posted == str(criterion.pk) and criterion.pk not in moderated
        forms[criterion.pk] = MarkForm(
            request.POST if bound else None,
            prefix=f"criterion-{criterion.pk}",
            initial={"mark": str(own.mark), "reason": own.reason} if own else None,
        )
        if bound and forms[criterion.pk].is_valid():
            try:
                record_score(
                    actor=request.user,
                    bid=opened.bid,
                    criterion=criterion,
                    **forms[criterion.pk].cleaned_data,
                )
            except (DomainError, PolicyDenied) as refusal:
                status = _refused(forms[criterion.pk], refusal, {})
            else:
                messages.success(
                    request, _("Your mark for %(criterion)s is saved.") % {"criterion": criterion}
                )
                return redirect(request.path)
    return render(
        request,
        "competitions/buyer/evaluate_bid.html",
        _context(
            organisation,
            project,
            competition,
            opened=opened,
            number=_numbered_bids(competition)[opened.bid.pk],
            criteria=[
                (
                    criterion,
                    opened.answers.get(criterion.pk, ""),
                    opened.commitments.get(criterion.pk, ""),
                    forms[criterion.pk],
                    moderated.get(criterion.pk),
                )
                for criterion in criteria
            ],
            forms=list(forms.values()),
        ),
        status=status,
    )


@evaluator_required
def bid_document(request, organisation, project, competition, state, bid_pk, document_pk):
    """A bid's document, opened, as a download under its real name."""
    document = get_object_or_404(
        BidDocument.objects.select_related("bid__competition").filter(
            bid__competition=competition, bid__pk=bid_pk, bid__status=Bid.Status.SUBMITTED
        ),
        pk=document_pk,
    )
    name, content = open_bid_document(document)
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@evaluator_required
@require_http_methods(["GET", "POST"])
def moderate(request, organisation, project, competition, state):
    """Every cell with the evaluators' marks once at least two are in, and the agreed mark."""
    rows = moderation_rows(competition, moderator=request.user)
    numbers = _numbered_bids(competition)
    posted = request.POST.get("cell") if request.method == "POST" else None
    status = 200
    entries = []
    for row in rows:
        key = f"{row.bid.pk}-{row.criterion.pk}"
        bound = posted == key and row.ready
        form = ModerationForm(
            request.POST if bound else None,
            prefix=f"cell-{key}",
            initial={"mark": str(row.moderated.mark), "reason": row.moderated.reason}
            if row.moderated
            else None,
        )
        if bound and form.is_valid():
            try:
                moderate_score(
                    actor=request.user, bid=row.bid, criterion=row.criterion, **form.cleaned_data
                )
            except (DomainError, PolicyDenied) as refusal:
                status = _refused(form, refusal, {})
            else:
                messages.success(request, _("The moderated score is saved."))
                return redirect("buyer_competition:moderate", pk=project.pk)
        entries.append((numbers[row.bid.pk], key, row, form))
    return render(
        request,
        "competitions/buyer/moderate.html",
        _context(
            organisation,
            project,
            competition,
            entries=entries,
            forms=[form for _n, _k, _r, form in entries],
            evaluated=competition.status != Competition.Status.CLOSED,
        ),
        status=status,
    )


@evaluator_required
@require_http_methods(["GET", "POST"])
def ranking_page(request, organisation, project, competition, state):
    """The bids ranked by their moderated scores and prices, and the award to the top one."""
    if competition.status == Competition.Status.CLOSED:
        return _read_only(
            request,
            organisation,
            project,
            _("The bids are ranked once every criterion of every bid has a moderated score."),
        )
    form = AwardForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            award_to_winner(
                actor=request.user, competition=competition, reason=form.cleaned_data["reason"]
            )
        except (DomainError, PolicyDenied) as refusal:
            status = _refused(form, refusal, {})
        else:
            messages.success(
                request, _("The highest-scoring bid's supplier is selected. Award the contract.")
            )
            return redirect("calloffs:project", project.pk)
    numbers = _numbered_bids(competition)
    suppliers = {bid.pk: bid.supplier for bid in submitted_bids(competition)}
    criteria = list(competition.criteria.order_by("position"))
    return render(
        request,
        "competitions/buyer/ranking.html",
        _context(
            organisation,
            project,
            competition,
            criteria=criteria,
            ranked=[
                (
                    scored,
                    numbers[scored.key],
                    suppliers[scored.key],
                    [scored.criterion_scores[criterion.pk] for criterion in criteria],
                )
                for scored in ranking(competition)
            ],
            form=form,
            may_award=competition.status == Competition.Status.EVALUATED,
        ),
        status=status,
    )


urlpatterns = [
    path("evaluate/", evaluate, name="evaluate"),
    path("evaluate/bids/<int:bid_pk>/", bid, name="evaluate-bid"),
    path(
        "evaluate/bids/<int:bid_pk>/documents/<int:document_pk>/",
        bid_document,
        name="evaluate-document",
    ),
    path("moderate/", moderate, name="moderate"),
    path("ranking/", ranking_page, name="ranking"),
]
