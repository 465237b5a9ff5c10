"""An admin import in chromium on the real worker: the change list's Import button, the admin's
upload form, the staff report, Apply, then the admin's import history and Undo."""

from playwright.sync_api import expect

from learners.models import Role
from payments.models import PaymentRecord
from tests.browser.conftest import sign_in
from tests.factories import make_episode, make_learner, make_provider, make_user


def test_an_admin_imports_payments_and_undoes_it_from_the_history(
    page, live_server, celery_worker, tmp_path
):
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_provider(name="Elsewhere College", ukprn="10099999")
    make_user(provider=provider, roles=[Role.PROVIDER_ADMIN], username="ada", email="a@example.com")
    make_episode(learner=make_learner(provider=provider), ident="00001")
    path = tmp_path / "payments.csv"
    path.write_text(
        "IDENT,EXPECTED PAYMENT DATE,EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT\n"
        "00001,30/10/2025,12.00,C\n"
        "00001,30/10/2025,12.001,C\n"
    )

    sign_in(page, live_server.url, "ada", "a-long-test-password")
    page.goto(f"{live_server.url}/admin/payments/paymentrecord/")
    page.get_by_role("link", name="Import: Payment records import").click()
    provider_choice = page.get_by_label("Provider")
    expect(provider_choice).to_have_value(str(provider.pk))
    expect(provider_choice.locator("option")).to_have_count(1)  # not Elsewhere College
    page.get_by_label("File to import").set_input_files(str(path))
    page.get_by_role("button", name="Validate").click()

    expect(page.get_by_role("heading", name="Validation report")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-count=accepted]")).to_have_text("1")
    expect(page.locator("[data-count=problem_rows]")).to_have_text("1")
    page.get_by_role("button", name="Apply 1 change").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=30_000)
    assert PaymentRecord.objects.count() == 1

    page.goto(f"{live_server.url}/admin/picsweb/importbatch/")
    page.get_by_role("link", name="Report and Undo").click()
    expect(page.locator("[data-count=created]")).to_have_text("1")
    page.get_by_role("button", name="Undo import").click()
    expect(page.get_by_text("Import undone")).to_be_visible()
    expect(page.locator("[data-status]")).to_contain_text("Undone")
    assert not PaymentRecord.objects.exists()
