"""The shape of every authority admin section: a Wagtail viewset whose listing is a generic
IndexView (django-filter filter set, columns, pagination from the viewset) and whose other
screens are the section's own forms, all under one URL prefix and namespace.

Who may open a section is decided by organisation role (organisations.policy), not by Django
model permissions, and each listing reads its rows through a selector scoped to the viewer.
"""

from django.urls import path
from django.utils.functional import cached_property

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.listing import ListingViewSetMixin

from .access import ActingAuthorityMixin


class ListingView(IndexView):
    """A listing whose access the view itself checks (in dispatch, by organisation role)."""

    permission_policy = None
    any_permission_required = None

    def get_caption(self) -> str:
        """The table's caption, for screen readers."""
        return ""

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "caption": self.get_caption()}


class AuthorityListingView(ActingAuthorityMixin, ListingView):
    """A listing of one authority's rows; its filter set offers only that authority's choices."""

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "authority": self.authority}


class CellColumn(Column):
    """A column drawn by the listing's cell template, which switches on `column.name`;
    `context` is added to every cell's context."""

    def __init__(self, name, *, template_name, context=None, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template_name
        self.context = context or {}

    def get_cell_context_data(self, instance, parent_context):
        return {**super().get_cell_context_data(instance, parent_context), **self.context}


class SectionViewSet(ListingViewSetMixin, ViewSet):
    """A listing (its index and its filter results) plus the section's `screens`: {URL path:
    (URL name, view class)}. The menu item shows where `is_shown(request)` says so."""

    model = None
    index_view_class = ListingView
    screens: dict = {}
    add_to_admin_menu = True

    def is_shown(self, request) -> bool:
        raise NotImplementedError

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            model=self.model,
            header_icon=self.icon,
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            **kwargs,
        )

    def get_urlpatterns(self):
        index_kwargs = self.get_index_view_kwargs()
        return [
            path("", self.construct_view(self.index_view_class, **index_kwargs), name="index"),
            path(
                "results/",
                self.construct_view(self.index_view_class, **index_kwargs, results_only=True),
                name="index_results",
            ),
            *(
                path(route, self.construct_view(view_class), name=name)
                for route, (name, view_class) in self.screens.items()
            ),
        ]

    @cached_property
    def menu_item_class(self):
        viewset = self
        return type(
            f"{type(self).__name__}MenuItem",
            (MenuItem,),
            {"is_shown": lambda item, request: viewset.is_shown(request)},
        )
