"""Awarding-body Registration & Certification records (seed 002)."""

from __future__ import annotations

import uuid

from django.db import models

from learners.models import Learner


class Registration(models.Model):
    PROVIDER_PATH = "learner__provider"  # for picsweb.access: whose registration it is

    class Status(models.TextChoices):
        NOT_REGISTERED = "Not registered", "Not registered"
        REGISTERED = "Registered", "Registered"
        ACHIEVED = "Achieved", "Achieved"
        CERTIFICATE_CLAIMED = "Certificate Claimed", "Certificate Claimed"
        CERTIFICATE_RECEIVED = "Certificate Received", "Certificate Received"
        CERTIFICATE_SENT = "Certificate Sent", "Certificate Sent"
        EXEMPT = "Exempt", "Exempt"
        NOT_REQUIRED = "Registration Not Required", "Registration Not Required"

    # Seed 002 note 4: some statuses are "not permitted without a Registration Number". These
    # are the statuses that only exist once the awarding organisation has registered the
    # learner: registered, and every step of achievement and certification after it.
    NEEDS_REGISTRATION_NUMBER = frozenset(
        {
            Status.REGISTERED,
            Status.ACHIEVED,
            Status.CERTIFICATE_CLAIMED,
            Status.CERTIFICATE_RECEIVED,
            Status.CERTIFICATE_SENT,
        }
    )

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="registrations")
    qualification_number = models.CharField(
        max_length=128, help_text="The learning aim reference, e.g. 60312345."
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NOT_REGISTERED)
    registration_number = models.CharField(
        max_length=128, blank=True, help_text="Only this form can remove it; an import cannot."
    )
    registration_date = models.DateField(null=True, blank=True)
    certificate_claimed_date = models.DateField(null=True, blank=True)
    achieved_date = models.DateField(null=True, blank=True)
    certificate_received_date = models.DateField(null=True, blank=True)
    certificate_sent_date = models.DateField(null=True, blank=True)
    postal_tracking_reference = models.CharField(max_length=128, blank=True)
    created_batch = models.ForeignKey(
        "picsweb.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["learner__family_name", "qualification_number", "id"]
        indexes = [
            # Import matching: ULN + qualification number (+ registration number).
            models.Index(
                fields=["learner", "qualification_number", "registration_number"],
                name="regcert_reg_match",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.qualification_number} ({self.status})"
