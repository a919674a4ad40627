from pathlib import Path

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from frameworks import ocds
from marketplace.audit.services import take_checkpoint
from marketplace.calloffs import ocds as calloff_ocds
from marketplace.calloffs.selectors.register import contracts_for_open_data
from marketplace.opendata import feeds, selectors


class Command(BaseCommand):
    help = (
        "Write the open data to a directory: each published framework's OCDS release and record "
        "packages, every call-off's OCDS release (calloffs.json), and the audit checkpoints (JSON "
        "and CSV). Checkpoints the audit chain first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, required=True, help="Directory to write to.")

    def handle(self, *args, output: Path, **options):
        checkpoint = take_checkpoint()
        output.mkdir(parents=True, exist_ok=True)
        published_at = timezone.now()
        count = 0
        for framework in selectors.frameworks_with_open_data():
            name = ocds.ocid(framework)
            release = ocds.build_release_package(framework, published_at=published_at)
            record = ocds.build_record_package(framework, published_at=published_at)
            (output / f"{name}.json").write_text(ocds.dumps(release), encoding="utf-8")
            (output / f"{name}-record.json").write_text(ocds.dumps(record), encoding="utf-8")
            count += 1
        calloffs = calloff_ocds.build_release_package(
            contracts_for_open_data(),
            published_at=published_at,
            uri=calloff_ocds.absolute(reverse("contracts:ocds-all")),
        )
        (output / "calloffs.json").write_text(ocds.dumps(calloffs), encoding="utf-8")
        rows = feeds.checkpoint_rows()
        (output / "audit-checkpoints.json").write_text(feeds.checkpoints_json(rows), "utf-8")
        (output / "audit-checkpoints.csv").write_text(feeds.checkpoints_csv(rows), "utf-8")
        taken = f"checkpoint #{checkpoint.sequence} taken" if checkpoint else "no new checkpoint"
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {count} frameworks' OCDS packages and {len(rows)} audit checkpoints to "
                f"{output} ({taken})."
            )
        )
