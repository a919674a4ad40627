from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from marketplace.accounts import views as account_views

urlpatterns = [
    # One sign-in and sign-out for the whole service, so both are rate-limited, need the
    # second factor and are audited, whichever door a person comes through.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True),
        name="wagtailadmin_login",
    ),
    path("admin/logout/", account_views.sign_out, name="wagtailadmin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("marketplace.accounts.urls")),
    path("organisations/", include("marketplace.organisations.urls")),
    path("open-data/", include("marketplace.opendata.urls")),
    # Buyers' saved searches, buying projects and contracts at /buying/.
    path("buying/", include("marketplace.calloffs.urls")),
    path("buying/projects/<int:pk>/competition/", include("marketplace.competitions.urls")),
    path("supplier/competitions/", include("marketplace.competitions.urls_supplier")),
    path("supplier/", include("marketplace.calloffs.urls_supplier")),
    path("contracts/", include("marketplace.calloffs.urls_register")),
    # Offerings, frameworks and lots, and guidance: before cms, whose /search/ it replaced.
    path("search/", include("search.urls")),
    path("", include("frameworks.urls")),
    # The supplier portal at /supplier/, and public /suppliers/<slug>/ and /offerings/<pk>/.
    path("", include("suppliers.urls")),
    path("", include("cms.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only public files (image renditions) live under MEDIA_ROOT. Private uploads live under
    # PRIVATE_MEDIA_ROOT, which no URL serves: documents go through /documents/ and its check.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns.append(path("", include(wagtail_urls)))
