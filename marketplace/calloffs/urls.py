from django.urls import path

from . import views

app_name = "calloffs"

urlpatterns = [
    path("saved-searches/", views.saved_search_list, name="saved-search-list"),
    path("saved-searches/new/", views.saved_search_create, name="saved-search-create"),
    path("saved-searches/<int:pk>/rename/", views.saved_search_rename, name="saved-search-rename"),
    path("saved-searches/<int:pk>/delete/", views.saved_search_delete, name="saved-search-delete"),
    path("saved-searches/<int:pk>/run/", views.saved_search_run, name="saved-search-run"),
]
