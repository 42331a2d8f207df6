import getpass
import os
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from brobyg.orgs import services
from brobyg.orgs.choices import OrganisationKind

PASSWORD_VARIABLE = "BROBYG_ADMIN_PASSWORD"


def _password(password_file: Path | None) -> str:
    """The password from --password-file, else from the environment, else asked for."""
    if password_file is not None:
        try:
            text = password_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read the password file {password_file}: {error}") from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise CommandError(f"The password file {password_file} is empty.")
        return lines[0]
    if PASSWORD_VARIABLE in os.environ:
        if not os.environ[PASSWORD_VARIABLE]:
            raise CommandError(f"{PASSWORD_VARIABLE} is set but empty.")
        return os.environ[PASSWORD_VARIABLE]
    if not sys.stdin.isatty():
        raise CommandError(
            f"No terminal to ask for the password: give --password-file or set {PASSWORD_VARIABLE}."
        )
    return getpass.getpass("Password for the administrator: ")


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
        parser.add_argument(
            "--password-file",
            type=Path,
            help=(
                "Read the administrator's password from the first line of this file instead of "
                f"asking. Without it, the environment variable {PASSWORD_VARIABLE} is used if set."
            ),
        )

    def handle(self, *args, email, name, organisation, kind, password_file=None, **options):
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the e-mail {email} already exists.")
        password = _password(password_file)
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
