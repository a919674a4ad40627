"""Search and shortlist: attach a saved search, freeze it, download it, keep or reject each
item, choose the winner.

Every page is one of the buyer's own projects (project_required: another organisation's is a
404); changes go through services.shortlists, which say in words why they refuse.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.exceptions import DomainError

from .. import shortlist_export
from ..models import ShortlistItem
from ..permissions import may_work_on
from ..selectors import shortlists as selectors
from ..services import shortlists as services
from .access import project_required
from .saved_searches import search_url


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Keep or reject this item?"),
        choices=[
            (ShortlistItem.Decision.KEPT, gettext_lazy("Keep it")),
            (ShortlistItem.Decision.REJECTED, gettext_lazy("Reject it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose whether to keep or reject this item")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required when you reject it; optional when you keep it."),
    )


class ChooseForm(forms.Form):
    item = forms.ChoiceField(
        label=gettext_lazy("Which kept item wins?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the kept item that wins"),
            "invalid_choice": gettext_lazy("Choose one of the kept items"),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Why this one, under the framework's selection mechanism"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Say how the choice follows the mechanism shown here. It is recorded with the award."
        ),
        error_messages={
            "required": gettext_lazy(
                "Give the reason for choosing this supplier under the framework's mechanism"
            )
        },
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(str(item.pk), self.label(item)) for item in items]

    @staticmethod
    def label(item: ShortlistItem) -> str:
        price = f"£{item.price} {item.get_price_unit_display()}"
        label = f"{item.title} – {item.supplier_name} ({price})"
        return f"{label} – {item.problem}" if item.problem else label


def _add_error(form: forms.Form, refusal: DomainError) -> None:
    form.add_error(refusal.code if refusal.code in form.fields else None, str(refusal))


def _list_context(organisation, project) -> dict:
    """What every shortlist page shows: the lot's terms today and the frozen list, if any,
    with the suppliers who may not be called off today."""
    today = timezone.localdate()
    shortlist = selectors.get_shortlist(project)
    items = selectors.shortlist_items(shortlist) if shortlist else []
    problems = (
        selectors.call_off_problems(
            suppliers={item.supplier for item in items},
            lot=project.lot,
            buyer=organisation,
            on=today,
        )
        if items
        else {}
    )
    for item in items:
        item.problem = problems.get(item.supplier_id)
    return {
        "organisation": organisation,
        "project": project,
        "terms": selectors.lot_terms(project.lot, today) if project.lot else None,
        "shortlist": shortlist,
        "frozen_at_london": shortlist_export.london_time(shortlist.frozen_at) if shortlist else "",
        "items": items,
        "kept": [item for item in items if item.decision == ShortlistItem.Decision.KEPT],
        "problem": services.shortlist_problem(project),
        "decision_problem": services.decision_problem(project),
    }


def _render_shortlist(request, organisation, project, *, chosen=None, freeze_error=None):
    context = _list_context(organisation, project)
    context["may_change"] = may_work_on(request.user, project)
    if context["shortlist"] is None and project.lot is not None:
        context["searches"] = selectors.searches_on_lot(organisation=organisation, lot=project.lot)
        if chosen is not None:
            search = selectors.run_search(
                chosen.query_string, organisation=organisation, today=timezone.localdate()
            )
            context.update(
                chosen=chosen,
                search=search,
                search_url=search_url(chosen.query_string),
                within_limit=0 < search.total <= context["terms"].shortlist_limit
                and not search.result.total_capped,
            )
    context["freeze_error"] = freeze_error
    return render(
        request,
        "calloffs/shortlist/shortlist.html",
        context,
        status=200 if freeze_error is None else 400,
    )


def _chosen_search(organisation, project, value):
    if not value or project.lot is None:
        return None
    try:
        pk = int(value)
    except ValueError:
        raise Http404("No such saved search") from None
    return selectors.get_search_on_lot(organisation=organisation, lot=project.lot, pk=pk)


@project_required
def shortlist(request, organisation, project):
    chosen = _chosen_search(organisation, project, request.GET.get("search"))
    return _render_shortlist(request, organisation, project, chosen=chosen)


@project_required
@require_POST
def shortlist_freeze(request, organisation, project):
    chosen = _chosen_search(organisation, project, request.POST.get("search"))
    if chosen is None:
        raise Http404("Choose a saved search")
    try:
        services.freeze_shortlist(actor=request.user, project=project, saved_search=chosen)
    except DomainError as refusal:
        return _render_shortlist(
            request, organisation, project, chosen=chosen, freeze_error=str(refusal)
        )
    messages.success(request, _("The search is ended and its results are frozen as the shortlist"))
    return redirect("calloffs:shortlist", pk=project.pk)


@project_required
def shortlist_download(request, organisation, project, fmt):
    writer = shortlist_export.WRITERS.get(fmt)
    shortlist = selectors.get_shortlist(project)
    if writer is None or shortlist is None:
        raise Http404("No such download")
    table = shortlist_export.shortlist_table(shortlist, selectors.shortlist_items(shortlist))
    response = HttpResponse(writer(table), content_type=shortlist_export.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="shortlist-{project.reference}.{fmt}"'
    return response


@project_required
@require_http_methods(["GET", "POST"])
def shortlist_item(request, organisation, project, item_pk):
    item = selectors.get_shortlist_item(project=project, pk=item_pk)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decide_item(
                    actor=request.user,
                    item=item,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as refusal:
                _add_error(form, refusal)
            else:
                messages.success(
                    request,
                    _("“%(title)s” is %(decision)s")
                    % {
                        "title": item.title,
                        "decision": ShortlistItem.Decision(
                            form.cleaned_data["decision"]
                        ).label.lower(),
                    },
                )
                return redirect("calloffs:shortlist", pk=project.pk)
    else:
        initial = {"reason": item.reason}
        if item.decision != ShortlistItem.Decision.UNDECIDED:
            initial["decision"] = item.decision
        form = DecisionForm(initial=initial)
    return render(
        request,
        "calloffs/shortlist/item.html",
        {
            "organisation": organisation,
            "project": project,
            "item": item,
            "form": form,
            "may_change": may_work_on(request.user, project),
            "decision_problem": services.decision_problem(project),
        },
        status=400 if form.errors else 200,
    )


@project_required
@require_http_methods(["GET", "POST"])
def shortlist_choose(request, organisation, project):
    context = _list_context(organisation, project)
    if context["shortlist"] is None:
        return redirect("calloffs:shortlist", pk=project.pk)
    kept = {str(item.pk): item for item in context["kept"]}
    form = ChooseForm(
        request.POST if request.method == "POST" else None,
        items=context["kept"],
        initial={"item": str(project.selected_shortlist_item_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_shortlisted(
                actor=request.user,
                project=project,
                item=kept[form.cleaned_data["item"]],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as refusal:
            _add_error(form, refusal)
        else:
            messages.success(
                request,
                _("%(supplier)s is chosen. Next, make the award")
                % {"supplier": kept[form.cleaned_data["item"]].supplier_name},
            )
            return redirect("calloffs:project", pk=project.pk)
    context.update(form=form, may_change=may_work_on(request.user, project))
    return render(
        request, "calloffs/shortlist/choose.html", context, status=400 if form.errors else 200
    )


urlpatterns = [
    path("projects/<int:pk>/shortlist/", shortlist, name="shortlist"),
    path("projects/<int:pk>/shortlist/freeze/", shortlist_freeze, name="shortlist-freeze"),
    path(
        "projects/<int:pk>/shortlist/shortlist.<str:fmt>",
        shortlist_download,
        name="shortlist-download",
    ),
    path("projects/<int:pk>/shortlist/items/<int:item_pk>/", shortlist_item, name="shortlist-item"),
    path("projects/<int:pk>/shortlist/choose/", shortlist_choose, name="shortlist-choose"),
]
