"""One learner of an ILR file: picsweb's rows become an ILR `Learner` record (the rules'
record, ilr_exports.rules.records), and the record is written as the file's Learner element.

The record is the one description of what the file says of a learner: ESFA's rules check the
record the element is written from, so they need not parse the element back (that parse and
building the element in lxml, two microseconds an element, were two thirds of an export's
time). The element is written from the record in the schema's order, its text escaped by the
standard library (`xml.sax.saxutils.escape`); lxml still checks every written byte, as the
whole file is validated against the XSD while it is written (services.ilr_write_validated),
and tests/ilr_exports/test_writer.py parses written learners back with lxml and compares them
with their records.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from ilr_exports.models import IlrExport
from ilr_exports.rules.records import (
    ESM,
    LLDD,
    AppFin,
    Delivery,
    DeliveryFAM,
    EmploymentStatus,
    Learner,
    LearnerFAM,
    PriorAttain,
    ProvSpec,
    finish_learner,
)
from learners.models import ContractType, FundModel, LearningDelivery, SourceOfFunding

Row = dict[str, Any]
M = IlrExport.Monitoring
PROGRAMME = LearningDelivery.AimType.PROGRAMME
COMPONENT = LearningDelivery.AimType.COMPONENT
APPRENTICESHIP_STANDARD = 25  # ProgType
# Characters XML 1.0 cannot carry (its Char production): C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = {"\r": "&#13;"}  # as lxml writes it, so a parser keeps it
# Any character that needs a look: one search finds most text needs nothing done.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BadValue(Exception):
    """A value the file cannot carry; the learner is left out with this reason."""

    def __init__(self, tag: str, reason: str = "") -> None:
        super().__init__(tag)
        self.reason = f"{tag}: " + (
            reason
            or "holds a control character (such as a vertical tab) that an XML file cannot "
            "carry. The ILR schema does not accept it."
        )


def aim_funding(aim: Row) -> tuple[int, int | None, int | None]:
    """FundModel, SOF and ACT of an aim: the contract's (its FundModel and SOF; its levy /
    non-levy type unless the aim overrides it); an aim on no contract keeps its own FundModel,
    SOF 105 when funded, and ACT 1 unless it says otherwise. ACT only for apprenticeships."""
    if aim["contract_id"] is not None:
        fund_model = aim["contract__fund_model"]
        sof = aim["contract__source_of_funding"]
        act = aim["contract_type"] or aim["contract__contract_type"]
    else:
        fund_model = aim["fund_model"]
        sof = None if fund_model == FundModel.NON_FUNDED else SourceOfFunding.ESFA_ADULT
        act = aim["contract_type"] or ContractType.LEVY
    if fund_model != FundModel.APPRENTICESHIPS:
        act = None
    return fund_model, sof, act


def monitoring_value(choice: str, position: int, learner: Row, aim: Row | None, ukprn: str) -> str:
    """What one of the four monitoring choices of an export writes, for the learner (aim
    None: positions A and B) or one of their aims."""
    if choice == M.AS_ENTERED:
        if aim is None:
            return str(learner.get(f"provider_monitoring_{'ab'[position]}", ""))
        return str(aim[f"delivery_monitoring_{'abcd'[position]}"])
    if choice == M.PROVIDER_ID:
        return ukprn
    if choice == M.PICS_ID:
        return str(learner["pics_id"])
    if choice == M.SITE_CODE:
        return learner["site__code"] or ""
    if choice == M.QUALIFICATION_PLAN:
        target = aim or (learner["aims"][0] if learner["aims"] else None)
        return target["qualification_plan_code"] if target else ""
    if choice == M.OFFICER:
        return learner["main_officer__code"] or ""
    if choice == M.MAIN_TAG:
        return str(learner["tag"])
    raise ValueError(choice)


def learner_record(
    learner: Row, monitoring: list[str], ukprn: str, year_ends: date | None = None
) -> Learner:
    """The ILR Learner of one learner's rows (services._rows), as the file will say it.
    `year_ends`: employment statuses applying after it belong to a later return
    (DateEmpStatApp_01) and are not written."""
    phone = re.sub(r"\D", "", learner["phone"])
    rec = Learner(
        learn_ref_number=learner["lrn"],
        uln=int(learner["uln"]),
        family_name=learner["family_name"] or None,
        given_names=learner["given_names"] or None,
        date_of_birth=learner["date_of_birth"],
        ethnicity=learner["ethnicity"],
        sex=learner["sex"],
        lldd_health_prob=learner["lldd_health_problem"],
        ni_number=learner["ni_number"] or None,
        plan_learn_hours=learner["planned_learning_hours"],
        postcode_prior=learner["postcode_prior"],
        postcode=learner["postcode"],
        tel_no=phone if 1 <= len(phone) <= 18 else None,
        email=learner["email"] or None,
    )
    rec.add_lines = _address_lines(learner)
    if learner["prior_level"] is not None and learner["prior_level_date"]:
        rec.prior_attain.append(PriorAttain(learner["prior_level"], learner["prior_level_date"]))
    rec.lldd = [LLDD(category, 1 if primary else None) for category, primary in learner["lldd"]]
    rec.fams = [LearnerFAM(fam_type, fam_code) for fam_type, fam_code in learner["fams"]]
    for position, choice in enumerate(monitoring[:2]):
        value = monitoring_value(choice, position, learner, None, ukprn)
        if value:
            rec.prov_spec.append(ProvSpec("AB"[position], value))
    for status in learner["employment"]:
        if year_ends is not None and status["date_applies"] > year_ends:
            continue
        ern = status["employer__ern"]
        if ern and len(ern) == 9 and not ern.isdigit():
            raise BadValue("EmpId", f"the employer's ERN {ern!r} is not 9 digits.")
        employment = EmploymentStatus(
            status["status"], status["date_applies"], int(ern) if ern and len(ern) == 9 else None
        )
        for esm_type, key in (("EII", "employment_intensity"), ("LOE", "length_of_employment")):
            if status[key] is not None:
                employment.monitoring.append(ESM(esm_type, status[key]))
        rec.employment.append(employment)
    # ProgType/StdCode go on every aim of a standard programme: a component without its own
    # standard takes its programme aim's (the same episode).
    programme_standard = {
        aim["episode_id"]: aim["standard_id"]
        for aim in learner["aims"]
        if aim["aim_type"] == PROGRAMME and aim["standard_id"]
    }
    for sequence, aim in enumerate(learner["aims"], start=1):
        rec.deliveries.append(
            _delivery(aim, sequence, learner, monitoring, ukprn, programme_standard)
        )
    finish_learner(rec)
    return rec


# AddLine1-4: the learner's address, town and county (the XSD's characters, 1-50 of them).
_ADDRESS = (
    ("AddLine1", "address_line_1"),
    ("AddLine2", "address_line_2"),
    ("AddLine3", "town"),
    ("AddLine4", "county"),
)
_ADDRESS_LINE = re.compile(r"[A-Za-z0-9 ~!@&'\\()*+,\-./:;]{1,50}")


def _address_lines(learner: Row) -> list[str | None] | None:
    lines: list[str | None] = []
    for tag, key in _ADDRESS:
        line = " ".join(learner[key].split())
        if line and not _ADDRESS_LINE.fullmatch(line):
            raise BadValue(
                tag,
                f"{line!r} is longer than 50 characters or holds a character the ILR does "
                "not take (it takes letters A-Z, digits, spaces and ~!@&'\\()*+,-./:;).",
            )
        lines.append(line or None)
    return lines if any(lines) else None


def _delivery(
    aim: Row,
    sequence: int,
    learner: Row,
    monitoring: list[str],
    ukprn: str,
    programme_standard: dict[int, int],
) -> Delivery:
    fund_model, sof, act = aim_funding(aim)
    programme = aim["aim_type"] == PROGRAMME
    standard = aim["standard_id"]
    if not standard and aim["aim_type"] == COMPONENT:
        standard = programme_standard.get(aim["episode_id"])
    end = aim["actual_end_date"]
    d = Delivery(
        learn_aim_ref=aim["aim_ref"],
        aim_type=aim["aim_type"],
        aim_seq_number=sequence,
        learn_start_date=aim["start_date"],
        learn_plan_end_date=aim["planned_end_date"],
        fund_model=fund_model,
        p_hours=aim["planned_hours"] if programme else None,
        prog_type=APPRENTICESHIP_STANDARD if standard else None,
        std_code=standard or None,
        del_loc_postcode=aim["delivery_postcode"],
        epa_org_id=(aim["epa_org_id"] or None) if programme else None,
        comp_status=aim["completion_status"],
        learn_act_end_date=end,
        withdraw_reason=aim["withdraw_reason"],
        outcome=aim["outcome"],
        ach_date=aim["achievement_date"],
    )
    if sof is not None:
        d.fams.append(DeliveryFAM("SOF", str(sof)))
    if act is not None:
        start = aim["contract_type_from"] or aim["start_date"]
        d.fams.append(DeliveryFAM("ACT", str(act), start, aim["contract_type_to"] or end))
    if programme:
        for code, price in ((1, aim["training_price"]), (2, aim["epa_price"])):
            if price is not None:
                d.app_fin.append(AppFin("TNP", code, aim["start_date"], int(price)))
        for code, when, amount in learner["payments"].get(aim["episode_id"], []):
            d.app_fin.append(AppFin("PMR", code, when, int(amount)))
    for position, choice in enumerate(monitoring):
        value = monitoring_value(choice, position, learner, aim, ukprn)
        if value:
            d.prov_spec.append(ProvSpec("ABCD"[position], value))
    return d


# The schema's order of each record's leaves: (attribute, start tag, end tag, tag).
def _spec(*pairs: tuple[str, str]) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((attr, f"<{tag}>", f"</{tag}>", tag) for tag, attr in pairs)


_LEARNER_HEAD = _spec(
    ("LearnRefNumber", "learn_ref_number"),
    ("PrevLearnRefNumber", "prev_learn_ref_number"),
    ("PrevUKPRN", "prev_ukprn"),
    ("PMUKPRN", "pmukprn"),
    ("CampId", "camp_id"),
    ("ULN", "uln"),
    ("FamilyName", "family_name"),
    ("GivenNames", "given_names"),
    ("DateOfBirth", "date_of_birth"),
    ("Ethnicity", "ethnicity"),
    ("Sex", "sex"),
    ("LLDDHealthProb", "lldd_health_prob"),
    ("NINumber", "ni_number"),
    ("Accom", "accom"),
    ("ALSCost", "als_cost"),
    ("PlanLearnHours", "plan_learn_hours"),
    ("PlanEEPHours", "plan_eep_hours"),
    ("MathGrade", "math_grade"),
    ("EngGrade", "eng_grade"),
    ("PostcodePrior", "postcode_prior"),
    ("Postcode", "postcode"),
)
_LEARNER_CONTACT = _spec(("TelNo", "tel_no"), ("Email", "email"))
_PRIOR = _spec(("PriorLevel", "level"), ("DateLevelApp", "date_applies"))
_LLDD = _spec(("LLDDCat", "cat"), ("PrimaryLLDD", "primary"))
_LEARNER_FAM = _spec(("LearnFAMType", "type"), ("LearnFAMCode", "code"))
_LEARNER_MON = _spec(("ProvSpecLearnMonOccur", "occur"), ("ProvSpecLearnMon", "value"))
_EMPLOYMENT = _spec(
    ("EmpStat", "emp_stat"), ("DateEmpStatApp", "date_applies"), ("EmpId", "emp_id")
)
_ESM = _spec(("ESMType", "type"), ("ESMCode", "code"))
_DELIVERY = _spec(
    ("LearnAimRef", "learn_aim_ref"),
    ("AimType", "aim_type"),
    ("AimSeqNumber", "aim_seq_number"),
    ("LearnStartDate", "learn_start_date"),
    ("OrigLearnStartDate", "orig_learn_start_date"),
    ("LearnPlanEndDate", "learn_plan_end_date"),
    ("FundModel", "fund_model"),
    ("PHours", "p_hours"),
    ("OTJActHours", "otj_act_hours"),
    ("ProgType", "prog_type"),
    ("StdCode", "std_code"),
    ("PartnerUKPRN", "partner_ukprn"),
    ("DelLocPostCode", "del_loc_postcode"),
    ("LSDPostcode", "lsd_postcode"),
    ("AddHours", "add_hours"),
    ("PriorLearnFundAdj", "prior_learn_fund_adj"),
    ("OtherFundAdj", "other_fund_adj"),
    ("ConRefNumber", "con_ref_number"),
    ("EPAOrgID", "epa_org_id"),
    ("CompStatus", "comp_status"),
    ("LearnActEndDate", "learn_act_end_date"),
    ("WithdrawReason", "withdraw_reason"),
    ("Outcome", "outcome"),
    ("AchDate", "ach_date"),
    ("OutGrade", "out_grade"),
    ("SWSupAimId", "sw_sup_aim_id"),
    ("TLOut", "tl_out"),
)
_DELIVERY_FAM = _spec(
    ("LearnDelFAMType", "type"),
    ("LearnDelFAMCode", "code"),
    ("LearnDelFAMDateFrom", "date_from"),
    ("LearnDelFAMDateTo", "date_to"),
)
_APP_FIN = _spec(
    ("AFinType", "type"), ("AFinCode", "code"), ("AFinDate", "date"), ("AFinAmount", "amount")
)
_DELIVERY_MON = _spec(("ProvSpecDelMonOccur", "occur"), ("ProvSpecDelMon", "value"))


def _leaves(obj: Any, spec: tuple[tuple[str, str, str, str], ...], out: list[str]) -> None:
    for attr, start, end, tag in spec:
        value = getattr(obj, attr)
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            text = value
            if _SPECIAL.search(value):
                if _NOT_XML.search(value):
                    raise BadValue(tag)
                text = escape(value, _ENTITIES)
        elif kind is int:
            text = str(value)
        else:
            text = value.isoformat()
        out.append(start)
        out.append(text)
        out.append(end)


def _group(
    tag: str, items: list[Any], spec: tuple[tuple[str, str, str, str], ...], out: list[str]
) -> None:
    for item in items:
        out.append(f"<{tag}>")
        _leaves(item, spec, out)
        out.append(f"</{tag}>")


def learner_xml(rec: Learner) -> str:
    """The Learner element of a record, in the schema's order, without a namespace of its
    own (the file declares one default namespace on Message, as FIS writes it). Raises
    BadValue for a value XML cannot carry."""
    out = ["<Learner>"]
    _leaves(rec, _LEARNER_HEAD, out)
    if rec.add_lines is not None:
        _leaves(_AddLines(*rec.add_lines), _ADD_LINES, out)
    _leaves(rec, _LEARNER_CONTACT, out)
    _group("PriorAttain", rec.prior_attain, _PRIOR, out)
    _group("LLDDandHealthProblem", rec.lldd, _LLDD, out)
    _group("LearnerFAM", rec.fams, _LEARNER_FAM, out)
    _group("ProviderSpecLearnerMonitoring", rec.prov_spec, _LEARNER_MON, out)
    for employment in rec.employment:
        out.append("<LearnerEmploymentStatus>")
        _leaves(employment, _EMPLOYMENT, out)
        _group("EmploymentStatusMonitoring", employment.monitoring, _ESM, out)
        out.append("</LearnerEmploymentStatus>")
    for d in rec.deliveries:
        out.append("<LearningDelivery>")
        _leaves(d, _DELIVERY, out)
        _group("LearningDeliveryFAM", d.fams, _DELIVERY_FAM, out)
        _group("AppFinRecord", d.app_fin, _APP_FIN, out)
        _group("ProviderSpecDeliveryMonitoring", d.prov_spec, _DELIVERY_MON, out)
        out.append("</LearningDelivery>")
    out.append("</Learner>")
    return "".join(out)


class _AddLines(NamedTuple):
    line1: str | None
    line2: str | None
    line3: str | None
    line4: str | None


_ADD_LINES = _spec(*((f"AddLine{n}", f"line{n}") for n in range(1, 5)))
