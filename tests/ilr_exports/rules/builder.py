"""A small builder of ILR Learner elements for the rule tests: a learner is a dict (element
name -> text, or a list of dicts for repeated child entities), built into lxml elements.
`apprentice()` is a typical apprenticeship learner that passes every rule; tests copy it
and change what a case needs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from lxml import etree

from ilr_exports.rules import Context, LarsStandard

__all__ = [
    "Change",
    "Context",
    "Data",
    "adult_learner",
    "apprentice",
    "build",
    "context",
    "esm",
    "fam",
    "fin",
]

NS = "ESFA/ILR/2025-26"
Data = dict[str, Any]
Change = Callable[[Data], "Context | None"]

STANDARDS = {
    123: LarsStandard(123, date(2017, 3, 1), None),
    1: LarsStandard(1, date(2014, 11, 12), None),
    99: LarsStandard(99, date(2015, 1, 1), date(2020, 7, 31)),
}


def context(**changes: Any) -> Context:
    values: dict[str, Any] = {
        "year_start": date(2025, 8, 1),
        "year_end": date(2026, 7, 31),
        "file_preparation_date": date(2025, 10, 6),
        "ukprn": 10012345,
        "lars_standard": STANDARDS.get,
    }
    values.update(changes)
    return Context(**values)


def build(data: Data, tag: str = "Learner", ns: str | None = NS) -> Any:
    """The element for `data`: None values are left out, lists repeat the child element."""

    def q(name: str) -> str:
        return f"{{{ns}}}{name}" if ns else name

    def fill(parent: Any, values: Data) -> None:
        for name, value in values.items():
            if value is None:
                continue
            if isinstance(value, list):
                for item in value:
                    fill(etree.SubElement(parent, q(name)), item)
            else:
                etree.SubElement(parent, q(name)).text = str(value)

    root = etree.Element(q(tag), nsmap={None: ns} if ns else None)
    fill(root, data)
    return root


def fam(kind: str, code: Any, date_from: str | None = None, date_to: str | None = None) -> Data:
    return {
        "LearnDelFAMType": kind,
        "LearnDelFAMCode": code,
        "LearnDelFAMDateFrom": date_from,
        "LearnDelFAMDateTo": date_to,
    }


def fin(kind: str, code: int, when: str = "2025-09-01", amount: int = 1000) -> Data:
    return {"AFinType": kind, "AFinCode": code, "AFinDate": when, "AFinAmount": amount}


def esm(kind: str, code: int) -> Data:
    return {"ESMType": kind, "ESMCode": code}


def _component(seq: int, ref: str) -> Data:
    return {
        "LearnAimRef": ref,
        "AimType": 3,
        "AimSeqNumber": seq,
        "LearnStartDate": "2025-09-01",
        "LearnPlanEndDate": "2027-01-29",
        "FundModel": 36,
        "ProgType": 25,
        "StdCode": 123,
        "DelLocPostCode": "LS1 1UR",
        "CompStatus": 1,
        "LearningDeliveryFAM": [fam("SOF", 105), fam("ACT", 1, "2025-09-01")],
    }


_APPRENTICE: Data = {
    "LearnRefNumber": "PW000123",
    "ULN": "5123456782",
    "FamilyName": "Example",
    "GivenNames": "Alex",
    "DateOfBirth": "2004-03-15",
    "Ethnicity": 31,
    "Sex": "F",
    "LLDDHealthProb": 2,
    "NINumber": "AB123456C",
    "PostcodePrior": "LS6 2AB",
    "Postcode": "LS1 1UR",
    "AddLine1": "1 High Street",
    "TelNo": "01130000000",
    "Email": "alex.example@example.org",
    "PriorAttain": [{"PriorLevel": 3, "DateLevelApp": "2022-07-01"}],
    "LLDDandHealthProblem": [],
    "LearnerFAM": [],
    "LearnerEmploymentStatus": [
        {
            "EmpStat": 11,
            "DateEmpStatApp": "2025-03-01",
            "EmploymentStatusMonitoring": [esm("LOU", 2)],
        },
        {
            "EmpStat": 10,
            "DateEmpStatApp": "2025-08-31",
            "EmpId": 123456789,
            "EmploymentStatusMonitoring": [esm("EII", 8), esm("LOE", 1)],
        },
    ],
    "LearningDelivery": [
        {
            "LearnAimRef": "ZPROG001",
            "AimType": 1,
            "AimSeqNumber": 1,
            "LearnStartDate": "2025-09-01",
            "LearnPlanEndDate": "2027-03-01",
            "FundModel": 36,
            "PHours": 400,
            "ProgType": 25,
            "StdCode": 123,
            "DelLocPostCode": "LS1 1UR",
            "EPAOrgID": "EPA0001",
            "CompStatus": 1,
            "LearningDeliveryFAM": [fam("SOF", 105), fam("ACT", 1, "2025-09-01")],
            "AppFinRecord": [fin("TNP", 1, amount=9000), fin("TNP", 2)],
        },
        _component(2, "60346541"),
        _component(3, "60358373"),
        _component(4, "6036049X"),
    ],
}


def apprentice() -> Data:
    """A fresh copy of the typical apprenticeship learner."""
    return copy.deepcopy(_APPRENTICE)


def adult_learner() -> Data:
    """An adult skills (FundModel 35) learner on one stand-alone aim, who passes every rule."""
    data = apprentice()
    data["LearningDelivery"] = [
        {
            "LearnAimRef": "60005414",
            "AimType": 4,
            "AimSeqNumber": 1,
            "LearnStartDate": "2025-09-01",
            "LearnPlanEndDate": "2026-06-30",
            "FundModel": 35,
            "DelLocPostCode": "LS1 1UR",
            "CompStatus": 1,
            "LearningDeliveryFAM": [fam("SOF", 105)],
        }
    ]
    return data
