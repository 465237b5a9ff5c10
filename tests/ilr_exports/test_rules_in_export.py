"""ESFA's rules where users meet them: the export leaves out each learner an error rule
refuses (by rule, field and message, each linked to the field's form), tells each warning,
downloads the list as CSV, checks without a file, and the learner's record shows them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from ilr_exports.models import IlrExport
from learners.models import ContractType, Role
from picsweb import jobs
from tests.factories import make_contract
from tests.ilr_exports.test_ilr import NS, build, export, ilr_learner, lrns

NOW = date(2026, 3, 2)


def _levy(provider):
    return make_contract(provider=provider, contract_type=ContractType.LEVY)


def _two_learners(provider):
    levy = _levy(provider)
    good, _ = ilr_learner(provider, "GOOD", aim={"contract": levy})
    bad, _ = ilr_learner(provider, "TEMPULN", uln="9999999999", aim={"contract": levy})
    return good, bad


@time_machine.travel(NOW, tick=False)
def test_an_error_rule_leaves_the_learner_out_naming_rule_field_and_fix(personas):
    _two_learners(personas.provider)
    doc, written = build(export(personas.provider))
    assert lrns(doc) == ["GOOD"]
    (problem,) = written.problems
    assert problem.lrn == "TEMPULN"
    uln_12 = [f for f in problem.failures if f["rule"] == "ULN_12"]
    assert uln_12 and uln_12[0]["severity"] == "error"
    assert uln_12[0]["field"] == "ULN" and uln_12[0]["fix"] == "learner.uln"
    assert any(reason.startswith("ULN_12 (ULN): ") for reason in problem.reasons)


@time_machine.travel(NOW, tick=False)
def test_a_levy_apprentice_goes_in_with_the_ni_number_and_is_left_out_without_it(personas):
    levy = _levy(personas.provider)
    ilr_learner(personas.provider, "WITHNI", ni_number="JG103759A", aim={"contract": levy})
    ilr_learner(personas.provider, "NONI", ni_number="", aim={"contract": levy})
    doc, written = build(export(personas.provider))
    assert lrns(doc) == ["WITHNI"]
    assert doc.xpath("//i:NINumber/text()", namespaces=NS) == ["JG103759A"]
    (problem,) = written.problems
    assert problem.lrn == "NONI"
    assert [(f["rule"], f["fix"]) for f in problem.failures] == [
        ("NINumber_02", "learner.ni_number")
    ]


@time_machine.travel(NOW, tick=False)
def test_a_warning_keeps_the_learner_in_the_file_and_is_told(personas):
    learner, _ = ilr_learner(personas.provider, "MANYHOURS")
    learner.planned_learning_hours = 1200
    learner.save()
    doc, written = build(export(personas.provider))
    assert lrns(doc) == ["MANYHOURS"] and not written.problems
    (warned,) = written.warnings
    assert [f["rule"] for f in warned.failures] == ["PlanLearnHours_04"]
    assert warned.failures[0]["severity"] == "warning"


class TestPages:
    @pytest.fixture
    def staff(self, personas):
        return personas.client_for(personas.by_role[Role.ILR_EXPORT])

    def _create(self, client, provider, **data):
        response = client.post(
            "/ilr/create/",
            {"provider": provider.code, **{f"monitoring_{n}": "as_entered" for n in range(4)}}
            | data,
        )
        assert response.status_code == 302
        record = IlrExport.objects.latest("id")
        assert record.job is not None
        jobs.job_run(job_id=record.job.pk)
        record.refresh_from_db()
        return record

    def test_the_page_lists_each_rule_with_a_link_to_the_field_and_the_csv(self, personas, staff):
        _, bad = _two_learners(personas.provider)
        record = self._create(staff, personas.provider)
        assert record.status == "Generated", record.job.error_message
        assert record.learner_count == 1
        page = staff.get(f"/ilr/{record.code}/").content.decode()
        fix = reverse("learners:fix", kwargs={"code": bad.code, "field": "learner.uln"})
        assert "ULN_12" in page and fix in page
        assert "a real ULN, not 9999999999" in page
        left_out = staff.get(reverse("jobs:left-out", kwargs={"code": record.job.code}))
        rows = list(
            csv.reader(io.StringIO(b"".join(left_out.streaming_content).decode("utf-8-sig")))
        )
        assert rows[0] == ["LRN", "Learner", "Severity", "Rule", "Field", "Aim", "Message"]
        assert ["TEMPULN", bad.full_name, "error", "ULN_12", "ULN"] in [row[:5] for row in rows]

    def test_check_only_runs_the_rules_without_a_file_or_a_serial(self, personas, staff):
        _two_learners(personas.provider)
        check = self._create(staff, personas.provider, check_only="1")
        assert check.check_only and check.status == "Checked"
        assert check.learner_count == 1 and not check.job.result_file
        assert staff.get(f"/ilr/{check.code}/download/").status_code == 404
        page = staff.get(f"/ilr/{check.code}/").content.decode()
        assert "Check only, no file made" in page and "ULN_12" in page
        assert "Check only (no file)" in staff.get("/ilr/").content.decode()
        real = self._create(staff, personas.provider)
        assert real.serial == 1 and real.file_name.endswith("-01.XML")


@time_machine.travel(NOW, tick=False)
def test_the_learner_record_shows_the_rules_the_learner_breaks(personas):
    _, bad = _two_learners(personas.provider)
    admin = personas.client_for(personas.provider_admin)
    page = admin.get(reverse("learners:detail", kwargs={"code": bad.code})).content.decode()
    assert "Ready for the 2025-26 ILR" in page and "ULN_12 (ULN)" in page
    assert reverse("learners:fix", kwargs={"code": bad.code, "field": "learner.uln"}) in page
    viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    assert (
        "Ready for the 2025-26 ILR"
        not in viewer.get(reverse("learners:detail", kwargs={"code": bad.code})).content.decode()
    )
