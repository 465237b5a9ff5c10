"""The portal (seed 003, UCAS Progress Search and Apply): portal learners and the record of who
saw issued credentials. Staff of the portal (learner, provider and user managers) are members
with a role (picsweb.models.Role); a portal learner is a user with a `PortalLearner` profile and
exactly one current provider. Not the staff `learners.Learner` record."""

from __future__ import annotations

import uuid
from typing import Any

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


class SectionStatus(models.TextChoices):
    """Each profile section's state, shown in the managers' learner list (seed §5.2b)."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


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
    # The profile (seed §5.2): three sections the learner completes, the manager approves.
    personal_status = models.CharField(
        "Personal details",
        max_length=12,
        choices=SectionStatus.choices,
        default=SectionStatus.NOT_STARTED,
    )
    qualifications_status = models.CharField(
        "Qualifications",
        max_length=12,
        choices=SectionStatus.choices,
        default=SectionStatus.NOT_STARTED,
    )
    statement_status = models.CharField(
        "Personal statement",
        max_length=12,
        choices=SectionStatus.choices,
        default=SectionStatus.NOT_STARTED,
    )
    personal_statement = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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


class PortalSettings(models.Model):
    """A provider's defaults for its portal learners (set by the Provider Manager): whether
    profiles need signing off and whether managers add the learners' qualifications
    ('Learners cannot add qualifications'), and the default referee (seed §5.1, §5.5, §9.0).
    A provider without a row has both defaults off and no referee."""

    provider = models.OneToOneField(
        Provider, on_delete=models.CASCADE, related_name="portal_settings"
    )
    sign_off_profiles = models.BooleanField("Sign off learners' profiles", default=False)
    manager_adds_qualifications = models.BooleanField(
        "Learners cannot add qualifications",
        default=False,
        help_text="Learner managers add the learners' qualifications.",
    )
    referee_name = models.CharField("Referee's name", max_length=100, blank=True)
    referee_position = models.CharField("Referee's position", max_length=100, blank=True)
    referee_telephone = models.CharField("Referee's telephone", max_length=20, blank=True)
    referee_email = models.EmailField("Referee's email", blank=True)

    class Meta:
        verbose_name = "portal settings"
        verbose_name_plural = "portal settings"

    def __str__(self) -> str:
        return f"Portal settings of {self.provider}"


class QualificationType(models.Model):
    """A qualification a learner may hold (reference data, editable in the admin)."""

    name = models.CharField(max_length=150, unique=True)
    level = models.CharField("RQF level", max_length=10, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class QualificationSubject(models.Model):
    type = models.ForeignKey(QualificationType, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["type", "name"], name="progress_apply_subject_unique")
        ]

    def __str__(self) -> str:
        return self.name


class QualificationGrade(models.Model):
    type = models.ForeignKey(QualificationType, on_delete=models.CASCADE, related_name="grades")
    grade = models.CharField(max_length=40)
    rank = models.PositiveSmallIntegerField(help_text="1 is the best grade of the type.")

    class Meta:
        ordering = ["rank", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["type", "grade"], name="progress_apply_grade_unique")
        ]

    def __str__(self) -> str:
        return self.grade


class Qualification(models.Model):
    """One of a learner's qualifications (seed §5.4): type, subject of that type, completion
    month, and a predicted or an actual grade of that type (or both). One a learner manager
    added is verified, and shown so to receiving providers."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        PortalLearner, on_delete=models.CASCADE, related_name="qualifications"
    )
    type = models.ForeignKey(QualificationType, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(QualificationSubject, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(
        "Completion date", null=True, blank=True, help_text="The month (day 1) of the exam."
    )
    predicted_grade = models.ForeignKey(
        QualificationGrade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actual_grade = models.ForeignKey(
        QualificationGrade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified = models.BooleanField(default=False, help_text="Added by a learner manager.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(predicted_grade__isnull=False)
                | models.Q(actual_grade__isnull=False),
                name="progress_apply_qualification_has_a_grade",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"


class LearnerGroup(models.Model):
    """A provider's group of learners (tutor group, SEN, gifted and talented...; seed §8).
    Managers assigned to groups see only those groups' learners."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    year_group = models.PositiveSmallIntegerField(choices=YearGroup.choices, null=True, blank=True)
    learners = models.ManyToManyField(PortalLearner, blank=True, related_name="groups")
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="portal_learner_groups",
        help_text="Learner managers who see only the learners of their groups.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="progress_apply_group_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    AVERAGE = "average", "Average"
    BELOW_AVERAGE = "below_average", "Below average"
    POOR = "poor", "Poor"


# The nine ratings of the reference form (seed §5.5), field name -> label.
REFERENCE_RATINGS = {
    "rating_staff": "Relationship with staff",
    "rating_students": "Relationship with other students",
    "rating_self_discipline": "Self discipline",
    "rating_punctuality": "Punctuality",
    "rating_academic": "General academic ability",
    "rating_health": "Health",
    "rating_school_life": "Involvement in school life",
    "rating_behaviour": "Behaviour",
    "rating_commitment": "Commitment to learning",
}


def _rating(label: str) -> models.CharField[str, str]:
    return models.CharField(label, max_length=15, choices=Rating.choices, blank=True)


class Reference(models.Model):
    """The learner's reference (seed §5.5): a draft until completed, then attached to the
    learner's applications. The referee is the provider's default unless a different one is
    given here."""

    learner = models.OneToOneField(
        PortalLearner, on_delete=models.CASCADE, related_name="reference"
    )
    display_to_learner = models.BooleanField(default=False)
    attendance = models.PositiveSmallIntegerField("Attendance %", null=True, blank=True)
    rating_staff = _rating(REFERENCE_RATINGS["rating_staff"])
    rating_students = _rating(REFERENCE_RATINGS["rating_students"])
    rating_self_discipline = _rating(REFERENCE_RATINGS["rating_self_discipline"])
    rating_punctuality = _rating(REFERENCE_RATINGS["rating_punctuality"])
    rating_academic = _rating(REFERENCE_RATINGS["rating_academic"])
    rating_health = _rating(REFERENCE_RATINGS["rating_health"])
    rating_school_life = _rating(REFERENCE_RATINGS["rating_school_life"])
    rating_behaviour = _rating(REFERENCE_RATINGS["rating_behaviour"])
    rating_commitment = _rating(REFERENCE_RATINGS["rating_commitment"])
    rating_details = models.TextField("Details of below average ratings", blank=True)
    support_required = models.BooleanField("Additional support required", null=True, blank=True)
    support_details = models.TextField("Details of additional support", blank=True)
    referee_name = models.CharField("Referee's name", max_length=100, blank=True)
    referee_position = models.CharField("Referee's position", max_length=100, blank=True)
    referee_telephone = models.CharField("Referee's telephone", max_length=20, blank=True)
    referee_email = models.EmailField("Referee's email", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Reference for {self.learner}"


class Course(models.Model):
    """A course, apprenticeship or training a provider offers (seed 003 introduction, §7.0).
    Its venue's postcode district gives the latitude and longitude distances are measured
    from (progress_apply.search)."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        TRAINING = "training", "Training"

    class StudyMode(models.TextChoices):
        FULL_TIME = "full_time", "Full time"
        PART_TIME = "part_time", "Part time"
        FLEXIBLE = "flexible", "Flexible"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COURSE)
    qualification_type = models.ForeignKey(
        QualificationType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField("Level", max_length=10, blank=True, help_text="RQF level")
    subject = models.CharField(max_length=150, blank=True)
    study_mode = models.CharField(
        max_length=20, choices=StudyMode.choices, default=StudyMode.FULL_TIME
    )
    start_date = models.DateField()
    duration_months = models.PositiveSmallIntegerField("Duration (months)")
    venue_postcode = models.CharField(max_length=8)
    latitude = models.FloatField(editable=False, null=True)
    longitude = models.FloatField(editable=False, null=True)
    description = models.TextField(blank=True)
    entry_requirements = models.TextField(blank=True)
    is_open = models.BooleanField("Open for applications", default=True)
    standard = models.ForeignKey(
        "learners.Standard",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For an apprenticeship: its standard.",
    )

    class Meta:
        ordering = ["title"]
        indexes = [
            # The search's box around the learner's location.
            models.Index(fields=["latitude", "longitude"], name="progress_apply_course_place"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        from learners.identifiers import normalise_postcode
        from learners.reference_data import outcode_centroids

        self.venue_postcode = normalise_postcode(self.venue_postcode)
        found = outcode_centroids().get(self.venue_postcode.split(" ")[0])
        self.latitude, self.longitude = found if found else (None, None)
        super().save(*args, **kwargs)


class Favourite(models.Model):
    learner = models.ForeignKey(PortalLearner, on_delete=models.CASCADE, related_name="favourites")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], name="progress_apply_favourite_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} likes {self.course}"


class Application(models.Model):
    """A learner's application to a course (issue 16; seed 003 intro, §5.5, §5.6). Pending
    while the gates of the learner's profile are not met (approval with sign-off on,
    qualifications the manager adds), then Submitted; the receiving provider decides; the
    learner answers an offer; the provider confirms enrolment. progress_apply.applications
    holds every rule and the only code that changes `status`."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        OFFERED = "offered", "Offer made"
        ACCEPTED = "accepted", "Offer accepted"
        DECLINED = "declined", "Offer declined"
        ENROLLED = "enrolled", "Enrolled"

    class OfferKind(models.TextChoices):
        CONDITIONAL = "conditional", "Conditional"
        UNCONDITIONAL = "unconditional", "Unconditional"

    PROVIDER_PATH = "course__provider"  # the receiving provider (picsweb.access)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        PortalLearner, on_delete=models.CASCADE, related_name="applications"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="applications")
    statement = models.TextField("Statement for this course", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    offer_kind = models.CharField(max_length=20, choices=OfferKind.choices, blank=True)
    conditions = models.TextField("Conditions of the offer", blank=True)
    reference = models.JSONField(
        null=True,
        blank=True,
        help_text="The learner's completed reference as it was when attached (R39-R40).",
    )
    staff_learner = models.ForeignKey(
        "learners.Learner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff-side learner record made from this application.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live application per learner and course: withdrawing lets them apply again.
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=~models.Q(status="withdrawn"),
                name="progress_apply_application_once",
            )
        ]
        indexes = [
            # The admissions list: a provider's submitted applications, newest first.
            models.Index(fields=["course", "status"], name="progress_apply_app_course"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} → {self.course}"
