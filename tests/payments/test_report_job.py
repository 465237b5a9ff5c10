"""The Learner Payment Report above DIRECT_DOWNLOAD_LIMIT runs as a job on the worker (an
XLSX of 100,000 records took 17.7 s inside the request), on the records of that moment."""

import io
import time
from datetime import date

from openpyxl import load_workbook

from learners.models import Role
from picsweb.models import Job
from tests.factories import make_episode, make_learner, make_payment, make_provider, make_user


def test_it_makes_a_large_xlsx_report_as_a_job_on_the_worker(
    celery_worker, transactional_db, client, settings
):
    settings.DIRECT_DOWNLOAD_LIMIT = 2
    provider = make_provider(ukprn="10012345")
    owner = make_user(provider=provider, roles=[Role.PAYMENTS_IMPORT], email="o@example.com")
    episode = make_episode(learner=make_learner(provider=provider, lrn="LRN1"), ident="00001")
    for n in range(3):
        make_payment(episode=episode, notes=f"=HYPERLINK({n})", expected_date=date(2025, 9, n + 1))
    client.force_login(owner)

    response = client.post(
        "/payments/download/", {"query": f"provider={provider.code}", "format": "xlsx"}
    )

    assert response.status_code == 302
    job = Job.objects.get(owner=owner)
    assert response["Location"] == f"/jobs/{job.code}/"
    make_payment(episode=episode, notes="later")  # after the export started: not in it
    deadline = time.monotonic() + 30
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(0.1)
        job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert job.result_name.startswith("learner-payment-report-")
    assert job.result_name.endswith(".xlsx")
    download = client.get(f"/jobs/{job.code}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    notes = rows[0].index("NOTES")
    assert [row[notes] for row in rows[1:]] == ["=HYPERLINK(0)", "=HYPERLINK(1)", "=HYPERLINK(2)"]
    assert all(sheet.cell(row=r, column=notes + 1).data_type == "s" for r in range(2, 5))
    (email,) = celery_worker.wait_for_email()
    assert email["Subject"] == "Finished: Learner Payment Report"
