"""Close further competitions to bids once their submission deadline has passed: run every
minute from cron. Pages that show a competition close it as they load too, so nothing waits
for this; safe to run twice."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from marketplace.competitions.services.bids import close_due_competitions


class Command(BaseCommand):
    help = "Close open further competitions whose deadline for bids has passed."

    def handle(self, *args, **options):
        closed = close_due_competitions()
        for competition in closed:
            self.stdout.write(f"Closed competition {competition.pk} ({competition.project})")
        self.stdout.write(
            ngettext("%(count)d competition closed", "%(count)d competitions closed", len(closed))
            % {"count": len(closed)}
        )
