"""Employment status rules (LearnerEmploymentStatus, EmploymentStatusMonitoring), checked
once per status, or once per learner where the rule compares statuses with aims."""

from __future__ import annotations

from datetime import date

from ilr_exports.rules.derived import (
    EMPLOYED,
    FM_ADULT,
    FM_NON_FUNDED,
    FM_OTHER_ADULT,
    TEMPORARY_EMP_ID,
    age_at_start_of_year,
    dd05_emp_id_valid,
    dd07_apprenticeship,
    in_custody,
    repeated,
)
from ilr_exports.rules.records import Delivery, EmploymentStatus, Learner
from ilr_exports.rules.registry import Context, E, delivery_rule, employment_rule, learner_rule

EMP_STATS = frozenset({10, 11, 12, 98})
# ESM type -> codes valid in 2025-26 (ILR specification, Appendix: ESM).
ESM_CODES: dict[str, frozenset[int]] = {
    "SEI": frozenset({1}),
    "EII": frozenset({1, 2, 3, 4, 5, 6, 7, 8}),
    "LOU": frozenset({1, 2, 3, 4, 5}),
    "LOE": frozenset({1, 2, 3, 4}),
    "BSI": frozenset({1, 2, 3, 4, 5, 6}),
    "PEI": frozenset({1}),
    "SEM": frozenset({1}),
    "OET": frozenset({1, 2}),
}
_ONCE_TYPES = ("SEI", "EII", "LOU", "LOE", "BSI", "PEI", "SEM")
_NOT_EMPLOYED = frozenset({11, 12})


@employment_rule(
    "DateEmpStatApp_01",
    E,
    "LearnerEmploymentStatus.DateEmpStatApp",
    "An employment status applies from a date after the end of the collection year.",
)
def date_emp_stat_app_01(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    return es.date_applies is not None and es.date_applies > ctx.year_end


@employment_rule(
    "DateEmpStatApp_02",
    E,
    "LearnerEmploymentStatus.DateEmpStatApp",
    "An employment status applies from a date on or before 31 July 1990.",
)
def date_emp_stat_app_02(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    return es.date_applies is not None and es.date_applies <= date(1990, 7, 31)


@learner_rule(
    "EmpStat_02",
    E,
    "LearnerEmploymentStatus.EmpStat",
    "An apprenticeship or traineeship programme started on or before 31 July 2014 needs an "
    "employment status applying on or before its start date.",
)
def emp_stat_02(rec: Learner, ctx: Context) -> bool:
    return any(
        d.aim_type == 1
        and d.learn_start_date is not None
        and d.learn_start_date <= date(2014, 7, 31)
        and (d.prog_type == 24 or dd07_apprenticeship(d.prog_type))
        and not any(
            es.date_applies is not None and es.date_applies <= d.learn_start_date
            for es in rec.employment
        )
        for d in rec.deliveries
    )


@learner_rule(
    "R43",
    E,
    "LearnerEmploymentStatus.DateEmpStatApp",
    "Two employment statuses apply from the same date.",
)
def r43(rec: Learner, ctx: Context) -> bool:
    return repeated([es.date_applies for es in rec.employment])


@employment_rule(
    "EmpId_02",
    E,
    "LearnerEmploymentStatus.EmpId",
    "The employer identifier's check digit (its 9th digit) is wrong: check the number in "
    "the Employer Data Service.",
    needs=("emp_id",),
)
def emp_id_02(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    return es.emp_id is not None and not dd05_emp_id_valid(es.emp_id)


@learner_rule(
    "EmpId_13",
    E,
    "LearnerEmploymentStatus.EmpId",
    "The temporary employer identifier 999999999 is still used more than 60 days after the "
    "start of an apprenticeship: return the employer's real number.",
    needs=("temp_emp_id",),
)
def emp_id_13(rec: Learner, ctx: Context) -> bool:
    if not any(es.emp_id == TEMPORARY_EMP_ID for es in rec.employment):
        return False
    prep = ctx.file_preparation_date
    return any(
        d.is_apprenticeship
        and d.is_programme
        and d.learn_start_date is not None
        and (prep - d.learn_start_date).days > 60
        for d in rec.deliveries
    )


@learner_rule(
    "EmpId_14",
    E,
    "LearnerEmploymentStatus.EmpId",
    "An apprentice has an employer identifier on a status that says they are not employed "
    "(11 or 12).",
    needs=("any_apprenticeship",),
)
def emp_id_14(rec: Learner, ctx: Context) -> bool:
    if not any(d.is_apprenticeship for d in rec.deliveries):
        return False
    return any(es.emp_id is not None and es.emp_stat in _NOT_EMPLOYED for es in rec.employment)


@delivery_rule(
    "EmpId_10",
    E,
    "LearnerEmploymentStatus.EmpId",
    "The apprentice is employed (EmpStat 10) at the programme's start but no employer "
    "identifier is returned.",
    guard="programme",
    needs=("apprenticeship",),
)
def emp_id_10(d: Delivery, rec: Learner, ctx: Context) -> bool:
    if not d.is_apprenticeship:
        return False
    es = rec.employment_on(d.learn_start_date)
    return es is not None and es.emp_stat == EMPLOYED and es.emp_id is None


@delivery_rule(
    "EmpStat_12",
    E,
    "LearnerEmploymentStatus.EmpStat",
    "An apprentice must be employed (EmpStat 10) on the programme's start date.",
    guard="programme",
    needs=("apprenticeship",),
)
def emp_stat_12(d: Delivery, rec: Learner, ctx: Context) -> bool:
    if not d.is_apprenticeship:
        return False
    if any(d.has_fam("LDM", c) for c in ("353", "354", "355")):
        return False
    es = rec.employment_on(d.learn_start_date)
    return es is None or es.emp_stat != EMPLOYED


@delivery_rule(
    "EmpStat_01",
    E,
    "LearnerEmploymentStatus.EmpStat",
    "No employment status applies on the start of an adult aim started 2012-13 or 2013-14.",
    needs=("adult_fm",),
)
def emp_stat_01(d: Delivery, rec: Learner, ctx: Context) -> bool:
    start = d.learn_start_date
    if start is None or not (date(2012, 8, 1) <= start <= date(2014, 7, 31)):
        return False
    return _adult_needs_status(d, rec, start)


def _adult_needs_status(d: Delivery, rec: Learner, start: date) -> bool:
    if d.fund_model not in (FM_ADULT, FM_OTHER_ADULT, FM_NON_FUNDED):
        return False
    if in_custody(d) or d.prog_type == 24 or dd07_apprenticeship(d.prog_type):
        return False
    if d.fund_model == FM_NON_FUNDED and d.has_fam("SOF", "108"):
        return False
    age = age_at_start_of_year(rec, d)
    if age is None or age < 19:
        return False
    return not any(
        es.date_applies is not None and es.date_applies <= start for es in rec.employment
    )


@delivery_rule(
    "EmpStat_08",
    E,
    "LearnerEmploymentStatus.EmpStat",
    "No employment status applies on the start date of an aim for a learner aged 19 or "
    "over (adult skills, other adult or non-funded).",
    needs=("adult_fm",),
)
def emp_stat_08(d: Delivery, rec: Learner, ctx: Context) -> bool:
    start = d.learn_start_date
    if start is None or start < date(2014, 8, 1):
        return False
    return _adult_needs_status(d, rec, start)


@employment_rule(
    "ESMType_01",
    E,
    "EmploymentStatusMonitoring.ESMType",
    "An employment status monitoring type/code pair is not valid for 2025-26.",
)
def esm_type_01(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    for m in es.monitoring:
        codes = ESM_CODES.get(m.type or "")
        if codes is None or m.code not in codes:
            return True
    return False


@employment_rule(
    "ESMType_02",
    E,
    "EmploymentStatusMonitoring.ESMType",
    "An employed status (EmpStat 10) needs its employment intensity (EII) monitoring.",
    needs=("employed",),
)
def esm_type_02(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    return (
        es.emp_stat == EMPLOYED
        and es.date_applies is not None
        and es.date_applies > date(2012, 7, 31)
        and es.esm("EII") is None
    )


@employment_rule(
    "ESMType_05",
    E,
    "EmploymentStatusMonitoring.ESMType",
    "An employed status (EmpStat 10) cannot carry a length of unemployment (LOU).",
    needs=("employed",),
)
def esm_type_05(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    return es.emp_stat == EMPLOYED and es.esm("LOU") is not None


@learner_rule(
    "ESMType_09",
    E,
    "EmploymentStatusMonitoring.ESMType",
    "An employed status (EmpStat 10) up to the apprenticeship's start needs its length of "
    "employment (LOE).",
    needs=("any_apprenticeship",),
)
def esm_type_09(rec: Learner, ctx: Context) -> bool:
    latest = None
    for d in rec.deliveries:
        s = d.learn_start_date
        qualifying = d.is_apprenticeship and d.is_programme and s is not None
        if qualifying and s >= date(2013, 8, 1) and (latest is None or s > latest):  # type: ignore[operator]
            latest = s
    if latest is None:
        return False
    return any(
        es.emp_stat == EMPLOYED
        and es.date_applies is not None
        and date(2013, 8, 1) <= es.date_applies <= latest
        and es.esm("LOE") is None
        for es in rec.employment
    )


@employment_rule(
    "ESMType_15",
    E,
    "EmploymentStatusMonitoring.ESMType",
    "An employment status carries the same monitoring type (SEI, EII, LOU, LOE, BSI, PEI or "
    "SEM) more than once.",
    needs=("many_esm",),
)
def esm_type_15(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    seen: set[str] = set()
    for m in es.monitoring:
        if m.type in _ONCE_TYPES:
            if m.type in seen:
                return True
            seen.add(m.type)
    return False


@delivery_rule(
    "EmpStat_18",
    E,
    "EmploymentStatusMonitoring.ESMCode",
    "A traineeship started before 1 August 2018 for an employed learner must have an "
    "employment intensity of less than 16 hours a week (EII 2).",
    guard="programme",
    needs=(
        "prog_type",
        "traineeship",
    ),
)
def emp_stat_18(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    if d.prog_type != 24 or s is None or s > date(2018, 7, 31):
        return False
    es = rec.employment_on(s)
    if es is None or es.emp_stat != EMPLOYED:
        return False
    return any(m.type == "EII" and m.code != 2 for m in es.monitoring)


@employment_rule(
    "ESMType_10",
    E,
    "EmploymentStatusMonitoring.ESMType",
    "A status of not employed (EmpStat 11 or 12) cannot carry a length of employment (LOE).",
    needs=("not_employed",),
)
def esm_type_10(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    return es.emp_stat in _NOT_EMPLOYED and es.esm("LOE") is not None


@employment_rule(
    "ESMType_12",
    E,
    "EmploymentStatusMonitoring.ESMType",
    "A status of not employed (EmpStat 11 or 12) from 1 August 2013 cannot carry "
    "self-employment (SEI) or employment intensity (EII) monitoring.",
    needs=("not_employed",),
)
def esm_type_12(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    return (
        es.emp_stat in _NOT_EMPLOYED
        and es.date_applies is not None
        and es.date_applies >= date(2013, 8, 1)
        and (es.esm("SEI") is not None or es.esm("EII") is not None)
    )


@employment_rule(
    "EmpStat_05",
    E,
    "LearnerEmploymentStatus.EmpStat",
    "The employment status is not one of 10 (employed), 11 (looking for work), 12 (not "
    "looking) or 98 (not known).",
    needs=("odd_emp_stat",),
)
def emp_stat_05(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    return es.emp_stat not in EMP_STATS


def _hours(rec: Learner) -> int:
    return (rec.plan_learn_hours or 0) + (rec.plan_eep_hours or 0)


def _status_on_1619_start(d: Delivery, rec: Learner, start_from: date, start_to: date) -> bool:
    s = d.learn_start_date
    return (
        d.fund_model in (25, 82)
        and s is not None
        and start_from <= s <= start_to
        and _hours(rec) < 540
        and rec.employment_on(s) is None
    )


@delivery_rule(
    "EmpStat_06",
    E,
    "LearnerEmploymentStatus.DateEmpStatApp",
    "A part-time (under 540 hours) 16-19 learner who started in 2013-14 needs an employment "
    "status on the start date.",
)
def emp_stat_06(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return d.prog_type != 24 and _status_on_1619_start(d, rec, date(2013, 8, 1), date(2014, 7, 31))


@delivery_rule(
    "EmpStat_07",
    E,
    "LearnerEmploymentStatus.DateEmpStatApp",
    "A part-time (under 540 hours) 16-19 learner who started before 1 August 2013 needs an "
    "employment status on the start date.",
)
def emp_stat_07(d: Delivery, rec: Learner, ctx: Context) -> bool:
    return _status_on_1619_start(d, rec, date.min, date(2013, 7, 31))


@delivery_rule(
    "EmpStat_09",
    E,
    "LearnerEmploymentStatus.DateEmpStatApp",
    "An apprenticeship or traineeship programme needs an employment status dated before its "
    "start date.",
    guard="programme",
    needs=("prog_type",),
)
def emp_stat_09(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    if s is None or s <= date(2014, 7, 31) or not (d.is_apprenticeship or d.prog_type == 24):
        return False
    return not any(es.date_applies is not None and es.date_applies < s for es in rec.employment)


@delivery_rule(
    "EmpStat_19",
    E,
    "EmploymentStatusMonitoring.ESMCode",
    "A traineeship from 1 August 2018 for an employed learner needs an employment intensity "
    "of 0-10 or 11-20 hours a week (EII 5 or 6).",
    guard="programme",
    needs=("traineeship",),
)
def emp_stat_19(d: Delivery, rec: Learner, ctx: Context) -> bool:
    s = d.learn_start_date
    if s is None or s < date(2018, 8, 1):
        return False
    es = rec.employment_on(s)
    if es is None or es.emp_stat != EMPLOYED:
        return False
    return any(m.type == "EII" and m.code not in (5, 6) for m in es.monitoring)


@employment_rule(
    "ESMType_08",
    E,
    "EmploymentStatusMonitoring.ESMType",
    "A status of not employed and looking for work (EmpStat 11) needs its length of "
    "unemployment (LOU).",
    needs=("not_employed",),
)
def esm_type_08(es: EmploymentStatus, rec: Learner, ctx: Context) -> bool:
    if rec.fm1619:
        return False
    return (
        es.emp_stat == 11
        and es.date_applies is not None
        and es.date_applies > date(2012, 7, 31)
        and es.esm("LOU") is None
    )
