from django.core.management.base import BaseCommand, CommandError

from marketplace.audit.chain import VERIFY_CHUNK_SIZE, check_chain


class Command(BaseCommand):
    help = (
        "Recompute every audit event's hash in sequence order. Exits non-zero naming the first "
        "bad event if the chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=VERIFY_CHUNK_SIZE,
            help="How many events to read from the database at a time.",
        )

    def handle(self, *args, chunk_size: int, **options):
        report = check_chain(chunk_size=chunk_size)
        if report.problem:
            raise CommandError(
                f"{report.problem} {report.count} events before it are intact.", returncode=1
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.count} events"))
        if report.last_sequence is not None:
            self.stdout.write(f"Latest event: #{report.last_sequence}, hash {report.last_hash}")
