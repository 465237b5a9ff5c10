from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from picsweb.imports.cli import add_import_arguments, run_import
from regcert.importing import REGCERT


class Command(BaseCommand):
    help = "Validates a Registration & Certification CSV and, with --confirm, imports it."

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            spec=REGCERT,
            file=options["file"],
            provider=options["provider"],
            separator=options["separator"],
            confirm=options["confirm"],
            out=self.stdout,
        )
