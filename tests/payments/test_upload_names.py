"""Issue 11 item 13: an upload's name may be of any length or alphabet. The file is stored
under a name of ours; the page shows the original, shortened."""

from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from learners.models import Role
from picsweb import jobs
from picsweb.models import Job

CONTENT = (
    "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT\n"
    "00001,30/10/2024,12.00,C\n"
    "00001,31/02/2024,12.00,C\n"
)


def upload(client, provider, name):
    response = client.post(
        "/payments/import/",
        {
            "provider": provider.code,
            "separator": ",",
            "file": SimpleUploadedFile(name, CONTENT.encode()),
        },
    )
    assert response.status_code == 302, response.status_code
    job = Job.objects.get(code=response["Location"].split("/")[2])
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def test_it_takes_a_404_byte_utf8_name_and_shows_it_shortened(world, personas):
    client = personas.client_for(personas.by_role[Role.PAYMENTS_IMPORT])
    name = "Paiements élèves – " + "données " * 45 + ".csv"
    assert len(name.encode()) > 400

    job = upload(client, world.provider, name)

    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert job.input_file.name.endswith("/input.csv")
    assert job.input_name.startswith("Paiements élèves – données")
    assert job.input_name.endswith("….csv")
    assert len(job.input_name) <= 100
    assert job.input_name in client.get(f"/jobs/{job.code}/").content.decode()
    download = client.get(f"/jobs/{job.code}/download/")
    assert download.status_code == 200
    assert b"ERRORS" in b"".join(download.streaming_content)


def test_a_251_character_name_still_gets_its_errors_file(world, personas, tmp_path):
    client = personas.client_for(personas.by_role[Role.PAYMENTS_IMPORT])
    name = "p" * 247 + ".csv"

    job = upload(client, world.provider, name)

    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert job.result_name.endswith("-errors.csv")
    path = tmp_path / name
    path.write_text(CONTENT)
    out = StringIO()
    call_command("import_payments", str(path), provider=world.provider.ukprn, stdout=out)
    assert "The rows with errors are in" in out.getvalue()
    [errors] = tmp_path.glob("*-errors.csv")
    assert "ERRORS" in errors.read_text(encoding="utf-8-sig")
