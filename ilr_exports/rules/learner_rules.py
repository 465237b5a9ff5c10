"""Learner rules: the learner's own fields, with what its aims say where a rule needs it.
Each function answers "is this rule broken?"; see registry.py."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ilr_exports.rules.derived import (
    FM_1619,
    FM_ADULT,
    FM_APPS,
    FM_COMMUNITY,
    FM_ESF,
    FM_NON_FUNDED,
    FM_OTHER_1619,
    FM_OTHER_ADULT,
    POSTCODE,
    TEMPORARY_ULN,
    age_on,
    blank,
    dd01_uln_valid,
    dd04_programme_start,
    in_custody,
    is_levy,
    occurrences,
    odd_occurrence,
    repeated,
)
from ilr_exports.rules.records import ETHNICITIES, Delivery, Learner
from ilr_exports.rules.registry import Context, E, W, learner_rule

_LRN = re.compile(r"^[A-Za-z0-9 ]{1,12}$")
_NINO = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D ]?$")
_EMAIL = re.compile(r"^.+@.+$")  # ESFA's pattern, and the 2025-26 XSD's
_TEL = re.compile(r"^[0-9]+$")
# GCSE grades at level 1 or below (letter grades D-G, U, N; 9-1 grades 3-1; double awards).
LEVEL_1_AND_LOWER = frozenset("D DD DE E EE EF F FF FG G GG N U 3 2 1 3-3 3-2 2-2 2-1 1-1".split())
LLDD_CATS = frozenset(
    {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 93, 94, 95, 96, 97, 98, 99}
)
# LearnFAM types and codes valid in 2025-26 (ILR specification, Appendix: LearnerFAM).
LEARN_FAM_CODES: dict[str, frozenset[int]] = {
    "HNS": frozenset({1}),
    "EHC": frozenset({1}),
    "DLA": frozenset({1}),
    "LSR": frozenset({36, 55, 56, 57, 58, 59, 60, 61}),
    "SEN": frozenset({1}),
    "NLM": frozenset({17, 18}),
    "EDF": frozenset({1, 2}),
    "MCF": frozenset({1, 2, 3, 4}),
    "ECF": frozenset({1, 2, 3, 4}),
    "FME": frozenset({1, 2}),
    "PPE": frozenset({1, 2, 3}),
}
# Types a learner may hold once only (LearnFAMType_09 and _14-_16).
_ONCE = ("HNS", "EHC", "DLA", "SEN", "MCF", "ECF", "FME")
PRIOR_LEVELS = frozenset({1, 2, 3, 4, 5, 10, 11, 12, 13, 9, 7, 97, 98, 99})
_FM_NEEDING_ID = frozenset({FM_1619, FM_OTHER_1619, FM_ADULT, FM_APPS, FM_ESF, FM_OTHER_ADULT})
_ULN_03_FMS = frozenset({FM_1619, FM_OTHER_1619, FM_ADULT, FM_APPS, FM_OTHER_ADULT, FM_ESF})


def _any_levy(rec: Learner) -> bool:
    return any(is_levy(d) for d in rec.deliveries)


def _fms(rec: Learner) -> set[int | None]:
    return {d.fund_model for d in rec.deliveries}


# --- LearnRefNumber ---------------------------------------------------------------------


@learner_rule(
    "LearnRefNumber_03",
    E,
    "LearnRefNumber",
    "The learner reference may only hold letters, digits and spaces (1 to 12 characters).",
)
def learn_ref_number_03(rec: Learner, ctx: Context) -> bool:
    return rec.learn_ref_number is None or not _LRN.match(rec.learn_ref_number)


@learner_rule(
    "PrevLearnRefNumber_02",
    E,
    "PrevLearnRefNumber",
    "The previous learner reference may only hold letters, digits and spaces (1 to 12).",
    needs=("prev_learn_ref_number",),
)
def prev_learn_ref_number_02(rec: Learner, ctx: Context) -> bool:
    return rec.prev_learn_ref_number is not None and not _LRN.match(rec.prev_learn_ref_number)


@learner_rule(
    "PrevUKPRN_02",
    E,
    "PrevUKPRN",
    "The previous provider's UKPRN is this provider's own UKPRN.",
    needs=("prev_ukprn",),
)
def prev_ukprn_02(rec: Learner, ctx: Context) -> bool:
    return rec.prev_ukprn is not None and rec.prev_ukprn == ctx.ukprn


@learner_rule(
    "PMUKPRN_02",
    E,
    "PMUKPRN",
    "The prime contractor's UKPRN is this provider's own UKPRN.",
    needs=("pmukprn",),
)
def pmukprn_02(rec: Learner, ctx: Context) -> bool:
    return rec.pmukprn is not None and rec.pmukprn == ctx.ukprn


# --- ULN ----------------------------------------------------------------------------------


@learner_rule(
    "ULN_03",
    E,
    "ULN",
    "The temporary ULN 9999999999 may only be used after 1 January; ask the Learning "
    "Records Service for the learner's ULN.",
    needs=("temp_uln",),
)
def uln_03(rec: Learner, ctx: Context) -> bool:
    return (
        rec.uln == TEMPORARY_ULN
        and ctx.file_preparation_date < ctx.january_first
        and any(d.fund_model in _ULN_03_FMS for d in rec.deliveries)
        and not _any_levy(rec)
    )


@learner_rule(
    "ULN_04",
    E,
    "ULN",
    "The ULN's check digit (its 10th digit) is wrong: check the number with the Learning "
    "Records Service.",
)
def uln_04(rec: Learner, ctx: Context) -> bool:
    return rec.uln is not None and rec.uln != TEMPORARY_ULN and not dd01_uln_valid(rec.uln)


def _lasts_5_days(d: Delivery) -> bool:
    s, p, a = d.learn_start_date, d.learn_plan_end_date, d.learn_act_end_date
    if s is None:
        return False
    return (p is not None and (p - s).days >= 5) or (a is not None and (a - s).days >= 5)


_ULN_06_FMS = frozenset({FM_1619, FM_ADULT, FM_APPS, FM_ESF, FM_OTHER_ADULT, FM_OTHER_1619})


def _uln_06_candidate(d: Delivery) -> bool:
    return (
        not in_custody(d)
        and not is_levy(d)
        and (
            d.fund_model in _ULN_06_FMS or (d.fund_model == FM_NON_FUNDED and d.has_fam("ADL", "1"))
        )
        and _lasts_5_days(d)
    )


@learner_rule(
    "ULN_06",
    W,
    "ULN",
    "The learner still has the temporary ULN 9999999999 after 1 January: the real ULN is "
    "needed within 60 days of the start.",
    needs=("temp_uln",),
)
def uln_06(rec: Learner, ctx: Context) -> bool:
    if rec.uln != TEMPORARY_ULN or ctx.january_first > ctx.file_preparation_date:
        return False
    prep = ctx.file_preparation_date
    return any(
        _uln_06_candidate(d)
        and d.learn_start_date is not None
        and (prep - d.learn_start_date).days <= 60
        for d in rec.deliveries
    )


@learner_rule(
    "ULN_07",
    E,
    "ULN",
    "The temporary ULN 9999999999 is not allowed more than 60 days after the start of a "
    "funded aim: return the learner's real ULN.",
    needs=("temp_uln",),
)
def uln_07(rec: Learner, ctx: Context) -> bool:
    if rec.uln != TEMPORARY_ULN or ctx.file_preparation_date < ctx.january_first:
        return False
    if any(in_custody(d) or is_levy(d) for d in rec.deliveries):
        return False
    prep = ctx.file_preparation_date
    return any(
        (d.fund_model in _ULN_06_FMS or (d.fund_model == FM_NON_FUNDED and d.has_fam("ADL", "1")))
        and d.learn_start_date is not None
        and (prep - d.learn_start_date).days > 60
        and _lasts_5_days(d)
        for d in rec.deliveries
    )


@learner_rule(
    "ULN_12",
    E,
    "ULN",
    "A learner on an apprenticeship funded through the apprenticeship service (ACT 1) needs "
    "a real ULN, not 9999999999.",
    needs=("temp_uln",),
)
def uln_12(rec: Learner, ctx: Context) -> bool:
    return rec.uln == TEMPORARY_ULN and _any_levy(rec)


# --- Names --------------------------------------------------------------------------------


def _esfa_exempt(rec: Learner) -> bool:
    """ESFA's exclusion of the identity rules (FamilyName_01, GivenNames_01, PriorAttain_01,
    AddLine1_03): every aim community learning (FundModel 10), or every aim non-funded
    (FundModel 99) with SOF 108. A learner with no aims is excluded too."""
    return all(d.fund_model == FM_COMMUNITY for d in rec.deliveries) or all(
        d.fund_model == FM_NON_FUNDED and d.has_fam("SOF", "108") for d in rec.deliveries
    )


def _names_exempt(rec: Learner) -> bool:
    """The exclusion FamilyName_04 and GivenNames_04 take from their 2020-21 classes: every
    aim community learning or non-funded with SOF 108, the two kinds mixed too (unlike
    _esfa_exempt)."""
    return all(
        d.fund_model == FM_COMMUNITY or (d.fund_model == FM_NON_FUNDED and d.has_fam("SOF", "108"))
        for d in rec.deliveries
    )


@learner_rule(
    "FamilyName_01",
    E,
    "FamilyName",
    "The learner's family name is missing; it is needed for every funded learner.",
    needs=("missing_identity",),
)
def family_name_01(rec: Learner, ctx: Context) -> bool:
    return blank(rec.family_name) and not _esfa_exempt(rec)


@learner_rule(
    "FamilyName_04",
    E,
    "FamilyName",
    "The family name is missing for a community-learning learner with a real ULN and "
    "10 or fewer planned hours.",
    needs=("plan_learn_hours",),
)
def family_name_04(rec: Learner, ctx: Context) -> bool:
    return (
        blank(rec.family_name)
        and rec.plan_learn_hours is not None
        and rec.plan_learn_hours <= 10
        and rec.uln != TEMPORARY_ULN
        and _names_exempt(rec)
    )


@learner_rule(
    "GivenNames_01",
    E,
    "GivenNames",
    "The learner's given names are missing; they are needed for every funded learner.",
    needs=("missing_identity",),
)
def given_names_01(rec: Learner, ctx: Context) -> bool:
    return blank(rec.given_names) and not _esfa_exempt(rec)


@learner_rule(
    "GivenNames_04",
    E,
    "GivenNames",
    "The given names are missing for a community-learning learner with a real ULN and "
    "10 or fewer planned hours.",
    needs=("plan_learn_hours",),
)
def given_names_04(rec: Learner, ctx: Context) -> bool:
    return (
        blank(rec.given_names)
        and rec.plan_learn_hours is not None
        and rec.plan_learn_hours <= 10
        and rec.uln != TEMPORARY_ULN
        and _names_exempt(rec)
    )


# --- Date of birth ------------------------------------------------------------------------


@learner_rule(
    "DateOfBirth_01",
    E,
    "DateOfBirth",
    "The date of birth is missing; it is needed for every learner on a funded aim (16-19, "
    "adult skills, apprenticeships, ESF or other adult).",
    needs=("missing_identity",),
)
def date_of_birth_01(rec: Learner, ctx: Context) -> bool:
    return rec.date_of_birth is None and any(
        d.fund_model in _FM_NEEDING_ID and not in_custody(d) for d in rec.deliveries
    )


@learner_rule(
    "DateOfBirth_05",
    E,
    "DateOfBirth",
    "The learner would be under 4 at the start of a community learning or non-funded aim: "
    "check the date of birth.",
    needs=(
        "date_of_birth",
        "community_or_non_funded",
    ),
)
def date_of_birth_05(rec: Learner, ctx: Context) -> bool:
    dob = rec.date_of_birth
    return any(
        d.fund_model in (FM_COMMUNITY, FM_NON_FUNDED)
        and d.learn_start_date is not None
        and age_on(dob, d.learn_start_date) < 4  # type: ignore[arg-type]
        for d in rec.deliveries
    )


@learner_rule(
    "DateOfBirth_06",
    E,
    "DateOfBirth",
    "The learner would be under 13 on 31 August of this year on a 16-19 funded aim: check "
    "the date of birth.",
    needs=("date_of_birth", "fm1619"),
)
def date_of_birth_06(rec: Learner, ctx: Context) -> bool:
    return age_on(rec.date_of_birth, ctx.august_31) < 13  # type: ignore[arg-type]


def last_friday_in_june_of_year_of(d: date) -> date:
    """The last Friday in June of the teaching year a date falls in (school leaving date)."""
    end = date(d.year + 1 if d.month >= 8 else d.year, 6, 30)
    return end - timedelta(days=(end.weekday() - 4) % 7)


@learner_rule(
    "DateOfBirth_48",
    E,
    "DateOfBirth",
    "The apprentice starts before the last Friday in June of the school year they turn 16 "
    "(they are still of compulsory school age).",
    needs=(
        "date_of_birth",
        "any_apprenticeship",
        "under_17_at_start",
    ),
)
def date_of_birth_48(rec: Learner, ctx: Context) -> bool:
    dob: date = rec.date_of_birth  # type: ignore[assignment]
    try:
        sixteen = dob.replace(year=dob.year + 16)
    except ValueError:  # 29 February
        sixteen = date(dob.year + 16, 3, 1)
    leaving = last_friday_in_june_of_year_of(sixteen)
    for d in rec.deliveries:
        if d.is_apprenticeship:
            start = dd04_programme_start(rec, d) or d.learn_start_date
            if start is not None and date(2016, 8, 1) <= start <= leaving:
                return True
    return False


# --- Sex, ethnicity, LLDD -----------------------------------------------------------------


@learner_rule("Sex_01", E, "Sex", "Sex must be F or M.", needs=("odd_learner",))
def sex_01(rec: Learner, ctx: Context) -> bool:
    return rec.sex not in ("F", "M")


@learner_rule(
    "Ethnicity_01",
    E,
    "Ethnicity",
    "The ethnicity code is not one of the ILR's codes (31-47, 98 or 99).",
    needs=("odd_learner",),
)
def ethnicity_01(rec: Learner, ctx: Context) -> bool:
    return rec.ethnicity not in ETHNICITIES


@learner_rule(
    "LLDDHealthProb_01",
    E,
    "LLDDHealthProb",
    "The LLDD and health problem answer must be 1 (yes), 2 (no) or 9 (not provided).",
    needs=("odd_learner",),
)
def lldd_health_prob_01(rec: Learner, ctx: Context) -> bool:
    return rec.lldd_health_prob not in (1, 2, 9)


@learner_rule(
    "LLDDHealthProb_06",
    E,
    "LLDDHealthProb",
    "The learner has a learning difficulty, disability or health problem (LLDDHealthProb 1) "
    "but no LLDD and health problem category is returned.",
    needs=("lldd_yes",),
)
def lldd_health_prob_06(rec: Learner, ctx: Context) -> bool:
    if rec.lldd or not rec.deliveries:
        return False
    if any(
        d.fund_model == FM_COMMUNITY or (d.fund_model == FM_NON_FUNDED and d.has_fam("SOF", "108"))
        for d in rec.deliveries
    ):
        return False
    dob, start = rec.date_of_birth, rec.earliest_start
    return not (dob is not None and start is not None and age_on(dob, start) >= 25)


@learner_rule(
    "LLDDHealthProb_04",
    E,
    "LLDDHealthProb",
    "LLDD and health problem categories are returned although the learner's answer is 2 "
    "(no learning difficulty, disability or health problem).",
    needs=("has_lldd",),
)
def lldd_health_prob_04(rec: Learner, ctx: Context) -> bool:
    return rec.lldd_health_prob == 2


@learner_rule(
    "LLDDHealthProb_07",
    E,
    "LLDDHealthProb",
    "A learner under 25 on non-funded or community learning aims with more than 10 planned "
    "hours has a learning difficulty (LLDDHealthProb 1) but no category is returned.",
    needs=("lldd_yes", "plan_learn_hours"),
)
def lldd_health_prob_07(rec: Learner, ctx: Context) -> bool:
    if rec.plan_learn_hours <= 10 or rec.lldd or not rec.deliveries:  # type: ignore[operator]
        return False
    if any(d.fund_model not in (FM_NON_FUNDED, FM_COMMUNITY) for d in rec.deliveries):
        return False
    dob, start = rec.date_of_birth, rec.earliest_start
    if dob is None or start is None or age_on(dob, start) >= 25:
        return False
    return not any(
        d.fund_model == FM_NON_FUNDED
        and any(not (f.type == "SOF" and f.code == "108") for f in d.fams)
        for d in rec.deliveries
    )


@learner_rule(
    "LLDDCat_01",
    E,
    "LLDDandHealthProblem.LLDDCat",
    "An LLDD and health problem category is not one of the ILR's codes.",
    needs=("has_lldd",),
)
def lldd_cat_01(rec: Learner, ctx: Context) -> bool:
    return any(x.cat not in LLDD_CATS for x in rec.lldd)


# Categories that are no longer valid, and their last day (the 2025-26 list: Asperger's
# syndrome ended on 31 July 2025).
LLDD_CAT_VALID_TO = {15: date(2025, 7, 31)}


@learner_rule(
    "LLDDCat_02",
    E,
    "LLDDandHealthProblem.LLDDCat",
    "An LLDD and health problem category is no longer valid on the learner's first start "
    "date (15, Asperger's syndrome, ended on 31 July 2025: use 16, autism).",
    needs=("has_lldd",),
)
def lldd_cat_02(rec: Learner, ctx: Context) -> bool:
    start = rec.earliest_start
    return start is not None and any(
        x.cat in LLDD_CAT_VALID_TO and start > LLDD_CAT_VALID_TO[x.cat] for x in rec.lldd
    )


@learner_rule(
    "R45",
    E,
    "LLDDandHealthProblem.LLDDCat",
    "The same LLDD and health problem category is returned more than once.",
    needs=("has_lldd",),
)
def r45(rec: Learner, ctx: Context) -> bool:
    return repeated([x.cat for x in rec.lldd])


_NOT_SAYING = (98, 99)  # prefer not to say, not provided


@learner_rule(
    "PrimaryLLDD_01",
    E,
    "LLDDandHealthProblem.PrimaryLLDD",
    "The learner has an LLDD and health problem but none of its categories is marked as the "
    "primary one.",
    needs=("has_lldd",),
)
def primary_lldd_01(rec: Learner, ctx: Context) -> bool:
    return (
        rec.lldd_health_prob == 1
        and rec.earliest_start is not None
        and rec.earliest_start >= date(2015, 8, 1)
        and any(x.cat not in _NOT_SAYING for x in rec.lldd)
        and not any(x.primary == 1 for x in rec.lldd)
    )


@learner_rule(
    "PrimaryLLDD_02",
    E,
    "LLDDandHealthProblem.PrimaryLLDD",
    "The primary LLDD marker, when returned, must be 1.",
    needs=("has_lldd",),
)
def primary_lldd_02(rec: Learner, ctx: Context) -> bool:
    return any(x.primary is not None and x.primary != 1 for x in rec.lldd)


@learner_rule(
    "PrimaryLLDD_03",
    E,
    "LLDDandHealthProblem.PrimaryLLDD",
    "More than one LLDD and health problem category is marked as the primary one.",
    needs=("has_lldd",),
)
def primary_lldd_03(rec: Learner, ctx: Context) -> bool:
    return sum(1 for x in rec.lldd if x.primary == 1) > 1


@learner_rule(
    "PrimaryLLDD_04",
    E,
    "LLDDandHealthProblem.PrimaryLLDD",
    "The learner's only LLDD and health problem category must be marked as the primary one "
    "(unless it is 98, prefer not to say, or 99, not provided).",
    needs=("has_lldd",),
)
def primary_lldd_04(rec: Learner, ctx: Context) -> bool:
    if len(rec.lldd) != 1:
        return False
    (only,) = rec.lldd
    return only.primary is None and only.cat not in _NOT_SAYING


# --- NINumber, contact --------------------------------------------------------------------


@learner_rule(
    "NINumber_01",
    E,
    "NINumber",
    "The National Insurance number is not in the form AB123456C (two letters, six digits, "
    "A-D or nothing), or starts with letters that are never issued.",
    needs=("ni_number",),
)
def ni_number_01(rec: Learner, ctx: Context) -> bool:
    n = rec.ni_number
    return n is not None and n.strip() != "" and not _NINO.match(n)


@learner_rule(
    "NINumber_02",
    E,
    "NINumber",
    "The National Insurance number is missing; it is needed for an apprentice on a levy "
    "(ACT 1) contract.",
)
def ni_number_02(rec: Learner, ctx: Context) -> bool:
    return blank(rec.ni_number) and any(is_levy(d) for d in rec.deliveries)


@learner_rule(
    "Email_01",
    E,
    "Email",
    "The email address is not in the form name@domain.",
    needs=("email",),
)
def email_01(rec: Learner, ctx: Context) -> bool:
    return rec.email is not None and not _EMAIL.match(rec.email)


@learner_rule(
    "TelNo_03",
    E,
    "TelNo",
    "The telephone number may only hold digits (no spaces or brackets).",
    needs=("tel_no",),
)
def tel_no_03(rec: Learner, ctx: Context) -> bool:
    return rec.tel_no is not None and not _TEL.match(rec.tel_no)


@learner_rule(
    "AddLine1_03",
    E,
    "AddLine1",
    "The first line of the learner's address is missing; it is needed for every funded "
    "learner (not for community learning of 10 planned hours or fewer).",
)
def add_line1_03(rec: Learner, ctx: Context) -> bool:
    lines = rec.add_lines
    if lines is not None and not blank(lines[0]):
        return False
    hours = rec.plan_learn_hours
    return not (_esfa_exempt(rec) and hours is not None and hours <= 10)


# --- Postcodes ----------------------------------------------------------------------------


@learner_rule(
    "Postcode_15",
    E,
    "Postcode",
    "The postcode is not a valid UK postcode format (e.g. LS1 1UR, with one space); use "
    "ZZ99 9ZZ if not known.",
)
def postcode_15(rec: Learner, ctx: Context) -> bool:
    return rec.postcode is None or not POSTCODE.match(rec.postcode)


@learner_rule(
    "PostcodePrior_02",
    E,
    "PostcodePrior",
    "The postcode prior to enrolment is not a valid UK postcode format; use ZZ99 9ZZ if not known.",
)
def postcode_prior_02(rec: Learner, ctx: Context) -> bool:
    return rec.postcode_prior is None or not POSTCODE.match(rec.postcode_prior)


# --- Prior attainment ---------------------------------------------------------------------


@learner_rule(
    "PriorAttain_01",
    E,
    "PriorAttain.PriorLevel",
    "The learner's prior attainment is missing; it is needed for a funded learner.",
    note="2025-26: PriorAttain is an entity (PriorLevel, DateLevelApp), not a learner field.",
    needs=("no_prior",),
)
def prior_attain_01(rec: Learner, ctx: Context) -> bool:
    return not rec.prior_attain and any(
        d.fund_model not in (FM_COMMUNITY, FM_1619, FM_OTHER_1619)
        and not (d.fund_model == FM_NON_FUNDED and d.has_fam("SOF", "108"))
        for d in rec.deliveries
    )


@learner_rule(
    "PriorAttain_03",
    E,
    "PriorAttain.PriorLevel",
    "A prior attainment level is not one of the ILR's codes.",
    note="2025-26: checked on each PriorAttain entity's PriorLevel.",
    needs=("has_prior",),
)
def prior_attain_03(rec: Learner, ctx: Context) -> bool:
    return any(p.level not in PRIOR_LEVELS for p in rec.prior_attain)


@learner_rule(
    "PriorAttain_07",
    E,
    "PriorAttain.PriorLevel",
    "A traineeship learner (adult skills) started 2016-17 to 2019-20 with prior attainment "
    "at level 3 or above.",
    note="2025-26: the PriorLevel of any PriorAttain entity.",
    needs=(
        "earliest_start",
        "has_prior",
        "any_traineeship",
    ),
)
def prior_attain_07(rec: Learner, ctx: Context) -> bool:
    levels = {p.level for p in rec.prior_attain}
    if not levels & {3, 4, 5, 10, 11, 12, 13, 97, 98}:
        return False
    return any(
        d.fund_model == FM_ADULT
        and d.prog_type == 24
        and d.learn_start_date is not None
        and date(2016, 7, 31) <= d.learn_start_date <= date(2020, 7, 31)
        for d in rec.deliveries
    )


# --- Learner FAMs -------------------------------------------------------------------------


@learner_rule(
    "LearnFAMType_01",
    E,
    "LearnerFAM.LearnFAMType",
    "A learner funding and monitoring type/code pair is not valid for 2025-26.",
    needs=("has_fams",),
)
def learn_fam_type_01(rec: Learner, ctx: Context) -> bool:
    for f in rec.fams:
        codes = LEARN_FAM_CODES.get(f.type or "")
        if codes is None or f.code not in codes:
            return True
    return False


@learner_rule(
    "LearnFAMType_09",
    E,
    "LearnerFAM.LearnFAMType",
    "A learner FAM type that may be returned once (HNS, EHC, DLA, SEN, MCF, ECF or FME) is "
    "returned more than once.",
    needs=("has_fams",),
)
def learn_fam_type_09(rec: Learner, ctx: Context) -> bool:
    types = rec.fam_types
    return any(len(types.get(t, ())) > 1 for t in _ONCE)


@learner_rule(
    "LearnFAMType_10",
    E,
    "LearnerFAM.LearnFAMType",
    "More than four learner support reason (LSR) records are returned.",
    needs=("has_fams",),
)
def learn_fam_type_10(rec: Learner, ctx: Context) -> bool:
    return len(rec.fam_types.get("LSR", ())) > 4


@learner_rule(
    "LearnFAMType_11",
    E,
    "LearnerFAM.LearnFAMType",
    "More than two national learner monitoring (NLM) or 16-19 disadvantage funding (EDF) "
    "records are returned.",
    needs=("has_fams",),
)
def learn_fam_type_11(rec: Learner, ctx: Context) -> bool:
    types = rec.fam_types
    return len(types.get("NLM", ())) > 2 or len(types.get("EDF", ())) > 2


@learner_rule(
    "LearnFAMType_16",
    E,
    "LearnerFAM.LearnFAMType",
    "The learner is exempt from the English condition of funding (ECF 1) but has no special "
    "educational needs (SEN) or EHC plan (EHC) record.",
    needs=("has_fams",),
)
def learn_fam_type_16(rec: Learner, ctx: Context) -> bool:
    return rec.has_fam("ECF", 1) and not (rec.has_fam("SEN") or rec.has_fam("EHC"))


@learner_rule(
    "LearnFAMType_14",
    E,
    "LearnerFAM.LearnFAMType",
    "Special educational needs (SEN 1) and an EHC plan (EHC 1) cannot both be returned: a "
    "learner with an EHC plan records only EHC.",
    needs=("has_fams",),
)
def learn_fam_type_14(rec: Learner, ctx: Context) -> bool:
    return rec.has_fam("SEN", 1) and rec.has_fam("EHC", 1)


# --- Other learner fields -----------------------------------------------------------------


@learner_rule(
    "Accom_01",
    E,
    "Accom",
    "Accommodation, when returned, must be 5 (away from home).",
    needs=("accom",),
)
def accom_01(rec: Learner, ctx: Context) -> bool:
    return rec.accom is not None and rec.accom != 5


@learner_rule(
    "ALSCost_02",
    E,
    "ALSCost",
    "A learning support cost is returned but the learner has no high needs students (HNS) "
    "monitoring.",
    needs=("als_cost",),
)
def als_cost_02(rec: Learner, ctx: Context) -> bool:
    return rec.als_cost is not None and not rec.has_fam("HNS")


def _t_level(d: Delivery) -> bool:
    return d.fund_model == FM_1619 and d.prog_type in (30, 31)


@learner_rule(
    "PlanLearnHours_01",
    E,
    "PlanLearnHours",
    "Planned learning hours are missing (they are needed unless every aim has ended, or the "
    "aims are apprenticeships, ESF or T Levels).",
)
def plan_learn_hours_01(rec: Learner, ctx: Context) -> bool:
    if rec.plan_learn_hours is not None or not rec.deliveries:
        return False
    if all(d.learn_act_end_date is not None for d in rec.deliveries):
        return False
    return any(
        d.fund_model != FM_ESF and not d.is_apprenticeship and not _t_level(d)
        for d in rec.deliveries
    )


@learner_rule(
    "PlanLearnHours_02",
    E,
    "PlanLearnHours",
    "Planned learning hours must not be zero.",
    needs=("plan_learn_hours",),
)
def plan_learn_hours_02(rec: Learner, ctx: Context) -> bool:
    return rec.plan_learn_hours == 0 and any(
        d.fund_model in (10, 25, 82, 35, 36, 81, 99) and not _t_level(d) for d in rec.deliveries
    )


@learner_rule(
    "PlanLearnHours_03",
    E,
    "PlanLearnHours",
    "Planned learning and employability hours together must be more than zero for a 16-19 "
    "funded learner.",
    needs=("plan_learn_hours", "fm1619"),
)
def plan_learn_hours_03(rec: Learner, ctx: Context) -> bool:
    total = (rec.plan_learn_hours or 0) + (rec.plan_eep_hours or 0)
    return total == 0 and any(d.fund_model == FM_1619 and not _t_level(d) for d in rec.deliveries)


@learner_rule(
    "PlanLearnHours_04",
    W,
    "PlanLearnHours",
    "Planned learning and employability hours together are more than 1,000: check them.",
    needs=("has_hours",),
)
def plan_learn_hours_04(rec: Learner, ctx: Context) -> bool:
    total = (rec.plan_learn_hours or 0) + (rec.plan_eep_hours or 0)
    return total > 1000 and any(
        d.fund_model != FM_OTHER_1619 and not (d.fund_model == FM_1619 and d.prog_type == 31)
        for d in rec.deliveries
    )


@learner_rule(
    "PlanEEPHours_01",
    E,
    "PlanEEPHours",
    "Planned employability hours are missing for a learner on a 16-19 (FundModel 25) aim.",
    needs=("fm1619",),
)
def plan_eep_hours_01(rec: Learner, ctx: Context) -> bool:
    if rec.plan_eep_hours is not None:
        return False
    if all(d.learn_act_end_date is not None for d in rec.deliveries):
        return False
    return any(
        d.fund_model == FM_1619 and not d.is_apprenticeship and d.prog_type != 31
        for d in rec.deliveries
    )


@learner_rule(
    "MathGrade_01",
    E,
    "MathGrade",
    "The maths GCSE grade is missing for a 16-19 funded learner.",
    needs=("fm1619",),
)
def math_grade_01(rec: Learner, ctx: Context) -> bool:
    return blank(rec.math_grade) and any(d.fund_model == FM_1619 for d in rec.deliveries)


@learner_rule(
    "MathGrade_03",
    E,
    "MathGrade",
    "A maths GCSE grade at level 1 or below needs the 16-19 disadvantage funding monitoring EDF 1.",
    needs=("math_grade",),
)
def math_grade_03(rec: Learner, ctx: Context) -> bool:
    return rec.math_grade.upper() in LEVEL_1_AND_LOWER and not rec.has_fam("EDF", 1)  # type: ignore[union-attr]


@learner_rule(
    "EngGrade_01",
    E,
    "EngGrade",
    "The English GCSE grade is missing for a 16-19 funded learner.",
    needs=("fm1619",),
)
def eng_grade_01(rec: Learner, ctx: Context) -> bool:
    return blank(rec.eng_grade) and any(d.fund_model == FM_1619 for d in rec.deliveries)


@learner_rule(
    "EngGrade_03",
    E,
    "EngGrade",
    "An English GCSE grade at level 1 or below needs the 16-19 disadvantage funding "
    "monitoring EDF 2.",
    needs=("eng_grade",),
)
def eng_grade_03(rec: Learner, ctx: Context) -> bool:
    return rec.eng_grade.upper() in LEVEL_1_AND_LOWER and not rec.has_fam("EDF", 2)  # type: ignore[union-attr]


@learner_rule(
    "ProvSpecLearnMonOccur_01",
    E,
    "ProviderSpecLearnerMonitoring.ProvSpecLearnMonOccur",
    "Learner provider monitoring occurrences must be A or B.",
    needs=("has_prov_spec",),
)
def prov_spec_learn_mon_occur_01(rec: Learner, ctx: Context) -> bool:
    return odd_occurrence(rec.prov_spec, ("A", "B"))


@learner_rule(
    "R49",
    E,
    "ProviderSpecLearnerMonitoring.ProvSpecLearnMonOccur",
    "A learner provider monitoring occurrence (A or B) is returned more than once.",
    needs=("has_prov_spec",),
)
def r49(rec: Learner, ctx: Context) -> bool:
    return repeated(occurrences(rec.prov_spec))


@learner_rule(
    "LearnerHE_02",
    E,
    "LearnerHE",
    "Learner HE data is returned but no aim carries higher-education data.",
    note="picsweb never writes LearningDeliveryHE (the record does not hold it), so any "
    "LearnerHE breaks this rule.",
    needs=("has_learner_he",),
)
def learner_he_02(rec: Learner, ctx: Context) -> bool:
    return bool(rec.has_learner_he)


@learner_rule(
    "PriorAttain_08",
    E,
    "PriorAttain.PriorLevel",
    "A traineeship learner (adult skills) started from 1 August 2020 with prior attainment at "
    "level 4 or above, or not known.",
    note="2025-26: the PriorLevel of any PriorAttain entity.",
    needs=("has_prior", "any_traineeship"),
)
def prior_attain_08(rec: Learner, ctx: Context) -> bool:
    if not {p.level for p in rec.prior_attain} & {4, 5, 10, 11, 12, 13, 97, 98}:
        return False
    return any(
        d.fund_model == FM_ADULT
        and d.prog_type == 24
        and d.learn_start_date is not None
        and d.learn_start_date >= date(2020, 8, 1)
        for d in rec.deliveries
    )
