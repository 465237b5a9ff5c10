from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from demo import services as demo


class Command(BaseCommand):
    help = "Creates demo providers, users with each role, and realistic valid learners."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=3000, help="How many learners.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when demo data was loaded before (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo.demo_users_exist():
            self.stdout.write("Demo data is loaded already.")
            return
        total = options["learners"]

        def progress(done: int) -> None:
            if done % 20000 == 0 or done == total:
                self.stdout.write(f"  {done:,} of {total:,} learners")

        summary = demo.seed_demo(learners=total, seed=options["seed"], progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {summary.learners:,} learners at {summary.providers} providers "
                f"in {summary.seconds:.1f} s."
            )
        )
