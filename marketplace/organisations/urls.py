from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.register, name="register"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("claim/", views.claim_start, name="claim-start"),
    path("claim/<str:body>/", views.claim, name="claim"),
    path("claims/", views.my_claims, name="claims"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path(
        "<slug:slug>/invitations/<int:pk>/withdraw/",
        views.revoke_invitation,
        name="revoke-invitation",
    ),
    path("<slug:slug>/members/<int:pk>/role/", views.change_role, name="change-role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.remove_member, name="remove-member"),
]
