from django.urls import path

from . import ocds_views, views

app_name = "frameworks"

urlpatterns = [
    path("buy/", views.buyer_home, name="buyer-home"),
    path("frameworks/<slug:slug>/ocds.json", ocds_views.release_package, name="ocds"),
    path("frameworks/<slug:slug>/ocds-record.json", ocds_views.record_package, name="ocds-record"),
]
