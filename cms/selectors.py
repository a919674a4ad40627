from .models import GuidancePage


def search_guidance(*, query: str):
    """Live, public guidance pages matching every word of `query`, best first.

    Returns Wagtail search results: they support count() and slicing, so a Paginator pages
    through them with one count query and one query per page.
    """
    return GuidancePage.objects.live().public().search(query, operator="and")
