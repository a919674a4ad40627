from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from marketplace.accounts.selectors import confirmed_totp_device
from marketplace.accounts.totp import current_code


class Command(BaseCommand):
    help = (
        "Print the current authenticator code for a user's confirmed TOTP device. "
        "For the local demo only: refuses to run unless DEBUG is True."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The user's e-mail address")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_totp prints live sign-in codes, so it only runs when DEBUG is True "
                "(local development settings)."
            )
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email}.")
        device = confirmed_totp_device(user=user)
        if device is None:
            raise CommandError(
                f"{user.email} has not set up an authenticator app yet: sign in as them and "
                "follow the set-up page first."
            )
        self.stdout.write(current_code(device))
