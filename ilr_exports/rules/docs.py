"""The "Validation rules" table of docs/ilr.md, made from the registry so the two stay in
step (tests/ilr_exports/rules/test_docs.py compares them).
Run: .venv/bin/python -m ilr_exports.rules.docs  (prints the table)."""

from __future__ import annotations

from ilr_exports.rules import all_rules

BEGIN = "<!-- rules table: made by `python -m ilr_exports.rules.docs`; do not edit by hand -->"
END = "<!-- end of rules table -->"

# Rules whose 2020-21 class in SkillsFundingAgency/DC-ILR-2021-ValidationService
# (src/ESFA.DC.ILR.ValidationService.Rules/) was read and re-implemented from its logic. The
# others are not in the stored copy of the repository that could be searched: they follow
# the rule's description in the ILR specification's validation rules and are marked "spec".
FROM_CLASS = frozenset(
    """
    ULN_03 ULN_06 ULN_07 ULN_09 ULN_10 FamilyName_04 DateOfBirth_01 DateOfBirth_05
    DateOfBirth_06 DateOfBirth_48 PriorAttain_07 NINumber_01 EmpStat_01 EmpStat_08 EmpStat_12
    EmpStat_18 EmpId_10 EmpId_13 EmpId_14 DateEmpStatApp_01 ESMType_02 ESMType_05 ESMType_09
    ESMType_10 ESMType_12 ESMType_15 Outcome_01 Outcome_04 Outcome_05 Outcome_09 Outcome_10
    CompStatus_02 CompStatus_05 CompStatus_07 WithdrawReason_02 WithdrawReason_05
    WithdrawReason_06 ProgType_01 ProgType_02 PHours_01 PHours_02 PHours_03 PHours_04
    OTJActHours_01 AchDate_08 AchDate_09 AchDate_11 AFinType_01 AFinType_02 AFinType_10
    AFinType_11 AFinType_12 AFinType_13 AFinType_14 AFinDate_03 AFinDate_05 AFinDate_07
    AFinDate_08 LearnDelFAMType_01 LearnDelFAMType_08 LearnDelFAMType_09 LearnDelFAMType_14
    LearnDelFAMType_15 LearnDelFAMType_64 LearnDelFAMType_74 LearnDelFAMDateFrom_02
    LearnDelFAMDateTo_03 LearnDelFAMDateTo_05 EPAOrgID_02 EPAOrgID_03 StdCode_02 StdCode_03
    LearnStartDate_02 LearnStartDate_03 LearnStartDate_05 LearnStartDate_12 LearnStartDate_13
    OrigLearnStartDate_01 OrigLearnStartDate_02 OrigLearnStartDate_03 AimType_05
    LearnPlanEndDate_03 LLDDHealthProb_01 LLDDHealthProb_04 LLDDHealthProb_06
    LLDDHealthProb_07 LearnFAMType_01 LearnFAMType_09 LearnFAMType_10 LearnFAMType_11
    PlanLearnHours_01 PlanLearnHours_02 PlanLearnHours_03 PlanLearnHours_04 PlanEEPHours_01
    MathGrade_01 MathGrade_03 ULN_11 Postcode_15 PostcodePrior_02 ALSCost_02 EmpStat_05
    EmpStat_06 EmpStat_07 EmpStat_09 EmpStat_19 ESMType_08 Accom_01 DateEmpStatApp_02
    ESMType_01 FundModel_03 FundModel_04 FundModel_06 PriorAttain_03 PriorAttain_08 Sex_01
    EmpId_02 EngGrade_03 ProgType_03 WithdrawReason_03 LearnPlanEndDate_02 StdCode_01
    GivenNames_04 Ethnicity_01 EngGrade_01 ProgType_06 ProgType_14
    OrigLearnStartDate_04 OrigLearnStartDate_09 LearnStartDate_14 LearnDelFAMType_18
    LearnDelFAMType_22 LearnDelFAMType_35 LearnerHE_02
    """.split()
)


# Rules checked against their 2018-19 class in SkillsFundingAgency/DC-ILR-1819-
# ValidationService (same path), where the 2020-21 copy holds no class for them (a review of
# 8 December 2026 of the rules first written from the specification; four of them turned
# out to be other ESFA rules, now under their own IDs: R07, R43, R45, PrimaryLLDD_02, and
# the duplicate checks R49 and R50).
FROM_1819_CLASS = frozenset(
    """
    AddLine1_03 AimSeqNumber_02 AimType_01 CompStatus_01 CompStatus_03 EmpStat_02
    FamilyName_01 FundModel_01 GivenNames_01 LearnActEndDate_01 LearnActEndDate_04
    LearnFAMType_14 LearnFAMType_16 LLDDCat_01 LLDDCat_02 NINumber_02 PrimaryLLDD_01
    PrimaryLLDD_02 PrimaryLLDD_03 PrimaryLLDD_04 PriorAttain_01 ProvSpecDelMonOccur_01
    ProvSpecLearnMonOccur_01 R07 R43 R45 R49 R50 ULN_04 ULN_12 WithdrawReason_04
    """.split()
)


def _source(rule_id: str) -> str:
    if rule_id in FROM_CLASS:
        return "class"
    return "2018-19 class" if rule_id in FROM_1819_CLASS else "spec"


def rules_table() -> str:
    lines = [
        BEGIN,
        "",
        "| Rule | Severity | Field | Message | From | 2025-26 note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in all_rules():
        cells = (
            rule.rule_id,
            rule.severity,
            f"`{rule.field}`",
            rule.message,
            _source(rule.rule_id),
            rule.note,
        )
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", END]
    return "\n".join(lines)


if __name__ == "__main__":
    print(rules_table())
