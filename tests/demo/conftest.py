# The demo's navigation links are checked against the same site tree the cms tests build.
from tests.cms.conftest import guidance_index, home_page, navigation, site  # noqa: F401
