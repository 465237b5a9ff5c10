"""Registration & Certification in chromium on the real worker: Validate, read the Validation
Report, Upload accepted records."""

from datetime import date

from playwright.sync_api import expect

from learners.models import Role
from regcert.columns import COLUMNS
from regcert.models import Registration
from tests.browser.conftest import sign_in
from tests.factories import make_aim, make_episode, make_learner, make_provider, make_user


def test_it_validates_reports_and_uploads_the_accepted_records(
    page, live_server, celery_worker, tmp_path
):
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_user(
        provider=provider,
        roles=[Role.MANAGE_REGCERT, Role.BULK_UPLOAD],
        username="pat",
        email="pat@example.com",
    )
    learner = make_learner(provider=provider, uln="1748529632", family_name="Okafor")
    episode = make_episode(learner=learner, start_date=date(2025, 9, 1))
    make_aim(episode=episode, aim_ref="60312345", aim_type=3, standard_id=None)
    path = tmp_path / "registrations.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n"
        "60312345,1748529632,Registered,R123,01/09/2025,,,,,\n"
        "60312345,1000000043,Registered,R124,01/09/2025,,,,,\n"
    )

    sign_in(page, live_server.url, "pat", "a-long-test-password")
    page.get_by_role("link", name="Registration and Certification").first.click()
    page.get_by_role("link", name="Import and Update").click()
    expect(page.get_by_role("link", name="Download Sample File")).to_be_visible()
    page.get_by_label("Select a CSV file (less than 2 MB)").set_input_files(str(path))
    page.get_by_role("button", name="Validate").click()

    expect(page.get_by_role("heading", name="Validation report")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-count=accepted]")).to_have_text("1")
    expect(page.locator("[data-count=problem_rows]")).to_have_text("1")
    expect(page.get_by_text("No learner of this provider has this ULN.")).to_be_visible()
    page.get_by_role("button", name="Apply 1 change").click()

    expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name="export the errors as CSV")).to_be_visible()
    record = Registration.objects.get()
    assert (record.learner, record.registration_number, record.status) == (
        learner,
        "R123",
        "Registered",
    )
