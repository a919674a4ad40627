"""Move the documents offerings use into the private "Supplier documents" collection."""

from django.core.management.base import BaseCommand

from suppliers.documents import SUPPLIER_DOCUMENTS, protect_offering_documents


class Command(BaseCommand):
    help = (
        "Move every document an offering uses, now or in any earlier version, into the private "
        f"“{SUPPLIER_DOCUMENTS}” collection. Safe to run again: it moves only what is elsewhere."
    )

    def handle(self, *args, **options):
        moved = protect_offering_documents()
        noun = "document" if moved == 1 else "documents"
        self.stdout.write(f"Moved {moved} supplier {noun} into “{SUPPLIER_DOCUMENTS}”.")
