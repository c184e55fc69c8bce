"""Create the first administrator of an organisation, with a one-time password code."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from komar.accounts.models import Organisation
from komar.accounts.services import administrator_create_first


class Command(BaseCommand):
    help = (
        "Create an administrator of an organisation (made first in /admin/) and print a "
        "one-time code: the person sets their password with it on the page 'Set a new "
        "password with a code', linked from the sign-in page. Audited, with the system as "
        "the actor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--organisation", required=True, help="The organisation's name, as in /admin/."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError("No organisation has this name. Create it in /admin/ first.")
        try:
            user, issued = administrator_create_first(
                organisation=organisation, username=options["username"]
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(
                    f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
                )
            ) from error
        expires = timezone.localtime(issued.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"Administrator {user.username} created in {organisation.name}.")
        self.stdout.write(f"One-time code (works once, until {expires}): {issued.code}")
        self.stdout.write("Hand it over in person; it is not stored and cannot be shown again.")
