from django.urls import include, path

from .views import portal, public

app_name = "suppliers"

urlpatterns = [
    path("supplier/", portal.dashboard, name="dashboard"),
    path("supplier/profile/", portal.profile, name="profile"),
    path("supplier/offerings/", portal.offering_list, name="offering-list"),
    path("supplier/offerings/new/", portal.choose_lot, name="choose-lot"),
    path(
        "supplier/lots/<int:lot_id>/offerings/new/",
        portal.offering_create,
        name="offering-create",
    ),
    path("supplier/offerings/<int:pk>/", portal.offering_detail, name="offering-detail"),
    path("supplier/offerings/<int:pk>/edit/", portal.offering_edit, name="offering-edit"),
    path("supplier/offerings/<int:pk>/check/", portal.offering_check, name="offering-check"),
    path(
        "supplier/offerings/<int:pk>/submitted/",
        portal.offering_submitted,
        name="offering-submitted",
    ),
    path(
        "supplier/offerings/<int:pk>/withdraw/",
        portal.offering_withdraw,
        name="offering-withdraw",
    ),
    path("suppliers/<slug:slug>/", public.supplier_page, name="supplier"),
    path("offerings/<int:pk>/", public.offering_page, name="offering"),
    path("", include("suppliers.bulk.urls")),
]
