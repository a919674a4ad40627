"""The service navigation links, resolved for one request.

Resolving the links costs a Site lookup, the setting row and one query for the linked pages.
The resolved (label, href) pairs are cached per host, so a page view normally spends no
queries on navigation at all. The cache is invalidated when the setting is saved or any page
is published, unpublished, moved or deleted (see `invalidate_navigation`), and expires after
NAVIGATION_CACHE_SECONDS in any case.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

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


def navigation_items(request: HttpRequest) -> list[NavItem]:
    cached = getattr(request, "_cms_navigation_items", None)
    if cached is not None:
        return cached
    key = f"cms:navigation:{_version()}:{request.get_host()}"
    links = cache.get(key)
    if links is None:
        links = _resolve_links(request)
        cache.set(key, links, timeout=NAVIGATION_CACHE_SECONDS)
    items = []
    for label, href in links:
        current = href == request.path
        items.append(
            NavItem(
                label=label,
                href=href,
                current=current,
                active=not current and _is_within(request.path, href),
            )
        )
    request._cms_navigation_items = items
    return items
