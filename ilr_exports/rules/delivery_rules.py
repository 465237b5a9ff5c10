"""Learning delivery rules: one aim at a time (with the learner where a rule needs it),
grouped by a guard so each aim only meets the rules that can apply to it."""

from __future__ import annotations

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
    FUND_MODELS,
    PROG_STANDARD,
    PROG_TLEVEL,
    PROG_TRAINEESHIP,
    TEMPORARY_ULN,
    dd04_programme_start,
    in_custody,
    occurrences,
    odd_occurrence,
    repeated,
)
from ilr_exports.rules.records import Delivery, Learner
from ilr_exports.rules.registry import Context, E, W, delivery_rule, learner_rule

OUTCOMES = frozenset({1, 2, 3, 8})
COMP_STATUSES = frozenset({1, 2, 3, 6})
WITHDRAW_REASONS = frozenset({2, 3, 7, 28, 29, 40, 41, 42, 43, 44, 45, 46, 47, 97, 98})
INDUSTRY_PLACEMENT_WITHDREW = 47
MIN_PLANNED_HOURS = 187  # 2025-26 (278 until 2024-25)
INDUSTRY_PLACEMENT_AIM = "ZWRKX002"
# 2025-26 programme types: frameworks (2, 3, 20-23) are gone; 24 traineeship, 25 standard,
# 30 T Level transition, 31 T Level, 32 ... (ILR specification 2025-26, ProgType).
PROG_TYPES_2526 = frozenset({24, 25, 30, 31, 32})
# SOF codes an adult aim may carry after 31 July 2019: ESFA adult (105) and the combined
# authorities with devolved adult budgets (110-116).
_ADULT_SOF = frozenset({"105", "110", "111", "112", "113", "114", "115", "116"})
_ADULT_SOF_FMS = frozenset({FM_COMMUNITY, FM_ADULT, FM_APPS, FM_ESF, FM_OTHER_ADULT})
_DATE_FROM_FMS = frozenset({FM_ADULT, FM_APPS, FM_OTHER_ADULT, FM_NON_FUNDED})
_ULN_TEMP_FMS = frozenset({FM_1619, FM_ADULT, FM_APPS, FM_ESF, FM_OTHER_ADULT, FM_OTHER_1619})


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _standard_fm36(d: Delivery) -> bool:
    return d.prog_type == PROG_STANDARD and d.fund_model == FM_APPS


# --- ULN rules that name the aim ---------------------------------------------------------


@delivery_rule(
    "ULN_09",
    E,
    "ULN",
    "A learner in custody (LDM 034) still has the temporary ULN 9999999999 after 1 January.",
    guard="fams",
    needs=(
        "learner.temp_uln",
        "fam_ldm",
    ),
)
def uln_09(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return (
        rec.uln == TEMPORARY_ULN
        and ctx.file_preparation_date >= ctx.january_first
        and in_custody(d)
    )


def _he_temp_uln(d: Delivery, rec: Learner, ctx: Context) -> int | None:
    """Days from the start to the file date, for a non-funded HEFCE aim (SOF 1) of five
    days or more with the temporary ULN after 1 January; None when the rule does not apply."""
    if rec.uln != TEMPORARY_ULN or ctx.january_first > ctx.file_preparation_date:
        return None
    if in_custody(d) or d.fund_model != FM_NON_FUNDED or not d.has_fam("SOF", "1"):
        return None
    s, p, a = d.learn_start_date, d.learn_plan_end_date, d.learn_act_end_date
    if s is None:
        return None
    if not ((p is not None and (p - s).days >= 5) or (a is not None and (a - s).days >= 5)):
        return None
    return (ctx.file_preparation_date - s).days


@delivery_rule(
    "ULN_10",
    E,
    "ULN",
    "A HEFCE-funded aim (SOF 1) still has the temporary ULN 9999999999 more than 60 days "
    "after its start.",
    guard="fams",
    needs=("learner.temp_uln",),
)
def uln_10(d: Delivery, rec: Learner, ctx: Context) -> bool:
    days = _he_temp_uln(d, rec, ctx)
    return days is not None and days > 60


@delivery_rule(
    "ULN_11",
    W,
    "ULN",
    "A HEFCE-funded aim (SOF 1) of five days or more still has the temporary ULN "
    "9999999999 more than 60 days after its start (learners in custody excepted).",
    guard="fams",
    needs=("learner.temp_uln",),
)
def uln_11(d: Delivery, rec: Learner, ctx: Context) -> bool:
    if any(in_custody(x) for x in rec.deliveries):
        return False
    days = _he_temp_uln(d, rec, ctx)
    return days is not None and days > 60


# --- Aim identity ------------------------------------------------------------------------


@learner_rule(
    "AimSeqNumber_02",
    E,
    "LearningDelivery.AimSeqNumber",
    "An aim sequence number is greater than the number of aims the learner has.",
)
def aim_seq_number_02(rec: Learner, ctx: Context) -> bool:
    count = len(rec.deliveries)
    return any(d.aim_seq_number is not None and d.aim_seq_number > count for d in rec.deliveries)


@learner_rule(
    "R07",
    E,
    "LearningDelivery.AimSeqNumber",
    "Two aims of the learner have the same aim sequence number.",
)
def r07(rec: Learner, ctx: Context) -> bool:
    return repeated([d.aim_seq_number for d in rec.deliveries])


@delivery_rule(
    "FundModel_01",
    E,
    "LearningDelivery.FundModel",
    "The funding model is not one of the ILR's codes (10, 25, 35, 36, 70, 81, 82, 99).",
    needs=("odd_codes",),
)
def fund_model_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model not in FUND_MODELS


@delivery_rule(
    "AimType_01",
    E,
    "LearningDelivery.AimType",
    "The aim type must be 1 (programme), 3 (component), 4 (not part of a programme) or 5 "
    "(core aim of a 16-19 study programme).",
    needs=("odd_codes",),
)
def aim_type_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.aim_type not in (1, 3, 4, 5)


# --- Programme type and standard --------------------------------------------------------


@delivery_rule(
    "ProgType_01",
    E,
    "LearningDelivery.ProgType",
    "An aim that is part of a programme (AimType 1 or 3) needs its programme type.",
    needs=("odd_codes",),
)
def prog_type_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.aim_type in (1, 3) and d.prog_type is None


@delivery_rule(
    "ProgType_02",
    E,
    "LearningDelivery.ProgType",
    "An aim that is not part of a programme (AimType 4) must not have a programme type.",
    needs=("prog_type", "stand_alone"),
)
def prog_type_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.aim_type == 4 and d.prog_type is not None


@delivery_rule(
    "ProgType_03",
    E,
    "LearningDelivery.ProgType",
    "The programme type is not valid in 2025-26 (frameworks 2, 3 and 20-23 have closed; use "
    "25 for an apprenticeship standard).",
    note="2025-26: framework programme types are no longer valid.",
    needs=(
        "prog_type",
        "odd_codes",
    ),
)
def prog_type_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.prog_type is not None and d.prog_type not in PROG_TYPES_2526


@delivery_rule(
    "StdCode_01",
    E,
    "LearningDelivery.StdCode",
    "An apprenticeship standard aim (ProgType 25) needs its standard code.",
    needs=(
        "apprenticeship",
        "odd_codes",
    ),
)
def std_code_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.prog_type == PROG_STANDARD and d.std_code is None


@delivery_rule(
    "StdCode_02",
    E,
    "LearningDelivery.StdCode",
    "The standard code is not an apprenticeship standard in LARS.",
    note="Checked against picsweb's LARS standards list (learners/data/).",
    needs=("std_code",),
)
def std_code_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.std_code is not None and ctx.lars_standard(d.std_code) is None


@delivery_rule(
    "StdCode_03",
    E,
    "LearningDelivery.StdCode",
    "A standard code is returned on an aim that is not an apprenticeship standard (ProgType 25).",
    needs=(
        "std_code",
        "odd_codes",
    ),
)
def std_code_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.std_code is not None and d.prog_type != PROG_STANDARD


# --- Dates -------------------------------------------------------------------------------


@delivery_rule(
    "LearnStartDate_02",
    E,
    "LearningDelivery.LearnStartDate",
    "The start date is more than 10 years before the start of the collection year.",
    needs=("odd_dates",),
)
def learn_start_date_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    return s is not None and s < _years_before(ctx.year_start, 10)


@delivery_rule(
    "LearnStartDate_03",
    E,
    "LearningDelivery.LearnStartDate",
    "The start date is after the end of the collection year.",
    needs=("odd_dates",),
)
def learn_start_date_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    return (
        s is not None
        and s > ctx.year_end
        and d.prog_type != PROG_TRAINEESHIP
        and not d.is_apprenticeship
    )


@delivery_rule(
    "LearnStartDate_05",
    E,
    "LearningDelivery.LearnStartDate",
    "The aim starts on or before the learner's date of birth.",
    needs=(
        "learner.date_of_birth",
        "learner.born_after_start",
    ),
)
def learn_start_date_05(d: Delivery, rec: Learner, ctx: Context) -> bool:
    dob, s = rec.date_of_birth, d.learn_start_date
    return dob is not None and s is not None and dob >= s


@delivery_rule(
    "LearnStartDate_12",
    E,
    "LearningDelivery.LearnStartDate",
    "An apprenticeship aim starts more than a year after the end of the collection year.",
    guard="apprenticeship",
    needs=("odd_dates",),
)
def learn_start_date_12(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    end = ctx.year_end
    return s is not None and s >= end.replace(year=end.year + 1)


@delivery_rule(
    "LearnStartDate_13",
    E,
    "LearningDelivery.LearnStartDate",
    "The apprenticeship standard was closed to new starts (LARS) before this programme started.",
    note="Uses the standard's retired/withdrawn date from picsweb's LARS standards list.",
    guard="programme",
    needs=("std_code",),
)
def learn_start_date_13(d: Delivery, rec: Learner, ctx: Context) -> bool:
    if d.prog_type != PROG_STANDARD or d.std_code is None or d.has_fam("RES"):
        return False
    std = ctx.lars_standard(d.std_code)
    s = d.learn_start_date
    return (
        std is not None
        and std.last_date_starts is not None
        and s is not None
        and s > std.last_date_starts
    )


@delivery_rule(
    "LearnPlanEndDate_02",
    E,
    "LearningDelivery.LearnPlanEndDate",
    "The planned end date is before the start date.",
    needs=("odd_dates",),
)
def learn_plan_end_date_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s, p = d.learn_start_date, d.learn_plan_end_date
    return s is not None and p is not None and p < s


@delivery_rule(
    "LearnActEndDate_01",
    E,
    "LearningDelivery.LearnActEndDate",
    "The actual end date is before the start date.",
    guard="ended",
)
def learn_act_end_date_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    return s is not None and d.learn_act_end_date < s  # type: ignore[operator]


@delivery_rule(
    "LearnActEndDate_04",
    E,
    "LearningDelivery.LearnActEndDate",
    "The actual end date is after the file's preparation date.",
    guard="ended",
)
def learn_act_end_date_04(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.learn_act_end_date > ctx.file_preparation_date  # type: ignore[operator]


@delivery_rule(
    "OrigLearnStartDate_01",
    E,
    "LearningDelivery.OrigLearnStartDate",
    "The original start date is more than 10 years before the aim's start date.",
    needs=("orig_learn_start_date",),
)
def orig_learn_start_date_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    o, s = d.orig_learn_start_date, d.learn_start_date
    return (
        o is not None
        and s is not None
        and d.fund_model in (FM_ADULT, FM_APPS, FM_OTHER_ADULT, FM_NON_FUNDED)
        and o < _years_before(s, 10)
    )


@delivery_rule(
    "OrigLearnStartDate_02",
    E,
    "LearningDelivery.OrigLearnStartDate",
    "The original start date must be before the aim's start date.",
    needs=("orig_learn_start_date",),
)
def orig_learn_start_date_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    o, s = d.orig_learn_start_date, d.learn_start_date
    return (
        o is not None
        and s is not None
        and d.fund_model in (FM_ADULT, FM_APPS, FM_OTHER_ADULT, FM_NON_FUNDED)
        and o >= s
    )


@delivery_rule(
    "OrigLearnStartDate_03",
    E,
    "LearningDelivery.OrigLearnStartDate",
    "An original start date is not collected for 16-19 or community learning aims.",
    needs=("orig_learn_start_date",),
)
def orig_learn_start_date_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.orig_learn_start_date is not None and d.fund_model in (
        FM_1619,
        FM_OTHER_1619,
        FM_COMMUNITY,
    )


# --- Completion, outcome, achievement ---------------------------------------------------


@delivery_rule(
    "CompStatus_01",
    E,
    "LearningDelivery.CompStatus",
    "The completion status must be 1 (continuing), 2 (completed), 3 (withdrawn) or 6 (break "
    "in learning).",
    needs=("odd_codes",),
)
def comp_status_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.comp_status not in COMP_STATUSES


@delivery_rule(
    "CompStatus_02",
    E,
    "LearningDelivery.CompStatus",
    "The aim has an actual end date but is still marked as continuing (CompStatus 1).",
    guard="ended",
)
def comp_status_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.comp_status == 1 and not _standard_fm36(d) and d.fund_model != FM_APPS


@delivery_rule(
    "CompStatus_03",
    E,
    "LearningDelivery.CompStatus",
    "The aim is not continuing (CompStatus other than 1) but has no actual end date.",
    needs=("odd_codes",),
)
def comp_status_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.learn_act_end_date is None and d.comp_status is not None and d.comp_status != 1


@delivery_rule(
    "CompStatus_05",
    E,
    "LearningDelivery.CompStatus",
    "An aim still continuing (CompStatus 1) cannot have an outcome.",
    guard="outcome",
)
def comp_status_05(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.comp_status == 1 and not _standard_fm36(d)


@delivery_rule(
    "CompStatus_07",
    E,
    "LearningDelivery.CompStatus",
    "An apprenticeship standard programme with an achievement date must be marked completed "
    "(CompStatus 2).",
    guard="programme",
    needs=("ach_date",),
)
def comp_status_07(d: Delivery, rec: Learner, ctx: Context) -> bool:
    a = d.learn_act_end_date
    return (
        _standard_fm36(d)
        and d.comp_status != 2
        and a is not None
        and a >= date(2019, 8, 1)
        and d.ach_date is not None
    )


@delivery_rule(
    "Outcome_01",
    E,
    "LearningDelivery.Outcome",
    "The outcome must be 1 (achieved), 2 (partial), 3 (no achievement) or 8 (complete, "
    "outcome not known).",
    guard="outcome",
)
def outcome_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.outcome not in OUTCOMES


@delivery_rule(
    "Outcome_04",
    E,
    "LearningDelivery.Outcome",
    "An aim with an achievement date must have the outcome 1 (achieved).",
    needs=("ach_date",),
)
def outcome_04(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.ach_date is not None and d.outcome != 1 and not _standard_fm36(d)


@delivery_rule(
    "Outcome_05",
    E,
    "LearningDelivery.Outcome",
    "An aim with the outcome achieved (1) needs its actual end date.",
    guard="outcome",
)
def outcome_05(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.outcome == 1 and d.learn_act_end_date is None


@delivery_rule(
    "Outcome_09",
    E,
    "LearningDelivery.Outcome",
    "The outcome 8 (learning complete, outcome not known) needs the completion status 2.",
    guard="outcome",
)
def outcome_09(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return (
        d.outcome == 8
        and d.comp_status != 2
        and d.fund_model != FM_APPS
        and d.prog_type is not None
        and d.prog_type != PROG_STANDARD
    )


@delivery_rule(
    "Outcome_10",
    E,
    "LearningDelivery.Outcome",
    "An aim still continuing (CompStatus 1) cannot have the outcome 3 (no achievement).",
    guard="outcome",
)
def outcome_10(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.outcome == 3 and d.comp_status == 1


@delivery_rule(
    "WithdrawReason_02",
    E,
    "LearningDelivery.WithdrawReason",
    "The withdrawal reason is not one of the ILR's codes.",
    needs=("withdraw_reason",),
)
def withdraw_reason_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.withdraw_reason is not None and d.withdraw_reason not in WITHDRAW_REASONS


@delivery_rule(
    "WithdrawReason_03",
    E,
    "LearningDelivery.WithdrawReason",
    "A withdrawn aim (CompStatus 3) needs its withdrawal reason.",
    needs=("withdrawn",),
)
def withdraw_reason_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.comp_status == 3 and d.withdraw_reason is None


@delivery_rule(
    "WithdrawReason_04",
    E,
    "LearningDelivery.WithdrawReason",
    "A withdrawal reason is returned on an aim that is continuing, completed or on a break "
    "(CompStatus 1, 2 or 6).",
    needs=("withdraw_reason",),
)
def withdraw_reason_04(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.withdraw_reason is not None and d.comp_status in (1, 2, 6)


@delivery_rule(
    "WithdrawReason_06",
    E,
    "LearningDelivery.WithdrawReason",
    "The reason 'industry placement learner withdrew' is only for the industry placement "
    "aim (ZWRKX002).",
    needs=("withdraw_reason",),
)
def withdraw_reason_06(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return (
        d.comp_status == 3
        and d.withdraw_reason == INDUSTRY_PLACEMENT_WITHDREW
        and d.learn_aim_ref != INDUSTRY_PLACEMENT_AIM
    )


@delivery_rule(
    "AchDate_08",
    E,
    "LearningDelivery.AchDate",
    "An achieved programme (traineeship, or standard funded as other adult) needs its "
    "achievement date.",
    guard="programme",
    needs=("outcome",),
)
def ach_date_08(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return (
        (
            d.prog_type == PROG_TRAINEESHIP
            or (d.prog_type == PROG_STANDARD and d.fund_model == FM_OTHER_ADULT)
        )
        and d.outcome == 1
        and d.ach_date is None
    )


@delivery_rule(
    "AchDate_09",
    E,
    "LearningDelivery.AchDate",
    "An achievement date is only returned on a traineeship or apprenticeship standard "
    "programme aim.",
    needs=("ach_date",),
)
def ach_date_09(d: Delivery, rec: Learner, ctx: Context) -> bool:
    if d.ach_date is None:
        return False
    s = d.learn_start_date
    if s is None or s <= date(2015, 7, 31):
        return False
    return not (
        d.aim_type == 1
        and (
            d.prog_type == PROG_TRAINEESHIP
            or (d.prog_type == PROG_STANDARD and d.fund_model in (FM_OTHER_ADULT, FM_APPS))
        )
    )


@delivery_rule(
    "AchDate_11",
    E,
    "LearningDelivery.AchDate",
    "The achievement date of a standard (end-point assessment) is less than 7 days after "
    "the programme's actual end date.",
    guard="programme",
    needs=("ach_date",),
)
def ach_date_11(d: Delivery, rec: Learner, ctx: Context) -> bool:
    a = d.learn_act_end_date
    return (
        _standard_fm36(d)
        and a is not None
        and a >= ctx.year_start
        and d.ach_date is not None
        and d.ach_date < a + timedelta(days=7)
    )


# --- Hours -------------------------------------------------------------------------------


@delivery_rule(
    "PHours_01",
    E,
    "LearningDelivery.PHours",
    "Planned off-the-job hours are missing on an apprenticeship programme aim started this year.",
    note="2025-26: planned off-the-job hours are collected on the programme aim only.",
    guard="programme",
    needs=("fm36",),
)
def p_hours_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    return d.fund_model == FM_APPS and d.p_hours is None and s is not None and s >= ctx.year_start


@delivery_rule(
    "PHours_02",
    E,
    "LearningDelivery.PHours",
    "Planned off-the-job hours are below the minimum of 187 (not a restart).",
    note="2025-26: the minimum is 187 hours (278 in 2020-21).",
    needs=("p_hours",),
)
def p_hours_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.p_hours is not None and d.p_hours < MIN_PLANNED_HOURS and not d.has_fam("RES")


@delivery_rule(
    "PHours_03",
    E,
    "LearningDelivery.PHours",
    "Planned hours are missing on a T Level programme aim.",
    guard="programme",
    needs=("fm25",),
)
def p_hours_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    return (
        d.p_hours is None
        and s is not None
        and s >= date(2020, 8, 1)
        and d.fund_model == FM_1619
        and d.prog_type in (PROG_TLEVEL, 30)
    )


@delivery_rule(
    "PHours_04",
    E,
    "LearningDelivery.PHours",
    "Planned hours on a T Level programme aim must be more than zero.",
    guard="programme",
    needs=(
        "p_hours",
        "fm25",
    ),
)
def p_hours_04(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return (
        d.fund_model == FM_1619
        and d.prog_type == PROG_TLEVEL
        and d.p_hours is not None
        and d.p_hours <= 0
    )


@delivery_rule(
    "OTJActHours_01",
    E,
    "LearningDelivery.OTJActHours",
    "Actual off-the-job hours are only returned on the programme aim (AimType 1).",
    needs=("otj_act_hours",),
)
def otj_act_hours_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.otj_act_hours is not None and d.aim_type != 1


# --- Funding and monitoring (LearningDeliveryFAM) ---------------------------------------


@delivery_rule(
    "LearnDelFAMType_01",
    E,
    "LearningDelivery.LearnDelFAMType",
    "The aim has no source of funding (SOF) monitoring.",
    needs=("no_sof",),
)
def learn_del_fam_type_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model in FUND_MODELS and not d.has_fam("SOF")


@delivery_rule(
    "LearnDelFAMType_64",
    E,
    "LearningDelivery.LearnDelFAMType",
    "An apprenticeship programme aim (FundModel 36) needs its contract type (ACT) monitoring.",
    note="The component part (English/maths or BSL components) needs LARS basic-skills data "
    "and is not run.",
    guard="programme",
    needs=("fm36",),
)
def learn_del_fam_type_64(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model == FM_APPS and not d.has_fam("ACT")


@delivery_rule(
    "LearnDelFAMType_74",
    E,
    "LearningDelivery.LearnDelFAMCode",
    "The source of funding must be ESFA adult funding (SOF 105) or a combined authority "
    "(110-116) for this funding model.",
    needs=(
        "sof_adult_fm",
        "sof_not_105",
    ),
)
def learn_del_fam_type_74(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    if s is None or s <= date(2019, 7, 31) or d.fund_model not in _ADULT_SOF_FMS:
        return False
    if not d.fams:
        return True
    return any(f.code not in _ADULT_SOF for f in d.fam_types.get("SOF", ()))


@delivery_rule(
    "LearnDelFAMDateFrom_02",
    E,
    "LearningDeliveryFAM.LearnDelFAMDateFrom",
    "A funding and monitoring 'date from' is before the aim's start date.",
    guard="fams",
)
def learn_del_fam_date_from_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    if s is None or d.fund_model not in _DATE_FROM_FMS:
        return False
    return any(f.date_from is not None and f.date_from < s for f in d.fams)


@delivery_rule(
    "LearnDelFAMDateTo_03",
    E,
    "LearningDeliveryFAM.LearnDelFAMDateTo",
    "A funding and monitoring 'date to' (other than ACT) is after the aim's actual end date.",
    guard="fams",
    needs=("learn_act_end_date",),
)
def learn_del_fam_date_to_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    if d.fund_model not in _DATE_FROM_FMS:
        return False
    a = d.learn_act_end_date
    return any(
        f.type != "ACT" and f.date_to is not None and a is not None and f.date_to > a
        for f in d.fams
    )


@delivery_rule(
    "LearnDelFAMDateTo_05",
    E,
    "LearningDeliveryFAM.LearnDelFAMDateTo",
    "The contract type (ACT) 'date to' is after the aim's achievement date.",
    guard="fm36",
    needs=("ach_date", "has_fams"),
)
def learn_del_fam_date_to_05(d: Delivery, rec: Learner, ctx: Context) -> bool:
    ach = d.ach_date
    return ach is not None and any(
        f.date_to is not None and f.date_to > ach for f in d.fam_types.get("ACT", ())
    )


# --- Apprenticeship financial records ---------------------------------------------------


def _has_fin(d: Delivery, kind: str, codes: tuple[int, ...]) -> bool:
    return any(r.type == kind and r.code in codes for r in d.app_fin)


@delivery_rule(
    "AFinType_10",
    E,
    "AppFinRecord.AFinType",
    "An apprenticeship standard programme aim needs its end-point assessment price (TNP 2 "
    "or TNP 4).",
    guard="programme",
    needs=("apprenticeship",),
)
def afin_type_10(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return (
        d.fund_model in FUND_MODELS
        and d.prog_type == PROG_STANDARD
        and not _has_fin(d, "TNP", (2, 4))
    )


@delivery_rule(
    "AFinType_12",
    E,
    "AppFinRecord.AFinType",
    "An apprenticeship programme aim (FundModel 36) needs a total negotiated price (TNP).",
    guard="programme",
    needs=("fm36",),
)
def afin_type_12(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model == FM_APPS and not any(r.type == "TNP" for r in d.app_fin)


@delivery_rule(
    "AFinType_13",
    E,
    "AppFinRecord.AFinDate",
    "An apprenticeship programme aim needs a total negotiated price (TNP) dated on its start date.",
    guard="programme",
    needs=("fm36",),
)
def afin_type_13(d: Delivery, rec: Learner, ctx: Context) -> bool:
    if d.fund_model != FM_APPS:
        return False
    s = d.learn_start_date
    return not any(r.type == "TNP" and r.date is not None and r.date == s for r in d.app_fin)


@delivery_rule(
    "AFinType_14",
    E,
    "AppFinRecord.AFinType",
    "A training payment (PMR 1) is recorded but there is no training price (TNP 1 or TNP 3).",
    guard="programme",
    needs=(
        "has_app_fin",
        "fin_pmr",
    ),
)
def afin_type_14(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return _has_fin(d, "PMR", (1,)) and not _has_fin(d, "TNP", (1, 3))


@delivery_rule(
    "EPAOrgID_02",
    E,
    "LearningDelivery.EPAOrgID",
    "An end-point assessment price (TNP 2 or 4) is returned but no end-point assessment "
    "organisation (EPAOrgID).",
    guard="appfin",
)
def epa_org_id_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return not d.epa_org_id and _has_fin(d, "TNP", (2, 4))


@delivery_rule(
    "EPAOrgID_03",
    E,
    "LearningDelivery.EPAOrgID",
    "An end-point assessment organisation is returned but no end-point assessment price "
    "(TNP 2 or 4).",
    needs=("epa_org_id",),
)
def epa_org_id_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return bool(d.epa_org_id and d.epa_org_id.strip()) and not _has_fin(d, "TNP", (2, 4))


_AFIN_CODES = {"TNP": (1, 2, 3, 4), "PMR": (1, 2, 3)}


@delivery_rule(
    "AFinType_01",
    E,
    "AppFinRecord.AFinType",
    "An apprenticeship standard programme funded as other adult (FundModel 81) needs a total "
    "training price (TNP 1).",
    guard="programme",
    needs=("fm81",),
)
def afin_type_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return (
        d.fund_model == FM_OTHER_ADULT
        and d.prog_type == PROG_STANDARD
        and not _has_fin(d, "TNP", (1,))
    )


@delivery_rule(
    "AFinType_02",
    E,
    "AppFinRecord.AFinCode",
    "A financial record's type and code are not valid (TNP 1-4 or PMR 1-3).",
    guard="appfin",
)
def afin_type_02(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return any(r.code not in _AFIN_CODES.get((r.type or "").upper(), ()) for r in d.app_fin)


@delivery_rule(
    "AFinType_11",
    E,
    "AppFinRecord.AFinCode",
    "An assessment price or payment (code 2 or 4) is only for apprenticeship standards "
    "(ProgType 25).",
    guard="appfin",
    needs=(
        "fm36",
        "not_standard",
    ),
)
def afin_type_11(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.prog_type != PROG_STANDARD and any(r.code in (2, 4) for r in d.app_fin)


@delivery_rule(
    "AFinDate_03",
    E,
    "AppFinRecord.AFinDate",
    "A financial record is dated after the file's preparation date.",
    guard="appfin",
)
def afin_date_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    prep = ctx.file_preparation_date
    return any(r.date is not None and r.date > prep for r in d.app_fin)


def _fin_dates(d: Delivery, kind: str, code: int) -> list[date]:
    return [r.date for r in d.app_fin if r.type == kind and r.code == code and r.date is not None]


@delivery_rule(
    "AFinDate_05",
    E,
    "AppFinRecord.AFinDate",
    "A total training price (TNP 1) is dated after the latest residual training price (TNP 3).",
    guard="appfin",
    needs=("fin_tnp3",),
)
def afin_date_05(d: Delivery, rec: Learner, ctx: Context) -> bool:
    tnp3 = _fin_dates(d, "TNP", 3)
    return bool(tnp3) and any(x > max(tnp3) for x in _fin_dates(d, "TNP", 1))


@delivery_rule(
    "AFinDate_07",
    E,
    "AppFinRecord.AFinDate",
    "A total training price (TNP 1) and a residual training price (TNP 3) have the same date.",
    guard="appfin",
    needs=("fin_tnp3",),
)
def afin_date_07(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return bool(set(_fin_dates(d, "TNP", 1)) & set(_fin_dates(d, "TNP", 3)))


@delivery_rule(
    "AFinDate_08",
    E,
    "AppFinRecord.AFinDate",
    "A total assessment price (TNP 2) and a residual assessment price (TNP 4) have the same date.",
    guard="appfin",
    needs=("fin_tnp4",),
)
def afin_date_08(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return bool(set(_fin_dates(d, "TNP", 2)) & set(_fin_dates(d, "TNP", 4)))


@delivery_rule(
    "AimType_05",
    E,
    "LearningDelivery.AimType",
    "The core aim type (AimType 5) is only for 16-19 funded aims (FundModel 25 or 82).",
    needs=("odd_codes",),
)
def aim_type_05(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.aim_type == 5 and d.fund_model not in (FM_1619, FM_OTHER_1619)


@delivery_rule(
    "LearnPlanEndDate_03",
    E,
    "LearningDelivery.LearnPlanEndDate",
    "The planned end date is 10 years or more after the start date.",
    needs=("odd_dates",),
)
def learn_plan_end_date_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s, p = d.learn_start_date, d.learn_plan_end_date
    if s is None or p is None:
        return False
    return p.year - s.year - ((p.month, p.day) < (s.month, s.day)) >= 10


@delivery_rule(
    "WithdrawReason_05",
    E,
    "LearningDelivery.WithdrawReason",
    "The reason 28 (OLASS learner withdrawn for reasons outside the provider's control) is "
    "only for learners in custody (LDM 034).",
    needs=("withdraw_reason",),
)
def withdraw_reason_05(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.withdraw_reason == 28 and not in_custody(d)


@delivery_rule(
    "LearnDelFAMType_08",
    E,
    "LearningDeliveryFAM.LearnDelFAMCode",
    "A non-funded aim (FundModel 99) cannot have ESFA source of funding (SOF 105 or 107).",
    guard="fams",
    needs=("fm99",),
)
def learn_del_fam_type_08(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model == FM_NON_FUNDED and (d.has_fam("SOF", "105") or d.has_fam("SOF", "107"))


@delivery_rule(
    "LearnDelFAMType_09",
    E,
    "LearningDeliveryFAM.LearnDelFAMCode",
    "An adult aim started before 1 August 2019 can only have ESFA adult funding (SOF 105).",
    guard="fams",
    needs=(
        "sof_adult_fm",
        "sof_not_105",
    ),
)
def learn_del_fam_type_09(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    return (
        s is not None
        and s < date(2019, 8, 1)
        and any(f.code != "105" for f in d.fam_types.get("SOF", ()))
    )


@delivery_rule(
    "LearnDelFAMType_14",
    E,
    "LearningDeliveryFAM.LearnDelFAMType",
    "Eligibility for enhanced apprenticeship funding (EEF) is only for apprenticeship aims "
    "funded by adult skills, apprenticeships or other adult.",
    guard="fams",
    needs=("fam_eef",),
)
def learn_del_fam_type_14(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.has_fam("EEF") and (
        d.fund_model not in (FM_ADULT, FM_APPS, FM_OTHER_ADULT) or not d.is_apprenticeship
    )


@delivery_rule(
    "LearnDelFAMType_15",
    E,
    "LearningDeliveryFAM.LearnDelFAMCode",
    "An aim with an actual end date cannot carry the monitoring LDM 118.",
    guard="fams",
    needs=(
        "learn_act_end_date",
        "fam_ldm",
    ),
)
def learn_del_fam_type_15(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.has_fam("LDM", "118")


@delivery_rule(
    "ProvSpecDelMonOccur_01",
    E,
    "ProviderSpecDeliveryMonitoring.ProvSpecDelMonOccur",
    "Aim provider monitoring occurrences must be A, B, C or D.",
    needs=("has_prov_spec",),
)
def prov_spec_del_mon_occur_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return odd_occurrence(d.prov_spec, ("A", "B", "C", "D"))


@delivery_rule(
    "R50",
    E,
    "ProviderSpecDeliveryMonitoring.ProvSpecDelMonOccur",
    "An aim provider monitoring occurrence (A, B, C or D) is returned more than once.",
    needs=("has_prov_spec",),
)
def r50(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return repeated(occurrences(d.prov_spec))


@delivery_rule(
    "FundModel_03",
    E,
    "LearningDelivery.FundModel",
    "Advanced learner loan monitoring (ADL) is only for non-funded aims (FundModel 99).",
    guard="fams",
    needs=("fam_adl",),
)
def fund_model_03(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model != FM_NON_FUNDED and d.has_fam("ADL")


@delivery_rule(
    "FundModel_04",
    E,
    "LearningDelivery.FundModel",
    "An apprenticeship aim cannot be funded by 16-19 funding (FundModel 25 or 82).",
    guard="apprenticeship",
)
def fund_model_04(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model in (FM_1619, FM_OTHER_1619)


@delivery_rule(
    "FundModel_06",
    E,
    "LearningDelivery.FundModel",
    "An aim funded as an apprenticeship (FundModel 36) must be part of an apprenticeship "
    "programme (ProgType 25).",
    guard="fm36",
)
def fund_model_06(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return not d.is_apprenticeship


@delivery_rule(
    "ProgType_06",
    E,
    "LearningDelivery.FundModel",
    "An apprenticeship standard aim (ProgType 25) must be funded as an apprenticeship (36), "
    "other adult (81) or not funded (99).",
    guard="apprenticeship",
)
def prog_type_06(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.prog_type == PROG_STANDARD and d.fund_model not in (
        FM_APPS,
        FM_OTHER_ADULT,
        FM_NON_FUNDED,
    )


@delivery_rule(
    "ProgType_14",
    E,
    "LearningDelivery.LearnAimRef",
    "The industry placement aim (ZWRKX002) cannot be part of a traineeship (ProgType 24).",
    needs=("traineeship",),
)
def prog_type_14(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.learn_aim_ref == INDUSTRY_PLACEMENT_AIM


@delivery_rule(
    "OrigLearnStartDate_04",
    E,
    "LearningDelivery.OrigLearnStartDate",
    "An original start date is only returned on a restart (LearnDelFAMType RES).",
    needs=("orig_learn_start_date",),
)
def orig_learn_start_date_04(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model in (FM_ADULT, FM_APPS, FM_OTHER_ADULT, FM_NON_FUNDED) and not d.has_fam(
        "RES"
    )


@delivery_rule(
    "OrigLearnStartDate_09",
    E,
    "LearningDelivery.OrigLearnStartDate",
    "An apprenticeship funded from 1 May 2017 (FundModel 36) cannot have an original start "
    "date before 1 May 2017.",
    needs=("orig_learn_start_date", "fm36"),
)
def orig_learn_start_date_09(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.orig_learn_start_date < date(2017, 5, 1)  # type: ignore[operator]


@delivery_rule(
    "LearnStartDate_14",
    E,
    "LearningDelivery.StdCode",
    "A component of an apprenticeship standard whose programme started after the standard "
    "closed to new starts (LARS).",
    note="The programme start (DD18) is found by ProgType and StdCode; uses picsweb's LARS "
    "standards list.",
    needs=("std_code", "apprenticeship"),
)
def learn_start_date_14(d: Delivery, rec: Learner, ctx: Context) -> bool:
    if d.aim_type != 3 or d.prog_type != PROG_STANDARD or d.has_fam("RES"):
        return False
    std = ctx.lars_standard(d.std_code)  # type: ignore[arg-type]
    if std is None or std.last_date_starts is None:
        return False
    start = dd04_programme_start(rec, d)
    return start is not None and start > std.last_date_starts


_ONCE_PER_AIM = ("SOF", "FFI", "EEF", "RES", "ADL", "ASL", "SPP", "FLN")


@delivery_rule(
    "LearnDelFAMType_18",
    E,
    "LearningDeliveryFAM.LearnDelFAMType",
    "A funding and monitoring type that an aim may carry once (SOF, FFI, EEF, RES, ADL, ASL, "
    "SPP or FLN) is returned more than once.",
    guard="fams",
    needs=("fam_repeat",),
)
def learn_del_fam_type_18(d: Delivery, rec: Learner, ctx: Context) -> bool:
    types = d.fam_types
    return any(len(types.get(t, ())) > 1 for t in _ONCE_PER_AIM)


@delivery_rule(
    "LearnDelFAMType_22",
    E,
    "LearningDeliveryFAM.LearnDelFAMType",
    "Full or co-funding monitoring (FFI) is only for adult skills or other adult aims "
    "(FundModel 35 or 81).",
    guard="fams",
    needs=("fam_ffi",),
)
def learn_del_fam_type_22(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model not in (FM_ADULT, FM_OTHER_ADULT) and d.has_fam("FFI")


@delivery_rule(
    "LearnDelFAMType_35",
    E,
    "LearningDeliveryFAM.LearnDelFAMType",
    "Advanced learner loan monitoring (ADL) is only for non-funded aims (FundModel 99).",
    guard="fams",
    needs=("fam_adl",),
)
def learn_del_fam_type_35(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.fund_model != FM_NON_FUNDED and d.has_fam("ADL")
