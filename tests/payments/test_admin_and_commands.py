"""The same pipeline from the Django admin and the command line; the report's filters."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from learners.models import Role
from payments.models import PaymentRecord
from picsweb import jobs
from picsweb.models import Job
from tests.factories import make_payment, make_user

GOOD_AND_BAD = (
    "IDENT;EXPECTED PAYMENT DATE;EXPECTED PAYMENT AMOUNT;CREDIT/DEBIT\n"
    "00001;30/10/2024;12.00;C\n"
    "00001;30/10/2024;12.001;C\n"
)


class TestAdminUpload:
    def test_it_sends_an_admin_upload_through_the_same_validation_and_report(self, world, personas):
        admin = personas.client_for(personas.provider_admin)
        page = admin.get("/admin/payments/paymentrecord/import/payments/")
        assert page.status_code == 200
        assert "Elsewhere College" not in page.content.decode()

        response = admin.post(
            "/admin/payments/paymentrecord/import/payments/",
            {
                "provider": world.provider.pk,
                "separator": ";",
                "file": SimpleUploadedFile("admin.csv", GOOD_AND_BAD.encode()),
            },
        )

        assert response.status_code == 302
        job = Job.objects.get()
        assert response["Location"] == f"/jobs/{job.code}/"
        assert job.kind == "payments.validate"
        jobs.job_run(job_id=job.pk)
        job.refresh_from_db()
        assert (job.report["accepted"], job.report["problem_rows"]) == (1, 1)
        assert not PaymentRecord.objects.exists()
        assert "Apply 1 change" in admin.get(f"/jobs/{job.code}/").content.decode()

    def test_it_refuses_an_admin_upload_for_another_provider(self, world, personas):
        admin = personas.client_for(personas.provider_admin)
        response = admin.post(
            "/admin/payments/paymentrecord/import/payments/",
            {
                "provider": personas.other_provider.pk,
                "separator": ",",
                "file": SimpleUploadedFile("a.csv", b"IDENT\n"),
            },
        )
        assert response.status_code == 400
        assert not Job.objects.exists()

    def test_it_refuses_the_import_page_to_an_admin_without_the_role_anywhere(self, personas):
        staff_only = make_user(provider=personas.provider, roles=[Role.LEARNER_LIST], is_staff=True)
        response = personas.client_for(staff_only).get(
            "/admin/payments/paymentrecord/import/payments/"
        )
        assert response.status_code in (302, 403)


class TestCommands:
    def test_it_reports_without_changing_anything_then_imports_with_confirm(self, world, tmp_path):
        path = tmp_path / "payments.csv"
        path.write_text(GOOD_AND_BAD)
        out = io.StringIO()
        call_command("import_payments", str(path), provider="10012345", separator=";", stdout=out)
        lines = out.getvalue().splitlines()
        assert (
            lines[0] == "2 rows: 1 can be imported (1 new, 0 updated, 0 unchanged), 1 has errors."
        )
        assert lines[1] == (
            "Row 3, EXPECTED PAYMENT AMOUNT: An amount has at most 2 decimal "
            "places (pence). (value: '12.001')"
        )
        errors = (tmp_path / "payments-errors.csv").read_text(encoding="utf-8-sig")
        assert "12.001" in errors and "ERRORS" in errors
        assert not PaymentRecord.objects.exists()

        call_command(
            "import_payments",
            str(path),
            provider="10012345",
            separator=";",
            confirm=True,
            stdout=out,
        )
        assert PaymentRecord.objects.get().expected_amount == Decimal("12.00")
        with pytest.raises(CommandError, match="imported already"):
            call_command(
                "import_payments",
                str(path),
                provider="10012345",
                separator=";",
                confirm=True,
                stdout=out,
            )

    def test_it_explains_a_bad_file_or_provider(self, world, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_text("WHAT\n1\n")
        with pytest.raises(CommandError, match="does not know: 'WHAT'"):
            call_command("import_payments", str(path), provider="10012345")
        with pytest.raises(CommandError, match="No provider has the UKPRN 19999999"):
            call_command("import_payments", str(path), provider="19999999")

    def test_it_exports_the_report_that_imports_back_unchanged(self, world, tmp_path):
        make_payment(episode=world.episode, notes='=HYPERLINK("x")')
        for suffix in ("csv", "xlsx"):
            path = tmp_path / f"report.{suffix}"
            out = io.StringIO()
            call_command("export_payments", provider="10012345", output=str(path), stdout=out)
            assert out.getvalue() == f"Wrote 1 payment records to {path}.\n"
            out = io.StringIO()
            call_command("import_payments", str(path), provider="10012345", stdout=out)
            assert out.getvalue().startswith(
                "1 row: 1 can be imported (0 new, 0 updated, 1 unchanged)"
            )
        text = (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
        assert ',"\'=HYPERLINK(""x"")",' in text  # quoted, and made safe for Excel


class TestReport:
    def test_it_filters_by_learner_episode_dates_status_and_item(self, world, personas):
        make_payment(
            episode=world.episode,
            expected_date=date(2024, 10, 1),
            notes="a",
            status="Paid",
            payment_item=world.item,
        )
        make_payment(episode=world.later_episode, expected_date=date(2025, 10, 1), notes="b")
        client = personas.client_for(personas.by_role[Role.PAYMENTS_IMPORT])

        def notes(query):
            response = client.post("/payments/download/", {"format": "csv", "query": query})
            text = b"".join(response.streaming_content).decode("utf-8-sig")
            return sorted(line.split(",")[16] for line in text.splitlines()[1:])

        assert notes("") == ["a", "b"]
        assert notes("learner=LRN1") == ["a", "b"]
        assert notes("ident=00002") == ["b"]
        assert notes("date_from=01/01/2025") == ["b"]
        assert notes("date_to=31/12/2024") == ["a"]
        assert notes("status=Paid") == ["a"]
        assert notes(f"item={world.item.pk}") == ["a"]
        page = client.get("/payments/?status=Paid")
        assert page.status_code == 200
        assert "1 payment record" in page.content.decode()
