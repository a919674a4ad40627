from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "Content"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from wagtail import signals
        from wagtail.models import Page

        from .navigation import invalidate_navigation

        # Cache invalidation only: navigation links are built from page URLs and live status.
        for name in ("page_published", "page_unpublished", "page_slug_changed", "post_page_move"):
            getattr(signals, name).connect(invalidate_navigation, dispatch_uid=f"cms-nav-{name}")
        post_delete.connect(invalidate_navigation, sender=Page, dispatch_uid="cms-nav-delete")
