"""Each registered import end to end from the admin, on the real worker: upload on the admin's
form -> the staff job page's report -> confirm -> the records changed -> the import history ->
Undo there -> the records as they were."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from payments.models import PaymentRecord
from picsweb.models import ImportBatch, Job, Role
from progress_apply.importing import COLUMNS as PORTAL_COLUMNS
from progress_apply.models import PortalLearner, PortalSettings, Qualification
from progress_apply.qualification_workbook import SHEET_LEARNERS
from regcert.columns import COLUMNS as REGCERT_COLUMNS
from regcert.models import Registration
from tests.conftest import _ensure_qualifications
from tests.factories import make_aim, make_episode, make_learner, make_provider, make_user
from tests.progress_apply.helpers import make_portal_learner

pytestmark = pytest.mark.worker


def wait_for(job: Job, timeout: float = 60.0) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stayed {job.status}")


@pytest.fixture
def admin_client(celery_worker, transactional_db) -> tuple[Client, object]:
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_provider(name="Elsewhere College", ukprn="10099999")
    user = make_user(provider=provider, roles=[Role.PROVIDER_ADMIN], email="pa@example.com")
    client = Client()
    client.force_login(user)
    return client, provider


def run_through_the_admin(
    client: Client,
    provider,
    *,
    admin_url: str,
    kind: str,
    upload: SimpleUploadedFile,
    applied: Callable[[], bool],
    undone: Callable[[], bool],
) -> None:
    listing = client.get(admin_url).content.decode()
    door = f"{admin_url}import/{kind}/"
    assert door in listing
    form = client.get(door).content.decode()
    assert "Northgate Training" in form and "Elsewhere College" not in form
    response = client.post(door, {"provider": provider.pk, "separator": ",", "file": upload})
    assert response.status_code == 302, response.content.decode()
    validation = wait_for(Job.objects.get(kind=f"{kind}.validate"))
    assert validation.status == Job.Status.SUCCEEDED, validation.error_message
    assert response["Location"] == f"/jobs/{validation.code}/"
    report = client.get(response["Location"]).content.decode()
    assert "Validation report" in report and "Apply 1 change" in report
    assert not applied()

    confirmed = client.post(f"/jobs/{validation.code}/confirm/")
    apply_job = wait_for(Job.objects.get(kind=f"{kind}.apply"))
    assert confirmed["Location"] == f"/jobs/{apply_job.code}/"
    assert apply_job.status == Job.Status.SUCCEEDED, apply_job.error_message
    assert applied()

    batch = ImportBatch.objects.get(kind=kind)
    history = client.get("/admin/picsweb/importbatch/").content.decode()
    assert str(upload.name) in history and "Report and Undo" in history
    page = client.get(f"/admin/picsweb/importbatch/{batch.code}/report/").content.decode()
    assert "Undo import" in page
    client.post(f"/admin/picsweb/importbatch/{batch.code}/undo/")
    batch.refresh_from_db()
    assert batch.undone_at is not None
    assert undone()


def test_payments(admin_client):
    client, provider = admin_client
    make_episode(learner=make_learner(provider=provider), ident="00001")
    upload = SimpleUploadedFile(
        "payments.csv",
        b"IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT\n"
        b"00001,30/10/2025,12.00,C\n",
    )
    run_through_the_admin(
        client,
        provider,
        admin_url="/admin/payments/paymentrecord/",
        kind="payments",
        upload=upload,
        applied=lambda: PaymentRecord.objects.filter(expected_amount=12).count() == 1,
        undone=lambda: not PaymentRecord.objects.exists(),
    )


def test_registrations(admin_client):
    client, provider = admin_client
    learner = make_learner(provider=provider, uln="1748529632")
    make_aim(episode=make_episode(learner=learner), aim_ref="60312345", aim_type=3)
    upload = SimpleUploadedFile(
        "registrations.csv",
        (
            ",".join(REGCERT_COLUMNS) + "\n60312345,1748529632,Registered,R123,01/09/2025,,,,,\n"
        ).encode(),
    )
    run_through_the_admin(
        client,
        provider,
        admin_url="/admin/regcert/registration/",
        kind="regcert",
        upload=upload,
        applied=lambda: (
            list(Registration.objects.values_list("registration_number", flat=True)) == ["R123"]
        ),
        undone=lambda: not Registration.objects.exists(),
    )


def test_portal_learners(admin_client):
    client, provider = admin_client
    upload = SimpleUploadedFile(
        "learners.csv",
        (",".join(PORTAL_COLUMNS) + "\n10012345,Year 11,Bob,Learner,LS6 2AB,2010-01-01\n").encode(),
    )
    run_through_the_admin(
        client,
        provider,
        admin_url="/admin/progress_apply/portallearner/",
        kind="portal_learners",
        upload=upload,
        applied=lambda: (
            list(PortalLearner.objects.values_list("user__first_name", flat=True)) == ["Bob"]
        ),
        undone=lambda: not PortalLearner.objects.exists(),
    )


def test_the_qualifications_workbook_exported_and_imported_from_the_admin(admin_client):
    _ensure_qualifications()  # a transactional test's flush removed the reference data
    client, provider = admin_client
    PortalSettings.objects.create(provider=provider, manager_adds_qualifications=True)
    ben = make_portal_learner(provider=provider, first_name="Ben", last_name="Bell")
    dan = make_portal_learner(provider=provider, first_name="Dan", last_name="Dunn", year_group=12)
    url = "/admin/progress_apply/portallearner/"

    # Two year groups: refused with the reason; one: the workbook's job.
    both = client.post(
        url,
        {
            "action": "export_0",
            ACTION_CHECKBOX_NAME: [str(ben.pk), str(dan.pk)],  # the page's, then "select all"
            "select_across": "1",
            "index": 0,
        },
        follow=True,
    )
    assert "Choose learners of one year group" in both.content.decode()
    response = client.post(
        url,
        {"action": "export_0", ACTION_CHECKBOX_NAME: [str(ben.pk)], "index": 0},
    )
    export = wait_for(Job.objects.get(kind="progress_apply.qualifications_export"))
    assert response["Location"] == f"/jobs/{export.code}/"
    assert export.status == Job.Status.SUCCEEDED and export.progress_total == 1
    data = b"".join(client.get(f"/jobs/{export.code}/download/").streaming_content)

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[SHEET_LEARNERS]
    header = [c.value for c in sheet[1]]
    values = {
        "Qualification Type 1*": "GCSE (9-1)",
        "Qualification Subject 1*": "Biology",
        "Qualification Completion Date 1": "2026-06",
        "Qualification Actual Grade 1*": "9",
    }
    for column, value in values.items():
        sheet.cell(row=2, column=header.index(column) + 1).value = value
    out = io.BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile("qualifications.xlsx", out.getvalue())

    run_through_the_admin(
        client,
        provider,
        admin_url=url,
        kind="portal_qualifications",
        upload=upload,
        applied=lambda: (
            list(Qualification.objects.filter(learner=ben).values_list("subject__name", flat=True))
            == ["Biology"]
        ),
        undone=lambda: not Qualification.objects.exists(),
    )
