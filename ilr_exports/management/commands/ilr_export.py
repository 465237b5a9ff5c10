from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ilr_exports.models import IlrExport
from ilr_exports.services import (
    IlrExportError,
    ilr_export_record,
    ilr_file_name,
    ilr_write_validated,
)
from ilr_exports.years import CURRENT_YEAR, YEARS, missing_year
from learners.models import Contract, Organisation, Provider, Site, Tag
from picsweb.commands import provider_by_ukprn
from picsweb.errors import UserError


class Command(BaseCommand):
    help = "Writes the ILR file of a provider (as the ILR Exports page does) and prints its name."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ukprn", required=True)
        parser.add_argument("--site", nargs="*", default=[], help="Site codes.")
        parser.add_argument("--subcontractor", nargs="*", default=[], help="PICS IDs.")
        parser.add_argument("--contract", nargs="*", default=[], help="Contract references.")
        parser.add_argument("--tag", nargs="*", default=[], help="Tag names.")
        parser.add_argument(
            "--monitoring",
            default="as_entered,as_entered,as_entered,as_entered",
            help=f"Four of: {', '.join(IlrExport.Monitoring.values)}",
        )
        parser.add_argument("--output-dir", required=True)
        parser.add_argument(
            "--year",
            choices=sorted(YEARS, reverse=True),
            default=CURRENT_YEAR.code,
            help="Collection year code (default: the newest installed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        provider = provider_by_ukprn(options["ukprn"])
        monitoring = options["monitoring"].split(",")
        if len(monitoring) != 4 or not set(monitoring) <= set(IlrExport.Monitoring.values):
            raise CommandError(
                f"--monitoring takes four of {', '.join(IlrExport.Monitoring.values)}"
            )
        filters = {
            "sites": self._ids(Site, provider, "code", options["site"]),
            "subcontractors": self._ids(
                Organisation, provider, "pics_id", options["subcontractor"]
            ),
            "contracts": self._ids(Contract, provider, "reference", options["contract"]),
            "tags": self._ids(Tag, provider, "name", options["tag"]),
        }
        at = timezone.localtime()
        year = YEARS[options["year"]]
        missing = missing_year(at.date())
        if missing:
            self.stderr.write(
                f"Today is in {missing.label}, but picsweb holds the ILR schema only up to "
                f"{CURRENT_YEAR.label}: this is a {year.label} file. Install {missing.label} "
                f"(ilr_exports/schemas/{missing.schema_file} and its entry in "
                "ilr_exports/years.py; docs/ilr.md)."
            )
        try:
            export = ilr_export_record(
                provider=provider,
                user=None,
                year=year,
                filters=filters,
                monitoring=monitoring,
            )
        except UserError as error:
            raise CommandError(error.message) from None
        name = ilr_file_name(ukprn=provider.ukprn, year=year, at=at, serial=export.serial)
        path = Path(options["output_dir"]) / name
        try:
            with path.open("w+b") as handle:
                written, problem = ilr_write_validated(
                    export=export, year=year, at=at, handle=handle
                )
            if problem or not written.learners:
                raise IlrExportError(problem or "No learner can go in this file.")
        except UserError as error:
            path.unlink(missing_ok=True)
            raise CommandError(error.message) from None
        export.file_name = name
        export.learner_count = written.learners
        export.save(update_fields=["file_name", "learner_count"])
        for left_out in written.problems:
            self.stderr.write(f"Left out {left_out.lrn}: {' '.join(left_out.reasons)}")
        self.stdout.write(name)

    def _ids(self, model: Any, provider: Provider, field: str, values: list[str]) -> list[int]:
        found = dict(
            model.objects.filter(provider=provider, **{f"{field}__in": values}).values_list(
                field, "id"
            )
        )
        missing = [v for v in values if v not in found]
        if missing:
            raise CommandError(f"No {model._meta.verbose_name} with {field} {', '.join(missing)}.")
        return [found[v] for v in values]
