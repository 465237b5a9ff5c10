"""ESFA's validation rules (ilr_exports/rules): each rule breaks on its failing case and
holds on its passing case (cases.py), every registered rule has both, and the typical
apprentice and the shipped example file break no error rule."""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ilr_exports.rules import all_rules, check_learner, parse_learner
from ilr_exports.rules.derived import dd01_uln_valid, dd05_emp_id_valid
from ilr_exports.rules.registry import RULES
from tests.ilr_exports.rules.builder import Change, Data, apprentice, build, context
from tests.ilr_exports.rules.cases import CASES

EXAMPLES = Path(__file__).resolve().parents[3] / "ilr_exports" / "schemas" / "examples"


def _ids(data: Data, change: Change) -> set[str]:
    data = copy.deepcopy(data)
    ctx = change(data) or context()
    return {f.rule_id for f in check_learner(build(data), ctx)}


def test_it_has_a_failing_and_a_passing_case_for_every_rule() -> None:
    assert set(CASES) == set(RULES)
    assert len(RULES) >= 150


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_it_breaks_the_rule_on_its_failing_case(rule_id: str) -> None:
    fail, _ = CASES[rule_id]
    assert rule_id in _ids(apprentice(), fail)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_it_holds_on_its_passing_case(rule_id: str) -> None:
    _, ok = CASES[rule_id]
    assert rule_id not in _ids(apprentice(), ok)


def test_the_typical_apprentice_breaks_no_rule() -> None:
    assert check_learner(build(apprentice()), context()) == []


def test_the_example_files_pass_the_schema_and_every_error_rule() -> None:
    paths = sorted(EXAMPLES.glob("*.XML"))
    assert paths
    schema = etree.XMLSchema(etree.parse(str(EXAMPLES.parent / "schemafile25.xsd")))
    for path in paths:
        doc = etree.parse(str(path))
        assert schema.validate(doc), (path.name, schema.error_log)
        prepared = doc.getroot().findtext(".//{*}FilePreparationDate")
        ctx = context(file_preparation_date=date.fromisoformat(prepared or "2025-10-06"))
        learners = doc.getroot().findall("{*}Learner")
        assert learners
        for element in learners:
            assert [f for f in check_learner(element, ctx) if f.is_error] == [], path.name


def test_it_reads_the_learner_whatever_its_namespace() -> None:
    data = apprentice()
    data["LearningDelivery"][1]["CompStatus"] = 9
    expected = {(f.rule_id, f.aim_seq_number) for f in check_learner(build(data), context())}
    # 9 is no completion status (CompStatus_01), and an aim not continuing needs an end
    # date (CompStatus_03, which ESFA runs on any status but 1).
    assert expected == {("CompStatus_01", 2), ("CompStatus_03", 2)}
    for element in (build(data, ns=None), _prefixed(build(data))):
        got = {(f.rule_id, f.aim_seq_number) for f in check_learner(element, context())}
        assert got == expected


def _prefixed(element: Any) -> Any:
    """The same learner written with an ns0: prefix, as the old writer did."""
    text = etree.tostring(element).decode().replace('xmlns="', 'xmlns:ns0="')
    text = text.replace("<", "<ns0:").replace("<ns0:/", "</ns0:")
    return etree.fromstring(text)


def test_it_types_the_record() -> None:
    rec = parse_learner(build(apprentice()))
    assert rec.uln == 5123456782 and rec.date_of_birth == date(2004, 3, 15)
    assert rec.prior_attain[0].level == 3
    assert rec.employment[1].emp_id == 123456789 and rec.employment[1].esm("LOE") == 1
    prog = rec.deliveries[0]
    assert prog.learn_start_date == date(2025, 9, 1) and prog.learn_act_end_date is None
    assert prog.fam_code("ACT") == "1" and prog.app_fin[0].amount == 9000
    assert prog.is_programme and prog.is_apprenticeship and len(rec.deliveries) == 4


def test_it_keeps_an_unreadable_value_out_of_the_rules() -> None:
    data = apprentice()
    data["DateOfBirth"] = "15/03/2004"
    rec = parse_learner(build(data))
    assert rec.date_of_birth is None and rec.unreadable == ["DateOfBirth"]


def test_it_names_the_aim_a_delivery_rule_fails_on() -> None:
    data = apprentice()
    data["LearningDelivery"][2]["ProgType"] = None
    (failure,) = [f for f in check_learner(build(data), context()) if f.rule_id == "ProgType_01"]
    assert (failure.aim_seq_number, failure.learn_aim_ref) == (3, "60358373")
    assert failure.learn_ref_number == "PW000123" and failure.severity == "error"
    assert failure.field == "LearningDelivery.ProgType"


def test_it_lists_every_rule_with_its_severity_field_and_message() -> None:
    listed = all_rules()

    # By family and number: ULN_04 before ULN_12, and ESFA's cross-entity R07 ... R50 as
    # the family "R".
    def key(rule_id: str) -> tuple[str, int]:
        family, number = re.fullmatch(r"([A-Za-z0-9]+?)_?(\d+)", rule_id).groups()  # type: ignore[union-attr]
        return (family.lower(), int(number))

    assert [r.rule_id for r in listed] == sorted(RULES, key=key)
    for rule in listed:
        assert rule.severity in ("error", "warning")
        assert rule.field and rule.message.endswith(".")


@pytest.mark.parametrize(
    ("uln", "valid"),
    [
        (1000000043, True),
        (5123456782, True),
        (1000000042, False),
        (9999999999, False),
        (123, False),
    ],
)
def test_dd01_checks_the_uln_check_digit(uln: int, valid: bool) -> None:
    assert dd01_uln_valid(uln) is valid


@pytest.mark.parametrize(
    ("emp_id", "valid"),
    [(123456789, True), (999999999, True), (123456788, False), (12345678, False)],
)
def test_dd05_checks_the_employer_check_digit(emp_id: int, valid: bool) -> None:
    assert dd05_emp_id_valid(emp_id) is valid
