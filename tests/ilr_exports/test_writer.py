"""The record ESFA's rules check is the learner the file says: every learner written reads
back, through lxml, as the very record it was written from (ilr_exports/writer.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from demo import services as demo
from ilr_exports.models import IlrExport
from ilr_exports.rules import Learner as IlrLearner
from ilr_exports.rules import parse_learner
from ilr_exports.services import _learner_problems, _rows, ilr_learners
from ilr_exports.writer import BadValue, learner_record, learner_xml
from ilr_exports.years import CURRENT_YEAR
from learners.models import LearnerFAM, LearnerLLDD, Provider
from tests.factories import make_payment
from tests.ilr_exports.test_ilr import ilr_learner

M = IlrExport.Monitoring
# Every monitoring choice, each in several positions.
MONITORINGS = [
    [M.SITE_CODE, M.AS_ENTERED, M.OFFICER, M.MAIN_TAG],
    [M.AS_ENTERED, M.PICS_ID, M.QUALIFICATION_PLAN, M.PROVIDER_ID],
    [M.QUALIFICATION_PLAN, M.MAIN_TAG, M.AS_ENTERED, M.SITE_CODE],
]


def _records(provider: Provider, monitoring: list[str]) -> list[tuple[str, IlrLearner, str]]:
    export = IlrExport(provider=provider, year_code=CURRENT_YEAR.code, monitoring=monitoring)
    learners = ilr_learners(export=export, year=CURRENT_YEAR)
    written = []
    for row in _rows(learners, CURRENT_YEAR):
        if _learner_problems(row, monitoring, provider.ukprn):
            continue
        record = learner_record(row, monitoring, provider.ukprn, CURRENT_YEAR.ends)
        written.append((row["lrn"], record, learner_xml(record)))
    return written


@pytest.mark.parametrize("monitoring", MONITORINGS)
def test_every_demo_learner_reads_back_as_the_record_the_rules_checked(db, monitoring):
    demo.seed_demo(learners=150, seed=2026, progress=lambda done: None)
    checked = 0
    for provider in Provider.objects.all():
        for lrn, record, xml in _records(provider, monitoring):
            assert parse_learner(etree.fromstring(xml)) == record, lrn
            checked += 1
    assert checked > 100


def test_awkward_text_is_escaped_and_reads_back_unchanged(personas):
    learner, aim = ilr_learner(
        personas.provider,
        "AWK1",
        family_name="O'Brien-Ünal",
        given_names="Zoë",
        email="a&b<c>@example.com",
        provider_monitoring_a="R&D <1>\r",
        aim={"delivery_monitoring_c": "x>y&z"},
    )
    LearnerLLDD.objects.create(learner=learner, category=4, primary=True)
    LearnerLLDD.objects.create(learner=learner, category=93, primary=False)
    LearnerFAM.objects.create(learner=learner, fam_type="EHC", fam_code=1)
    make_payment(
        episode=aim.episode,
        system_type="APTB_PMR2",
        actual_date=date(2025, 11, 3),
        actual_amount=Decimal("250"),
    )
    ((_, record, xml),) = _records(personas.provider, [M.AS_ENTERED] * 4)
    assert "a&amp;b&lt;c&gt;@example.com" in xml and "R&amp;D &lt;1&gt;&#13;" in xml
    back = parse_learner(etree.fromstring(xml))
    assert back == record
    assert back.email == "a&b<c>@example.com" and back.prov_spec[0].value == "R&D <1>\r"
    assert [(x.cat, x.primary) for x in back.lldd] == [(4, 1), (93, None)]
    assert [(f.type, f.code) for f in back.fams] == [("EHC", 1)]
    (programme,) = [d for d in back.deliveries if d.aim_type == 1]
    assert [(f.type, f.code, f.amount) for f in programme.app_fin] == [
        ("TNP", 1, 9000),
        ("TNP", 2, 1000),
        ("PMR", 2, 250),
    ]


@pytest.mark.parametrize("bad", ["\x0b", "\x08", "\x1f", "\ufffe"])
def test_a_character_xml_cannot_carry_names_its_element(personas, bad):
    ilr_learner(personas.provider, "BAD1", provider_monitoring_a=f"A{bad}B")
    export = IlrExport(provider=personas.provider, year_code="2526", monitoring=[M.AS_ENTERED] * 4)
    (row,) = _rows(ilr_learners(export=export, year=CURRENT_YEAR), CURRENT_YEAR)
    record = learner_record(row, export.monitoring, personas.provider.ukprn)
    with pytest.raises(BadValue) as refused:
        learner_xml(record)
    assert refused.value.reason.startswith("ProvSpecLearnMon: holds a control character")
