"""ILR exports (seed 001): one row per export, its file made by a Job."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from learners.models import Provider


class IlrExport(models.Model):
    class Monitoring(models.TextChoices):
        AS_ENTERED = "as_entered", "As Entered"
        PROVIDER_ID = "provider_id", "Provider ID"
        PICS_ID = "pics_id", "PICS Identifier"
        SITE_CODE = "site_code", "Site Code"
        QUALIFICATION_PLAN = "qualification_plan_code", "Qualification Plan Code"
        OFFICER = "main_officer_code", "Main Officer Code"
        MAIN_TAG = "main_tag", "Main Tag"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="ilr_exports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    year_code = models.CharField(max_length=4, help_text="The collection year, e.g. 2526.")
    serial = models.PositiveSmallIntegerField(help_text="NN in the file name: 1-99 per year.")
    file_name = models.CharField(max_length=60, blank=True)
    filters = models.JSONField(default=dict, blank=True, help_text="IDs and labels chosen.")
    monitoring = models.JSONField(default=list, help_text="The four monitoring choices.")
    learner_count = models.PositiveIntegerField(default=0)
    # A pre-submission check: the rules run on the learners, no file is made, no serial taken.
    check_only = models.BooleanField(default=False)
    job = models.OneToOneField(
        "picsweb.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="ilr_export"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "year_code", "serial"],
                condition=models.Q(check_only=False),
                name="ilr_exports_serial_once",
            )
        ]

    def __str__(self) -> str:
        if self.check_only:
            return f"ILR check of {self.provider.ukprn}"
        return self.file_name or f"ILR export {self.serial:02d} of {self.provider.ukprn}"

    @property
    def status(self) -> str:
        """Queued, Running, Generated or Failed, as the Export List shows it."""
        if self.job is None:  # made on the command line
            return "Generated" if self.file_name else "Failed"
        done = "Checked" if self.check_only else "Generated"
        return {"queued": "Queued", "running": "Running", "succeeded": done}.get(
            self.job.status, "Failed"
        )
