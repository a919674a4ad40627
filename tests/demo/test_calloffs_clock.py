"""The demo's call-offs seeded at an awkward hour. A module of its own: test_calloffs keeps a
demo seeded at the real time for the whole module, which a second seed would find and keep."""

from datetime import UTC, date, datetime
from unittest import mock

from django.utils import timezone

import pytest

from tests.demo.test_calloffs import contract, seed


@pytest.mark.django_db
def test_the_late_contract_is_dated_by_london_days_when_seeded_late_on_a_winter_evening():
    # 23:30 in December is 00:30 British Summer Time 45 days earlier: the award must still
    # fall on the London day the notice is dated.
    evening = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=evening):
        seed()
        late = contract("Backup and recovery for the council's systems")

        assert late.award.notice_published_on == date(2026, 10, 19)
        assert timezone.localdate(late.award.awarded_at) == date(2026, 10, 19)
