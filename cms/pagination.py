"""One way to page a listing: `paginate` in the view, `{% govuk_pagination page_obj %}` in the
template (cms_tags), which links to the other pages keeping every query parameter."""

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

PAGE_PARAMETER = "page"
# "1 … 4 5 6 … 20": the first and last pages, and one page either side of the current one.
ON_EACH_SIDE = 1
ON_ENDS = 1


def paginate(request: HttpRequest, items, *, per_page: int) -> Page:
    """The page the request asks for. A page past the end gives the last page and anything that
    is not a page number gives the first, so an old or edited link still shows a listing."""
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAMETER))


def page_links(page_obj: Page, query: QueryDict) -> dict:
    """Context for includes/pagination.html. Links keep every other parameter, repeated ones
    too (?region=TLD&region=TLC&page=2), so paging never drops a filter."""
    params = [
        (key, value) for key, values in query.lists() if key != PAGE_PARAMETER for value in values
    ]

    def href(number: int) -> str:
        return "?" + urlencode([*params, (PAGE_PARAMETER, number)])

    paginator, current = page_obj.paginator, page_obj.number
    items = [
        {"ellipsis": True}
        if number == paginator.ELLIPSIS
        else {"number": number, "href": href(number), "current": number == current}
        for number in paginator.get_elided_page_range(
            current, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS
        )
    ]
    return {
        "show": paginator.num_pages > 1,
        "items": items,
        "previous_href": href(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_href": href(page_obj.next_page_number()) if page_obj.has_next() else "",
    }
