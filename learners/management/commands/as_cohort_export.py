from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict
from django.utils import timezone

from learners.as_cohort import as_cohort_build, as_cohort_files, as_cohort_mark_sent
from learners.filters import LearnerFilter
from learners.models import Learner
from learners.services import provider_choice_lists
from picsweb.commands import provider_by_ukprn
from picsweb.spreadsheets import SafeCsvWriter


class Command(BaseCommand):
    help = (
        "Writes the AS cohort file for the provider's learners matching an AS Agreement ID "
        "and/or AS cohort (as the learner list's filters), and marks them Sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", required=True, help="The provider's UKPRN.")
        parser.add_argument("--agreement-id", default="", help="AS Agreement ID filter.")
        parser.add_argument("--cohort", default="", help="AS cohort code filter.")
        parser.add_argument("--output", required=True, help="FILE.csv (a .zip above 99).")
        parser.add_argument("--report", help="CSV of the learners left out, with reasons.")

    def handle(self, *args: Any, **options: Any) -> None:
        provider = provider_by_ukprn(options["provider"])
        if not options["agreement_id"] and not options["cohort"]:
            raise CommandError("Give --agreement-id and/or --cohort, as the learner list needs.")
        data = QueryDict(mutable=True)
        data.update({"as_agreement_id": options["agreement_id"], "as_cohort": options["cohort"]})
        learner_filter = LearnerFilter(
            data,
            Learner.objects.filter(provider=provider),
            provider_choice_lists(provider=provider),
        )
        if not learner_filter.is_valid():
            raise CommandError(str(learner_filter.form.errors))
        at = timezone.localtime()
        export = as_cohort_build(learners=learner_filter.qs, today=at.date())
        output = Path(options["output"])
        if export.included:
            name, content = as_cohort_files(export=export, ukprn=provider.ukprn, at=at)
            if name.endswith(".zip") and output.suffix != ".zip":
                output = output.with_suffix(".zip")
            output.write_bytes(content)
            as_cohort_mark_sent(export=export, job_id=None, user_id=None, export_name=name)
        if options["report"]:
            with open(options["report"], "w", newline="", encoding="utf-8-sig") as handle:
                writer = SafeCsvWriter(handle)
                writer.writerow(["LRN", "Name", "Reasons"])
                for e in export.exclusions:
                    writer.writerow([e.lrn, e.name, " ".join(e.reasons)])
        self.stdout.write(
            f"Included {export.included}, excluded {len(export.exclusions)}."
            + (f" Wrote {output}." if export.included else " No file written.")
        )
