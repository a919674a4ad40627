"""Write every published framework as OCDS: a release package and a record package each."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from frameworks import ocds
from frameworks.models import FrameworkPage


class Command(BaseCommand):
    help = (
        "Write <ocid>.json (release package) and <ocid>-record.json (record package) for every "
        "published framework into the output directory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, type=Path, help="Directory to write to (created if needed)."
        )

    def handle(self, *args, output: Path, **options):
        if output.exists() and not output.is_dir():
            raise CommandError(f"{output} is a file, not a directory: choose a directory")
        output.mkdir(parents=True, exist_ok=True)
        published_at = timezone.now()
        frameworks = (
            FrameworkPage.objects.live().public().select_related("authority").order_by("pk")
        )
        total = frameworks.count()
        for number, framework in enumerate(frameworks, start=1):
            ocid = ocds.ocid(framework)
            release = ocds.build_release_package(framework, published_at=published_at)
            record = ocds.build_record_package(framework, published_at=published_at)
            (output / f"{ocid}.json").write_text(ocds.dumps(release), encoding="utf-8")
            (output / f"{ocid}-record.json").write_text(ocds.dumps(record), encoding="utf-8")
            self.stdout.write(f"[{number}/{total}] {ocid} {framework.title}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {total} release packages and {total} record packages to {output}"
            )
        )
