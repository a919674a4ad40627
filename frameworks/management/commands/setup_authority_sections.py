from django.core.management.base import BaseCommand

from frameworks.setup import ensure_authority_section
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind


class Command(BaseCommand):
    help = (
        "Give every regional authority its frameworks section, staff group permissions, "
        "document collection and the framework approval workflow. Safe to run again."
    )

    def handle(self, *args, **options):
        authorities = Organisation.objects.filter(kind=OrganisationKind.AUTHORITY).order_by("pk")
        count = 0
        for authority in authorities:
            ensure_authority_section(authority=authority)
            count += 1
        self.stdout.write(self.style.SUCCESS(f"{count} authority sections are set up."))
