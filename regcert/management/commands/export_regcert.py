from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from picsweb.commands import provider_by_ukprn
from regcert.services import regcert_export_file, registrations_for


class Command(BaseCommand):
    help = "Writes every registration of a provider as the 32-column CSV export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", required=True, help="The provider's UKPRN.")
        parser.add_argument("--output", required=True, help="FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        provider = provider_by_ukprn(options["provider"])
        records = registrations_for(provider=provider)
        Path(options["output"]).write_bytes(regcert_export_file(records).read())
        self.stdout.write(f"Wrote {records.count()} registrations to {options['output']}.")
