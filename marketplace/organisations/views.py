"""Pages for registering an organisation, looking after its members and joining by invitation.

Views read through selectors (another organisation's object is a 404), validate with forms and
change state only through services.
"""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.exceptions import DomainError

from . import policy, selectors, services
from .forms import (
    ChangeRoleForm,
    CouncilClaimForm,
    InviteMemberForm,
    NewAccountForm,
    NhsBodyClaimForm,
    OrganisationForm,
    RegisterOrganisationForm,
    SchoolClaimForm,
)
from .models import OrganisationClaim
from .roles import Action

MEMBERS_PER_PAGE = 25
CLAIMS_PER_PAGE = 25


def _form_error(form, error: Exception) -> None:
    """Show a service's refusal in the form's error summary."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))


def _organisation_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in OrganisationForm.Meta.fields}


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    kinds = policy.kinds_user_may_create(request.user)
    form = RegisterOrganisationForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(
                actor=request.user, kind=form.cleaned_data["kind"], **_organisation_fields(form)
            )
        except (DomainError, ValidationError) as error:
            _form_error(form, error)
        else:
            request.session[selectors.ACTING_ORGANISATION_SESSION_KEY] = organisation.pk
            messages.success(request, _("%(name)s has been registered") % {"name": organisation})
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/register.html", {"form": form})


# --- Claims to act for a council, NHS body or school ---------------------------------------


@login_required
def claim_start(request):
    return render(request, "organisations/claim_start.html")


# Each kind of public body: its form, the service that claims it, and the page's heading.
CLAIMS = {
    "council": (CouncilClaimForm, services.claim_council, _("Register your council")),
    "nhs": (NhsBodyClaimForm, services.claim_nhs_body, _("Register your NHS body")),
    "school": (SchoolClaimForm, services.claim_school, _("Register your school")),
}


@login_required
@require_http_methods(["GET", "POST"])
def claim(request, body):
    if body not in CLAIMS:
        raise Http404("Unknown kind of public body")
    form_class, claim_body, heading = CLAIMS[body]
    extra = {"councils": selectors.current_councils()} if body == "council" else {}
    form = form_class(request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            made = claim_body(actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            _form_error(form, error)
        else:
            if made.status == OrganisationClaim.Status.APPROVED:
                request.session[selectors.ACTING_ORGANISATION_SESSION_KEY] = made.organisation_id
                messages.success(
                    request,
                    _("%(name)s has been registered and you are its administrator")
                    % {"name": made.organisation},
                )
                return redirect("organisations:detail", slug=made.organisation.slug)
            messages.success(
                request,
                _("Your claim to act for %(name)s has been sent to the service team")
                % {"name": made.legal_name},
            )
            return redirect("organisations:claims")
    return render(
        request,
        "organisations/claim.html",
        {"form": form, "body": body, "heading": heading},
    )


@login_required
def my_claims(request):
    page = Paginator(selectors.claims_by(user=request.user), CLAIMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "organisations/claims.html", {"page": page})


@login_required
def index(request):
    organisations = list(selectors.organisations_for_user(user=request.user))
    return render(request, "organisations/index.html", {"organisations": organisations})


@login_required
def detail(request, slug):
    organisation = selectors.get_organisation_for_member(user=request.user, slug=slug)
    page = Paginator(selectors.members_of(organisation=organisation), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    can_manage = policy.can(request.user, Action.MANAGE_MEMBERS, organisation)
    invitations = (
        list(selectors.pending_invitations(organisation=organisation)) if can_manage else []
    )
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "page": page,
            "invitations": invitations,
            "can_manage": can_manage,
            "can_edit": policy.can(request.user, Action.EDIT_ORGANISATION, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    organisation = selectors.get_organisation_for_member(user=request.user, slug=slug)
    policy.require(request.user, Action.EDIT_ORGANISATION, organisation)
    # The form works on a copy so a refused change never touches the organisation we hold.
    form = OrganisationForm(request.POST or None, instance=copy.copy(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                actor=request.user, organisation=organisation, **_organisation_fields(form)
            )
        except (DomainError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The organisation's details have been updated"))
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, slug):
    organisation = selectors.get_organisation_for_member(user=request.user, slug=slug)
    policy.require(request.user, Action.MANAGE_MEMBERS, organisation)
    form = InviteMemberForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invite_member(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("An invitation has been sent to %(email)s") % {"email": invitation.email}
            )
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request, "organisations/invite.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke_invitation(request, slug, pk):
    organisation = selectors.get_organisation_for_member(user=request.user, slug=slug)
    policy.require(request.user, Action.MANAGE_MEMBERS, organisation)
    invitation = selectors.get_pending_invitation(organisation=organisation, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.revoke_invitation(actor=request.user, invitation=invitation)
        except DomainError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s has been withdrawn") % {"email": invitation.email},
            )
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/revoke_invitation.html",
        {"organisation": organisation, "invitation": invitation, "error": error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_role(request, slug, pk):
    organisation = selectors.get_organisation_for_member(user=request.user, slug=slug)
    policy.require(request.user, Action.MANAGE_MEMBERS, organisation)
    membership = selectors.get_membership(organisation=organisation, pk=pk)
    form = ChangeRoleForm(
        request.POST or None, organisation=organisation, initial={"role": membership.role}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("%(name)s's role has been changed") % {"name": membership.user}
            )
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/change_role.html",
        {"form": form, "organisation": organisation, "membership": membership},
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, slug, pk):
    organisation = selectors.get_organisation_for_member(user=request.user, slug=slug)
    policy.require(request.user, Action.MANAGE_MEMBERS, organisation)
    membership = selectors.get_membership(organisation=organisation, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.remove_member(actor=request.user, membership=membership)
        except DomainError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _("%(name)s has been removed from %(organisation)s")
                % {"name": membership.user, "organisation": organisation},
            )
            if membership.user_id == request.user.pk:
                return redirect(settings.LOGIN_REDIRECT_URL)
            return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/remove_member.html",
        {"organisation": organisation, "membership": membership, "error": error},
        status=409 if error else 200,
    )


# --- Invitations --------------------------------------------------------------------------

PROBLEM_STATUS = {"invalid": 404, "expired": 410, "used": 410, "revoked": 410}


def _invitation_problem(request, code: str):
    return render(
        request,
        "organisations/invitation_problem.html",
        {"code": code, "message": services.INVITATION_MESSAGES[code]},
        status=PROBLEM_STATUS[code],
    )


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    try:
        found = selectors.invitation_for_token(token)
    except Http404:
        return _invitation_problem(request, "invalid")
    if found.problem:
        return _invitation_problem(request, found.problem)

    context = {"invitation": found, "organisation": found.organisation, "form": None}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != found.email.lower():
            context["situation"] = "wrong_user"
            return render(request, "organisations/invitation.html", context, status=403)
        context["situation"] = "accept"
        if request.method == "POST":
            try:
                membership = services.accept_invitation(token=token, user=user)
            except services.InvitationError as error:
                if error.code in PROBLEM_STATUS:
                    return _invitation_problem(request, error.code)
                context["error"] = str(error)
            except DomainError as error:
                context["error"] = str(error)
            else:
                return _joined(request, membership)
        return render(request, "organisations/invitation.html", context)

    if get_user_model().objects.filter(email__iexact=found.email).exists():
        context["situation"] = "sign_in"
        context["sign_in_url"] = f"{reverse('accounts:sign-in')}?next={request.path}"
        return render(request, "organisations/invitation.html", context)

    context["situation"] = "new_account"
    form = NewAccountForm(request.POST or None, email=found.email)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            new_user, membership = services.accept_invitation_with_new_account(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationError as error:
            return _invitation_problem(request, error.code)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, membership)
    return render(request, "organisations/invitation.html", context)


def _joined(request, membership):
    request.session[selectors.ACTING_ORGANISATION_SESSION_KEY] = membership.organisation_id
    messages.success(
        request,
        _("You have joined %(organisation)s as %(role)s")
        % {
            "organisation": membership.organisation,
            "role": membership.get_role_display().lower(),
        },
    )
    return redirect("organisations:detail", slug=membership.organisation.slug)
