"""The Job row: one per background run of an import or export. The row is the truth, not
the broker's result backend."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


def job_file_path(instance: Job, filename: str) -> str:
    return f"jobs/{instance.code}/{filename}"


class JobQuerySet(models.QuerySet["Job"]):
    def stale(self) -> JobQuerySet:
        """Running jobs whose worker has not reported for longer than JOB_STALE_AFTER."""
        cutoff = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
        return self.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=60, help_text="The registered job kind.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    provider = models.ForeignKey("learners.Provider", on_delete=models.CASCADE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict, blank=True, help_text="What the job was asked to do.")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    input_file = models.FileField(upload_to=job_file_path, blank=True, max_length=300)
    input_name = models.CharField(max_length=255, blank=True)
    result_file = models.FileField(upload_to=job_file_path, blank=True, max_length=300)
    plan_file = models.FileField(
        upload_to=job_file_path,
        blank=True,
        max_length=300,
        help_text="An import's accepted changes, as validated: what confirming applies.",
    )
    result_name = models.CharField(max_length=255, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True, help_text="Safe to show to the owner.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My jobs": a user's jobs, newest first.
            models.Index(fields=["owner", "-created_at"], name="picsweb_job_owner_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))


class JobLearner(models.Model):
    """The learners a job acts on, frozen when it starts."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="learner_links")
    learner = models.ForeignKey("learners.Learner", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "learner"], name="picsweb_joblearner_unique")
        ]

    def __str__(self) -> str:
        return f"learner {self.learner_id} of job {self.job_id}"


class ImportBatch(models.Model):
    """One applied import: what it created (rows pointing back here) and the values it
    replaced (BatchChange), so Undo import can restore them."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job = models.OneToOneField(
        Job,
        on_delete=models.CASCADE,
        related_name="batch",
        null=True,
        blank=True,
        help_text="Empty for imports run from the command line.",
    )
    provider = models.ForeignKey("learners.Provider", on_delete=models.CASCADE)
    kind = models.CharField(max_length=60)
    file_sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            # The same file is applied once (until undone), however often it is confirmed
            # and however many imports of it run at once.
            models.UniqueConstraint(
                fields=["provider", "kind", "file_sha256"],
                condition=models.Q(undone_at__isnull=True),
                name="picsweb_importbatch_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.file_name}"


class BatchChange(models.Model):
    """The values an import replaced on one record."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    object_id = models.BigIntegerField()
    before = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "object_id"], name="picsweb_batchchange_unique"
            )
        ]

    def __str__(self) -> str:
        return f"change to {self.object_id} in batch {self.batch_id}"
