"""Public open data: the index page and the audit checkpoints feed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from cms.pagination import paginate

from . import feeds, selectors

FRAMEWORKS_PER_PAGE = 25
# Checkpoints are taken hourly: a few minutes' caching is never far behind.
FEED_MAX_AGE = 300


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page_obj = paginate(
        request, selectors.frameworks_with_open_data(), per_page=FRAMEWORKS_PER_PAGE
    )
    return render(request, "opendata/index.html", {"page_obj": page_obj})


def _feed(body: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@require_GET
def checkpoints_json(request: HttpRequest) -> HttpResponse:
    return _feed(
        feeds.checkpoints_json(feeds.checkpoint_rows()),
        content_type="application/json",
        filename="audit-checkpoints.json",
    )


@require_GET
def checkpoints_csv(request: HttpRequest) -> HttpResponse:
    return _feed(
        feeds.checkpoints_csv(feeds.checkpoint_rows()),
        content_type="text/csv; charset=utf-8",
        filename="audit-checkpoints.csv",
    )
