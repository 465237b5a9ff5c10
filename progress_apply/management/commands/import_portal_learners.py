from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from picsweb.access import access_for
from picsweb.imports.cli import add_import_arguments, run_import
from picsweb.models import Role
from progress_apply.importing import LEARNER_IMPORT


class Command(BaseCommand):
    help = (
        "Validates a learner import file (seed 003 §7) as USERNAME, a learner manager, and "
        "with --confirm imports it: usernames and passwords are generated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser, provider=False)
        parser.add_argument("--user", required=True, help="The learner manager's username.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        providers = access_for(user).providers(Role.LEARNER_MANAGER)
        if not providers:
            raise CommandError(f"{user.get_username()} is not a learner manager anywhere.")
        run_import(
            spec=LEARNER_IMPORT,
            file=options["file"],
            provider=providers[0],
            separator=options["separator"],
            confirm=options["confirm"],
            out=self.stdout,
            owner=user,
        )
