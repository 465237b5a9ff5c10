"""Where a field an ESFA rule names (ILR element names) is put right in picsweb: the learner
record's field, which `learners:fix` opens at its box. A field picsweb does not hold (Accom,
LearnerHE…) has none: the message stands alone."""

from __future__ import annotations

RECORD_FIELDS = {
    "ULN": "learner.uln",
    "LearnRefNumber": "learner.lrn",
    "FamilyName": "learner.family_name",
    "GivenNames": "learner.given_names",
    "DateOfBirth": "learner.date_of_birth",
    "Sex": "learner.sex",
    "Ethnicity": "learner.ethnicity",
    "LLDDHealthProb": "learner.lldd_health_problem",
    "Postcode": "learner.postcode",
    "PostcodePrior": "learner.postcode_prior",
    "NINumber": "learner.ni_number",
    "AddLine1": "learner.address_line_1",
    "AddLine2": "learner.address_line_2",
    "AddLine3": "learner.town",
    "AddLine4": "learner.county",
    "Email": "learner.email",
    "TelNo": "learner.phone",
    "PlanLearnHours": "learner.planned_learning_hours",
    "PriorAttain.PriorLevel": "learner.prior_level",
    "LearnerEmploymentStatus.EmpStat": "employment.status",
    "LearnerEmploymentStatus.DateEmpStatApp": "employment.date_applies",
    "LearnerEmploymentStatus.EmpId": "employment.employer",
    "EmploymentStatusMonitoring.ESMType": "employment.employment_intensity",
    "EmploymentStatusMonitoring.ESMCode": "employment.employment_intensity",
    "LearningDelivery.LearnStartDate": "aim.start_date",
    "LearningDelivery.LearnPlanEndDate": "aim.planned_end_date",
    "LearningDelivery.LearnActEndDate": "aim.actual_end_date",
    "LearningDelivery.CompStatus": "aim.completion_status",
    "LearningDelivery.Outcome": "aim.outcome",
    "LearningDelivery.AchDate": "aim.achievement_date",
    "LearningDelivery.WithdrawReason": "aim.withdraw_reason",
    "LearningDelivery.PHours": "aim.planned_hours",
    "LearningDelivery.EPAOrgID": "aim.epa_org_id",
    "LearningDelivery.StdCode": "aim.standard",
    "LearningDelivery.ProgType": "aim.standard",
    "LearningDelivery.FundModel": "aim.contract",
    "LearningDeliveryFAM.LearnDelFAMType": "aim.contract",
    "LearningDeliveryFAM.LearnDelFAMCode": "aim.contract",
    "AppFinRecord.AFinType": "aim.training_price",
    "AppFinRecord.AFinCode": "aim.training_price",
    "AppFinRecord.AFinDate": "aim.start_date",
}


def record_field(ilr_field: str) -> str:
    return RECORD_FIELDS.get(ilr_field, "")
