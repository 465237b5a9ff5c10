"""Learner records: what the ILR, AS cohort export, payment import and
Registration & Certification need of a learner."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from learners import identifiers

# Providers, memberships and roles live in the core (picsweb.models); re-exported here while the
# apps' imports move over.
from picsweb.models import Membership as Membership
from picsweb.models import Provider as Provider
from picsweb.models import ProviderOwned as ProviderOwned
from picsweb.models import ProviderQuerySet as ProviderQuerySet
from picsweb.models import Role as Role
from picsweb.models import ukprn_validator as ukprn_validator

if TYPE_CHECKING:
    pass

lrn_validator = RegexValidator(
    r"^[A-Za-z0-9 ]{1,12}$", "Up to 12 letters, digits and spaces, as on the ILR."
)
ident_validator = RegexValidator(r"^[0-9A-Z]{5}$", "An episode IDENT is 5 characters.")


def agreement_id_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    problem = identifiers.agreement_id_problem(value)
    if problem:
        raise ValidationError(problem)


def agreement_status_problem(status: int | None, agreement_id: str) -> str | None:
    """An AS Agreement ID belongs to an Employed status (seed 000: "available when entering
    a New Learner with Employed status"); the AS export reads it only there. The status form
    and the Learner Import ask this one function."""
    if agreement_id and status is not None and status != EmploymentStatus.Status.EMPLOYED:
        return (
            "Only an Employed status has an AS Agreement ID: remove it, or make the status Employed"
        )
    return None


def date_of_birth_problem(born: date, today: date) -> str | None:
    """The learner form's and the Learner Import's rule for a date of birth."""
    if born >= today:
        return "The date of birth must be in the past"
    return None


def uln_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value == identifiers.TEMPORARY_ULN:
        return  # the ILR accepts the temporary ULN; the AS export refuses it
    problem = identifiers.uln_problem(value)
    if problem:
        raise ValidationError(problem)


def postcode_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    problem = identifiers.postcode_problem(value)
    if problem:
        raise ValidationError(problem)


def emp_id_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    problem = identifiers.emp_id_problem(value)
    if problem:
        raise ValidationError(problem)


epa_org_id_validator = RegexValidator(
    r"^EPA\d{4}$", "An EPA organisation ID is EPA and 4 digits, like EPA0001."
)


class FundModel(models.IntegerChoices):
    """ILR 2025-26 FundModel (the codes picsweb's providers use)."""

    COMMUNITY = 10, "Community learning"
    ADULT_SKILLS = 35, "Adult skills"
    APPRENTICESHIPS = 36, "Apprenticeships (from 1 May 2017)"
    OTHER_ADULT = 81, "Other adult"
    NON_FUNDED = 99, "Non-funded"


class SourceOfFunding(models.IntegerChoices):
    """ILR 2025-26 LearningDeliveryFAM type SOF."""

    OFS = 1, "Office for Students"
    ESFA_ADULT = 105, "Education and Skills Funding Agency – adult"
    ESFA_16_19 = 107, "Education and Skills Funding Agency – 16-19"
    LOCAL_AUTHORITY = 108, "Local authority (community learning)"
    GLA = 110, "Greater London Authority"
    GMCA = 111, "Greater Manchester Combined Authority"
    LCRCA = 112, "Liverpool City Region Combined Authority"
    WMCA = 113, "West Midlands Combined Authority"
    WECA = 114, "West of England Combined Authority"
    TVCA = 115, "Tees Valley Combined Authority"
    CPCA = 116, "Cambridgeshire and Peterborough Combined Authority"


class ContractType(models.IntegerChoices):
    """ILR 2025-26 LearningDeliveryFAM type ACT (apprenticeship contract type)."""

    LEVY = 1, "1 – levy: funded through the Apprenticeship Service (employer's agreement)"
    NON_LEVY = 2, "2 – non-levy: funded through a contract for services with DfE (ESFA)"


class Site(ProviderOwned):
    code = models.CharField(max_length=20, help_text="The provider's own site code.")
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8, blank=True, validators=[postcode_validator])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="learners_site_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Organisation(ProviderOwned):
    """An employer and/or subcontractor, known by its PICS Organisation Identifier."""

    pics_id = models.CharField(
        "PICS Organisation Identifier", max_length=20, help_text="For example EMP123."
    )
    name = models.CharField(max_length=200)
    is_employer = models.BooleanField(default=True)
    is_subcontractor = models.BooleanField(default=False)
    ern = models.CharField(
        "ERN / EDRS number",
        max_length=9,
        blank=True,
        validators=[emp_id_validator],
        help_text="Written as EmpId on the ILR: 9 digits, the last a check digit.",
    )
    ukprn = models.CharField(
        "UKPRN (subcontractors)", max_length=8, blank=True, validators=[ukprn_validator]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "pics_id"], name="learners_organisation_unique_pics_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pics_id})"


class Contract(ProviderOwned):
    reference = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    include_in_ilr_exports = models.BooleanField(
        "Include in ILR Exports",
        default=True,
        help_text="When No, learners on this contract are never in an ILR export.",
    )
    fund_model = models.PositiveSmallIntegerField(
        "funding model",
        choices=FundModel.choices,
        default=FundModel.APPRENTICESHIPS,
        help_text="FundModel of every aim on this contract.",
    )
    source_of_funding = models.PositiveSmallIntegerField(
        "source of funding",
        choices=SourceOfFunding.choices,
        default=SourceOfFunding.ESFA_ADULT,
        help_text="Written as the SOF learning delivery FAM of every aim on this contract.",
    )
    contract_type = models.PositiveSmallIntegerField(
        "apprenticeship contract type (ACT)",
        choices=ContractType.choices,
        default=ContractType.LEVY,
        help_text="Levy or non-levy: the ACT of the apprenticeship aims on this contract, "
        "unless an aim says otherwise.",
    )

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"], name="learners_contract_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.name}"


class Tag(ProviderOwned):
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="learners_tag_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Officer(ProviderOwned):
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "code"], name="learners_officer_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Standard(models.Model):
    """An apprenticeship standard from LARS (learners/data/apprenticeship_standards.csv)."""

    lars_code = models.PositiveIntegerField(
        "LARS standard code", primary_key=True, validators=[MaxValueValidator(99999)]
    )
    ifate_reference = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    level = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=60)
    max_funding = models.PositiveIntegerField("maximum funding (£)", null=True, blank=True)
    typical_duration_months = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["lars_code"]

    def __str__(self) -> str:
        return f"{self.lars_code} {self.title} (level {self.level})"


class LearnerQuerySet(models.QuerySet["Learner"]):
    def live(self) -> LearnerQuerySet:
        return self.filter(state=Learner.State.LIVE)

    def for_provider(self, provider: Provider) -> LearnerQuerySet:
        return self.filter(provider=provider)


# The learner list's filters on the learner's own columns (see Learner.Meta.indexes).
_LIST_FILTER_COLUMNS = ["state", "site", "main_officer", "as_status"]


class Learner(ProviderOwned):
    class Sex(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"

    class LLDD(models.IntegerChoices):
        YES = 1, "Has a learning difficulty, disability or health problem"
        NO = 2, "No learning difficulty, disability or health problem"
        UNKNOWN = 9, "Not provided"

    class Ethnicity(models.IntegerChoices):
        WHITE_BRITISH = 31, "White – English, Welsh, Scottish, Northern Irish or British"
        WHITE_IRISH = 32, "White – Irish"
        WHITE_TRAVELLER = 33, "White – Gypsy or Irish Traveller"
        WHITE_OTHER = 34, "White – any other White background"
        MIXED_CARIBBEAN = 35, "Mixed – White and Black Caribbean"
        MIXED_AFRICAN = 36, "Mixed – White and Black African"
        MIXED_ASIAN = 37, "Mixed – White and Asian"
        MIXED_OTHER = 38, "Mixed – any other Mixed background"
        INDIAN = 39, "Asian – Indian"
        PAKISTANI = 40, "Asian – Pakistani"
        BANGLADESHI = 41, "Asian – Bangladeshi"
        CHINESE = 42, "Asian – Chinese"
        ASIAN_OTHER = 43, "Asian – any other Asian background"
        AFRICAN = 44, "Black – African"
        CARIBBEAN = 45, "Black – Caribbean"
        BLACK_OTHER = 46, "Black – any other Black background"
        ARAB = 47, "Arab"
        OTHER = 98, "Any other ethnic group"
        NOT_PROVIDED = 99, "Not provided"

    class PriorLevel(models.IntegerChoices):
        """PriorAttain/PriorLevel: the codes ESFA's validation service accepts (its rule
        PriorAttain_03's lookup; docs/ilr.md)."""

        ENTRY = 9, "Entry level"
        BELOW_LEVEL_1 = 7, "Other qualifications below level 1"
        LEVEL_1 = 1, "Level 1"
        FULL_LEVEL_2 = 2, "Full level 2"
        FULL_LEVEL_3 = 3, "Full level 3"
        LEVEL_4_OLD = 4, "Level 4 (expired code, before 2013-14)"
        LEVEL_5_OLD = 5, "Level 5 and above (expired code, before 2013-14)"
        LEVEL_4 = 10, "Level 4"
        LEVEL_5 = 11, "Level 5"
        LEVEL_6 = 12, "Level 6"
        LEVEL_7 = 13, "Level 7 and above"
        OTHER = 97, "Other qualification, level not known"
        NOT_KNOWN = 98, "Not known"
        NONE = 99, "No qualifications"

    class State(models.TextChoices):
        LIVE = "live", "Live"
        ARCHIVED = "archived", "Archived"
        DELETED = "deleted", "Soft-deleted"

    class ASStatus(models.TextChoices):
        NOT_SENT = "", "Not sent"
        SENT = "sent", "Sent to Apprenticeship Service"

    # Indexed by the list indexes in Meta, which all lead with the provider: a plain index of
    # its own made PostgreSQL read a provider's rows from the table to count them.
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, db_index=False)
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lrn = models.CharField(
        "learner reference number",
        max_length=12,
        validators=[lrn_validator],
        help_text="LearnRefNumber as on the ILR; unique for the provider.",
    )
    uln = models.CharField(
        "ULN", max_length=10, blank=True, validators=[uln_validator], db_index=True
    )
    upn = models.CharField("UPN", max_length=13, blank=True)
    ni_number = models.CharField(
        "National Insurance number",
        max_length=9,
        blank=True,
        help_text="NINumber: asked of every apprentice on a levy (ACT 1) contract (ESFA rule "
        "NINumber_02). Two letters, six digits and a letter A to D.",
    )
    pics_id = models.CharField("PICS identifier", max_length=20, blank=True)
    title = models.CharField(max_length=20, blank=True)
    given_names = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    ethnicity = models.PositiveSmallIntegerField(
        choices=Ethnicity.choices, default=Ethnicity.NOT_PROVIDED
    )
    lldd_health_problem = models.PositiveSmallIntegerField(
        "LLDD and health problem", choices=LLDD.choices, default=LLDD.UNKNOWN
    )
    planned_learning_hours = models.PositiveIntegerField(
        "planned learning hours (PlanLearnHours)",
        null=True,
        blank=True,
        validators=[
            MaxValueValidator(
                9999, "Planned learning hours must be 9,999 or fewer (the ILR's most)."
            )
        ],
        help_text="This year's planned hours, for a learner not on an apprenticeship "
        "(ESFA rule PlanLearnHours_01).",
    )
    prior_level = models.PositiveSmallIntegerField(
        "prior attainment level",
        choices=PriorLevel.choices,
        null=True,
        blank=True,
        help_text="PriorAttain: the learner's highest level when the learning agreement began.",
    )
    prior_level_date = models.DateField(
        "prior attainment applies from",
        null=True,
        blank=True,
        help_text="DateLevelApp: the earliest start date of the aims in that agreement.",
    )
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    address_line_1 = models.CharField(max_length=100, blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[postcode_validator])
    postcode_prior = models.CharField(
        "postcode prior to enrolment", max_length=8, blank=True, validators=[postcode_validator]
    )
    main_officer = models.ForeignKey(Officer, on_delete=models.SET_NULL, null=True, blank=True)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="learners")
    provider_monitoring_a = models.CharField("provider monitoring A", max_length=20, blank=True)
    provider_monitoring_b = models.CharField("provider monitoring B", max_length=20, blank=True)
    as_cohort_code = models.CharField("AS cohort code", max_length=20, blank=True)
    as_status = models.CharField(
        "AS status", max_length=10, choices=ASStatus.choices, blank=True, default=""
    )
    qa_verified = models.BooleanField("QA verified", default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.LIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The Learner Import that added the learner (its Undo deletes it).
    created_batch = models.ForeignKey(
        "picsweb.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LearnerQuerySet.as_manager()
    # Every change by a form, an import or the admin (who, when, before → after): the History tab.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "created_batch"])

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "lrn"], name="learners_learner_unique_lrn"),
        ]
        indexes = [
            # The learner list's sorts within a provider (name is the default). The columns
            # after `id` change no order: they carry the list's filters on the learner's own
            # columns, so a page, even a deep one, is read from the index alone (PostgreSQL's
            # index-only scan) rather than row by row from the table.
            models.Index(
                fields=["provider", "family_name", "given_names", "id", *_LIST_FILTER_COLUMNS],
                name="learners_learner_list_name",
            ),
            models.Index(
                fields=["provider", "uln", "id", *_LIST_FILTER_COLUMNS],
                name="learners_learner_list_uln",
            ),
            models.Index(
                fields=["provider", "date_of_birth", "id", *_LIST_FILTER_COLUMNS],
                name="learners_learner_list_dob",
            ),
            # The learner list's count (live learners by default), from the index alone; it
            # leads with the provider, so it also serves the provider's foreign key.
            models.Index(
                fields=["provider", "state", "id", "site", "main_officer", "as_status"],
                name="learners_learner_list_count",
            ),
            # The AS Cohort filter.
            models.Index(fields=["provider", "as_cohort_code"], name="learners_learner_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name} ({self.lrn})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (self.prior_level is None) != (self.prior_level_date is None):
            raise ValidationError(
                {
                    "prior_level_date" if self.prior_level else "prior_level": (
                        "Give the prior attainment level and the date it applies from together."
                    )
                }
            )

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    def latest_employment(self) -> EmploymentStatus | None:
        return self.employment_statuses.order_by("-date_applies", "-id").first()


class LLDDCategory(models.IntegerChoices):
    """ILR 2025-26 LLDDandHealthProblem/LLDDCat."""

    VISUAL = 4, "Visual impairment"
    HEARING = 5, "Hearing impairment"
    MOBILITY = 6, "Disability affecting mobility"
    PROFOUND_COMPLEX = 7, "Profound complex disabilities"
    SOCIAL_EMOTIONAL = 8, "Social and emotional difficulties"
    MENTAL_HEALTH = 9, "Mental health difficulty"
    MODERATE_LD = 10, "Moderate learning difficulty"
    SEVERE_LD = 11, "Severe learning difficulty"
    DYSLEXIA = 12, "Dyslexia"
    DYSCALCULIA = 13, "Dyscalculia"
    AUTISM = 14, "Autism spectrum disorder"
    ASPERGERS = 15, "Asperger's syndrome (valid to 31 July 2025)"
    TEMPORARY = 16, "Temporary disability after illness (for example post-viral) or accident"
    SLCN = 17, "Speech, language and communication needs"
    OTHER_PHYSICAL = 93, "Other physical disability"
    OTHER_SPECIFIC_LD = 94, "Other specific learning difficulty (e.g. dyspraxia)"
    OTHER_MEDICAL = 95, "Other medical condition (for example epilepsy, asthma, diabetes)"
    OTHER_LD = 96, "Other learning difficulty"
    OTHER_DISABILITY = 97, "Other disability"
    PREFER_NOT_TO_SAY = 98, "Prefer not to say"
    NOT_PROVIDED = 99, "Not provided"


class LearnerLLDD(models.Model):
    """One LLDDandHealthProblem record: a category, at most one of them the primary."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="lldd")
    category = models.PositiveSmallIntegerField("LLDD category", choices=LLDDCategory.choices)
    primary = models.BooleanField(
        "primary", default=False, help_text="PrimaryLLDD: the learner's main one (one only)."
    )

    class Meta:
        ordering = ["-primary", "category"]
        verbose_name = "LLDD and health problem"
        verbose_name_plural = "LLDD and health problems"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "category"], name="learners_learnerlldd_unique_category"
            ),
            models.UniqueConstraint(
                fields=["learner"],
                condition=Q(primary=True),
                name="learners_learnerlldd_one_primary",
            ),
        ]

    def __str__(self) -> str:
        return self.get_category_display() + (" (primary)" if self.primary else "")


class LearnerFAM(models.Model):
    """One LearnerFAM record (learner funding and monitoring): a type and one of its codes."""

    class Type(models.TextChoices):
        EHC = "EHC", "EHC – Education, health and care plan"
        HNS = "HNS", "HNS – High needs students"
        SEN = "SEN", "SEN – Special educational needs"
        LSR = "LSR", "LSR – Learner support reason"
        FME = "FME", "FME – Free meals eligibility"
        NLM = "NLM", "NLM – National learner monitoring"
        EDF = "EDF", "EDF – Eligibility for 16-19 disadvantage funding"
        MCF = "MCF", "MCF – GCSE maths condition of funding"
        ECF = "ECF", "ECF – GCSE English condition of funding"

    _GCSE = {
        1: "Learner is exempt from the condition of funding",
        2: "Learner has met the condition of funding",
        3: "Learner has not met the condition of funding",
        4: "Learner has met the condition of funding by undertaking or completing a valid "
        "qualification at another institution",
    }
    CODES: dict[str, dict[int, str]] = {
        "EHC": {1: "Learner has an Education, health and care plan"},
        "HNS": {1: "Learner is a high needs student"},
        "SEN": {1: "Special educational needs"},
        "LSR": {
            36: "Care to Learn",
            55: "16-19 Bursary Fund – learner is a member of a vulnerable group",
            56: "16-19 Bursary Fund – learner has been awarded a discretionary bursary",
            57: "Residential support",
            58: "19+ Hardship",
            59: "20+ Childcare",
            60: "19+ Residential Access Fund",
        },
        "FME": {
            1: "14-15 year old learner is eligible for free meals",
            2: "16-19 year old learner is eligible for and in receipt of free meals",
        },
        "NLM": {
            17: "Learner migrated as part of provider merger",
            18: "Learner moved as a result of Minimum Contract Level",
        },
        "EDF": {
            1: "Learner has not achieved a maths GCSE (grade A*-C / 9-4) by the end of year 11",
            2: "Learner has not achieved an English GCSE (grade A*-C / 9-4) by the end of year 11",
        },
        "MCF": _GCSE,
        "ECF": _GCSE,
    }

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="fams")
    fam_type = models.CharField("type", max_length=3, choices=Type.choices)
    fam_code = models.PositiveSmallIntegerField(
        "code",
        help_text="EHC/HNS/SEN 1; LSR 36, 55-60; FME 1-2; NLM 17-18; EDF 1-2; MCF/ECF 1-4.",
    )

    class Meta:
        ordering = ["fam_type", "fam_code"]
        verbose_name = "learner FAM"
        verbose_name_plural = "learner FAMs"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "fam_type", "fam_code"], name="learners_learnerfam_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fam_type} {self.fam_code}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        codes = self.CODES.get(self.fam_type, {})
        if self.fam_type and self.fam_code is not None and self.fam_code not in codes:
            allowed = ", ".join(str(code) for code in codes)
            raise ValidationError(
                {"fam_code": f"{self.fam_code} is not a {self.fam_type} code: use {allowed}."}
            )


class Episode(ProviderOwned):
    """A learner's time on programme, known to staff by its 5-character IDENT."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="episodes")
    ident = models.CharField("IDENT", max_length=5, validators=[ident_validator])
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "ident"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "ident"], name="learners_episode_unique_ident"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="learners_episode_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode {self.ident}"


class LearningDelivery(models.Model):
    """A learning aim on an episode."""

    class AimType(models.IntegerChoices):
        PROGRAMME = 1, "Programme aim"
        COMPONENT = 3, "Component learning aim within a programme"
        STANDALONE = 4, "Learning aim that is not part of a programme"
        CORE = 5, "Core aim"

    class CompStatus(models.IntegerChoices):
        CONTINUING = 1, "Continuing"
        COMPLETED = 2, "Completed"
        WITHDRAWN = 3, "Withdrawn"
        BREAK = 6, "Break in learning"

    FundModel = FundModel
    ContractType = ContractType

    class Outcome(models.IntegerChoices):
        ACHIEVED = 1, "1 – Achieved"
        PARTIAL = 2, "2 – Partial achievement"
        NO_ACHIEVEMENT = 3, "3 – No achievement"
        NOT_KNOWN = 8, "8 – Learning activities are complete but the outcome is not yet known"

    class WithdrawReason(models.IntegerChoices):
        """ILR 2025-26 WithdrawReason."""

        TRANSFERRED = 2, "Learner has transferred to another provider"
        INJURY_ILLNESS = 3, "Learner injury / illness"
        TRANSFERRED_ESFA = (
            7,
            (
                "Learner has transferred between providers due to intervention by or with the "
                "written agreement of the ESFA"
            ),
        )
        OLASS = 28, "OLASS learner withdrawn due to circumstances outside the providers' control"
        REDUNDANT = 29, "Learner has been made redundant"
        NEW_AIM = 40, "Learner has transferred to a new learning aim with the same provider"
        GOVERNMENT_STRATEGY = (
            41,
            (
                "Learner has transferred to another provider to undertake learning that meets a "
                "specific government strategy"
            ),
        )
        ACADEMIC_FAILURE = (
            42,
            (
                "Academic failure/left in bad standing/not permitted to progress – HE learning "
                "aims only"
            ),
        )
        FINANCIAL = 43, "Financial reasons"
        PERSONAL = 44, "Other personal reasons"
        WRITTEN_OFF = 45, "Written off after lapse of time – HE learning aims only"
        EXCLUSION = 46, "Exclusion"
        MERGER = 47, "Learner has transferred to another provider due to merger"
        INDUSTRY_PLACEMENT = (
            48,
            (
                "Industry placement learner has withdrawn due to circumstances outside the "
                "providers' control"
            ),
        )
        OTHER = 97, "Other"
        NOT_KNOWN = 98, "Reason not known"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The ILR nests learning deliveries directly under the learner; the learner is kept here
    # (always the episode's learner, set in save) so list filters need no join via episodes.
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="aims", editable=False
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="aims")
    aim_ref = models.CharField(
        "aim reference", max_length=8, help_text="ZPROG001 for the programme aim, else LARS."
    )
    aim_type = models.PositiveSmallIntegerField(choices=AimType.choices)
    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_constraint=False,
        db_index=False,
    )
    programme_name = models.CharField(max_length=200, blank=True)
    qualification_name = models.CharField(max_length=200, blank=True)
    awarding_organisation = models.CharField(max_length=100, blank=True)
    start_date = models.DateField()
    planned_end_date = models.DateField()
    actual_end_date = models.DateField(null=True, blank=True)
    completion_status = models.PositiveSmallIntegerField(
        choices=CompStatus.choices, default=CompStatus.CONTINUING
    )
    outcome = models.PositiveSmallIntegerField(
        choices=Outcome.choices,
        null=True,
        blank=True,
        help_text="Returned once the aim has an actual end date.",
    )
    achievement_date = models.DateField(
        null=True, blank=True, help_text="AchDate: for an achieved apprenticeship programme aim."
    )
    withdraw_reason = models.PositiveSmallIntegerField(
        "withdrawal reason",
        choices=WithdrawReason.choices,
        null=True,
        blank=True,
        help_text="Only for a withdrawn aim.",
    )
    fund_model = models.PositiveSmallIntegerField(
        choices=FundModel.choices,
        default=FundModel.APPRENTICESHIPS,
        help_text="For an aim on no contract; an aim on a contract takes the contract's.",
    )
    contract_type = models.PositiveSmallIntegerField(
        "ACT (overrides the contract's)",
        choices=ContractType.choices,
        null=True,
        blank=True,
        help_text="Blank: the contract's levy / non-levy type.",
    )
    contract_type_from = models.DateField(
        "ACT applies from", null=True, blank=True, help_text="Blank: the aim's start date."
    )
    contract_type_to = models.DateField(
        "ACT applies to", null=True, blank=True, help_text="Blank: the aim's actual end date."
    )
    delivery_postcode = models.CharField(max_length=8, blank=True, validators=[postcode_validator])
    # No single-column indexes on subcontractor, contract and standard: the composite
    # (column, learner) indexes in Meta lead with them and serve the same lookups.
    subcontractor = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subcontracted_aims",
        db_index=False,
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    qualification_plan_code = models.CharField(max_length=20, blank=True)
    delivery_monitoring_a = models.CharField(max_length=20, blank=True)
    delivery_monitoring_b = models.CharField(max_length=20, blank=True)
    delivery_monitoring_c = models.CharField(max_length=20, blank=True)
    delivery_monitoring_d = models.CharField(max_length=20, blank=True)
    training_price = models.DecimalField(
        "training price (TNP1, £)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    epa_price = models.DecimalField(
        "end-point assessment price (TNP2, £)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    rpl = models.BooleanField(
        "recognition of prior learning",
        null=True,
        blank=True,
        help_text="Required by the Apprenticeship Service for starts from 1 August 2022.",
    )
    rpl_training_total_hours = models.PositiveIntegerField(
        "off-the-job training hours before RPL", null=True, blank=True
    )
    rpl_training_hours_reduction = models.PositiveIntegerField(
        "hours reduced by RPL", null=True, blank=True
    )
    rpl_price_reduced_by = models.PositiveIntegerField(
        "price reduced by RPL (£)", null=True, blank=True
    )
    planned_hours = models.PositiveIntegerField(
        "planned off-the-job hours (PHours)",
        null=True,
        blank=True,
        help_text="On the programme aim: at least 187 (ESFA rules PHours_01 and _02).",
    )
    epa_org_id = models.CharField(
        "EPA organisation ID",
        max_length=7,
        blank=True,
        validators=[epa_org_id_validator],
        help_text="EPAOrgID, on the programme aim only: EPA and 4 digits.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["aim_type", "start_date", "id"]
        verbose_name_plural = "learning deliveries"
        indexes = [
            # The learner list's contract, subcontractor and standard filters (EXISTS by learner).
            models.Index(fields=["contract", "learner"], name="learners_aim_contract_learner"),
            models.Index(fields=["subcontractor", "learner"], name="learners_aim_subcon_learner"),
            models.Index(fields=["standard", "learner"], name="learners_aim_standard_learner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_date__gte=models.F("start_date")),
                name="learners_learningdelivery_planned_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aim_ref} ({self.get_aim_type_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.learner_id = self.episode.learner_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """What the record itself can say about the ILR's completion fields (the ESFA rules
        over the whole learner are ilr_exports' job)."""
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        status, end = self.completion_status, self.actual_end_date
        if end and self.start_date and end < self.start_date:
            errors["actual_end_date"] = "The actual end date is before the start date."
        if status == self.CompStatus.CONTINUING and end:
            errors["actual_end_date"] = "A continuing aim has no actual end date."
        if status != self.CompStatus.CONTINUING and not end:
            errors["actual_end_date"] = (
                f"A {self.CompStatus(status).label.lower()} aim needs its actual end date."
            )
        if status == self.CompStatus.WITHDRAWN and self.withdraw_reason is None:
            errors["withdraw_reason"] = "Give the reason the learner withdrew."
        if status != self.CompStatus.WITHDRAWN and self.withdraw_reason is not None:
            errors["withdraw_reason"] = "Only a withdrawn aim has a withdrawal reason."
        if self.outcome is not None and not end:
            errors["outcome"] = "An outcome is given once the aim has an actual end date."
        if self.achievement_date:
            if self.outcome != self.Outcome.ACHIEVED:
                errors["achievement_date"] = "Only an achieved aim has an achievement date."
            elif end and self.achievement_date < end:
                errors["achievement_date"] = "The achievement date is before the actual end date."
        if self.epa_org_id and self.aim_type != self.AimType.PROGRAMME:
            errors["epa_org_id"] = "The EPA organisation goes on the programme aim only."
        if (
            self.contract_type_from
            and self.contract_type_to
            and self.contract_type_to < self.contract_type_from
        ):
            errors["contract_type_to"] = "The ACT's end is before its start."
        if errors:
            raise ValidationError(errors)

    @property
    def is_programme_aim(self) -> bool:
        return self.aim_type == self.AimType.PROGRAMME


class EmploymentIntensity(models.IntegerChoices):
    """ESMType EII, 2025-26."""

    UP_TO_10 = 5, "0 to 10 hours a week"
    FROM_11_TO_20 = 6, "11 to 20 hours a week"
    FROM_21_TO_30 = 7, "21 to 30 hours a week"
    MORE_THAN_30 = 8, "More than 30 hours a week"


class LengthOfEmployment(models.IntegerChoices):
    """ESMType LOE."""

    UP_TO_3_MONTHS = 1, "Up to 3 months"
    FROM_4_TO_6_MONTHS = 2, "4 to 6 months"
    FROM_7_TO_12_MONTHS = 3, "7 to 12 months"
    MORE_THAN_12_MONTHS = 4, "More than 12 months"


class EmploymentStatus(models.Model):
    class Status(models.IntegerChoices):
        EMPLOYED = 10, "Employed"
        NOT_EMPLOYED_LOOKING = 11, "Not employed, seeking and available for work"
        NOT_EMPLOYED_NOT_LOOKING = 12, "Not employed, not seeking or not available for work"
        NOT_KNOWN = 98, "Not known / not provided"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="employment_statuses"
    )
    date_applies = models.DateField()
    status = models.PositiveSmallIntegerField(choices=Status.choices)
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        db_index=False,  # the (employer, learner) index in Meta serves these lookups
    )
    as_agreement_id = models.CharField(
        "AS Agreement ID", max_length=6, blank=True, validators=[agreement_id_validator]
    )
    # EmploymentStatusMonitoring: ESMType EII and LOE, which ESFA asks of an employed status
    # (rules ESMType_02 and ESMType_09).
    employment_intensity = models.PositiveSmallIntegerField(
        "employment intensity (EII)",
        choices=EmploymentIntensity.choices,
        null=True,
        blank=True,
        help_text="Hours a week: ESFA needs it for an Employed status.",
    )
    length_of_employment = models.PositiveSmallIntegerField(
        "length of employment (LOE)",
        choices=LengthOfEmployment.choices,
        null=True,
        blank=True,
        help_text="How long they had worked for the employer before starting.",
    )
    # The Learner Import that added the status (its Undo deletes it).
    created_batch = models.ForeignKey(
        "picsweb.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_batch"])

    class Meta:
        ordering = ["date_applies", "id"]
        verbose_name_plural = "employment statuses"
        indexes = [
            # The learner list's employer and AS Agreement ID filters (EXISTS by learner).
            models.Index(fields=["employer", "learner"], name="learners_emp_employer_learner"),
            models.Index(
                fields=["as_agreement_id", "learner"], name="learners_emp_agreement_learner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.date_applies:%d/%m/%Y}"


_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def ident_for(number: int) -> str:
    """The 5-character episode IDENT for the provider's `number`th episode.

    1-99999 are "00001"-"99999" as staff know them; after that a letter leads and the rest
    counts in base 36 ("A0000", "A0001", …), so IDENTs never collide and sort in order.
    """
    if 1 <= number <= 99999:
        return f"{number:05d}"
    rest = number - 100000
    letter, rest = divmod(rest, 36**4)
    if not 0 <= letter < 26:
        raise ValueError(f"episode number {number} does not fit in 5 characters")
    tail = ""
    for _ in range(4):
        rest, digit = divmod(rest, 36)
        tail = _BASE36[digit] + tail
    return _BASE36[10 + letter] + tail


def ident_number(ident: str) -> int:
    """The inverse of ident_for."""
    if ident.isdigit():
        return int(ident)
    return 100000 + (_BASE36.index(ident[0]) - 10) * 36**4 + int(ident[1:], 36)


class ASStatusChange(models.Model):
    """Who set a learner's AS status, when, and by which export."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="as_changes")
    status = models.CharField(max_length=10, choices=Learner.ASStatus.choices)
    job = models.ForeignKey(
        "picsweb.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    export_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.changed_at:%d/%m/%Y}"


def academic_year_start(day: date) -> date:
    """1 August of the academic year that `day` falls in."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)
