from typing import Protocol

from ..types import BackendQuery, BackendResult


class SearchBackend(Protocol):
    """What every backend does. Documents are the rows of search.models, written by
    search.indexing; a backend with its own store (Elasticsearch) mirrors them."""

    def search(self, request: BackendQuery) -> BackendResult:
        """Ids of the page of hits in order, the (capped) total and the facet counts, each
        facet counted under every filter but its own."""
        ...

    def index_documents(self, offering_ids: list[int]) -> None:
        """Bring the backend's copy of these documents up to date with search.models (a
        document that no longer exists there is removed). The database backend has nothing
        to do: its documents are the rows."""
        ...

    def rebuild(self, *, progress=None) -> None:
        """Rebuild the backend's whole index from search.models, with no downtime."""
        ...
