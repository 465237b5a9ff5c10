from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learners.importing import LEARNERS_IMPORT
from picsweb.imports.cli import add_import_arguments, run_import


class Command(BaseCommand):
    help = (
        "Validates a learner file (CSV or XLSX: the Learner Import's columns) for the provider "
        "and, with --confirm, adds and updates its learners and their employment statuses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            spec=LEARNERS_IMPORT,
            file=options["file"],
            provider=options["provider"],
            separator=options["separator"],
            confirm=options["confirm"],
            out=self.stdout,
        )
