from django.contrib.auth.models import Group, Permission

import pytest

from tests import factories


@pytest.fixture
def person(db):
    """A user with no organisation: needs no second factor."""
    return factories.UserFactory(email="person@example.gov.uk")


@pytest.fixture
def wagtail_editor(db):
    """A user who may use the Wagtail admin, and so must use a second factor."""
    group = Group.objects.create(name="Accounts test editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = factories.UserFactory(email="editor@example.gov.uk")
    user.groups.add(group)
    return user


def sign_in_data(email, password=factories.TEST_PASSWORD, **extra):
    return {"username": email, "password": password, **extra}
