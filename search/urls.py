from django.urls import path
from django.views.generic import TemplateView

from . import compare, views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("compare/", compare.compare_page, name="compare"),
    path(
        "how-search-works/",
        TemplateView.as_view(template_name="search/how_search_works.html"),
        name="how-search-works",
    ),
]
