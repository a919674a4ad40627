from django.core.management.base import BaseCommand

from marketplace.audit.services import seal_chain


class Command(BaseCommand):
    help = (
        "Seal every unsealed audit event into the hash chain (sequence numbers and hashes), one "
        "sealer at a time. Audit writes seal as they go; run this from cron every minute so that "
        "the last events of a quiet spell are sealed too (docs/audit.md)."
    )

    def handle(self, *args, **options):
        sealed = seal_chain()
        self.stdout.write(f"Sealed {sealed} audit event{'' if sealed == 1 else 's'}.")
