from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from payments.models import PaymentRecord
from payments.services import FORMATS, payment_report_write
from picsweb.commands import provider_by_ukprn


class Command(BaseCommand):
    help = "Writes the Learner Payment Report of a provider to a .csv or .xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", required=True, help="The provider's UKPRN.")
        parser.add_argument("--output", required=True, help="FILE.csv or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        provider = provider_by_ukprn(options["provider"])
        output = Path(options["output"])
        file_format = output.suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError("The output file must end in .csv or .xlsx.")
        with output.open("wb") as handle:
            count = payment_report_write(
                provider=provider,
                records=PaymentRecord.objects.filter(provider=provider),
                file_format=file_format,
                handle=handle,
            )
        self.stdout.write(f"Wrote {count} payment records to {output}.")
