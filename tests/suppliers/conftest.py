import pytest

from tests.factories import MembershipFactory, OrganisationFactory, offering, supplier_lot


@pytest.fixture
def lot(db):
    return supplier_lot()


@pytest.fixture
def authority(lot):
    return lot.framework.authority


@pytest.fixture
def reviewer(authority):
    return MembershipFactory(organisation=authority, role="reviewer").user


@pytest.fixture
def supplier(db):
    return OrganisationFactory(kind="supplier", legal_name="Northern Care Software Ltd")


@pytest.fixture
def supplier_user(supplier):
    return MembershipFactory(organisation=supplier, role="editor").user


@pytest.fixture
def other_supplier(db):
    return OrganisationFactory(kind="supplier", legal_name="Other Supplier Ltd")


@pytest.fixture
def draft(supplier, supplier_user, lot):
    return offering(supplier=supplier, lot=lot, actor=supplier_user)


@pytest.fixture
def live_offering(supplier, supplier_user, lot):
    return offering(supplier=supplier, lot=lot, actor=supplier_user, status="live")


@pytest.fixture
def file_storages(settings, tmp_path):
    """base.py's storages on a temporary folder, instead of the suite's in-memory storage
    (which Wagtail's document serve view cannot stream): (media root, private media root)."""
    media, private = tmp_path / "media", tmp_path / "private-media"
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = media, private
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.PRIVATE_STORAGE, "OPTIONS": {"location": private}},
        "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return media, private
