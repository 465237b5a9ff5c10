"""The AS Cohort Export of 10,000 learners selected out of 200,000 on PostgreSQL: freezing
the selection, then the whole job (checks, files, AS status for every included learner).
Baseline in the same run: the same checks done the plain way, learner by learner through the
ORM's related managers (measured on --baseline-learners and scaled).

Target (issue 6): the job done in <= 5 s.
Run: .venv/bin/python bench/as_cohort_export.py [--selected 10000]
"""

from __future__ import annotations

import argparse
import time

from _setup import setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200_000)
    parser.add_argument("--selected", type=int, default=10_000)
    parser.add_argument("--baseline-learners", type=int, default=1_000)
    args = parser.parse_args()
    setup(args.learners)

    from django.contrib.auth.models import User
    from django.utils import timezone

    from learners import identifiers
    from learners.jobs import AS_COHORT_JOB, run_as_cohort_job
    from learners.models import ASStatusChange, Learner, Provider
    from picsweb.jobs import job_freeze_rows
    from picsweb.models import Job

    provider = Provider.objects.get(ukprn="10012345")
    owner = User.objects.get(username="staff")
    chosen = Learner.objects.filter(
        id__in=Learner.objects.filter(provider=provider)
        .order_by("id")
        .values("id")[: args.selected]
    )
    print(f"{Learner.objects.count():,} learners; {args.selected:,} selected at {provider.name}")

    # Running, as the worker leaves a job it claims (job_run): the job stores its file only
    # while it still runs.
    now = timezone.now()
    job = Job.objects.create(
        kind=AS_COHORT_JOB,
        owner=owner,
        provider=provider,
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
    )
    started = time.perf_counter()
    frozen = job_freeze_rows(job=job, rows=chosen)
    froze = time.perf_counter()
    run_as_cohort_job(job)
    done = time.perf_counter()
    job.refresh_from_db()
    included, excluded = job.report["included"], len(job.report["excluded"])
    # Put the learners back as they were, so the benchmark can run again.
    sent = ASStatusChange.objects.filter(job=job)
    Learner.objects.filter(id__in=sent.values("learner_id")).update(as_status="")
    sent.delete()
    job.delete()

    # Baseline: per learner, the related managers (one query or more per learner and rule).
    sample = list(chosen.order_by("id")[: args.baseline_learners])
    base_started = time.perf_counter()
    for learner in sample:
        reasons = []
        if learner.state != "live":
            reasons.append("not live")
        aim = learner.aims.filter(aim_type=1).order_by("-start_date").first()
        if aim is None or aim.standard_id is None:
            reasons.append("aim")
        if identifiers.uln_problem(learner.uln):
            reasons.append("uln")
        employed = learner.employment_statuses.filter(status=10).exclude(as_agreement_id="").last()
        if employed is None or not learner.email:
            reasons.append("employment or email")
        if not reasons:
            _ = (learner.date_of_birth, aim.planned_end_date, aim.training_price)  # type: ignore[union-attr]
    base = (time.perf_counter() - base_started) / len(sample) * args.selected

    print(f"freeze selection {froze - started:6.2f} s ({frozen:,} learners)")
    print(
        f"export job       {done - froze:6.2f} s ({included:,} in the file, {excluded:,} left "
        f"out with reasons, AS status set for {included:,})"
    )
    print(
        f"baseline (per-learner ORM checks only, no file or status) ~ {base:.2f} s for "
        f"{args.selected:,}"
    )
    total = done - started
    print(
        f"\nselection + job {total:.2f} s (target <= 5); {base / (done - froze):.1f}x the "
        f"baseline's speed at {timezone.now():%Y-%m-%d}"
    )


if __name__ == "__main__":
    main()
