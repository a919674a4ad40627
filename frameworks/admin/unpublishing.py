"""Unpublishing a live framework, from the framework's page header in the admin.

Wagtail's own unpublish view opens only to holders of Wagtail's publish permission, which
authority staff lack; this screen lets a member who may approve frameworks take one down,
through frameworks.publishing.unpublish_framework.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks import publishing
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied
from marketplace.organisations.roles import Action

from .views import FrameworkActionView


class FrameworkUnpublishView(FrameworkActionView):
    action = Action.APPROVE_FRAMEWORKS
    # A confirmation: the button is the whole form.
    form_class = forms.Form
    page_title = gettext_lazy("Unpublish the framework")
    submit_label = gettext_lazy("Unpublish the framework")
    intro = gettext_lazy(
        "The framework leaves the public site: buyers and suppliers no longer find its page or "
        "its open data. Its records stay: its appointments, offerings, call-offs, variations "
        "and audit log are kept, and it can be published again through its approval workflow."
    )

    def _load(self):
        super()._load()
        if not self.framework.live:
            raise Http404("The framework is not live")

    def perform(self, form):
        try:
            publishing.unpublish_framework(
                actor=self.request.user, organisation=self.authority, framework=self.framework
            )
        except PolicyDenied as error:
            # The role check passed on the way in; the service's own check still has the last
            # word, and says why in words a person can read.
            raise DomainError(str(error), code="permission_denied") from error
        messages.success(
            self.request,
            _("Framework “%(title)s” unpublished.") % {"title": self.framework.title},
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=(self.framework.pk,)))
