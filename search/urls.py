from django.urls import path

from . import compare, views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("compare/", compare.compare_page, name="compare"),
]
