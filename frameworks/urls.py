from django.urls import path

from . import debarment_views, ocds_views, views

app_name = "frameworks"

urlpatterns = [
    path("buy/", views.buyer_home, name="buyer-home"),
    path(
        "debarment-list/<int:pk>/decision/",
        debarment_views.record_decision,
        name="debarment-decision",
    ),
    path("frameworks/<slug:slug>/ocds.json", ocds_views.release_package, name="ocds"),
    path("frameworks/<slug:slug>/ocds-record.json", ocds_views.record_package, name="ocds-record"),
]
