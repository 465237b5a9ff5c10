"""The data the ILR return needs (issue 18): each new element written where the XSD puts it,
the file still valid, ACT from the contract or the aim, ProgType/StdCode on components, and
the file's one default namespace (as FIS writes it)."""

import io
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from ilr_exports.services import ilr_write, ilr_write_validated
from ilr_exports.years import CURRENT_YEAR, schema_for
from learners.models import (
    ContractType,
    LearnerFAM,
    LearnerLLDD,
    LearningDelivery,
)
from tests.factories import (
    make_aim,
    make_contract,
    make_employer,
    make_employment,
    make_episode,
    make_learner,
    make_organisation,
)
from tests.ilr_exports.test_ilr import export

NS = {"i": "ESFA/ILR/2025-26"}
AT = datetime(2025, 10, 6, 9, 30)


def write(provider):
    handle = io.BytesIO()
    written = ilr_write(export=export(provider), year=CURRENT_YEAR, at=AT, handle=handle)
    assert not written.problems, written.problems
    data = handle.getvalue()
    doc = etree.fromstring(data)
    assert schema_for(CURRENT_YEAR).validate(doc), schema_for(CURRENT_YEAR).error_log
    return data, doc


def learner_with_programme(provider, lrn="LRN1", contract=None, **aim_fields):
    learner = make_learner(
        provider=provider, lrn=lrn, family_name="Smith", given_names="Jane", sex="F"
    )
    episode = make_episode(learner=learner, start_date=date(2025, 9, 1))
    fields = {
        "start_date": date(2025, 9, 1),
        "standard_id": 91,
        "contract": contract,
        # A complete programme aim, as ESFA's rules ask: its agreed price and EPA organisation.
        "training_price": Decimal("9000"),
        "epa_price": Decimal("1000"),
        "epa_org_id": "EPA0001",
    }
    programme = make_aim(episode=episode, **(fields | aim_fields))
    make_employment(
        learner=learner, date_applies=date(2025, 8, 31), employer=make_employer(provider=provider)
    )
    return learner, episode, programme


def children(element):
    return [etree.QName(child).localname for child in element]


def text(doc, path):
    return doc.xpath(path, namespaces=NS)


def test_it_writes_prior_attainment_lldd_and_learner_fams_in_the_schema_order(personas):
    learner, _, _ = learner_with_programme(personas.provider)
    learner.lldd_health_problem = 1
    learner.prior_level = 4
    learner.prior_level_date = date(2025, 9, 1)
    learner.save()
    LearnerLLDD.objects.create(learner=learner, category=12)
    LearnerLLDD.objects.create(learner=learner, category=9, primary=True)
    LearnerFAM.objects.create(learner=learner, fam_type="LSR", fam_code=58)
    LearnerFAM.objects.create(learner=learner, fam_type="EHC", fam_code=1)
    _, doc = write(personas.provider)
    (element,) = text(doc, "//i:Learner")
    order = children(element)
    assert (
        order.index("Postcode") < order.index("PriorAttain") < order.index("LLDDandHealthProblem")
    )
    assert order.index("LLDDandHealthProblem") < order.index("LearnerFAM")
    assert order.index("LearnerFAM") < order.index("LearnerEmploymentStatus")
    assert text(doc, "//i:PriorAttain/i:PriorLevel/text()") == ["4"]
    assert text(doc, "//i:PriorAttain/i:DateLevelApp/text()") == ["2025-09-01"]
    lldd = [
        (e.findtext("i:LLDDCat", namespaces=NS), e.findtext("i:PrimaryLLDD", namespaces=NS))
        for e in text(doc, "//i:LLDDandHealthProblem")
    ]
    assert lldd == [("9", "1"), ("12", None)]  # the primary first, marked; the other not
    fams = [(e[0].text, e[1].text) for e in text(doc, "//i:LearnerFAM")]
    assert fams == [("EHC", "1"), ("LSR", "58")]


def test_it_writes_completion_outcome_achievement_and_the_epa_organisation(personas):
    learner_with_programme(
        personas.provider,
        epa_org_id="EPA0123",
        completion_status=LearningDelivery.CompStatus.COMPLETED,
        actual_end_date=date(2025, 9, 30),
        outcome=LearningDelivery.Outcome.ACHIEVED,
        achievement_date=date(2025, 10, 10),  # at least 7 days after the end (AchDate_11)
    )
    _, doc = write(personas.provider)
    (delivery,) = text(doc, "//i:LearningDelivery")
    assert [
        delivery.findtext(f"i:{tag}", namespaces=NS)
        for tag in ("EPAOrgID", "CompStatus", "LearnActEndDate", "Outcome", "AchDate")
    ] == ["EPA0123", "2", "2025-09-30", "1", "2025-10-10"]
    (act,) = text(doc, "//i:LearningDeliveryFAM[i:LearnDelFAMType='ACT']")
    # The ACT ends when the aim does.
    assert act.findtext("i:LearnDelFAMDateTo", namespaces=NS) == "2025-09-30"


def test_it_writes_the_withdrawal_reason_of_a_withdrawn_aim(personas):
    learner_with_programme(
        personas.provider,
        completion_status=LearningDelivery.CompStatus.WITHDRAWN,
        actual_end_date=date(2025, 9, 20),
        withdraw_reason=LearningDelivery.WithdrawReason.REDUNDANT,
        outcome=LearningDelivery.Outcome.NO_ACHIEVEMENT,
    )
    _, doc = write(personas.provider)
    (delivery,) = text(doc, "//i:LearningDelivery")
    order = children(delivery)
    assert order.index("LearnActEndDate") < order.index("WithdrawReason") < order.index("Outcome")
    assert delivery.findtext("i:WithdrawReason", namespaces=NS) == "29"
    assert delivery.findtext("i:Outcome", namespaces=NS) == "3"


def test_a_non_levy_contract_writes_act_2_and_its_source_of_funding(personas):
    contract = make_contract(
        provider=personas.provider,
        contract_type=ContractType.NON_LEVY,
        source_of_funding=105,
    )
    learner_with_programme(personas.provider, contract=contract)
    _, doc = write(personas.provider)
    fams = [(e[0].text, e[1].text) for e in text(doc, "//i:LearningDeliveryFAM")]
    assert fams == [("SOF", "105"), ("ACT", "2")]
    assert text(doc, "//i:LearnDelFAMDateFrom/text()") == ["2025-09-01"]


def test_an_aim_overrides_its_contracts_act_with_its_own_dates(personas):
    levy = make_contract(provider=personas.provider, contract_type=1)
    learner_with_programme(
        personas.provider,
        contract=levy,
        contract_type=2,
        contract_type_from=date(2025, 9, 15),
        contract_type_to=date(2025, 12, 31),
    )
    _, doc = write(personas.provider)
    (act,) = text(doc, "//i:LearningDeliveryFAM[i:LearnDelFAMType='ACT']")
    assert [c.text for c in act] == ["ACT", "2", "2025-09-15", "2025-12-31"]


def test_the_contract_gives_the_funding_model(personas):
    adult = make_contract(provider=personas.provider, fund_model=35, source_of_funding=110)
    learner, _, _ = learner_with_programme(
        personas.provider, contract=adult, standard_id=None, aim_type=4
    )
    learner.planned_learning_hours = 120  # an adult skills learner's (PlanLearnHours_01)
    learner.save()
    _, doc = write(personas.provider)
    assert text(doc, "//i:FundModel/text()") == ["35"]
    fams = [(e[0].text, e[1].text) for e in text(doc, "//i:LearningDeliveryFAM")]
    assert fams == [("SOF", "110")]  # no ACT outside apprenticeships


def test_components_of_a_standard_programme_carry_its_prog_type_and_std_code(personas):
    _, episode, _ = learner_with_programme(personas.provider)
    make_aim(
        episode=episode,
        aim_ref="60346656",
        aim_type=LearningDelivery.AimType.COMPONENT,
        standard_id=None,
        start_date=date(2025, 9, 2),
    )
    _, doc = write(personas.provider)
    deliveries = text(doc, "//i:LearningDelivery")
    assert [d.findtext("i:AimType", namespaces=NS) for d in deliveries] == ["1", "3"]
    for delivery in deliveries:
        assert delivery.findtext("i:ProgType", namespaces=NS) == "25"
        assert delivery.findtext("i:StdCode", namespaces=NS) == "91"
    # The EPA organisation and the prices stay on the programme aim.
    assert deliveries[1].find("i:EPAOrgID", namespaces=NS) is None


def test_it_writes_a_valid_emp_id(personas):
    learner, _, _ = learner_with_programme(personas.provider)
    employer = make_organisation(provider=personas.provider, ern="123456789")
    learner.employment_statuses.update(employer=employer)
    _, doc = write(personas.provider)
    assert text(doc, "//i:EmpId/text()") == ["123456789"]


def test_the_file_has_one_default_namespace_on_message_and_no_prefixes(personas):
    learner_with_programme(personas.provider, lrn="LRN1")
    learner_with_programme(personas.provider, lrn="LRN2")
    data, _ = write(personas.provider)
    assert data.startswith(
        b'<?xml version="1.0" encoding="utf-8"?>\n<Message xmlns="ESFA/ILR/2025-26">'
    )
    assert data.count(b"xmlns") == 1
    assert b"ns0:" not in data and b"<Header><CollectionDetails>" in data
    assert data.count(b"\n<Learner><LearnRefNumber>") == 2  # a learner a line, bare


def test_the_validated_file_keeps_its_namespace_form_and_passes_the_schema(personas, tmp_path):
    learner_with_programme(personas.provider, lrn="LRN1", epa_org_id="EPA0001")
    with open(tmp_path / "f.xml", "w+b") as handle:
        written, problem = ilr_write_validated(
            export=export(personas.provider), year=CURRENT_YEAR, at=AT, handle=handle
        )
        handle.seek(0)
        data = handle.read()
    assert problem is None and written.learners == 1
    assert data.count(b"xmlns") == 1


def test_a_value_the_schema_refuses_still_leaves_out_its_own_learner(personas):
    # The per-learner check runs on namespace-free Learners: it must still see the facets.
    learner, _, _ = learner_with_programme(personas.provider, lrn="BAD")
    LearnerFAM.objects.create(learner=learner, fam_type="LSR", fam_code=1000)  # > 3 digits
    learner_with_programme(personas.provider, lrn="GOOD")
    handle = io.BytesIO()
    written = ilr_write(export=export(personas.provider), year=CURRENT_YEAR, at=AT, handle=handle)
    assert written.learners == 1
    assert [p.lrn for p in written.problems] == ["BAD"]
    assert "LearnFAMCode" in written.problems[0].reasons[0]
    assert schema_for(CURRENT_YEAR).validate(etree.fromstring(handle.getvalue()))


def test_prices_are_unchanged_by_the_new_fields(personas):
    learner_with_programme(
        personas.provider, training_price=Decimal("9000"), epa_price=Decimal("1000")
    )
    _, doc = write(personas.provider)
    assert text(doc, "//i:AFinAmount/text()") == ["9000", "1000"]
