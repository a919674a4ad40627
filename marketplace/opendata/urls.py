from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("audit-checkpoints.json", views.checkpoints_json, name="checkpoints-json"),
    path("audit-checkpoints.csv", views.checkpoints_csv, name="checkpoints-csv"),
]
