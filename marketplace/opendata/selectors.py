"""What the open-data page lists: published frameworks (their OCDS packages) and checkpoints."""

from django.db.models import QuerySet

from frameworks.models import FrameworkPage


def frameworks_with_open_data() -> QuerySet[FrameworkPage]:
    """Published frameworks, by title: each has an OCDS release and record package."""
    return FrameworkPage.objects.live().public().order_by("title")
