from django.template import Context
from django.template.loader import get_template
from django.test import Client, RequestFactory

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_address_shows_the_govuk_not_found_page(client, home_page):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found – Find a framework supplier</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "If you typed the web address, check it is correct." in html


def test_unknown_address_outside_wagtail_also_gets_the_not_found_page(client):
    response = client.get("/account/no-such-page/")

    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in response.content.decode()


def test_forbidden_template_renders(rf: RequestFactory):
    request = rf.get("/somewhere/")

    html = get_template("403.html").render({}, request)

    assert '<h1 class="govuk-heading-l">You do not have permission to view this page</h1>' in html


def test_server_error_template_renders_with_an_empty_context(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = get_template("500.html").template.render(Context())

    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in html
    assert 'href="/static/govuk/govuk-frontend.min.css"' in html
    assert "<script" not in html


def test_expired_form_gets_the_govuk_problem_page(home_page):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/cookies/banner/", {"cookies": "accept", "next": "/"})

    html = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in html
