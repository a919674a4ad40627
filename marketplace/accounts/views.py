from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.organisations.selectors import memberships_for_user

from . import services
from .forms import ActingOrganisationForm, SignInForm, TOTPCodeForm
from .landing import landing_url
from .middleware import requires_second_factor
from .selectors import confirmed_totp_device
from .totp import qr_code_svg, secret_for_display


def safe_next_url(request: HttpRequest) -> str:
    """The page asked for after signing in, if it stays on this site; "" otherwise."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _two_factor_url(next_url: str) -> str:
    url = reverse("accounts:two-factor")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request)
    if request.method == "POST":
        form = SignInForm(request.POST, request=request)
        if form.is_valid():
            services.sign_in(request=request, user=form.user)
            if requires_second_factor(request.user):
                return redirect(_two_factor_url(next_url))
            return redirect(next_url or landing_url(request))
        if form.locked_out_now:
            services.record_lockout(email=form.cleaned_data["username"])
    else:
        form = SignInForm(request=request)
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": next_url,
            "timed_out": request.GET.get("timeout") == "1",
        },
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request)
    return redirect("accounts:signed-out")


@never_cache
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (first time) or enter a code from it (every sign-in)."""
    next_url = safe_next_url(request)
    if request.user.is_verified():
        return redirect(next_url or landing_url(request))
    device = confirmed_totp_device(user=request.user)
    setting_up = device is None
    if setting_up:
        device = services.start_totp_setup(actor=request.user)

    form = TOTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_second_factor(
                request=request, device=device, code=form.cleaned_data["code"]
            )
        except services.SecondFactorError as error:
            form.add_error("code", error.message)
        else:
            if setting_up:
                messages.success(request, _("Your authenticator app is set up"))
            return redirect(next_url or landing_url(request))

    context = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        context["secret"] = secret_for_display(device)
        context["qr_code"] = qr_code_svg(
            device, label=_("QR code to scan with your authenticator app")
        )
        template = "accounts/two_factor_setup.html"
    else:
        template = "accounts/two_factor_verify.html"
    return render(request, template, context)


def _render_dashboard(request: HttpRequest, memberships, form=None) -> HttpResponse:
    acting = request.membership or None
    if form is None:
        form = ActingOrganisationForm(
            memberships=memberships,
            initial={"organisation": acting.organisation_id if acting else None},
        )
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships,
            "acting": acting,
            "form": form,
            "has_second_factor": confirmed_totp_device(user=request.user) is not None,
            "next": safe_next_url(request),
        },
    )


@login_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    return _render_dashboard(request, list(memberships_for_user(user=request.user)))


@login_required
@require_POST
def choose_organisation(request: HttpRequest) -> HttpResponse:
    memberships = memberships_for_user(user=request.user)
    form = ActingOrganisationForm(request.POST, memberships=list(memberships))
    if not form.is_valid():
        if request.POST.get("organisation"):
            # An organisation the user does not belong to: as if it did not exist.
            raise Http404
        return _render_dashboard(request, list(memberships), form=form)
    membership = get_object_or_404(memberships, organisation_id=form.cleaned_data["organisation"])
    services.choose_acting_organisation(request=request, membership=membership)
    messages.success(
        request,
        _("You are now acting for %(organisation)s") % {"organisation": membership.organisation},
    )
    return redirect(safe_next_url(request) or "accounts:dashboard")
