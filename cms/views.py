"""Public pages of the GOV.UK shell: cookies, health check and static policy pages (search is
the search app's, at /search/)."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import cookies
from .forms import CookiesForm

logger = logging.getLogger(__name__)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_POST
def cookie_banner(request: HttpRequest) -> HttpResponse:
    """The banner's Accept or Reject button: store the choice, go back to the page."""
    choice = request.POST.get("cookies")
    response = redirect(_safe_next(request))
    if choice in {"accept", "reject"} and cookies.analytics_enabled():
        cookies.store_policy(response, analytics=choice == "accept")
    return response


@require_POST
def cookie_banner_hide(request: HttpRequest) -> HttpResponse:
    """The confirmation message's Hide button."""
    response = redirect(_safe_next(request))
    cookies.mark_seen(response)
    return response


@require_http_methods(["GET", "POST"])
def cookies_page(request: HttpRequest) -> HttpResponse:
    analytics = cookies.analytics_enabled()
    if request.method == "POST" and analytics:
        form = CookiesForm(request.POST)
        if form.is_valid():
            response = redirect(f"{reverse('cms:cookies')}?saved=1")
            cookies.store_policy(response, analytics=form.cleaned_data["analytics"], seen=True)
            return response
    else:
        policy = cookies.read_policy(request)
        initial = {}
        if policy is not None:
            initial["analytics"] = "yes" if policy["analytics"] else "no"
        form = CookiesForm(initial=initial)
    return render(
        request,
        "cms/cookies.html",
        {
            "form": form if analytics else None,
            "saved": request.method == "GET" and request.GET.get("saved") == "1",
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        },
    )


def _pages_render() -> bool:
    """Whether the base template renders: it fails when a static file is missing from the
    manifest (a release whose collectstatic failed), which would make every page answer 500."""
    try:
        render_to_string("base.html")
    except Exception:
        logger.exception("Health check: the base template does not render")
        return False
    return True


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the app reaches its database and can render pages, 503
    (saying which failed) when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    if not _pages_render():
        return JsonResponse({"status": "error", "database": "ok", "pages": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "pages": "ok"})
