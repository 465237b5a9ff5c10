from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from payments.importing import PAYMENTS
from picsweb.imports.cli import add_import_arguments, run_import


class Command(BaseCommand):
    help = "Validates a payment records file (CSV or XLSX) and, with --confirm, imports it."

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            spec=PAYMENTS,
            file=options["file"],
            provider=options["provider"],
            separator=options["separator"],
            confirm=options["confirm"],
            out=self.stdout,
        )
