"""Lapse ranked-list offers past their answer-by day: run daily from cron. The buyer's and the
supplier's offer pages lapse theirs as they load too, so nothing waits for this."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from marketplace.calloffs.services.rotation import lapse_overdue_offers


class Command(BaseCommand):
    help = "Lapse direct-award offers that were not answered by their answer-by day."

    def handle(self, *args, **options):
        lapsed = lapse_overdue_offers(on=timezone.localdate())
        self.stdout.write(
            ngettext("%(count)d offer lapsed", "%(count)d offers lapsed", len(lapsed))
            % {"count": len(lapsed)}
        )
