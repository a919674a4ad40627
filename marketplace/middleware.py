from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

from marketplace.exceptions import DomainError


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict nonce policy everywhere, relaxed for inline styles in the Wagtail admin only."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, UNSAFE_INLINE]}
        return parts


class AdminDomainErrorMiddleware:
    """A rule that refuses an action deep inside a Wagtail admin view (a workflow approval that
    publishes, say) is shown as an error message on the page the user came from, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or not request.path_info.startswith(
            settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIX
        ):
            return None
        messages.error(request, str(exception))
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's workflow modals follow a redirect given this way.
            return JsonResponse({"step": "success", "redirect": back})
        return redirect(back)
