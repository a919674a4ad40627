from django.core.management.base import BaseCommand, CommandError

from marketplace.audit.chain import VERIFY_CHUNK_SIZE, check_against_checkpoint, check_chain
from marketplace.audit.selectors import latest_checkpoint
from marketplace.audit.services import seal_chain


class Command(BaseCommand):
    help = (
        "Seal any unsealed audit events, recompute every sealed event's hash in sequence order, "
        "then check that the chain still reaches the latest checkpoint with the same hash. "
        "Exits non-zero, saying what is wrong, if the chain is broken or events are missing "
        "since the checkpoint. Events still unsealed are counted apart."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=VERIFY_CHUNK_SIZE,
            help="How many events to read from the database at a time.",
        )
        parser.add_argument(
            "--no-seal",
            action="store_false",
            dest="seal",
            help="Check the chain as it is, without sealing unsealed events first.",
        )

    def handle(self, *args, chunk_size: int, seal: bool, **options):
        if seal:
            seal_chain()
        report = check_chain(chunk_size=chunk_size)
        if report.problem:
            raise CommandError(
                f"{report.problem} {report.count} events before it are intact.", returncode=1
            )
        checkpoint = latest_checkpoint()
        if checkpoint is not None:
            mismatch = check_against_checkpoint(report, checkpoint)
            if mismatch:
                raise CommandError(
                    f"{mismatch} The chain itself is intact up to its last event "
                    f"(#{report.last_sequence or 0}).",
                    returncode=1,
                )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.count} events"))
        if report.unsealed:
            self.stdout.write(
                f"Not sealed yet: {report.unsealed} event{'' if report.unsealed == 1 else 's'} "
                "(outside the chain, so not checked; seal_audit_chain seals them)"
            )
        if report.last_sequence is not None:
            self.stdout.write(f"Latest event: #{report.last_sequence}, hash {report.last_hash}")
        if checkpoint is None:
            self.stdout.write("No checkpoint yet: run checkpoint_audit_chain (docs/audit.md).")
        else:
            self.stdout.write(
                f"Matches checkpoint #{checkpoint.sequence} taken at "
                f"{checkpoint.taken_at.isoformat()}, hash {checkpoint.hash}"
            )
