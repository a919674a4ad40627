import pytest

from frameworks.setup import ensure_authority_section
from tests.audit.conftest import checkpoint_storage, record_events  # noqa: F401 (fixtures)
from tests.frameworks.conftest import create_framework


@pytest.fixture
def published(authority):
    """Three published frameworks, by title, and one never published."""
    section = ensure_authority_section(authority=authority)
    create_framework(section, title="Draft only").unpublish()
    return [create_framework(section, title=title) for title in ("Alpha", "Bravo", "Charlie")]
