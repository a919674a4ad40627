"""The Wagtail admin a regional lead sees: the service's name, and nothing from elsewhere."""

from django.conf import settings
from django.urls import reverse

from wagtail.models import Site


def test_default_site_is_named_after_the_service(db):
    assert Site.objects.get(is_default_site=True).site_name == settings.WAGTAIL_SITE_NAME


def test_dashboard_names_the_service_not_the_host(manager_client):
    content = manager_client.get(reverse("wagtailadmin_home")).content.decode()
    assert settings.WAGTAIL_SITE_NAME in content
    assert "localhost" not in content


def test_admin_pages_load_no_avatar_from_an_outside_service(manager_client, framework):
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=(framework.get_parent().pk,)),
        reverse("wagtailadmin_pages:edit", args=(framework.pk,)),
    ):
        content = manager_client.get(url).content.decode()
        assert "gravatar.com" not in content, url
