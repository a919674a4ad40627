"""Saved searches under /buying/saved-searches/: list, save, rename, delete and run again.

Only members of a buyer organisation reach them; everyone else gets a page that says what to
do instead. Reads go through selectors (another organisation's search is a 404), changes
through services.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.pagination import paginate
from marketplace.exceptions import DomainError

from .. import search_params
from ..forms import SavedSearchNameForm, SaveSearchForm
from ..selectors import saved_searches as selectors
from ..services import saved_searches as services
from .access import buyer_required

# Each saved search on the list costs one search (its "new since you saved it" count), so the
# list shows this many at a time: a page costs at most this many searches, however many the
# organisation has saved.
SAVED_SEARCHES_PER_PAGE = 10


def search_url(query_string: str) -> str:
    url = reverse("search:search")
    return f"{url}?{query_string}" if query_string else url


@buyer_required
def saved_search_list(request, organisation):
    page_obj = paginate(
        request, selectors.saved_searches_for(organisation), per_page=SAVED_SEARCHES_PER_PAGE
    )
    rows = search_params.describe_saved_searches(
        list(page_obj.object_list), organisation=organisation, today=timezone.localdate()
    )
    for row in rows:
        row["may_change"] = services.may_change(request.user, row["saved_search"])
    return render(
        request,
        "calloffs/saved_search_list.html",
        {"organisation": organisation, "page_obj": page_obj, "rows": rows},
    )


@buyer_required
@require_http_methods(["GET", "POST"])
def saved_search_create(request, organisation):
    """GET from the search page's "Save this search" link, with the search's query string;
    the form carries it through the POST unchanged."""
    today = timezone.localdate()
    if request.method == "POST":
        form = SaveSearchForm(request.POST)
        query_string = search_params.normalise(request.POST.get("query", ""))
        if form.is_valid():
            try:
                saved_search = services.create_saved_search(
                    actor=request.user,
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    query_string=query_string,
                )
            except DomainError as refusal:
                form.add_error("name" if refusal.code == "name" else None, str(refusal))
            else:
                # Back to the search saved, where the buyer was, saying where it is kept.
                messages.success(
                    request,
                    format_html(
                        '{} <a class="govuk-notification-banner__link" href="{}">{}</a>',
                        _("“%(name)s” is saved.") % {"name": saved_search.name},
                        reverse("calloffs:saved-search-list"),
                        _("See your saved searches"),
                    ),
                )
                return redirect(search_url(query_string))
        result = search_params.run(query_string, organisation=organisation, today=today)
    else:
        result = search_params.run(request.GET.urlencode(), organisation=organisation, today=today)
        # What the search service understood: filters it did not recognise are not saved.
        query_string = search_params.canonical(result.request)
        form = SaveSearchForm(
            initial={"name": search_params.default_name(query_string), "query": query_string}
        )
    return render(
        request,
        "calloffs/saved_search_create.html",
        {
            "organisation": organisation,
            "form": form,
            "query_string": query_string,
            "description": search_params.describe(result),
            "notices": result.notices,
            "search_url": search_url(query_string),
        },
    )


@buyer_required
@require_http_methods(["GET", "POST"])
def saved_search_rename(request, organisation, pk):
    saved_search = selectors.get_saved_search(organisation, pk)
    may_change = services.may_change(request.user, saved_search)
    if request.method == "POST" and may_change:
        form = SavedSearchNameForm(request.POST)
        if form.is_valid():
            try:
                services.rename_saved_search(
                    actor=request.user,
                    organisation=organisation,
                    saved_search=saved_search,
                    name=form.cleaned_data["name"],
                )
            except DomainError as refusal:
                form.add_error("name" if refusal.code == "name" else None, str(refusal))
            else:
                messages.success(
                    request, _("The search is renamed “%(name)s”") % {"name": saved_search.name}
                )
                return redirect("calloffs:saved-search-list")
    else:
        form = SavedSearchNameForm(initial={"name": saved_search.name})
    return render(
        request,
        "calloffs/saved_search_rename.html",
        {
            "organisation": organisation,
            "saved_search": saved_search,
            "form": form,
            "may_change": may_change,
        },
        status=200 if may_change else 403,
    )


@buyer_required
@require_http_methods(["GET", "POST"])
def saved_search_delete(request, organisation, pk):
    saved_search = selectors.get_saved_search(organisation, pk)
    may_change = services.may_change(request.user, saved_search)
    if request.method == "POST" and may_change:
        name = saved_search.name
        services.delete_saved_search(
            actor=request.user, organisation=organisation, saved_search=saved_search
        )
        messages.success(request, _("“%(name)s” is deleted") % {"name": name})
        return redirect("calloffs:saved-search-list")
    return render(
        request,
        "calloffs/saved_search_delete.html",
        {
            "organisation": organisation,
            "saved_search": saved_search,
            "may_change": may_change,
            "description": search_params.describe(
                search_params.run(
                    saved_search.query_string,
                    organisation=organisation,
                    today=timezone.localdate(),
                )
            ),
        },
        status=200 if may_change else 403,
    )


@buyer_required
def saved_search_run(request, organisation, pk):
    saved_search = selectors.get_saved_search(organisation, pk)
    services.record_run(actor=request.user, organisation=organisation, saved_search=saved_search)
    return redirect(search_url(saved_search.query_string))


urlpatterns = [
    path("saved-searches/", saved_search_list, name="saved-search-list"),
    path("saved-searches/new/", saved_search_create, name="saved-search-create"),
    path("saved-searches/<int:pk>/rename/", saved_search_rename, name="saved-search-rename"),
    path("saved-searches/<int:pk>/delete/", saved_search_delete, name="saved-search-delete"),
    path("saved-searches/<int:pk>/run/", saved_search_run, name="saved-search-run"),
]
