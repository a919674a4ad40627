"""The service navigation links, resolved for one request.

Resolving the links costs a Site lookup, the setting row and one query for the linked pages.
The resolved (label, href) pairs are cached per host, so a page view normally spends no
queries on navigation at all. The cache is invalidated when the setting is saved or any page
is published, unpublished, moved or deleted (see `invalidate_navigation`), and expires after
NAVIGATION_CACHE_SECONDS in any case.

After them come the signed-in user's own places, which depend on who they act for and so are
never cached: worked out from the acting organisation and permissions the request has already
loaded, they cost no query of their own.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.organisations.roles import OrganisationKind

NAVIGATION_CACHE_SECONDS = 300
_VERSION_KEY = "cms:navigation:version"


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool  # this exact page: aria-current="page"
    active: bool  # a page inside this section: aria-current="true"


def invalidate_navigation(**kwargs) -> None:
    """Forget every cached navigation (for all hosts). Usable as a signal receiver."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_VERSION_KEY, version, timeout=None)
        version = cache.get(_VERSION_KEY, version)
    return version


def _resolve_links(request: HttpRequest) -> list[tuple[str, str]]:
    from .models import NavigationSettings

    links = []
    for block in NavigationSettings.for_request(request).links:
        link = block.value
        page = link.get("page")
        if page is not None:
            href = (page.get_url(request) or "") if page.live else ""
        else:
            href = link.get("url") or ""
        if href:
            links.append((link["label"], href))
    return links


def _is_within(path: str, href: str) -> bool:
    return href != "/" and href.startswith("/") and href.endswith("/") and path.startswith(href)


def _item(request: HttpRequest, label: str, href: str) -> NavItem:
    current = href == request.path
    return NavItem(
        label=label,
        href=href,
        current=current,
        active=not current and _is_within(request.path, href),
    )


def role_navigation_items(request: HttpRequest) -> list[NavItem]:
    """The signed-in user's own places: their organisation's home (and a buyer's saved
    searches) and page, and the admin."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    links = []
    organisation = getattr(request, "organisation", None)
    if organisation:
        if organisation.kind == OrganisationKind.SUPPLIER:
            links.append((_("Your offerings"), reverse("suppliers:dashboard")))
        elif organisation.kind == OrganisationKind.BUYER:
            links.append((_("Frameworks you can use"), reverse("frameworks:buyer-home")))
            links.append((_("Saved searches"), reverse("calloffs:saved-search-list")))
            links.append((_("Buying projects"), reverse("calloffs:project-list")))
        links.append(
            (_("Your organisation"), reverse("organisations:detail", args=[organisation.slug]))
        )
    if user.has_perm("wagtailadmin.access_admin"):
        links.append((_("Admin"), reverse("wagtailadmin_home")))
    return [_item(request, label, href) for label, href in links]


def navigation_items(request: HttpRequest) -> list[NavItem]:
    cached = getattr(request, "_cms_navigation_items", None)
    if cached is not None:
        return cached
    key = f"cms:navigation:{_version()}:{request.get_host()}"
    links = cache.get(key)
    if links is None:
        links = _resolve_links(request)
        cache.set(key, links, timeout=NAVIGATION_CACHE_SECONDS)
    items = [_item(request, label, href) for label, href in links]
    request._cms_navigation_items = items
    return items
