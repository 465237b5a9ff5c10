"""The portal (seed 003, UCAS Progress Search and Apply): portal learners and the record of who
saw issued credentials. Staff of the portal (learner, provider and user managers) are members
with a role (picsweb.models.Role); a portal learner is a user with a `PortalLearner` profile and
exactly one current provider. Not the staff `learners.Learner` record."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from picsweb.models import ImportBatch, Provider


class YearGroup(models.IntegerChoices):
    """Learner year group (seed §5.1 shows "Year 7"; A22: Year 7 to Year 14)."""

    YEAR_7 = 7, "Year 7"
    YEAR_8 = 8, "Year 8"
    YEAR_9 = 9, "Year 9"
    YEAR_10 = 10, "Year 10"
    YEAR_11 = 11, "Year 11"
    YEAR_12 = 12, "Year 12"
    YEAR_13 = 13, "Year 13"
    YEAR_14 = 14, "Year 14"


class ProviderDefault(models.TextChoices):
    """Seed §5.1e: 'Sign off learner's profile?' and 'add qualifications on behalf?'."""

    DEFAULT = "default", "Use provider default"
    YES = "yes", "Yes"
    NO = "no", "No"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"
    NOT_SPECIFIED = "not_specified", "Not specified"


class Ethnicity(models.TextChoices):
    """The seed's 19 values (2011 census; §5.1 form, §7.3)."""

    BRITISH = "british", "English / Welsh / Scottish / Northern Irish / British"
    NOT_PROVIDED = "not_provided", "Not provided"
    IRISH = "irish", "Irish"
    TRAVELLER = "traveller", "Gypsy or Irish Traveller"
    OTHER_WHITE = "other_white", "Any other White background"
    WHITE_CARIBBEAN = "white_caribbean", "White and Black Caribbean"
    WHITE_AFRICAN = "white_african", "White and Black African"
    WHITE_ASIAN = "white_asian", "White and Asian"
    OTHER_MIXED = "other_mixed", "Any other mixed / multiple ethnic background"
    INDIAN = "indian", "Indian"
    PAKISTANI = "pakistani", "Pakistani"
    BANGLADESHI = "bangladeshi", "Bangladeshi"
    CHINESE = "chinese", "Chinese"
    OTHER_ASIAN = "other_asian", "Any other Asian background"
    AFRICAN = "african", "African"
    CARIBBEAN = "caribbean", "Caribbean"
    OTHER_BLACK = "other_black", "Any other Black African / Caribbean background"
    ARAB = "arab", "Arab"
    OTHER = "other", "Any other ethnic group"


class PortalLearnerQuerySet(models.QuerySet["PortalLearner"]):
    def never_logged_in(self) -> PortalLearnerQuerySet:
        return self.filter(user__last_login__isnull=True)

    def locked(self) -> PortalLearnerQuerySet:
        return self.filter(locked_at__isnull=False)


class PortalLearner(models.Model):
    """A portal learner's profile: the user (names, email, username, password) plus what the
    manager records (seed §5.1). The issued password (one the manager typed or the import
    generated) is kept only encrypted, only until the learner first logs in or is reset."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_learner"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    year_group = models.PositiveSmallIntegerField(choices=YearGroup.choices)
    date_of_birth = models.DateField()
    sign_off_profile = models.CharField(
        max_length=10, choices=ProviderDefault.choices, default=ProviderDefault.DEFAULT
    )
    manager_adds_qualifications = models.CharField(
        max_length=10, choices=ProviderDefault.choices, default=ProviderDefault.DEFAULT
    )
    house = models.CharField("House name or number", max_length=100, blank=True)
    street = models.CharField(max_length=100, blank=True)
    locality = models.CharField(max_length=100, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    telephone = models.CharField(max_length=20, blank=True)
    uln = models.CharField("ULN", max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    ccis_id = models.CharField("CCIS ID", max_length=10, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    issued_password = models.TextField(
        blank=True, help_text="The issued password, Fernet-encrypted; erased at first log-in."
    )
    must_change_password = models.BooleanField(default=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PortalLearnerQuerySet.as_manager()

    class Meta:
        indexes = [
            # The dashboard's counts and the list's filters, per provider.
            models.Index(fields=["provider", "locked_at"], name="progress_apply_pl_locked"),
            # Duplicate check of the import: same provider and date of birth, then names.
            models.Index(fields=["provider", "date_of_birth"], name="progress_apply_pl_dob"),
            models.Index(fields=["uln"], name="progress_apply_pl_uln"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.user.get_username()})"


class CredentialAccess(models.Model):
    """Each view and download of issued passwords (and each reset that shows one)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed learners who have not logged on"
        DOWNLOAD = "download", "Downloaded learners who have not logged on"
        RESET = "reset", "Reset a learner's password"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    learner_count = models.PositiveIntegerField(default=0)
    learner = models.ForeignKey(
        PortalLearner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.at:%Y-%m-%d %H:%M}"


class AccountDetails(models.Model):
    """What the account page keeps beyond Django's user: the telephone number (§3.2)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_details"
    )
    telephone = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.user}"
