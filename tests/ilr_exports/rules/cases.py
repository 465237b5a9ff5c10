"""One failing and one passing case per rule, keyed by rule ID. Each case changes a fresh
typical apprentice (builder.apprentice); a change may return a Context to check with.
The inputs follow the official rule's own unit tests (SkillsFundingAgency/
DC-ILR-2021-ValidationService, Rules.Tests) where they exist: the same boundary dates,
codes and combinations, set on an otherwise valid learner."""

from __future__ import annotations

from typing import Any

from tests.ilr_exports.rules.builder import (
    Change,
    Context,
    Data,
    adult_learner,
    context,
    esm,
    fam,
    fin,
)

TEMP_ULN = 9999999999
CASES: dict[str, tuple[Change, Change]] = {}


def case(rule_id: str, fail: Change, ok: Change) -> None:
    assert rule_id not in CASES, rule_id
    CASES[rule_id] = (fail, ok)


def do(*changes: Change) -> Change:
    def change(data: Data) -> Context | None:
        found = None
        for c in changes:
            found = c(data) or found
        return found

    return change


def learner(**values: Any) -> Change:
    def change(data: Data) -> None:
        data.update(values)

    return change


def aim(index: int, **values: Any) -> Change:
    def change(data: Data) -> None:
        data["LearningDelivery"][index].update(values)

    return change


def emp(index: int, **values: Any) -> Change:
    def change(data: Data) -> None:
        data["LearnerEmploymentStatus"][index].update(values)

    return change


def ctx(**values: Any) -> Change:
    return lambda data: context(**values)


def adult(data: Data) -> None:
    """Turns the learner into the adult skills learner of builder.adult_learner."""
    data.clear()
    data.update(adult_learner())


def fams(index: int, *records: Data) -> Change:
    return aim(index, LearningDeliveryFAM=list(records))


def lfams(*pairs: tuple[str, int]) -> Change:
    return learner(LearnerFAM=[{"LearnFAMType": t, "LearnFAMCode": c} for t, c in pairs])


def lldd(*pairs: tuple[int, int | None]) -> Change:
    return learner(
        LLDDHealthProb=1, LLDDandHealthProblem=[{"LLDDCat": c, "PrimaryLLDD": p} for c, p in pairs]
    )


def esms(index: int, *pairs: tuple[str, int]) -> Change:
    return emp(index, EmploymentStatusMonitoring=[esm(t, c) for t, c in pairs])


def same(data: Data) -> None:
    """The typical learner unchanged (it breaks no rule)."""


SOF = fam("SOF", 105)
ACT = fam("ACT", 1, "2025-09-01")
ENDED = {"LearnActEndDate": "2025-09-30"}
WITHDRAWN = {"CompStatus": 3, "LearnActEndDate": "2025-09-30", "WithdrawReason": 97}
FM25 = do(adult, aim(0, FundModel=25))
AFTER_JAN = ctx(file_preparation_date=__import__("datetime").date(2026, 1, 15))
BEFORE_JAN = ctx(file_preparation_date=__import__("datetime").date(2025, 12, 31))

# --- Learner ----------------------------------------------------------------------------
case("LearnRefNumber_03", learner(LearnRefNumber="PW-000123"), learner(LearnRefNumber="PW 000123"))
case(
    "PrevLearnRefNumber_02", learner(PrevLearnRefNumber="AB_1"), learner(PrevLearnRefNumber="AB 1")
)
case("PrevUKPRN_02", learner(PrevUKPRN=10012345), learner(PrevUKPRN=10000001))
case("PMUKPRN_02", learner(PMUKPRN=10012345), learner(PMUKPRN=10012346))
case("ULN_03", do(adult, learner(ULN=TEMP_ULN)), do(adult, learner(ULN=TEMP_ULN), AFTER_JAN))
case("ULN_04", learner(ULN=1000000042), learner(ULN=1000000043))
case(
    "ULN_06",
    do(adult, learner(ULN=TEMP_ULN), aim(0, LearnStartDate="2026-01-05"), AFTER_JAN),
    do(adult, learner(ULN=TEMP_ULN), aim(0, LearnStartDate="2025-12-05"), BEFORE_JAN),
)
case(
    "ULN_07",
    do(adult, learner(ULN=TEMP_ULN), AFTER_JAN),
    do(adult, learner(ULN=TEMP_ULN), aim(0, LearnStartDate="2025-12-01"), AFTER_JAN),
)
case(
    "ULN_09",
    do(adult, learner(ULN=TEMP_ULN), fams(0, SOF, fam("LDM", "034")), AFTER_JAN),
    do(adult, learner(ULN=TEMP_ULN), fams(0, SOF, fam("LDM", "034")), BEFORE_JAN),
)
HE = do(adult, learner(ULN=TEMP_ULN), aim(0, FundModel=99), fams(0, fam("SOF", 1)), AFTER_JAN)
case("ULN_10", HE, do(HE, aim(0, LearnStartDate="2025-12-01")))
case("ULN_11", HE, do(HE, aim(0, LearnStartDate="2025-12-01")))
case(
    "ULN_12",
    learner(ULN=TEMP_ULN),
    do(adult, learner(ULN=TEMP_ULN), AFTER_JAN, aim(0, LearnStartDate="2026-01-10")),
)
case("FamilyName_01", learner(FamilyName=None), learner(FamilyName="O'Brien"))
COMMUNITY = do(adult, aim(0, FundModel=10), fams(0, fam("SOF", 108)))
case(
    "FamilyName_04",
    do(COMMUNITY, learner(FamilyName=None, PlanLearnHours=10)),
    do(COMMUNITY, learner(FamilyName=None, PlanLearnHours=11)),
)
case("GivenNames_01", learner(GivenNames=None), learner(GivenNames="Alex Jo"))
case(
    "GivenNames_04",
    do(COMMUNITY, learner(GivenNames="  ", PlanLearnHours=5)),
    do(COMMUNITY, learner(GivenNames="  ", PlanLearnHours=5, ULN=TEMP_ULN)),
)
case("DateOfBirth_01", learner(DateOfBirth=None), do(COMMUNITY, learner(DateOfBirth=None)))
case(
    "DateOfBirth_05",
    do(COMMUNITY, learner(DateOfBirth="2021-09-02")),
    do(COMMUNITY, learner(DateOfBirth="2021-09-01")),
)
case(
    "DateOfBirth_06",
    do(FM25, learner(DateOfBirth="2012-09-01")),
    do(FM25, learner(DateOfBirth="2012-08-31")),
)
# Born 2009-09-10: 16 in 2025-26, school leaving date Friday 26 June 2026.
case(
    "DateOfBirth_48",
    learner(DateOfBirth="2009-09-10"),
    do(learner(DateOfBirth="2009-09-10"), *[aim(i, LearnStartDate="2026-06-27") for i in range(4)]),
)
case("Sex_01", learner(Sex="X"), learner(Sex="M"))
case("Ethnicity_01", learner(Ethnicity=30), learner(Ethnicity=99))
case("LLDDHealthProb_01", learner(LLDDHealthProb=3), learner(LLDDHealthProb=9))
case("LLDDCat_01", lldd((3, 1)), lldd((4, 1)))
# 15 (Asperger's) ended on 31 July 2025: the learner's first start decides.
ALL_START = lambda when: do(*[aim(i, LearnStartDate=when) for i in range(4)])  # noqa: E731
case("LLDDCat_02", lldd((15, 1)), do(lldd((15, 1)), ALL_START("2025-07-31")))
case("R45", lldd((4, 1), (4, None)), lldd((4, 1), (5, None)))
case("PrimaryLLDD_01", lldd((4, None), (5, None)), lldd((99, None), (98, None)))
case("PrimaryLLDD_02", lldd((4, 2)), lldd((4, 1)))
case("PrimaryLLDD_03", lldd((4, 1), (5, 1)), lldd((4, 1), (5, None)))
case("PrimaryLLDD_04", lldd((4, None)), lldd((99, None)))
case("NINumber_01", learner(NINumber="QQ123456C"), learner(NINumber="AB123456"))
case("NINumber_02", learner(NINumber=None), do(adult, learner(NINumber=None)))
case("Email_01", learner(Email="alex.example.org"), learner(Email="a@b"))
case("TelNo_03", learner(TelNo="0113 000 0000"), learner(TelNo="441130000000"))
case(
    "AddLine1_03",
    learner(AddLine1=None),
    do(COMMUNITY, learner(AddLine1=None, PlanLearnHours=10)),
)
case("Postcode_15", learner(Postcode="LS11UR"), learner(Postcode="ZZ99 9ZZ"))
case("PostcodePrior_02", learner(PostcodePrior="ls6 2ab"), learner(PostcodePrior="ZZ99 9ZZ"))
case("PriorAttain_01", learner(PriorAttain=[]), do(COMMUNITY, learner(PriorAttain=[])))
case(
    "PriorAttain_03",
    learner(PriorAttain=[{"PriorLevel": 6, "DateLevelApp": "2022-07-01"}]),
    learner(PriorAttain=[{"PriorLevel": 9, "DateLevelApp": "2022-07-01"}]),
)
TRAINEE_2018 = do(
    adult,
    aim(0, AimType=1, ProgType=24, LearnStartDate="2018-09-01", LearnPlanEndDate="2019-03-01"),
)
case(
    "PriorAttain_07",
    TRAINEE_2018,
    do(TRAINEE_2018, learner(PriorAttain=[{"PriorLevel": 2, "DateLevelApp": "2017-07-01"}])),
)
case("LearnFAMType_01", lfams(("HNS", 2)), lfams(("HNS", 1)))
case("LearnFAMType_09", lfams(("EHC", 1), ("EHC", 1)), lfams(("EHC", 1), ("HNS", 1)))
case("LearnFAMType_14", lfams(("SEN", 1), ("EHC", 1)), lfams(("EHC", 1)))
case("LearnFAMType_16", lfams(("ECF", 1)), lfams(("ECF", 1), ("SEN", 1)))
case("Accom_01", learner(Accom=1), learner(Accom=5))
case("ALSCost_02", learner(ALSCost=100), do(learner(ALSCost=100), lfams(("HNS", 1))))
case("MathGrade_01", FM25, do(FM25, learner(MathGrade="4")))
case("EngGrade_01", FM25, do(FM25, learner(EngGrade="9-8")))
case(
    "ProvSpecLearnMonOccur_01",
    learner(
        ProviderSpecLearnerMonitoring=[{"ProvSpecLearnMonOccur": "C", "ProvSpecLearnMon": "X"}]
    ),
    learner(
        ProviderSpecLearnerMonitoring=[{"ProvSpecLearnMonOccur": "b", "ProvSpecLearnMon": "X"}]
    ),
)
case(
    "R49",
    learner(
        ProviderSpecLearnerMonitoring=[
            {"ProvSpecLearnMonOccur": "A", "ProvSpecLearnMon": "X"},
            {"ProvSpecLearnMonOccur": "a", "ProvSpecLearnMon": "Y"},
        ]
    ),
    learner(
        ProviderSpecLearnerMonitoring=[
            {"ProvSpecLearnMonOccur": "A", "ProvSpecLearnMon": "X"},
            {"ProvSpecLearnMonOccur": "B", "ProvSpecLearnMon": "Y"},
        ]
    ),
)
case("LearnerHE_02", learner(LearnerHE=[{"UCASPERID": "1234567890"}]), same)

# --- Employment status ------------------------------------------------------------------
case("DateEmpStatApp_01", emp(1, DateEmpStatApp="2026-08-01"), emp(1, DateEmpStatApp="2026-07-31"))
case("DateEmpStatApp_02", emp(0, DateEmpStatApp="1990-07-31"), emp(0, DateEmpStatApp="1990-08-01"))
# A programme started on 31 July 2014, the last day the rule covers.
STARTED_2014 = do(
    aim(0, LearnStartDate="2014-07-31", LearnPlanEndDate="2016-07-31"),
    emp(0, DateEmpStatApp="2014-08-01"),
    emp(1, DateEmpStatApp="2014-09-01"),
)
case("EmpStat_02", STARTED_2014, do(STARTED_2014, emp(0, DateEmpStatApp="2014-07-31")))
case("R43", emp(1, DateEmpStatApp="2025-03-01"), emp(1, DateEmpStatApp="2025-03-02"))
case("EmpId_02", emp(1, EmpId=123456788), emp(1, EmpId=999999999))
case(
    "EmpId_13",
    do(
        emp(1, EmpId=999999999), ctx(file_preparation_date=__import__("datetime").date(2025, 11, 1))
    ),
    do(
        emp(1, EmpId=999999999),
        ctx(file_preparation_date=__import__("datetime").date(2025, 10, 31)),
    ),
)
case("EmpId_14", emp(0, EmpId=123456789), emp(0, EmpStat=10, EmpId=123456789))
case("EmpId_10", emp(1, EmpId=None), do(emp(1, EmpId=None), emp(1, EmpStat=11)))
case("EmpStat_12", emp(1, DateEmpStatApp="2025-09-02"), emp(1, DateEmpStatApp="2025-09-01"))
OLD_ADULT = do(adult, learner(DateOfBirth="1980-01-01", LearnerEmploymentStatus=[]))
case(
    "EmpStat_01",
    do(OLD_ADULT, aim(0, LearnStartDate="2013-09-01", LearnPlanEndDate="2014-06-30")),
    do(
        OLD_ADULT,
        aim(0, LearnStartDate="2013-09-01", LearnPlanEndDate="2014-06-30"),
        learner(LearnerEmploymentStatus=[{"EmpStat": 11, "DateEmpStatApp": "2013-08-01"}]),
    ),
)
case("EmpStat_08", OLD_ADULT, do(OLD_ADULT, learner(DateOfBirth="2008-01-01")))
case(
    "ESMType_01",
    esms(1, ("EII", 8), ("LOE", 1), ("XYZ", 1)),
    esms(1, ("EII", 8), ("LOE", 1), ("SEM", 1)),
)
case("ESMType_02", esms(1, ("LOE", 1)), esms(1, ("EII", 5), ("LOE", 1)))
case(
    "ESMType_05",
    esms(1, ("EII", 8), ("LOE", 1), ("LOU", 1)),
    esms(1, ("EII", 8), ("LOE", 1), ("BSI", 1)),
)
case("ESMType_09", esms(1, ("EII", 8)), esms(1, ("EII", 8), ("LOE", 4)))
case("ESMType_10", esms(0, ("LOU", 2), ("LOE", 1)), esms(0, ("LOU", 2), ("BSI", 4)))
case(
    "ESMType_12",
    esms(0, ("LOU", 2), ("EII", 8)),
    do(esms(0, ("LOU", 2), ("EII", 8)), emp(0, DateEmpStatApp="2013-07-31")),
)
case(
    "ESMType_15",
    esms(1, ("EII", 8), ("LOE", 1), ("EII", 5)),
    esms(1, ("EII", 8), ("LOE", 1), ("SEM", 1)),
)
TRAINEE_EMPLOYED = do(
    aim(0, ProgType=24, LearnStartDate="2018-01-10", LearnPlanEndDate="2018-06-30"),
    emp(0, DateEmpStatApp="2017-01-01"),
    emp(1, DateEmpStatApp="2017-12-01"),
)
case("EmpStat_18", TRAINEE_EMPLOYED, do(TRAINEE_EMPLOYED, esms(1, ("EII", 2), ("LOE", 1))))

# --- Learning delivery ------------------------------------------------------------------
case("AimSeqNumber_02", aim(2, AimSeqNumber=5), aim(2, AimSeqNumber=4))
case("R07", aim(2, AimSeqNumber=2), same)
case("FundModel_01", aim(1, FundModel=37), aim(1, FundModel=99))
case("AimType_01", aim(1, AimType=2), aim(1, AimType=5))
case("ProgType_01", aim(1, ProgType=None), aim(1, ProgType=25))
case("ProgType_02", do(adult, aim(0, ProgType=25)), do(adult, aim(0, AimType=3, ProgType=25)))
case("ProgType_03", aim(1, ProgType=3), aim(1, ProgType=31))
case("StdCode_01", aim(1, StdCode=None), aim(1, StdCode=1))
case("StdCode_02", aim(1, StdCode=5), aim(1, StdCode=1))
case("StdCode_03", do(adult, aim(0, StdCode=123)), do(adult, aim(0, StdCode=123, ProgType=25)))
case("LearnStartDate_02", aim(1, LearnStartDate="2015-07-31"), aim(1, LearnStartDate="2015-08-01"))
case(
    "LearnStartDate_03",
    do(adult, aim(0, LearnStartDate="2026-08-01", LearnPlanEndDate="2027-06-30")),
    aim(1, LearnStartDate="2026-08-01"),
)
case("LearnStartDate_05", learner(DateOfBirth="2025-09-01"), learner(DateOfBirth="2025-08-31"))
case("LearnStartDate_12", aim(1, LearnStartDate="2027-07-31"), aim(1, LearnStartDate="2027-07-30"))
case(
    "LearnStartDate_13",
    aim(0, StdCode=99),
    do(aim(0, StdCode=99), fams(0, SOF, ACT, fam("RES", 1))),
)
case(
    "LearnPlanEndDate_02",
    aim(1, LearnPlanEndDate="2025-08-31"),
    aim(1, LearnPlanEndDate="2025-09-01"),
)
case(
    "LearnActEndDate_01",
    aim(1, **{**WITHDRAWN, "LearnActEndDate": "2025-08-31"}),
    aim(1, **{**WITHDRAWN, "LearnActEndDate": "2025-09-01"}),
)
case(
    "LearnActEndDate_04",
    aim(1, **{**WITHDRAWN, "LearnActEndDate": "2025-10-07"}),
    aim(1, **WITHDRAWN),
)
case(
    "OrigLearnStartDate_01",
    aim(1, OrigLearnStartDate="2015-08-31"),
    aim(1, OrigLearnStartDate="2015-09-01"),
)
case(
    "OrigLearnStartDate_02",
    aim(1, OrigLearnStartDate="2025-09-01"),
    aim(1, OrigLearnStartDate="2025-08-31"),
)
case(
    "OrigLearnStartDate_03",
    do(FM25, aim(0, OrigLearnStartDate="2024-09-01")),
    do(adult, aim(0, OrigLearnStartDate="2024-09-01")),
)
case("CompStatus_01", aim(0, CompStatus=4), aim(0, CompStatus=6, **ENDED))
case("CompStatus_02", do(adult, aim(0, CompStatus=1, **ENDED)), aim(0, CompStatus=1, **ENDED))
case("CompStatus_03", aim(1, CompStatus=2), aim(1, CompStatus=2, **ENDED))
case("CompStatus_05", do(adult, aim(0, Outcome=3)), aim(0, Outcome=8))
EPA_DONE = {"LearnActEndDate": "2025-09-25", "AchDate": "2025-10-02", "Outcome": 1}
case("CompStatus_07", aim(0, CompStatus=1, **EPA_DONE), aim(0, CompStatus=2, **EPA_DONE))
case(
    "Outcome_01", aim(1, Outcome=4, **ENDED, CompStatus=2), aim(1, Outcome=8, **ENDED, CompStatus=2)
)
case(
    "Outcome_04",
    do(adult, aim(0, CompStatus=2, Outcome=2, AchDate="2025-10-01", **ENDED)),
    aim(0, CompStatus=2, Outcome=2, AchDate="2025-10-01", **ENDED),
)
case("Outcome_05", aim(1, Outcome=1, CompStatus=2), aim(1, Outcome=1, CompStatus=2, **ENDED))
TRAINEE = do(adult, aim(0, AimType=1, ProgType=24, Outcome=8, **ENDED))
case(
    "Outcome_09",
    do(TRAINEE, aim(0, CompStatus=3, WithdrawReason=97)),
    do(TRAINEE, aim(0, CompStatus=2)),
)
case("Outcome_10", aim(1, Outcome=3), aim(1, Outcome=3, **WITHDRAWN))
case("WithdrawReason_02", aim(1, **{**WITHDRAWN, "WithdrawReason": 5}), aim(1, **WITHDRAWN))
case("WithdrawReason_03", aim(1, **{**WITHDRAWN, "WithdrawReason": None}), aim(1, **WITHDRAWN))
case("WithdrawReason_04", aim(1, WithdrawReason=97), aim(1, **WITHDRAWN))
case(
    "WithdrawReason_06",
    aim(1, **{**WITHDRAWN, "WithdrawReason": 47}),
    aim(1, **{**WITHDRAWN, "WithdrawReason": 47, "LearnAimRef": "ZWRKX002"}),
)
case(
    "AchDate_08",
    aim(0, FundModel=81, CompStatus=2, Outcome=1, **ENDED),
    aim(0, FundModel=81, CompStatus=2, Outcome=1, AchDate="2025-10-01", **ENDED),
)
case(
    "AchDate_09",
    aim(1, AchDate="2025-09-20"),
    aim(0, AchDate="2025-10-06", CompStatus=2, Outcome=1, **ENDED),
)
case(
    "AchDate_11",
    aim(0, CompStatus=2, Outcome=1, LearnActEndDate="2025-09-25", AchDate="2025-10-01"),
    aim(0, CompStatus=2, Outcome=1, LearnActEndDate="2025-09-25", AchDate="2025-10-02"),
)
case("PHours_01", aim(0, PHours=None), aim(0, PHours=None, LearnStartDate="2025-07-31"))
case("PHours_02", aim(0, PHours=186), aim(0, PHours=187))
TLEVEL = do(adult, aim(0, AimType=1, ProgType=31, FundModel=25, LearnAimRef="ZPROG001"))
case("PHours_03", TLEVEL, do(TLEVEL, aim(0, PHours=600)))
case("PHours_04", do(TLEVEL, aim(0, PHours=0)), do(TLEVEL, aim(0, PHours=1)))
case("OTJActHours_01", aim(1, OTJActHours=10), aim(0, OTJActHours=10))
case("LearnDelFAMType_01", fams(2, ACT), fams(2, ACT, fam("SOF", 105)))
case("LearnDelFAMType_64", fams(0, SOF), fams(1, SOF))
case("LearnDelFAMType_74", fams(1, fam("SOF", 107), ACT), fams(1, fam("SOF", 112), ACT))
case(
    "LearnDelFAMDateFrom_02",
    fams(0, SOF, fam("ACT", 1, "2025-08-31")),
    fams(0, SOF, fam("ACT", 1, "2025-09-01")),
)
case(
    "LearnDelFAMDateTo_03",
    do(aim(1, **WITHDRAWN), fams(1, SOF, ACT, fam("LSF", 1, "2025-09-01", "2025-10-01"))),
    do(aim(1, **WITHDRAWN), fams(1, SOF, ACT, fam("LSF", 1, "2025-09-01", "2025-09-30"))),
)
case(
    "LearnDelFAMDateTo_05",
    do(aim(0, AchDate="2025-10-01"), fams(0, SOF, fam("ACT", 1, "2025-09-01", "2025-10-02"))),
    do(aim(0, AchDate="2025-10-01"), fams(0, SOF, fam("ACT", 1, "2025-09-01", "2025-10-01"))),
)
case(
    "AFinType_10",
    aim(0, AppFinRecord=[fin("TNP", 1)]),
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 4)]),
)
case("AFinType_12", aim(0, AppFinRecord=[]), aim(0, AppFinRecord=[fin("TNP", 1)]))
case(
    "AFinType_13",
    aim(0, AppFinRecord=[fin("TNP", 1, "2025-09-02"), fin("TNP", 2, "2025-09-02")]),
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 2, "2025-10-01")]),
)
case(
    "AFinType_14",
    aim(0, AppFinRecord=[fin("TNP", 2), fin("PMR", 1, "2025-09-30")]),
    aim(0, AppFinRecord=[fin("TNP", 3), fin("TNP", 2), fin("PMR", 1, "2025-09-30")]),
)
case("EPAOrgID_02", aim(0, EPAOrgID=None), aim(0, EPAOrgID=None, AppFinRecord=[fin("TNP", 1)]))
case(
    "EPAOrgID_03",
    aim(0, AppFinRecord=[fin("TNP", 1)]),
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 4)]),
)
case(
    "AFinType_01",
    aim(0, FundModel=81, AppFinRecord=[fin("TNP", 2)]),
    aim(0, FundModel=81, AppFinRecord=[fin("TNP", 1), fin("TNP", 2)]),
)
case(
    "AFinType_02",
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 2), fin("PMR", 4)]),
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 2), fin("PMR", 3)]),
)
case(
    "AFinType_11",
    aim(1, ProgType=None, AppFinRecord=[fin("TNP", 2)]),
    aim(1, AppFinRecord=[fin("TNP", 2)]),
)
case(
    "AFinDate_03",
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 2), fin("PMR", 1, "2025-10-07")]),
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 2), fin("PMR", 1, "2025-10-06")]),
)
case(
    "AFinDate_05",
    aim(0, AppFinRecord=[fin("TNP", 3, "2025-09-01"), fin("TNP", 1, "2025-09-02"), fin("TNP", 2)]),
    aim(0, AppFinRecord=[fin("TNP", 3, "2025-09-02"), fin("TNP", 1, "2025-09-01"), fin("TNP", 2)]),
)
case(
    "AFinDate_07",
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 3), fin("TNP", 2)]),
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 3, "2025-09-05"), fin("TNP", 2)]),
)
case(
    "AFinDate_08",
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 2), fin("TNP", 4)]),
    aim(0, AppFinRecord=[fin("TNP", 1), fin("TNP", 2), fin("TNP", 4, "2025-09-05")]),
)
case("AimType_05", aim(1, AimType=5), do(FM25, aim(0, AimType=5)))
case(
    "LearnPlanEndDate_03",
    aim(1, LearnPlanEndDate="2035-09-01"),
    aim(1, LearnPlanEndDate="2035-08-31"),
)
case(
    "WithdrawReason_05",
    aim(1, **{**WITHDRAWN, "WithdrawReason": 28}),
    do(aim(1, **{**WITHDRAWN, "WithdrawReason": 28}), fams(1, SOF, ACT, fam("LDM", "034"))),
)
case(
    "LearnDelFAMType_08",
    do(adult, aim(0, FundModel=99)),
    do(adult, aim(0, FundModel=99), fams(0, fam("SOF", 108))),
)
case(
    "LearnDelFAMType_09",
    do(adult, aim(0, LearnStartDate="2019-07-31"), fams(0, fam("SOF", 110))),
    do(adult, aim(0, LearnStartDate="2019-08-01"), fams(0, fam("SOF", 110))),
)
case("LearnDelFAMType_14", do(adult, fams(0, SOF, fam("EEF", 2))), fams(1, SOF, ACT, fam("EEF", 2)))
case(
    "LearnDelFAMType_15",
    do(aim(1, **WITHDRAWN), fams(1, SOF, ACT, fam("LDM", "118"))),
    fams(1, SOF, ACT, fam("LDM", "118")),
)
DELMON = "ProviderSpecDeliveryMonitoring"


def delmon(*occurs: str) -> Change:
    return aim(0, **{DELMON: [{"ProvSpecDelMonOccur": o, "ProvSpecDelMon": "X"} for o in occurs]})


case("ProvSpecDelMonOccur_01", delmon("A", "E"), delmon("a", "D"))
case("R50", delmon("A", "a"), delmon("A", "D"))


# --- Corrected from the rule classes -------------------------------------------------------
case(
    "LearnFAMType_10",
    lfams(("LSR", 36), ("LSR", 55), ("LSR", 56), ("LSR", 57), ("LSR", 58)),
    lfams(("LSR", 36), ("LSR", 55), ("LSR", 56), ("LSR", 57)),
)
case(
    "LearnFAMType_11",
    lfams(("NLM", 17), ("NLM", 18), ("NLM", 17)),
    lfams(("NLM", 17), ("EDF", 1), ("EDF", 2)),
)
case(
    "LLDDHealthProb_04",
    do(lldd((4, 1)), learner(LLDDHealthProb=2)),
    do(lldd((4, 1)), learner(LLDDHealthProb=9)),
)
case(
    "LLDDHealthProb_06",
    learner(LLDDHealthProb=1),
    do(learner(LLDDHealthProb=1, DateOfBirth="1990-01-01")),
)
NON_FUNDED_YOUNG = do(
    adult,
    aim(0, FundModel=99),
    fams(0, fam("SOF", 108)),
    learner(LLDDHealthProb=1, PlanLearnHours=11, DateOfBirth="2004-03-15"),
)
case("LLDDHealthProb_07", NON_FUNDED_YOUNG, do(NON_FUNDED_YOUNG, learner(PlanLearnHours=10)))
case("PlanLearnHours_01", adult, do(adult, learner(PlanLearnHours=300)))
case("PlanLearnHours_02", learner(PlanLearnHours=0), learner(PlanLearnHours=1))
case(
    "PlanLearnHours_03",
    do(FM25, learner(PlanLearnHours=0, PlanEEPHours=0)),
    do(FM25, learner(PlanLearnHours=0, PlanEEPHours=10)),
)
case(
    "PlanLearnHours_04",
    learner(PlanLearnHours=900, PlanEEPHours=101),
    learner(PlanLearnHours=900, PlanEEPHours=100),
)
case(
    "PlanEEPHours_01",
    do(FM25, learner(PlanLearnHours=540)),
    do(FM25, learner(PlanLearnHours=540, PlanEEPHours=0)),
)
case("MathGrade_03", learner(MathGrade="3"), do(learner(MathGrade="3"), lfams(("EDF", 1))))
case("EngGrade_03", learner(EngGrade="D"), learner(EngGrade="4"))
case("EmpStat_05", emp(1, EmpStat=13), emp(1, EmpStat=98))
PART_TIME_1619 = do(FM25, learner(PlanLearnHours=500, LearnerEmploymentStatus=[]))
case(
    "EmpStat_06",
    do(PART_TIME_1619, aim(0, LearnStartDate="2013-09-01", LearnPlanEndDate="2014-06-30")),
    do(
        PART_TIME_1619,
        aim(0, LearnStartDate="2013-09-01", LearnPlanEndDate="2014-06-30"),
        learner(PlanLearnHours=540),
    ),
)
case(
    "EmpStat_07",
    do(PART_TIME_1619, aim(0, LearnStartDate="2013-07-31", LearnPlanEndDate="2014-06-30")),
    do(PART_TIME_1619, aim(0, LearnStartDate="2013-08-01", LearnPlanEndDate="2014-06-30")),
)
case(
    "EmpStat_09",
    do(emp(0, DateEmpStatApp="2025-09-02"), emp(1, DateEmpStatApp="2025-09-01")),
    do(emp(0, DateEmpStatApp="2025-09-02"), emp(1, DateEmpStatApp="2025-08-31")),
)
TRAINEE_2019 = do(
    aim(0, ProgType=24, LearnStartDate="2019-01-10", LearnPlanEndDate="2019-06-30"),
    emp(0, DateEmpStatApp="2018-01-01"),
    emp(1, DateEmpStatApp="2018-12-01"),
)
case("EmpStat_19", TRAINEE_2019, do(TRAINEE_2019, esms(1, ("EII", 6), ("LOE", 1))))
case("ESMType_08", esms(0, ("BSI", 4)), esms(0, ("LOU", 1)))
case(
    "FundModel_03",
    fams(1, SOF, ACT, fam("ADL", 1)),
    do(adult, aim(0, FundModel=99), fams(0, fam("ADL", 1))),
)
case("FundModel_04", aim(1, FundModel=25), aim(1, FundModel=36))
case("FundModel_06", aim(1, ProgType=None, StdCode=None), aim(1, ProgType=25))
TRAINEE_2021 = do(
    adult,
    aim(0, AimType=1, ProgType=24, LearnStartDate="2021-09-01", LearnPlanEndDate="2022-03-01"),
)
case(
    "PriorAttain_08",
    do(TRAINEE_2021, learner(PriorAttain=[{"PriorLevel": 4, "DateLevelApp": "2020-07-01"}])),
    TRAINEE_2021,
)
case("ProgType_06", aim(1, FundModel=35), aim(1, FundModel=81))
case(
    "ProgType_14",
    do(adult, aim(0, AimType=3, ProgType=24, LearnAimRef="ZWRKX002")),
    do(adult, aim(0, AimType=3, ProgType=24, LearnAimRef="Z0001234")),
)
RESTART = fam("RES", 1)
case(
    "OrigLearnStartDate_04",
    aim(1, OrigLearnStartDate="2024-09-01"),
    do(aim(1, OrigLearnStartDate="2024-09-01"), fams(1, SOF, ACT, RESTART)),
)
case(
    "OrigLearnStartDate_09",
    do(aim(1, OrigLearnStartDate="2017-04-30"), fams(1, SOF, ACT, RESTART)),
    do(aim(1, OrigLearnStartDate="2017-05-01"), fams(1, SOF, ACT, RESTART)),
)
case(
    "LearnStartDate_14",
    do(*[aim(i, StdCode=99) for i in range(4)]),
    do(*[aim(i, StdCode=99) for i in range(4)], *[fams(i, SOF, ACT, RESTART) for i in (1, 2, 3)]),
)
case("LearnDelFAMType_18", fams(1, SOF, SOF, ACT), fams(1, SOF, ACT, fam("ACT", 2, "2025-10-01")))
case("LearnDelFAMType_22", fams(1, SOF, ACT, fam("FFI", 1)), do(adult, fams(0, SOF, fam("FFI", 1))))
case(
    "LearnDelFAMType_35",
    fams(1, SOF, ACT, fam("ADL", 1)),
    do(adult, aim(0, FundModel=99), fams(0, fam("ADL", 1))),
)
