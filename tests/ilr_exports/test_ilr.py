"""ILR export (seed 001): filters, the contract exclusion, the monitoring choices in each
position, schema validity, file name and serial, problems listed, access."""

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from lxml import etree

from ilr_exports.models import IlrExport
from ilr_exports.services import ilr_validate, ilr_write
from ilr_exports.years import CURRENT_YEAR, schema_for
from learners.models import Membership, Role
from picsweb import jobs
from tests.factories import (
    make_aim,
    make_contract,
    make_employer,
    make_employment,
    make_episode,
    make_learner,
    make_officer,
    make_organisation,
    make_payment,
    make_provider,
    make_site,
    make_tag,
)

NS = {"i": "ESFA/ILR/2025-26"}
AT = date(2025, 10, 6)


def ilr_learner(provider, lrn, **overrides):
    aim_fields = overrides.pop("aim", {})
    fields = {"family_name": "Smith", "given_names": "Jane", "sex": "F"} | overrides
    learner = make_learner(provider=provider, lrn=lrn, **fields)
    episode = make_episode(learner=learner, start_date=date(2025, 9, 1))
    aim_fields = {
        "start_date": date(2025, 9, 1),
        "standard_id": 91,
        "training_price": Decimal("9000"),
        "epa_price": Decimal("1000"),
        "epa_org_id": "EPA0001",
    } | aim_fields
    aim = make_aim(episode=episode, **aim_fields)
    make_employment(
        learner=learner, date_applies=date(2025, 8, 31), employer=make_employer(provider=provider)
    )
    return learner, aim


def export(provider, **kwargs):
    return IlrExport.objects.create(
        provider=provider,
        year_code="2526",
        serial=kwargs.pop("serial", 1),
        filters=kwargs.pop("filters", {}),
        monitoring=kwargs.pop("monitoring", ["as_entered"] * 4),
    )


def build(record):
    from datetime import datetime

    handle = io.BytesIO()
    written = ilr_write(
        export=record, year=CURRENT_YEAR, at=datetime(2025, 10, 6, 9, 30), handle=handle
    )
    return etree.fromstring(handle.getvalue()), written


def lrns(doc):
    return sorted(doc.xpath("//i:Learner/i:LearnRefNumber/text()", namespaces=NS))


def test_it_writes_a_file_valid_against_the_2025_26_schema(personas):
    _, aim = ilr_learner(personas.provider, "LRN1", provider_monitoring_a="MONA")
    make_payment(
        episode=aim.episode,
        system_type="APTB_PMR1",
        actual_date=date(2025, 10, 1),
        actual_amount=Decimal("500.00"),
    )
    doc, written = build(export(personas.provider))
    assert written.learners == 1 and not written.problems
    assert schema_for(CURRENT_YEAR).validate(doc), schema_for(CURRENT_YEAR).error_log
    fins = doc.xpath("//i:AppFinRecord", namespaces=NS)
    assert [(f[0].text, f[1].text, f[3].text) for f in fins] == [
        ("TNP", "1", "9000"),
        ("TNP", "2", "1000"),
        ("PMR", "1", "500"),
    ]
    assert doc.xpath("//i:Header//i:UKPRN/text()", namespaces=NS) == ["10012345"]


@pytest.mark.parametrize("name", ["sites", "subcontractors", "contracts", "tags"])
def test_it_filters_by_each_list(personas, name):
    p = personas.provider
    wanted, wanted_aim = ilr_learner(p, "WANTED")
    ilr_learner(p, "OTHER")
    item: Any
    if name == "sites":
        item = make_site(provider=p)
        wanted.site = item
        wanted.save()
    elif name == "tags":
        item = make_tag(provider=p)
        wanted.tags.add(item)
    else:
        item = (
            make_organisation(provider=p, is_subcontractor=True)
            if name == "subcontractors"
            else make_contract(provider=p)
        )
        setattr(wanted_aim, name[:-1], item)
        wanted_aim.save()
    doc, _ = build(export(p, filters={name: [item.pk]}))
    assert lrns(doc) == ["WANTED"]
    everyone, _ = build(export(p, serial=2))
    assert lrns(everyone) == ["OTHER", "WANTED"]


def test_it_combines_filters(personas):
    p = personas.provider
    site, tag = make_site(provider=p), make_tag(provider=p)
    both, _ = ilr_learner(p, "BOTH", site=site)
    both.tags.add(tag)
    ilr_learner(p, "SITEONLY", site=site)
    doc, _ = build(export(p, filters={"sites": [site.pk], "tags": [tag.pk]}))
    assert lrns(doc) == ["BOTH"]


def test_it_never_includes_a_contract_excluded_from_ilr_exports(personas):
    p = personas.provider
    private = make_contract(provider=p, include_in_ilr_exports=False)
    ilr_learner(p, "PRIVATE", aim={"contract": private})
    ilr_learner(p, "FUNDED")
    assert lrns(build(export(p))[0]) == ["FUNDED"]
    assert lrns(build(export(p, serial=2, filters={"contracts": [private.pk]}))[0]) == []


EXPECTED = {
    "as_entered": ("LEARNMON{L}", "DELMON{L}"),
    "provider_id": ("10012345", "10012345"),
    "pics_id": ("PICS77", "PICS77"),
    "site_code": ("S-LEEDS", "S-LEEDS"),
    "qualification_plan_code": ("QP91", "QP91"),
    "main_officer_code": ("OFF9", "OFF9"),
    "main_tag": ("Alpha", "Alpha"),
}


@pytest.mark.parametrize("position", [0, 2])
def test_a_main_tag_longer_than_the_ilr_takes_leaves_the_learner_out_saying_so(personas, position):
    """A tag name may be 60 characters; ProvSpecLearnMon and ProvSpecDelMon take 20."""
    p = personas.provider
    long, short = ilr_learner(p, "LONG")[0], ilr_learner(p, "SHORT")[0]
    long.tags.add(make_tag(provider=p, name="Apprentices starting Sept"))
    short.tags.add(make_tag(provider=p, name="Exactly twenty chars"))
    monitoring = ["as_entered"] * 4
    monitoring[position] = "main_tag"
    doc, written = build(export(p, monitoring=monitoring))
    assert lrns(doc) == ["SHORT"]
    assert [(problem.lrn, problem.reasons) for problem in written.problems] == [
        ("LONG", [f"Monitoring {'ABCD'[position]} (Main Tag) is longer than 20 characters."])
    ]


@pytest.mark.parametrize("position", [0, 1, 2, 3])
@pytest.mark.parametrize("choice", list(EXPECTED))
def test_it_fills_each_monitoring_position_from_each_choice(personas, choice, position):
    p = personas.provider
    letter = "ABCD"[position]
    learner, _ = ilr_learner(
        p,
        "LRN1",
        pics_id="PICS77",
        site=make_site(provider=p, code="S-LEEDS"),
        main_officer=make_officer(provider=p, code="OFF9"),
        provider_monitoring_a="LEARNMONA",
        provider_monitoring_b="LEARNMONB",
        aim={
            "qualification_plan_code": "QP91",
            "delivery_monitoring_a": "DELMONA",
            "delivery_monitoring_b": "DELMONB",
            "delivery_monitoring_c": "DELMONC",
            "delivery_monitoring_d": "DELMOND",
        },
    )
    learner.tags.add(make_tag(provider=p, name="Zulu"), make_tag(provider=p, name="Alpha"))
    monitoring = ["as_entered"] * 4
    monitoring[position] = choice
    doc, _ = build(export(p, monitoring=monitoring))
    learner_values = dict(
        zip(
            doc.xpath("//i:ProvSpecLearnMonOccur/text()", namespaces=NS),
            doc.xpath("//i:ProvSpecLearnMon/text()", namespaces=NS),
            strict=True,
        )
    )
    delivery_values = dict(
        zip(
            doc.xpath("//i:ProvSpecDelMonOccur/text()", namespaces=NS),
            doc.xpath("//i:ProvSpecDelMon/text()", namespaces=NS),
            strict=True,
        )
    )
    want_learner, want_delivery = (v.format(L=letter) for v in EXPECTED[choice])
    assert delivery_values[letter] == want_delivery
    if position < 2:  # the first two set the learner's A and B too
        assert learner_values[letter] == want_learner
    else:
        assert set(learner_values) == {"A", "B"}
    assert schema_for(CURRENT_YEAR).validate(doc)


def test_it_lists_learners_who_would_make_the_file_invalid(personas):
    ilr_learner(personas.provider, "GOOD")
    ilr_learner(personas.provider, "NOPOST", postcode="")
    ilr_learner(personas.provider, "BADULN", uln="1748529631")
    doc, written = build(export(personas.provider))
    assert lrns(doc) == ["GOOD"]
    assert {(p.lrn, tuple(p.reasons)) for p in written.problems} == {
        ("NOPOST", ("No postcode.",)),
        ("BADULN", ("The ULN 1748529631 fails its check digit.",)),
    }


def test_it_leaves_out_a_learner_whose_element_the_schema_refuses(personas):
    ilr_learner(personas.provider, "TOOLONG", aim={"standard_id": 123456})  # 6 digits
    ilr_learner(personas.provider, "GOOD")
    doc, written = build(export(personas.provider))
    assert lrns(doc) == ["GOOD"]
    ((problem,),) = [p.reasons for p in written.problems if p.lrn == "TOOLONG"]
    assert problem.startswith("StdCode: ") and "123456" in problem


class TestPages:
    @pytest.fixture
    def staff(self, personas):
        user = personas.by_role[Role.ILR_EXPORT]
        user.email = "ilr@example.com"
        user.save()
        return personas.client_for(user)

    def create(self, client, provider, **data):
        response = client.post(
            "/ilr/create/",
            {
                "provider": provider.code,
                **{f"monitoring_{n}": "as_entered" for n in range(4)},
                **data,
            },
        )
        assert response.status_code == 302, response.content.decode()[:1500]
        record = IlrExport.objects.latest("id")
        assert record.job is not None
        jobs.job_run(job_id=record.job.pk)
        record.refresh_from_db()
        return record

    def test_it_creates_generates_names_and_serialises_the_file(self, personas, staff):
        ilr_learner(personas.provider, "LRN1")
        first = self.create(staff, personas.provider)
        second = self.create(staff, personas.provider)
        assert (first.status, second.status) == ("Generated", "Generated")
        assert re.fullmatch(r"ILR-10012345-2526-\d{8}-\d{6}-01\.XML", first.file_name)
        assert second.file_name.endswith("-02.XML")
        download = staff.get(f"/ilr/{first.code}/download/")
        assert download["Content-Disposition"] == f'attachment; filename="{first.file_name}"'
        assert schema_for(CURRENT_YEAR).validate(
            etree.parse(io.BytesIO(b"".join(download.streaming_content)))
        )
        listing = staff.get("/ilr/").content.decode()
        assert first.file_name in listing and "Generated" in listing
        assert [m.subject for m in mail.outbox] == ["Finished: ILR export"] * 2

    def test_it_exports_the_learners_its_filters_chose_at_create_frozen(self, personas, staff):
        ilr_learner(personas.provider, "LRN1")
        ilr_learner(personas.provider, "LRN2")
        response = staff.post(
            "/ilr/create/",
            {
                "provider": personas.provider.code,
                **{f"monitoring_{n}": "as_entered" for n in range(4)},
            },
        )
        assert response.status_code == 302
        record = IlrExport.objects.latest("id")
        assert record.job is not None and record.job.progress_total == 2
        ilr_learner(personas.provider, "LRN3")  # matches, but arrives after Create

        jobs.job_run(job_id=record.job.pk)

        record.refresh_from_db()
        download = staff.get(f"/ilr/{record.code}/download/")
        doc = etree.fromstring(b"".join(download.streaming_content))
        assert (record.learner_count, lrns(doc)) == (2, ["LRN1", "LRN2"])

    def test_it_fails_an_invalid_file_naming_the_learner_but_keeps_the_report(
        self, personas, staff
    ):
        ilr_learner(personas.provider, "TOOLONG", aim={"standard_id": 123456})
        ilr_learner(personas.provider, "NOPOST", postcode="")
        record = self.create(staff, personas.provider)
        assert record.status == "Failed"
        assert record.job is not None
        assert "No learner can go in this file" in record.job.error_message
        assert [p["lrn"] for p in record.job.report["problems"]] == ["NOPOST", "TOOLONG"]
        assert staff.get(f"/ilr/{record.code}/download/").status_code == 404
        page = staff.get(f"/ilr/{record.code}/").content.decode()
        assert "StdCode" in page and "NOPOST" in page

    def test_it_refuses_another_providers_ukprn_and_exports(self, personas, staff):
        assert staff.get(f"/ilr/create/?provider={personas.other_provider.code}").status_code == 404
        response = staff.post("/ilr/create/", {"provider": personas.other_provider.code})
        assert response.status_code == 404
        theirs = export(personas.other_provider, serial=5)
        assert staff.get(f"/ilr/{theirs.code}/").status_code == 404
        assert staff.get(f"/ilr/{theirs.code}/download/").status_code == 404
        assert str(theirs.code) not in staff.get("/ilr/").content.decode()

    def test_it_refuses_a_site_of_another_provider(self, personas, staff):
        theirs = make_site(provider=personas.other_provider)
        response = staff.post(
            "/ilr/create/", {"provider": personas.provider.code, "sites": [theirs.pk]}
        )
        assert response.status_code == 400
        assert not IlrExport.objects.exists()

    def test_it_never_exports_another_ukprn_with_the_filters_of_the_one_shown(
        self, personas, staff
    ):
        second = make_provider(name="Southgate Skills", ukprn="10054321")
        user = personas.by_role[Role.ILR_EXPORT]
        Membership.objects.create(user=user, provider=second, role=Role.ILR_EXPORT)
        site = make_site(provider=personas.provider, name="Leeds Campus")
        response = staff.post(
            "/ilr/create/",
            {
                "provider": second.code,
                "shown": personas.provider.code,
                "sites": [site.pk],
                "monitoring_0": "site_code",
            },
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "You chose UKPRN 10054321: its filters are shown now" in page
        assert "Leeds Campus" not in page
        assert not IlrExport.objects.exists()

    def test_it_needs_the_ilr_export_role(self, personas):
        client = personas.client_for(personas.by_role[Role.LEARNER_LIST])
        assert client.get("/ilr/").status_code == 403
        assert client.get("/ilr/create/").status_code == 403


def test_it_writes_the_file_from_the_command_line(personas, tmp_path):
    ilr_learner(personas.provider, "LRN1", site=make_site(provider=personas.provider, code="S1"))
    out = io.StringIO()
    call_command(
        "ilr_export",
        ukprn="10012345",
        site=["S1"],
        monitoring="site_code,pics_id,as_entered,main_tag",
        output_dir=str(tmp_path),
        stdout=out,
    )
    name = out.getvalue().strip()
    assert re.fullmatch(r"ILR-10012345-2526-\d{8}-\d{6}-01\.XML", name)
    assert schema_for(CURRENT_YEAR).validate(etree.parse(str(tmp_path / name)))


def test_it_leaves_out_a_learner_with_any_aim_on_an_excluded_contract_whole(personas):
    """Seed 001: Include in ILR Exports = No means no learner linked to that contract is
    included, even one whose other aim is on a funded contract."""
    p = personas.provider
    funded = make_contract(provider=p, name="Funded")
    private = make_contract(provider=p, name="Private", include_in_ilr_exports=False)
    _, aim = ilr_learner(p, "MIXED", aim={"contract": funded})
    make_aim(episode=aim.episode, aim_ref="ZWRK0001", aim_type=3, contract=private)
    ilr_learner(p, "FUNDED", aim={"contract": funded})
    doc, written = build(export(p))
    assert lrns(doc) == ["FUNDED"]
    filtered, _ = build(export(p, serial=2, filters={"contracts": [funded.pk]}))
    assert lrns(filtered) == ["FUNDED"]
    assert written.learners == 1


def test_it_exports_a_learner_matched_by_subcontractor_with_all_their_aims(personas):
    p = personas.provider
    sub = make_organisation(provider=p, is_subcontractor=True)
    other = make_organisation(provider=p, is_subcontractor=True)
    _, aim = ilr_learner(p, "SUBBED", aim={"subcontractor": sub})
    make_aim(episode=aim.episode, aim_ref="ZWRK0001", aim_type=3, subcontractor=other)
    make_aim(episode=aim.episode, aim_ref="ZWRK0002", aim_type=3)
    ilr_learner(p, "ELSEWHERE", aim={"subcontractor": other})
    doc, _ = build(export(p, filters={"subcontractors": [sub.pk]}))
    assert lrns(doc) == ["SUBBED"]
    assert sorted(doc.xpath("//i:LearnAimRef/text()", namespaces=NS)) == [
        "ZPROG001",
        "ZWRK0001",
        "ZWRK0002",
    ]
    assert schema_for(CURRENT_YEAR).validate(doc), schema_for(CURRENT_YEAR).error_log
    by_contract, _ = build(export(p, serial=2, filters={"contracts": []}))
    assert lrns(by_contract) == ["ELSEWHERE", "SUBBED"]


def test_it_leaves_out_each_learner_with_a_value_the_schema_refuses_and_says_why(personas):
    p = personas.provider
    ilr_learner(p, "GOOD")
    ilr_learner(p, "PIPE", email="jane|smith@example.com")
    ilr_learner(p, "CAFE", provider_monitoring_a="café")
    ilr_learner(p, "VTAB", given_names="Ja\x0bne")
    doc, written = build(export(p))
    assert lrns(doc) == ["GOOD"]
    assert schema_for(CURRENT_YEAR).validate(doc), schema_for(CURRENT_YEAR).error_log
    reasons = {problem.lrn: " ".join(problem.reasons) for problem in written.problems}
    assert set(reasons) == {"PIPE", "CAFE", "VTAB"}
    assert reasons["PIPE"].startswith("Email: ") and "jane|smith@example.com" in reasons["PIPE"]
    assert reasons["CAFE"].startswith("ProvSpecLearnMon: ") and "café" in reasons["CAFE"]
    assert reasons["VTAB"].startswith("GivenNames: ")
    assert all("The ILR schema does not accept it." in r for r in reasons.values())


def test_it_names_the_learner_whose_value_fails_the_schema_in_a_large_file(personas):
    ilr_learner(personas.provider, "L000")
    handle = io.BytesIO()
    from datetime import datetime

    ilr_write(
        export=export(personas.provider), year=CURRENT_YEAR, at=datetime(2025, 10, 6), handle=handle
    )
    parts = re.match(rb"(.*?)(<Learner[ >].*</Learner>\n)(.*)", handle.getvalue(), re.DOTALL)
    assert parts is not None
    head, learner, tail = parts.groups()
    learners = [learner.replace(b"L000", f"L{n:03d}".encode()) for n in range(400)]
    learners[5] = learners[5].replace(b"<Sex>F</Sex>", b"<Sex>FF</Sex>")
    assert re.search(rb"LearningProvider>\n<Learner[ >]", handle.getvalue())  # a line each
    from ilr_exports.services import IlrExportError

    with pytest.raises(IlrExportError, match=r"at learner L005: .*Sex"):
        ilr_validate(handle=io.BytesIO(head + b"".join(learners) + tail), year=CURRENT_YEAR)


def test_the_validated_file_leaves_out_the_learners_at_fault_wherever_they_are(personas, tmp_path):
    # The first pass trusts the validator process; when it refuses the file, the second pass
    # checks each learner.
    from datetime import datetime

    from ilr_exports import services

    p = personas.provider
    for n in range(120):
        overrides: dict[str, Any] = {}
        if n == 2:
            overrides = {"email": "jane|smith@example.com"}
        if n == 117:
            overrides = {"provider_monitoring_a": "café"}
        ilr_learner(p, f"L{n:03d}", **overrides)
    with (tmp_path / "ilr.xml").open("w+b") as handle:
        written, problem = services.ilr_write_validated(
            export=export(p, monitoring=["as_entered"] * 4),
            year=CURRENT_YEAR,
            at=datetime(2025, 10, 6),
            handle=handle,
        )
        handle.seek(0)
        doc = etree.parse(handle)
    assert problem is None
    assert written.learners == 118
    assert {(x.lrn, x.reasons[0].split(":")[0]) for x in written.problems} == {
        ("L002", "Email"),
        ("L117", "ProvSpecLearnMon"),
    }
    assert lrns(doc) == [f"L{n:03d}" for n in range(120) if n not in (2, 117)]
    assert schema_for(CURRENT_YEAR).validate(doc), schema_for(CURRENT_YEAR).error_log


def test_a_valid_file_is_written_once_with_every_learner(personas, tmp_path):
    from datetime import datetime

    from ilr_exports import services

    for n in range(12):
        ilr_learner(personas.provider, f"L{n:03d}")
    with (tmp_path / "ilr.xml").open("w+b") as handle:
        written, problem = services.ilr_write_validated(
            export=export(personas.provider),
            year=CURRENT_YEAR,
            at=datetime(2025, 10, 6),
            handle=handle,
        )
        handle.seek(0)
        doc = etree.parse(handle)
    assert problem is None and written.learners == 12 and not written.problems
    assert len(lrns(doc)) == 12 and schema_for(CURRENT_YEAR).validate(doc)


def test_each_learner_keeps_their_own_records_whatever_the_chunk_of_learners_read(
    personas, monkeypatch
):
    """The export reads learners' aims, statuses and payments a chunk of learners at a time:
    a learner at a chunk's edge keeps all of theirs, and the file is the same byte for byte."""
    from ilr_exports import services

    for n in range(5):
        _, aim = ilr_learner(personas.provider, f"L{n:03d}")
        make_payment(
            episode=aim.episode,
            system_type="APTB_PMR1",
            actual_date=date(2025, 10, 1),
            actual_amount=Decimal(100 + n),
        )
    record = export(personas.provider)
    whole, _ = build(record)
    monkeypatch.setattr(services, "ROWS_CHUNK", 2)
    chunked, written = build(record)
    assert written.learners == 5
    assert etree.tostring(chunked) == etree.tostring(whole)
    payments = {
        learner.findtext("i:LearnRefNumber", namespaces=NS): learner.xpath(
            ".//i:AppFinRecord[i:AFinType='PMR']/i:AFinAmount/text()", namespaces=NS
        )
        for learner in chunked.xpath("//i:Learner", namespaces=NS)
    }
    assert payments == {f"L{n:03d}": [str(100 + n)] for n in range(5)}
