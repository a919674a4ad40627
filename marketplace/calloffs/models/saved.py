"""Saved searches: a buyer organisation's searches, kept to run again."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.organisations.roles import OrganisationKind

NAME_MAX_LENGTH = 100


class SavedSearch(models.Model):
    """A buyer organisation's search, kept to run again: its name and its query string.

    `query_string` holds the search's canonical parameters (words, filters, sort), as
    search.service builds them, without a page number: rerunning it opens /search/?<it>.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="saved_searches",
        limit_choices_to={"kind": OrganisationKind.BUYER},
        verbose_name=_("organisation"),
        help_text=_("The buyer organisation the search belongs to: all its members see it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="saved_searches",
        verbose_name=_("saved by"),
        help_text=_("Who saved it: they and the organisation's administrators may change it."),
    )
    name = models.CharField(
        _("name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What the search is for, so your colleagues can find it."),
    )
    query_string = models.TextField(
        _("search parameters"),
        blank=True,
        help_text=_("The words, filters and sort, as the search page's query string."),
    )
    saved_at = models.DateTimeField(
        _("saved"),
        default=timezone.now,
        editable=False,
        help_text=_("When it was saved: offerings published after this count as new."),
    )
    updated_at = models.DateTimeField(
        _("updated"), auto_now=True, help_text=_("When it was last renamed.")
    )
    last_run_at = models.DateTimeField(
        _("last run"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When someone last ran it from the list of saved searches."),
    )

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-saved_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-saved_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id
