from django.core.management.base import BaseCommand

from marketplace.audit.services import take_checkpoint


class Command(BaseCommand):
    help = (
        "Checkpoint the audit chain's head (sequence and hash) in the checkpoint table and as a "
        "write-once file. Meant for hourly cron; does nothing when the head has not moved."
    )

    def handle(self, *args, **options):
        checkpoint = take_checkpoint()
        if checkpoint is None:
            self.stdout.write("No new audit events since the latest checkpoint: none taken.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint #{checkpoint.sequence} taken at {checkpoint.taken_at.isoformat()}: "
                f"{checkpoint.event_count} events, hash {checkpoint.hash}"
            )
        )
