"""The R&C export through export_start: "select all N" above DIRECT_DOWNLOAD_LIMIT acts on
exactly the N, frozen when the export starts; import and export each need Manage R&C too
(seed 002: both are done on the R&C screen)."""

import csv
import io

import pytest

from learners.models import Membership, Role
from picsweb import jobs
from picsweb.models import Job
from regcert.models import Registration
from tests.factories import make_learner, make_user


@pytest.fixture
def learner(personas):
    return make_learner(provider=personas.provider, family_name="Okafor")


def exporter(personas, roles=(Role.DATA_EXPORT, Role.MANAGE_REGCERT)):
    return personas.client_for(make_user(provider=personas.provider, roles=list(roles)))


def numbers(response_or_job_download):
    text = b"".join(response_or_job_download.streaming_content).decode("utf-8-sig")
    return sorted(row["Registration number"] for row in csv.DictReader(io.StringIO(text)))


def test_it_exports_exactly_the_n_selected_frozen_when_the_export_starts(
    personas, learner, settings
):
    settings.DIRECT_DOWNLOAD_LIMIT = 2
    records = [
        Registration.objects.create(
            learner=learner, qualification_number=f"Q{n}", registration_number=f"R{n}"
        )
        for n in range(5)
    ]
    client = exporter(personas)
    response = client.post(
        "/regcert/export/",
        {
            "provider": personas.provider.code,
            "filters": "",
            "select_all": "5",
            # "Select all" ticks the rows on view too; the server acts on all 5.
            "registration": [r.code for r in records[:3]],
        },
    )
    job = Job.objects.get(code=response["Location"].split("/")[2])
    assert job.progress_total == 5
    Registration.objects.create(  # matches the filter, but arrives after the export started
        learner=learner, qualification_number="QLATE", registration_number="RLATE"
    )

    jobs.job_run(job_id=job.pk)

    assert numbers(client.get(f"/jobs/{job.code}/download/")) == ["R0", "R1", "R2", "R3", "R4"]


def test_it_downloads_a_small_selection_at_once(personas, learner):
    record = Registration.objects.create(
        learner=learner, qualification_number="Q1", registration_number="R1"
    )
    response = exporter(personas).post(
        "/regcert/export/",
        {"provider": personas.provider.code, "filters": "", "registration": [record.code]},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert numbers(response) == ["R1"]


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ([Role.BULK_UPLOAD], 403),
        ([Role.MANAGE_REGCERT], 403),
        ([Role.BULK_UPLOAD, Role.MANAGE_REGCERT], 200),
    ],
)
def test_import_needs_bulk_upload_and_manage_regcert(personas, roles, status):
    client = exporter(personas, roles)
    for url in ("/regcert/import/", "/regcert/import/sample.csv"):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ([Role.DATA_EXPORT], 403),
        ([Role.MANAGE_REGCERT], 403),
        ([Role.DATA_EXPORT, Role.MANAGE_REGCERT], 200),
    ],
)
def test_export_needs_data_export_and_manage_regcert(personas, learner, roles, status):
    Registration.objects.create(learner=learner, qualification_number="Q1")
    response = exporter(personas, roles).post(
        "/regcert/export/", {"provider": personas.provider.code, "filters": "", "select_all": "1"}
    )
    assert response.status_code == status


def test_the_two_roles_must_be_held_at_the_same_provider(personas, learner):
    user = make_user(provider=personas.provider, roles=[Role.BULK_UPLOAD, Role.DATA_EXPORT])
    # Manage R&C at another provider does not count here.
    Membership.objects.create(user=user, provider=personas.other_provider, role=Role.MANAGE_REGCERT)
    client = personas.client_for(user)
    code = personas.provider.code
    assert client.get(f"/regcert/import/?provider={code}").status_code == 403
    post = {"provider": code, "filters": "", "select_all": "0"}
    assert client.post("/regcert/export/", post).status_code == 403


def test_the_list_offers_import_and_export_only_with_both_roles(personas, learner):
    Registration.objects.create(learner=learner, qualification_number="Q1")
    alone = exporter(personas, [Role.MANAGE_REGCERT]).get("/regcert/").content.decode()
    assert "Import and Update" not in alone and ">Export<" not in alone
    both = exporter(personas, [Role.MANAGE_REGCERT, Role.BULK_UPLOAD, Role.DATA_EXPORT]).get(
        "/regcert/"
    )
    assert "Import and Update" in both.content.decode() and ">Export<" in both.content.decode()


def test_every_export_column_has_exactly_one_value():
    from regcert.columns import EXPORT_COLUMNS
    from regcert.services import EXPORT_VALUES

    assert list(EXPORT_VALUES) == EXPORT_COLUMNS
