"""Editorial pages (home, guidance) and the site's service navigation."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock, NavigationLinkBlock
from .navigation import invalidate_navigation


def _validate_link_target(value: str) -> None:
    if value and not value.startswith(("/", "https://")):
        raise ValidationError(_("Enter a path starting with / or an https:// address"))


class BreadcrumbsMixin:
    """Puts the page's live ancestors (below the tree root) in the context as `ancestors`."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ancestors"] = self.get_ancestors().filter(depth__gt=1).live()
        return context


class HomePage(Page):
    """The service's front page: one per site, at the root of the page tree."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A sentence or two under the heading saying what the service is for."),
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("The rest of the page: headings, paragraphs, inset text, details, tables."),
    )
    cta_label = models.CharField(
        _("start button text"),
        max_length=60,
        blank=True,
        help_text=_('Leave blank for no start button, for example "Start now".'),
    )
    cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("start button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page the start button leads to."),
    )
    cta_url = models.CharField(
        _("start button path or address"),
        max_length=300,
        blank=True,
        validators=[_validate_link_target],
        help_text=_("Used when no page is chosen: a path such as /search/ or an https:// address."),
    )

    parent_page_types = ["wagtailcore.Page"]
    # Sections from other apps (frameworks, …) live under the home page too, so its children
    # are limited by their own parent_page_types rather than by a list here.

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("cta_label"), FieldPanel("cta_page"), FieldPanel("cta_url")],
            heading=_("Start button"),
        ),
        FieldPanel("body"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("home page")

    def clean(self):
        super().clean()
        if self.cta_label and not (self.cta_page_id or self.cta_url):
            raise ValidationError({"cta_page": _("Choose the page the start button leads to")})
        if self.cta_page_id and self.cta_url:
            raise ValidationError({"cta_url": _("Choose a page or enter a path, not both")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cta_href"] = self.cta_href(request)
        return context

    def cta_href(self, request=None) -> str:
        if not self.cta_label:
            return ""
        if self.cta_page_id:
            page = self.cta_page
            return (page.get_url(request) or "") if page.live else ""
        return self.cta_url


class GuidanceIndexPage(BreadcrumbsMixin, Page):
    """A section listing guidance pages, such as /guidance/."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown under the heading, above the list of guidance."),
    )

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GuidancePage"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("guidance index page")

    def guidance_pages(self):
        return GuidancePage.objects.child_of(self).live().public().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guidance_pages"] = self.guidance_pages()
        return context


class GuidancePage(BreadcrumbsMixin, Page):
    """One piece of guidance for buyers, suppliers or authorities."""

    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences, shown under the title and in lists and search results."),
    )
    body = StreamField(
        BodyBlock(),
        verbose_name=_("body"),
        help_text=_("The guidance itself: headings, paragraphs, inset text, details, tables."),
    )

    parent_page_types = ["cms.GuidanceIndexPage"]
    subpage_types: list[str] = []

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("guidance page")


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The links in the service navigation bar, in order."""

    links = StreamField(
        [("link", NavigationLinkBlock())],
        blank=True,
        verbose_name=_("links"),
        help_text=_("Shown in this order in the navigation bar at the top of every page."),
    )

    panels = [FieldPanel("links")]

    class Meta:
        verbose_name = _("service navigation")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        invalidate_navigation()
