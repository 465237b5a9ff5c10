"""The record layer: one written ILR Learner element as light, typed Python objects.

One flat pass over the element's descendants (lxml's own `iter()`, in C), no XPath: each
tag is looked up once in a table made per namespace (the writer may use a default
namespace, a prefix or none) that says which entity the value belongs to, its attribute and
its type; dates become `date`, whole numbers `int`, absent values stay None. A value the
schema would refuse (a date that is not a date) is kept as None and its element named in
`unreadable`, so rules about that field stay quiet and the XSD check reports it.

Facts several rules share are worked out once here (programme aim, apprenticeship, ACT
levy...). Those the rule registry uses to skip rules hold True or None (see registry.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

_fromiso = date.fromisoformat
# Apprenticeship programme types (DD07): 2, 3, 20-23 frameworks (gone in 2025-26) and 25.
APPRENTICESHIP_PROG_TYPES = frozenset({2, 3, 20, 21, 22, 23, 25})
TEMPORARY_ULN = 9999999999
TEMPORARY_EMP_ID = 999999999
# Code lists several rules share (ILR specification 2025-26).
FUND_MODELS = frozenset({10, 25, 35, 36, 70, 81, 82, 99})
COMP_STATUSES = frozenset({1, 2, 3, 6})
# Frameworks (2, 3, 20-23) are gone in 2025-26: 24 traineeship, 25 standard, 30 T Level
# transition, 31 T Level, 32.
PROG_TYPES_2526 = frozenset({24, 25, 30, 31, 32})
ETHNICITIES = frozenset(range(31, 48)) | {98, 99}
EMP_STATS = frozenset({10, 11, 12, 98})
_ADULT_FMS = frozenset({35, 81, 99})
_SOF_ADULT_FMS = frozenset({10, 35, 36, 70, 81})


@dataclass(slots=True)
class LearnerFAM:
    type: str | None = None
    code: int | None = None


@dataclass(slots=True)
class LLDD:
    cat: int | None = None
    primary: int | None = None


@dataclass(slots=True)
class PriorAttain:
    level: int | None = None
    date_applies: date | None = None


@dataclass(slots=True)
class ESM:
    type: str | None = None
    code: int | None = None


@dataclass(slots=True)
class ProvSpec:
    occur: str | None = None
    value: str | None = None


@dataclass(slots=True)
class EmploymentStatus:
    emp_stat: int | None = None
    date_applies: date | None = None
    emp_id: int | None = None
    monitoring: list[ESM] = field(default_factory=list)
    employed: bool | None = None  # EmpStat 10
    not_employed: bool | None = None  # EmpStat 11 or 12
    odd_emp_stat: bool | None = None  # not one of the codes
    many_esm: bool | None = None  # two or more monitorings

    def esm(self, esm_type: str) -> int | None:
        """The code of the first monitoring of that type, or None."""
        for m in self.monitoring:
            if m.type == esm_type:
                return m.code
        return None


@dataclass(slots=True)
class DeliveryFAM:
    type: str | None = None
    code: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(slots=True)
class AppFin:
    type: str | None = None
    code: int | None = None
    date: date | None = None
    amount: int | None = None


@dataclass(slots=True)
class Delivery:
    learn_aim_ref: str | None = None
    aim_type: int | None = None
    aim_seq_number: int | None = None
    learn_start_date: date | None = None
    orig_learn_start_date: date | None = None
    learn_plan_end_date: date | None = None
    fund_model: int | None = None
    p_hours: int | None = None
    otj_act_hours: int | None = None
    prog_type: int | None = None
    std_code: int | None = None
    partner_ukprn: int | None = None
    del_loc_postcode: str | None = None
    lsd_postcode: str | None = None
    add_hours: int | None = None
    prior_learn_fund_adj: int | None = None
    other_fund_adj: int | None = None
    con_ref_number: str | None = None
    epa_org_id: str | None = None
    comp_status: int | None = None
    learn_act_end_date: date | None = None
    withdraw_reason: int | None = None
    outcome: int | None = None
    ach_date: date | None = None
    out_grade: str | None = None
    sw_sup_aim_id: str | None = None
    tl_out: int | None = None
    fams: list[DeliveryFAM] = field(default_factory=list)
    app_fin: list[AppFin] = field(default_factory=list)
    prov_spec: list[ProvSpec] = field(default_factory=list)
    # Facts the rules share, worked out once (_finish_delivery).
    fam_types: dict[str, list[DeliveryFAM]] = field(default_factory=dict)
    is_apprenticeship: bool = False  # DD07
    is_programme: bool = False  # AimType 1
    is_standard: bool = False  # ProgType 25
    # The same facts as True or None, for the registry's skipping (see registry.py).
    fm36: bool | None = None
    programme: bool | None = None
    apprenticeship: bool | None = None
    has_fams: bool | None = None
    has_app_fin: bool | None = None
    stand_alone: bool | None = None  # AimType 4
    withdrawn: bool | None = None  # CompStatus 3
    adult_fm: bool | None = None  # FundModel 35, 81 or 99
    sof_adult_fm: bool | None = None  # FundModel 10, 35, 36, 70 or 81
    fm25: bool | None = None
    fm81: bool | None = None
    fm99: bool | None = None
    not_standard: bool | None = None  # ProgType is not 25
    traineeship: bool | None = None  # ProgType 24
    # Screens: True when one of a group of simple rules may fail (a superset of their
    # conditions), so a valid aim meets none of those rules. odd_dates is set by the
    # registry, which knows the collection year.
    odd_codes: bool | None = None
    odd_dates: bool | None = None
    no_sof: bool | None = None
    sof_not_105: bool | None = None  # no FAM at all, or a SOF other than 105
    fam_ldm: bool | None = None
    fam_eef: bool | None = None
    fam_ffi: bool | None = None
    fam_adl: bool | None = None
    fam_repeat: bool | None = None  # some FAM type returned more than once
    has_prov_spec: bool | None = None
    fin_tnp3: bool | None = None
    fin_tnp4: bool | None = None
    fin_pmr: bool | None = None

    def has_fam(self, fam_type: str, code: str | None = None) -> bool:
        found = self.fam_types.get(fam_type)
        if not found:
            return False
        if code is None:
            return True
        return any(f.code == code for f in found)

    def fam_code(self, fam_type: str) -> str | None:
        found = self.fam_types.get(fam_type)
        return found[0].code if found else None


@dataclass(slots=True)
class Learner:
    learn_ref_number: str | None = None
    prev_learn_ref_number: str | None = None
    prev_ukprn: int | None = None
    pmukprn: int | None = None
    camp_id: str | None = None
    uln: int | None = None
    family_name: str | None = None
    given_names: str | None = None
    date_of_birth: date | None = None
    ethnicity: int | None = None
    sex: str | None = None
    lldd_health_prob: int | None = None
    ni_number: str | None = None
    accom: int | None = None
    als_cost: int | None = None
    plan_learn_hours: int | None = None
    plan_eep_hours: int | None = None
    math_grade: str | None = None
    eng_grade: str | None = None
    postcode_prior: str | None = None
    postcode: str | None = None
    add_lines: list[str | None] | None = None  # [AddLine1..4] when any is returned
    tel_no: str | None = None
    email: str | None = None
    prior_attain: list[PriorAttain] = field(default_factory=list)
    lldd: list[LLDD] = field(default_factory=list)
    fams: list[LearnerFAM] = field(default_factory=list)
    prov_spec: list[ProvSpec] = field(default_factory=list)
    employment: list[EmploymentStatus] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    has_learner_he: bool | None = None
    unreadable: list[str] = field(default_factory=list)
    # Shared facts, worked out once (finish_learner); True or None where the registry
    # uses them to skip rules.
    fam_types: dict[str, list[LearnerFAM]] = field(default_factory=dict)
    earliest_start: date | None = None
    temp_uln: bool | None = None
    fm1619: bool | None = None  # an aim funded by FundModel 25 or 82
    any_apprenticeship: bool | None = None
    has_lldd: bool | None = None
    has_fams: bool | None = None
    has_prov_spec: bool | None = None
    odd_learner: bool | None = None  # Sex, Ethnicity or LLDDHealthProb not a code
    missing_identity: bool | None = None  # no FamilyName, GivenNames or DateOfBirth
    lldd_yes: bool | None = None  # LLDDHealthProb 1
    community_or_non_funded: bool | None = None  # an aim with FundModel 10 or 99
    under_17_at_start: bool | None = None
    born_after_start: bool | None = None
    postcode_unknown: bool | None = None  # ZZ99 9ZZ
    has_prior: bool | None = None
    no_prior: bool | None = None
    any_traineeship: bool | None = None
    has_hours: bool | None = None  # PlanLearnHours or PlanEEPHours returned
    temp_emp_id: bool | None = None  # an EmpId 999999999

    def has_fam(self, fam_type: str, code: int | None = None) -> bool:
        found = self.fam_types.get(fam_type)
        if not found:
            return False
        return code is None or any(f.code == code for f in found)

    def employment_on(self, when: date | None) -> EmploymentStatus | None:
        """The employment status that applies on a date: the latest one starting on or
        before it (DateEmpStatApp <= date)."""
        if when is None:
            return None
        best: EmploymentStatus | None = None
        best_date: date | None = None
        for es in self.employment:
            d = es.date_applies
            if d is not None and d <= when and (best_date is None or d >= best_date):
                best, best_date = es, d
        return best


# Entities: 0 the learner, 1 its current LearningDelivery, 2 that delivery's current
# LearningDeliveryFAM, 3 AppFinRecord, 4 ProviderSpecDeliveryMonitoring, 5 the current
# LearnerEmploymentStatus, 6 its EmploymentStatusMonitoring, 7 LearnerFAM,
# 8 LLDDandHealthProblem, 9 PriorAttain, 10 ProviderSpecLearnerMonitoring.
_S, _I, _D = None, int, _fromiso
_LEAVES: dict[str, tuple[int, str, Any]] = {
    # Learner
    "LearnRefNumber": (0, "learn_ref_number", _S),
    "PrevLearnRefNumber": (0, "prev_learn_ref_number", _S),
    "PrevUKPRN": (0, "prev_ukprn", _I),
    "PMUKPRN": (0, "pmukprn", _I),
    "CampId": (0, "camp_id", _S),
    "ULN": (0, "uln", _I),
    "FamilyName": (0, "family_name", _S),
    "GivenNames": (0, "given_names", _S),
    "DateOfBirth": (0, "date_of_birth", _D),
    "Ethnicity": (0, "ethnicity", _I),
    "Sex": (0, "sex", _S),
    "LLDDHealthProb": (0, "lldd_health_prob", _I),
    "NINumber": (0, "ni_number", _S),
    "Accom": (0, "accom", _I),
    "ALSCost": (0, "als_cost", _I),
    "PlanLearnHours": (0, "plan_learn_hours", _I),
    "PlanEEPHours": (0, "plan_eep_hours", _I),
    "MathGrade": (0, "math_grade", _S),
    "EngGrade": (0, "eng_grade", _S),
    "PostcodePrior": (0, "postcode_prior", _S),
    "Postcode": (0, "postcode", _S),
    "TelNo": (0, "tel_no", _S),
    "Email": (0, "email", _S),
    # LearningDelivery
    "LearnAimRef": (1, "learn_aim_ref", _S),
    "AimType": (1, "aim_type", _I),
    "AimSeqNumber": (1, "aim_seq_number", _I),
    "LearnStartDate": (1, "learn_start_date", _D),
    "OrigLearnStartDate": (1, "orig_learn_start_date", _D),
    "LearnPlanEndDate": (1, "learn_plan_end_date", _D),
    "FundModel": (1, "fund_model", _I),
    "PHours": (1, "p_hours", _I),
    "OTJActHours": (1, "otj_act_hours", _I),
    "ProgType": (1, "prog_type", _I),
    "StdCode": (1, "std_code", _I),
    "PartnerUKPRN": (1, "partner_ukprn", _I),
    "DelLocPostCode": (1, "del_loc_postcode", _S),
    "LSDPostcode": (1, "lsd_postcode", _S),
    "AddHours": (1, "add_hours", _I),
    "PriorLearnFundAdj": (1, "prior_learn_fund_adj", _I),
    "OtherFundAdj": (1, "other_fund_adj", _I),
    "ConRefNumber": (1, "con_ref_number", _S),
    "EPAOrgID": (1, "epa_org_id", _S),
    "CompStatus": (1, "comp_status", _I),
    "LearnActEndDate": (1, "learn_act_end_date", _D),
    "WithdrawReason": (1, "withdraw_reason", _I),
    "Outcome": (1, "outcome", _I),
    "AchDate": (1, "ach_date", _D),
    "OutGrade": (1, "out_grade", _S),
    "SWSupAimId": (1, "sw_sup_aim_id", _S),
    "TLOut": (1, "tl_out", _I),
    # LearningDeliveryFAM, AppFinRecord, ProviderSpecDeliveryMonitoring
    "LearnDelFAMType": (2, "type", _S),
    "LearnDelFAMCode": (2, "code", _S),
    "LearnDelFAMDateFrom": (2, "date_from", _D),
    "LearnDelFAMDateTo": (2, "date_to", _D),
    "AFinType": (3, "type", _S),
    "AFinCode": (3, "code", _I),
    "AFinDate": (3, "date", _D),
    "AFinAmount": (3, "amount", _I),
    "ProvSpecDelMonOccur": (4, "occur", _S),
    "ProvSpecDelMon": (4, "value", _S),
    # LearnerEmploymentStatus and its monitoring
    "EmpStat": (5, "emp_stat", _I),
    "DateEmpStatApp": (5, "date_applies", _D),
    "EmpId": (5, "emp_id", _I),
    "ESMType": (6, "type", _S),
    "ESMCode": (6, "code", _I),
    # Learner entities
    "LearnFAMType": (7, "type", _S),
    "LearnFAMCode": (7, "code", _I),
    "LLDDCat": (8, "cat", _I),
    "PrimaryLLDD": (8, "primary", _I),
    "PriorLevel": (9, "level", _I),
    "DateLevelApp": (9, "date_applies", _D),
    "ProvSpecLearnMonOccur": (10, "occur", _S),
    "ProvSpecLearnMon": (10, "value", _S),
}
# Containers: (entity it opens, entity it belongs to, the owner's list, class)
_CONTAINERS: dict[str, tuple[int, int, str, type[Any]]] = {
    "LearningDelivery": (1, 0, "deliveries", Delivery),
    "LearningDeliveryFAM": (2, 1, "fams", DeliveryFAM),
    "AppFinRecord": (3, 1, "app_fin", AppFin),
    "ProviderSpecDeliveryMonitoring": (4, 1, "prov_spec", ProvSpec),
    "LearnerEmploymentStatus": (5, 0, "employment", EmploymentStatus),
    "EmploymentStatusMonitoring": (6, 5, "monitoring", ESM),
    "LearnerFAM": (7, 0, "fams", LearnerFAM),
    "LLDDandHealthProblem": (8, 0, "lldd", LLDD),
    "PriorAttain": (9, 0, "prior_attain", PriorAttain),
    "ProviderSpecLearnerMonitoring": (10, 0, "prov_spec", ProvSpec),
}
_ADD_LINES = {"AddLine1": 0, "AddLine2": 1, "AddLine3": 2, "AddLine4": 3}
_LEAF, _OPEN, _LINE, _HE, _SKIP = 0, 1, 2, 3, 4


@cache
def _table(namespace: str) -> dict[Any, tuple[int, Any, Any, Any, Any]]:
    """Full tag -> what to do with it, for one namespace ('' when there is none)."""
    return _Table(namespace)


class _Table(dict[Any, tuple[int, Any, Any, Any, Any]]):
    def __init__(self, namespace: str) -> None:
        super().__init__()
        self.namespace = namespace

    def __missing__(self, tag: Any) -> tuple[int, Any, Any, Any, Any]:
        # Comments and processing instructions have a non-string tag.
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        entry: tuple[int, Any, Any, Any, Any]
        if name in _LEAVES:
            entry = (_LEAF, *_LEAVES[name], name)
        elif name in _CONTAINERS:
            entry = (_OPEN, *_CONTAINERS[name])
        elif name in _ADD_LINES:
            entry = (_LINE, _ADD_LINES[name], None, None, None)
        elif name == "LearnerHE":
            entry = (_HE, None, None, None, None)
        else:
            entry = (_SKIP, None, None, None, None)
        self[tag] = entry
        return entry


def parse_learner(element: Any) -> Learner:
    """The Learner element (lxml) as a `Learner` record."""
    tag = element.tag
    table = _table(tag[1 : tag.index("}")] if tag[0] == "{" else "")
    rec = Learner()
    bad = rec.unreadable
    current: list[Any] = [rec, None, None, None, None, None, None, None, None, None, None]
    it = element.iter()
    next(it)  # the Learner itself
    for child in it:
        action, a, b, c, e = table[child.tag]
        if action == _LEAF:
            target = current[a]
            if target is None:  # a leaf outside its entity: not ILR, the XSD says so
                continue
            if c is None:
                setattr(target, b, child.text)
            else:
                try:
                    setattr(target, b, c(child.text))
                except (TypeError, ValueError):
                    bad.append(e)
        elif action == _OPEN:
            owner = current[b]
            if owner is not None:
                obj = e()
                getattr(owner, c).append(obj)
                current[a] = obj
        elif action == _LINE:
            if rec.add_lines is None:
                rec.add_lines = [None, None, None, None]
            rec.add_lines[a] = child.text
        elif action == _HE:
            rec.has_learner_he = True
    finish_learner(rec)
    return rec


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def finish_learner(rec: Learner) -> None:
    """The facts rules share, once per learner (whoever made the record: parse_learner, or
    the export's writer from picsweb's rows)."""
    if rec.uln == TEMPORARY_ULN:
        rec.temp_uln = True
    if rec.lldd:
        rec.has_lldd = True
    if rec.prov_spec:
        rec.has_prov_spec = True
    if rec.prior_attain:
        rec.has_prior = True
    else:
        rec.no_prior = True
    if rec.plan_learn_hours is not None or rec.plan_eep_hours is not None:
        rec.has_hours = True
    if rec.lldd_health_prob == 1:
        rec.lldd_yes = True
    if rec.postcode == "ZZ99 9ZZ":
        rec.postcode_unknown = True
    if (
        rec.sex not in ("F", "M")
        or rec.ethnicity not in ETHNICITIES
        or rec.lldd_health_prob not in (1, 2, 9)
    ):
        rec.odd_learner = True
    dob = rec.date_of_birth
    if dob is None or _blank(rec.family_name) or _blank(rec.given_names):
        rec.missing_identity = True
    if rec.fams:
        rec.has_fams = True
        fam_types = rec.fam_types
        for f in rec.fams:
            if f.type is not None:
                fam_types.setdefault(f.type, []).append(f)
    for es in rec.employment:
        stat = es.emp_stat
        if stat == 10:
            es.employed = True
        elif stat == 11 or stat == 12:
            es.not_employed = True
        elif stat not in EMP_STATS:
            es.odd_emp_stat = True
        if len(es.monitoring) > 1:
            es.many_esm = True
        if es.emp_id == TEMPORARY_EMP_ID:
            rec.temp_emp_id = True
    earliest = None
    for d in rec.deliveries:
        s = d.learn_start_date
        if s is not None and (earliest is None or s < earliest):
            earliest = s
        fm = d.fund_model
        if fm == 36:
            d.fm36 = True
        elif fm == 25 or fm == 82:
            rec.fm1619 = True
            if fm == 25:
                d.fm25 = True
        elif fm == 81:
            d.fm81 = True
        elif fm == 99 or fm == 10:
            rec.community_or_non_funded = True
            if fm == 99:
                d.fm99 = True
        if fm in _ADULT_FMS:
            d.adult_fm = True
        if fm in _SOF_ADULT_FMS:
            d.sof_adult_fm = True
        comp = d.comp_status
        if comp == 3:
            d.withdrawn = True
        aim_type = d.aim_type
        if aim_type == 1:
            d.is_programme = d.programme = True
        elif aim_type == 4:
            d.stand_alone = True
        prog_type = d.prog_type
        if prog_type in APPRENTICESHIP_PROG_TYPES:
            d.is_apprenticeship = d.apprenticeship = rec.any_apprenticeship = True
            d.is_standard = prog_type == 25
        if prog_type != 25:
            d.not_standard = True
            if prog_type == 24:
                d.traineeship = rec.any_traineeship = True
        std = d.std_code
        if (
            fm not in FUND_MODELS
            or aim_type not in (1, 3, 4)
            or comp not in COMP_STATUSES
            or (comp != 1 and d.learn_act_end_date is None)
            or (prog_type is None and aim_type in (1, 3))
            or (prog_type is not None and prog_type not in PROG_TYPES_2526)
            or (prog_type == 25 and std is None)
            or (std is not None and prog_type != 25)
        ):
            d.odd_codes = True
        if d.prov_spec:
            d.has_prov_spec = True
        if d.app_fin:
            d.has_app_fin = True
            for r in d.app_fin:
                if r.type == "TNP":
                    if r.code == 3:
                        d.fin_tnp3 = True
                    elif r.code == 4:
                        d.fin_tnp4 = True
                elif r.type == "PMR":
                    d.fin_pmr = True
        if d.fams:
            d.has_fams = True
            del_fam_types = d.fam_types
            for df in d.fams:
                kind = df.type
                if kind is not None:
                    found = del_fam_types.get(kind)
                    if found is None:
                        del_fam_types[kind] = [df]
                    else:
                        found.append(df)
            sof = del_fam_types.get("SOF")
            if sof is None:
                d.no_sof = True
            elif any(f.code != "105" for f in sof):
                d.sof_not_105 = True
            if "LDM" in del_fam_types:
                d.fam_ldm = True
            if "EEF" in del_fam_types:
                d.fam_eef = True
            if "FFI" in del_fam_types:
                d.fam_ffi = True
            if "ADL" in del_fam_types:
                d.fam_adl = True
            if len(del_fam_types) < len(d.fams):
                d.fam_repeat = True
        else:
            d.no_sof = d.sof_not_105 = True
    rec.earliest_start = earliest
    if dob is not None and earliest is not None:
        if dob >= earliest:
            rec.born_after_start = True
        if _age(dob, earliest) < 17:
            rec.under_17_at_start = True
