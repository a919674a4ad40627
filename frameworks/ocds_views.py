"""Public OCDS downloads for published frameworks: release package and record package."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from . import ocds, selectors
from .models import FrameworkPage

MAX_AGE = 300


def _json_response(data: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(ocds.dumps(data), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _serve(slug: str, build: Callable[[FrameworkPage], dict], suffix: str) -> HttpResponse:
    # The live page row and its lot rows hold the published version; drafts are never read.
    framework = selectors.get_published_framework(slug=slug)
    return _json_response(build(framework), filename=f"{ocds.ocid(framework)}{suffix}.json")


@require_GET
def release_package(request: HttpRequest, slug: str) -> HttpResponse:
    published_at = timezone.now()
    return _serve(
        slug,
        lambda framework: ocds.build_release_package(framework, published_at=published_at),
        "",
    )


@require_GET
def record_package(request: HttpRequest, slug: str) -> HttpResponse:
    published_at = timezone.now()
    return _serve(
        slug,
        lambda framework: ocds.build_record_package(framework, published_at=published_at),
        "-record",
    )
