"""Search backends behind one contract (search.types.BackendQuery → BackendResult).

settings.SEARCH_BACKEND names the module: `search.backends.database` by default,
`search.backends.elasticsearch` when ELASTICSEARCH_URL is set. Each module exposes `backend`,
an object with the methods of `search.backends.base.SearchBackend`.
"""

from importlib import import_module

from django.conf import settings

from .base import SearchBackend


def get_backend(name: str | None = None) -> SearchBackend:
    return import_module(name or settings.SEARCH_BACKEND).backend
