"""ESFA's validation rules (ilr_exports/rules) at speed: a typical apprenticeship learner (a
programme aim and three components, two employment statuses: the example file's learner)
parsed into the record and checked against every rule, microseconds a learner and learners
per second, with parsing alone measured in the same run and the ratio between them.

Target (issue 18 §5): parse + check <= 60 us a learner, so that the whole export (writing
included) can reach >= 8,000 learners/s.
No database. Run: .venv/bin/python bench/ilr_rules.py [--learners 20000]
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from ilr_exports.rules import Context, LarsStandard, all_rules, check_record, parse_learner  # noqa: E402

EXAMPLE = next((ROOT / "ilr_exports" / "schemas" / "examples").glob("*.XML"))
TARGET_US = 60.0


def learners(count: int) -> list[etree._Element]:
    """`count` copies of the example learner, each its own element (as the writer makes)."""
    root = etree.parse(str(EXAMPLE)).getroot()
    (learner,) = root.findall("{*}Learner")
    return [copy.deepcopy(learner) for _ in range(count)]


def best_of(runs: int, fn, elements) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        # CPU time of this process: the machine is shared, wall time would count others.
        started = time.process_time()
        fn(elements)
        best = min(best, time.process_time() - started)
    return best


def parse_only(elements: list[etree._Element]) -> None:
    for element in elements:
        parse_learner(element)


def parse_and_check(elements: list[etree._Element]) -> None:
    ctx = CONTEXT
    for element in elements:
        check_record(parse_learner(element), ctx)


STANDARDS = {123: LarsStandard(123, date(2017, 3, 1), None)}
CONTEXT = Context(date(2025, 8, 1), date(2026, 7, 31), date(2025, 10, 6), 10012345, STANDARDS.get)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    elements = learners(args.learners)
    assert all(not f.is_error for f in check_record(parse_learner(elements[0]), CONTEXT))
    parse_s = best_of(args.runs, parse_only, elements)
    total_s = best_of(args.runs, parse_and_check, elements)
    n = args.learners
    us = total_s / n * 1e6
    print(f"rules: {len(all_rules())}; learners: {n:,} (best of {args.runs} runs)")
    print(f"parse only:       {parse_s / n * 1e6:6.1f} us/learner  {n / parse_s:9,.0f} learners/s")
    print(f"parse + check:    {us:6.1f} us/learner  {n / total_s:9,.0f} learners/s")
    print(f"ratio (parse + check / parse): {total_s / parse_s:.2f}")
    print(f"target: <= {TARGET_US:.0f} us/learner -> {'met' if us <= TARGET_US else 'NOT met'}")


if __name__ == "__main__":
    main()
