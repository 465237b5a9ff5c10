"""The core's models: providers, memberships and roles (who may do what where), and the Job
row, one per background run of an import or export (the row is the truth, not the broker's
result backend)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.template.defaultfilters import pluralize
from django.utils import timezone

# Providers, the roles their members hold, and the base of every provider-owned record. The
# tables keep the names they had when these models lived in the learners app.

ukprn_validator = RegexValidator(r"^1\d{7}$", "A UKPRN is 8 digits starting with 1.")


class Role(models.TextChoices):
    """What a member of a provider may do. Provider Admin may do everything for its provider."""

    LEARNER_LIST = "learner_list", "Learner List"
    BULK_ACTIONS = "bulk_actions", "Bulk Actions"
    ILR_EXPORT = "ilr_export", "ILR Export"
    PAYMENTS_IMPORT = "payments_import", "Payments Import"
    BULK_UPLOAD = "bulk_upload", "Bulk Upload"
    MANAGE_REGCERT = "manage_regcert", "Manage Registration & Certification"
    DATA_EXPORT = "data_export", "Data Export"
    LEARNER_MANAGER = "learner_manager", "Learner Manager"
    PROVIDER_MANAGER = "provider_manager", "Provider Manager"
    USER_MANAGER = "user_manager", "User Manager"
    ADMISSIONS = "admissions", "Admissions"  # decides the portal's applications to the provider
    EDIT_LEARNERS = "edit_learners", "Edit Learners"  # changes learner records on their pages
    PROVIDER_ADMIN = "provider_admin", "Provider Admin"


class ProviderQuerySet(models.QuerySet["Provider"]):
    pass


class Provider(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ukprn = models.CharField("UKPRN", max_length=8, unique=True, validators=[ukprn_validator])
    name = models.CharField(max_length=200)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        db_table = "learners_provider"

    def __str__(self) -> str:
        return f"{self.name} ({self.ukprn})"


class Membership(models.Model):
    """One role a user holds at one provider. A user may belong to several providers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        db_table = "learners_membership"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider", "role"], name="learners_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.provider.ukprn}"


class ProviderOwned(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)

    class Meta:
        abstract = True


def job_file_path(instance: Job, filename: str) -> str:
    return f"jobs/{instance.code}/{filename}"


class JobQuerySet(models.QuerySet["Job"]):
    def stale(self, *, cutoff: datetime) -> JobQuerySet:
        """Running jobs whose worker has not reported since `cutoff`."""
        return self.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff)

    def files_expired(self) -> JobQuerySet:
        """Finished jobs whose files are older than FILE_RETENTION_DAYS and still kept."""
        cutoff = timezone.now() - timedelta(days=settings.FILE_RETENTION_DAYS)
        ended = models.Q(finished_at__lt=cutoff) | models.Q(
            finished_at__isnull=True,
            created_at__lt=cutoff,  # cancelled before it ran
        )
        return self.filter(ended, status__in=Job.FINISHED, files_removed_at__isnull=True)


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
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
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
    files_removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its files were removed, FILE_RETENTION_DAYS after it finished.",
    )

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
    def status_label(self) -> str:
        """The status as shown: a check that found rows with errors does not say only
        "Succeeded", nor does an import that applied the other rows say it only checked."""
        report = self.report if isinstance(self.report, dict) else {}
        problems = report.get("problem_rows")
        if self.status == self.Status.SUCCEEDED and isinstance(problems, int) and problems:
            if self.kind.endswith(".apply"):
                return f"Imported: {problems:,} row{pluralize(problems)} with errors left out"
            return "Checked: some rows have errors"
        return str(self.get_status_display())

    @property
    def summary(self) -> str:
        """What tells this job from the others in My jobs: its file and its counts."""
        report = self.report if isinstance(self.report, dict) else {}
        parts = [self.input_name or self.result_name or ""]
        counts = [
            ("accepted", "accepted"),
            ("problem_rows", "with errors"),
            ("new", "new"),
            ("updated", "updated"),
            ("learners", "learners"),
            ("included", "included"),
        ]
        for key, word in counts:
            value = report.get(key)
            if isinstance(value, int) and value:
                parts.append(f"{value:,} {word}")
        excluded = report.get("excluded") or report.get("problems")
        if isinstance(excluded, list) and excluded:
            parts.append(f"{len(excluded):,} left out")
        return " · ".join(p for p in parts if p)

    @property
    def progress_text(self) -> str:
        if not self.progress_total:
            return "Starting…"
        return f"{self.progress_done:,} of {self.progress_total:,} done"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))


class JobRow(models.Model):
    """The rows a job acts on (learners, registrations, payment records...), frozen when it
    starts: the job's kind says which model `object_id` is a key of. A row deleted since
    simply no longer matches."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="rows")
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            # Also the index behind "the rows of job J" (job first).
            models.UniqueConstraint(fields=["job", "object_id"], name="picsweb_jobrow_unique")
        ]

    def __str__(self) -> str:
        return f"row {self.object_id} of job {self.job_id}"


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
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
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
