"""Row locks for call-off rows that two requests may change at once (a double award, two
answers to one offer). On SQLite select_for_update does nothing: the race tests run on
PostgreSQL."""

from .models import BuyingProject


def lock_project(project: BuyingProject) -> BuyingProject:
    """The project, read again under a row lock for the rest of the transaction."""
    return BuyingProject.objects.select_for_update().get(pk=project.pk)
