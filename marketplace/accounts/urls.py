from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("organisation/", views.choose_organisation, name="choose-organisation"),
    path("", views.dashboard, name="dashboard"),
]
