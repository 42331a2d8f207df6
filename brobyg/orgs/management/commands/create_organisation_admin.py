import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from brobyg.orgs import services
from brobyg.orgs.choices import OrganisationKind


class Command(BaseCommand):
    help = (
        "Create the first organisation of an installation and its administrator, who is also "
        "the platform administrator (may create further organisations). The admin then sets up "
        "everything else in the app."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="The administrator's full name.")
        parser.add_argument("--organisation", required=True, help="The organisation's name.")
        parser.add_argument("--kind", required=True, choices=OrganisationKind.values)

    def handle(self, *args, email, name, organisation, kind, **options):
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the e-mail {email} already exists.")
        password = getpass.getpass("Password for the administrator: ")
        user = User(email=email.lower(), full_name=name, is_platform_admin=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        try:
            with transaction.atomic():
                user.set_password(password)
                user.full_clean()
                user.save()
                services.organisation_create(actor=user, name=organisation, kind=kind)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {organisation} with {email} as administrator. On first log-in they "
                "set up a second factor."
            )
        )
