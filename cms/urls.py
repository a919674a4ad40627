from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "cms"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("cookies/", views.cookies_page, name="cookies"),
    path("cookies/banner/", views.cookie_banner, name="cookie-banner"),
    path("cookies/banner/hide/", views.cookie_banner_hide, name="cookie-banner-hide"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="cms/accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", TemplateView.as_view(template_name="cms/privacy.html"), name="privacy"),
]
