"""The admin is a door for every import and export (issue 20): each registered import has an
Import button on a change list, its upload form offers the admin only their providers and
shows a bad file's message, the export actions give the staff export's file of the admin's
own rows, and the import history shows only the admin's providers' imports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from payments.importing import PAYMENTS
from payments.models import PaymentRecord
from picsweb.imports.admin import PipelineAdminMixin
from picsweb.imports.pipeline import all_imports, apply_plan
from picsweb.models import ImportBatch, Job
from regcert.columns import COLUMNS as REGCERT_COLUMNS
from regcert.models import Registration
from tests.factories import make_aim, make_episode, make_learner, make_payment

PAYMENTS_URL = "/admin/payments/paymentrecord/"
PAYMENT_IMPORT = PAYMENTS_URL + "import/payments/"


def _doors() -> dict[str, Any]:
    pipeline_admins = [
        a for a in admin.site._registry.values() if isinstance(a, PipelineAdminMixin)
    ]
    return {door.spec.kind: a for a in pipeline_admins for door in a.import_doors}


def test_every_registered_import_has_an_admin_door():
    doors = _doors()
    missing = [spec.kind for spec in all_imports() if spec.kind not in doors]
    assert not missing, (
        f"imports without an admin door: {missing}. Give the admin of the model they write "
        "an ImportDoor (picsweb.imports.admin)."
    )


def test_each_door_opens_its_upload_form_from_the_change_list(personas):
    client = personas.client_for(personas.superuser)
    for kind, model_admin in _doors().items():
        opts = model_admin.opts
        listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import", args=[kind])
        assert url in listing.content.decode(), kind
        page = client.get(url)
        assert page.status_code == 200, kind
        assert "Validate" in page.content.decode()


def test_no_route_of_django_import_export_is_left(personas):
    """The library's import, process_import and export pages read, write and delete files on
    their own; the admin's only upload is the pipeline's."""
    client = personas.client_for(personas.provider_admin)
    for model_admin in admin.site._registry.values():
        names = {url.name for url in model_admin.urls if url.name}
        prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
        assert not names & {prefix + r for r in ("process_import", "export")}, model_admin
        assert not type(model_admin).__module__.startswith("import_export")
        assert not any(c.__module__.startswith("import_export") for c in type(model_admin).mro())
    for route in ("import/", "process_import/", "export/"):
        response = client.post(
            PAYMENTS_URL + route,
            {"import_file_name": "x", "original_file_name": "x.csv", "format": "0"},
            follow=True,
        )
        assert response.status_code in (200, 404)
        assert b"Import finished" not in response.content
    assert not Job.objects.exists()


class TestUploadForm:
    def test_it_offers_a_provider_admin_only_their_providers(self, personas):
        page = personas.client_for(personas.provider_admin).get(PAYMENT_IMPORT).content.decode()
        assert "Northgate Training" in page and "Elsewhere College" not in page
        everyone = personas.client_for(personas.superuser).get(PAYMENT_IMPORT).content.decode()
        assert "Northgate Training" in everyone and "Elsewhere College" in everyone

    def test_it_refuses_another_providers_upload(self, personas):
        response = personas.client_for(personas.provider_admin).post(
            PAYMENT_IMPORT,
            {
                "provider": personas.other_provider.pk,
                "separator": ",",
                "file": SimpleUploadedFile("a.csv", b"IDENT\n00001\n"),
            },
        )
        assert response.status_code == 400
        assert "Choose one of your providers." in response.content.decode()
        assert not Job.objects.exists()

    def test_it_shows_a_bad_files_message_on_the_admin_page(self, personas):
        client = personas.client_for(personas.provider_admin)
        for content, message in [
            (b"", "The file is empty."),
            (b"IDENT,SHOE SIZE\n00001,9\n", "columns this import does not know"),
            (b"\x00\x01binary", "neither a CSV file nor an Excel workbook"),
        ]:
            response = client.post(
                PAYMENT_IMPORT,
                {
                    "provider": personas.provider.pk,
                    "separator": ",",
                    "file": SimpleUploadedFile("bad.csv", content),
                },
            )
            assert response.status_code == 400
            body = response.content.decode()
            assert "There is a problem" in body and message in body, body
        assert not Job.objects.exists()

    def test_it_hands_a_good_file_to_the_pipeline_and_sends_the_admin_to_the_job(self, personas):
        make_episode(learner=make_learner(provider=personas.provider), ident="00001")
        response = personas.client_for(personas.provider_admin).post(
            PAYMENT_IMPORT,
            {
                "provider": personas.provider.pk,
                "separator": ";",
                "file": SimpleUploadedFile(
                    "admin.csv", b"IDENT;EXPECTED PAYMENT DATE;EXPECTED PAYMENT AMOUNT\n"
                ),
            },
        )
        job = Job.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/jobs/{job.code}/"
        assert (job.kind, job.provider, job.owner) == (
            "payments.validate",
            personas.provider,
            personas.provider_admin,
        )
        assert job.params["separator"] == ";" and job.input_name == "admin.csv"

    def test_an_import_without_csv_has_no_separator(self, personas):
        page = personas.client_for(personas.provider_admin).get(
            "/admin/progress_apply/portallearner/import/portal_qualifications/"
        )
        assert page.status_code == 200
        assert 'name="separator"' not in page.content.decode()

    def test_staff_without_the_admin_reach_no_door(self, personas):
        for user in personas.by_role.values():
            response = personas.client_for(user).get(PAYMENT_IMPORT)
            assert response.status_code == 302 and "/admin/login/" in response["Location"]

    def test_the_columns_file_is_the_providers_header(self, personas):
        client = personas.client_for(personas.provider_admin)
        url = PAYMENT_IMPORT + "columns.csv"
        response = client.get(url, {"provider": personas.provider.code})
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header == PAYMENTS.columns(personas.provider)
        assert client.get(url, {"provider": personas.other_provider.code}).status_code == 404


def _action(client, url, action, ids, **extra):
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [str(i) for i in ids], "index": 0, **extra}
    )


def _csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


class TestExportActions:
    def test_the_payment_export_is_the_staff_report_and_reimports_unchanged(self, personas):
        episode = make_episode(learner=make_learner(provider=personas.provider), ident="00001")
        mine = [make_payment(episode=episode), make_payment(episode=episode)]
        client = personas.client_for(personas.provider_admin)
        admin_file = _csv(_action(client, PAYMENTS_URL, "export_0", [p.pk for p in mine]))
        staff_file = _csv(
            client.post(
                "/payments/download/",
                {"provider": personas.provider.code, "query": "", "format": "csv"},
            )
        )
        assert admin_file[0] == staff_file[0]
        assert sorted(admin_file[1:]) == sorted(staff_file[1:]) and len(admin_file) == 3
        from picsweb.imports.pipeline import validate_file

        text = "\n".join(",".join(row) for row in admin_file).encode()
        summary, _, _ = validate_file(
            spec=PAYMENTS, provider=personas.provider, handle=io.BytesIO(text)
        )
        assert (summary.unchanged, summary.problem_rows) == (2, 0)

    def test_select_all_takes_the_filtered_rows_of_the_admins_providers_only(self, personas):
        episode = make_episode(learner=make_learner(provider=personas.provider), ident="00001")
        theirs = make_episode(learner=make_learner(provider=personas.other_provider))
        make_payment(episode=episode, status="Expected")
        make_payment(episode=episode, status="Paid")
        their_payment = make_payment(episode=theirs, status="Expected")
        client = personas.client_for(personas.provider_admin)
        response = _action(
            client,
            PAYMENTS_URL + "?status__exact=Expected",
            "export_0",
            [their_payment.pk],
            select_across="1",
        )
        rows = _csv(response)
        assert len(rows) == 2  # the header and the admin's one Expected record
        assert str(their_payment.internal_id) not in str(rows)

    def test_another_providers_rows_cannot_be_chosen(self, personas):
        theirs = make_episode(learner=make_learner(provider=personas.other_provider))
        their_payment = make_payment(episode=theirs)
        response = _action(
            personas.client_for(personas.provider_admin),
            PAYMENTS_URL,
            "export_0",
            [their_payment.pk],
        )
        assert response.status_code == 302  # Django: "No items selected" / nothing exported
        assert not getattr(response, "streaming", False)

    def test_rows_of_two_providers_are_refused_with_a_message(self, personas):
        client = personas.client_for(personas.superuser)
        payments = [
            make_payment(episode=make_episode(learner=make_learner(provider=provider)))
            for provider in (personas.provider, personas.other_provider)
        ]
        response = _action(client, PAYMENTS_URL, "export_0", [p.pk for p in payments])
        assert response.status_code == 302
        listing = client.get(response["Location"]).content.decode()
        assert "Choose rows of one provider" in listing

    def test_a_large_export_is_a_job(self, personas, settings):
        settings.DIRECT_DOWNLOAD_LIMIT = 1
        episode = make_episode(learner=make_learner(provider=personas.provider))
        payments = [make_payment(episode=episode) for _ in range(2)]
        response = _action(
            personas.client_for(personas.provider_admin),
            PAYMENTS_URL,
            "export_1",
            [p.pk for p in payments],
        )
        job = Job.objects.get(kind="payments.report")
        assert response["Location"] == f"/jobs/{job.code}/"
        assert job.params["format"] == "xlsx" and job.progress_total == 2

    def test_the_registration_export_has_the_staff_export_columns(self, personas):
        learner = make_learner(provider=personas.provider, uln="1748529632")
        make_aim(episode=make_episode(learner=learner), aim_ref="60312345", aim_type=3)
        record = Registration.objects.create(
            learner=learner, qualification_number="60312345", registration_number="R1"
        )
        client = personas.client_for(personas.provider_admin)
        admin_file = _csv(_action(client, "/admin/regcert/registration/", "export_0", [record.pk]))
        staff_file = _csv(
            client.post(
                "/regcert/export/",
                {"provider": personas.provider.code, "filters": "", "registration": [record.code]},
            )
        )
        assert admin_file == staff_file and len(admin_file) == 2


def _batch(provider, name: str) -> ImportBatch:
    episode = make_episode(learner=make_learner(provider=provider))
    text = (
        "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT\n"
        f"{episode.ident},30/10/2025,5,C\n"
    )
    from picsweb.imports.pipeline import validate_file

    plan = io.BytesIO()
    validate_file(spec=PAYMENTS, provider=provider, handle=io.BytesIO(text.encode()), plan=plan)
    return apply_plan(spec=PAYMENTS, provider=provider, plan=plan, file_name=name, sha256=name * 4)


class TestImportHistory:
    def test_a_provider_admin_sees_only_their_providers_imports(self, personas):
        mine = _batch(personas.provider, "ours.csv")
        theirs = _batch(personas.other_provider, "theirs.csv")
        client = personas.client_for(personas.provider_admin)
        listing = client.get("/admin/picsweb/importbatch/").content.decode()
        assert "ours.csv" in listing and "theirs.csv" not in listing
        assert "Payment records import" in listing and "the command line" in listing
        filtered = client.get("/admin/picsweb/importbatch/", {"kind": "regcert"})
        assert "ours.csv" not in filtered.content.decode()
        assert client.get(f"/admin/picsweb/importbatch/{mine.code}/report/").status_code == 200
        for url in (
            f"/admin/picsweb/importbatch/{theirs.code}/report/",
            f"/admin/picsweb/importbatch/{theirs.pk}/change/",
            f"/admin/picsweb/importbatch/{theirs.pk}/history/",
            f"/admin/picsweb/importbatch/{theirs.pk}/delete/",
        ):
            assert client.get(url).status_code == 404
        response = client.post(f"/admin/picsweb/importbatch/{theirs.code}/undo/")
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert (
            theirs.undone_at is None and PaymentRecord.objects.filter(created_batch=theirs).exists()
        )

    def test_undo_from_the_history_restores_and_a_refusal_is_a_message(self, personas):
        batch = _batch(personas.provider, "ours.csv")
        client = personas.client_for(personas.provider_admin)
        report = f"/admin/picsweb/importbatch/{batch.code}/report/"
        assert "Undo import" in client.get(report).content.decode()
        records = PaymentRecord.objects.filter(created_batch=batch)
        records.update(updated_at=timezone.now() + timedelta(minutes=1))  # changed since
        undo = f"/admin/picsweb/importbatch/{batch.code}/undo/"
        page = client.post(undo, follow=True)
        assert "changed after the import, so it cannot be undone" in page.content.decode()
        records.update(updated_at=timezone.now() - timedelta(days=1))
        page = client.post(undo, follow=True).content.decode()
        assert "Import undone" in page and "Undone" in page
        assert not PaymentRecord.objects.exists()

    def test_the_history_is_read_only(self, personas):
        client = personas.client_for(personas.superuser)
        assert client.get("/admin/picsweb/importbatch/add/").status_code == 403
        listing = client.get("/admin/picsweb/importbatch/").content.decode()
        assert "Add import batch" not in listing


@pytest.mark.parametrize("role_holder", ["superuser", "provider_admin"])
def test_the_registration_door_takes_a_sample_from_the_staff_page(personas, role_holder):
    client = personas.client_for(getattr(personas, role_holder))
    page = client.get("/admin/regcert/registration/import/regcert/").content.decode()
    assert reverse("regcert:sample") in page
    sample = client.get(reverse("regcert:sample"))
    assert sample.status_code == 200
    assert next(csv.reader(io.StringIO(sample.content.decode("utf-8-sig")))) == list(
        REGCERT_COLUMNS
    )
