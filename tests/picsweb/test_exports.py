"""export_job, the one way an export's job starts: it freezes only rows inside the spec's
scope of the job's provider, whatever the caller passes, and every export kind goes through
a registered ExportSpec."""

import pytest

from learners.jobs import AS_COHORT_CHECK
from learners.models import Learner, Role
from picsweb import exports, jobs
from tests.factories import make_learner


def test_it_never_freezes_another_providers_rows(personas):
    ours = make_learner(provider=personas.provider)
    theirs = make_learner(provider=personas.other_provider)
    user = personas.by_role[next(iter(personas.by_role))]

    job = exports.export_job(
        spec=AS_COHORT_CHECK,
        user=user,
        provider=personas.provider,
        rows=Learner.objects.filter(pk__in=[ours.pk, theirs.pk]),
    )

    assert list(exports.export_rows(job)) == [ours]
    assert (job.progress_total, job.params["count"]) == (1, 1)


def test_it_refuses_rows_of_another_model(personas):
    with pytest.raises(TypeError):
        exports.export_job(
            spec=AS_COHORT_CHECK,
            user=personas.by_role[next(iter(personas.by_role))],
            provider=personas.provider,
            rows=personas.provider.__class__.objects.all(),
        )


@pytest.mark.parametrize(
    "kind",
    [
        "learners.csv",
        "learners.as_cohort.check",
        "learners.as_cohort",
        "regcert.export",
        "payments.report",
        "ilr_exports.generate",
    ],
)
def test_every_export_kind_is_an_export_spec(kind):
    assert jobs.get_kind(kind).name in exports._EXPORTS


def _write_then_swept(*, rows, provider, params, progress):
    """Writes the file, but the job was swept (by the beat, as after a long stall) while it
    was being written."""
    from django.core.files.base import ContentFile

    from picsweb.models import Job

    jobs.job_fail(job=Job.objects.get(pk=params["job_id"]), message=jobs.LOST_WORKER_MESSAGE)
    return ContentFile(b"late")


SWEPT = exports.register_export(
    exports.ExportSpec(
        kind="tests.swept_export",
        label="Swept export",
        role=Role.LEARNER_LIST,
        scope=lambda provider: Learner.objects.filter(provider=provider),
        write=_write_then_swept,
        file_name=lambda params: "late.csv",
    )
)


def test_a_swept_exports_late_file_is_dropped_and_it_stays_failed(personas, mailoutbox):
    from picsweb.models import Job

    make_learner(provider=personas.provider)
    owner = personas.by_role[Role.LEARNER_LIST]
    owner.email = "owner@example.com"
    owner.save()
    job = exports.export_job(
        spec=SWEPT,
        user=owner,
        provider=personas.provider,
        rows=Learner.objects.filter(provider=personas.provider),
    )
    job.params["job_id"] = job.pk
    job.save(update_fields=["params"])

    jobs.job_run(job_id=job.pk)

    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.result_file.name) == (Job.Status.FAILED, "")
    assert [m.subject for m in mailoutbox] == ["Failed: Swept export"]
