"""The learner list in chromium: filter, select all matching, run the CSV download as a job
on the real worker, watch the progress bar finish, download the file."""

import csv
import io

from playwright.sync_api import expect

from learners.models import Role
from tests.browser.conftest import sign_in
from tests.factories import make_learner, make_provider, make_site, make_user


def test_it_filters_selects_all_matching_and_downloads_the_csv_from_a_job(
    page, live_server, celery_worker, settings
):
    settings.DIRECT_DOWNLOAD_LIMIT = 3
    provider = make_provider(name="Northgate Training")
    make_user(provider=provider, roles=[Role.LEARNER_LIST], username="pat", email="p@example.com")
    leeds = make_site(provider=provider, name="Leeds Campus")
    york = make_site(provider=provider, name="York Campus")
    for n in range(30):
        make_learner(provider=provider, family_name=f"Leeds{n:02d}", site=leeds)
    for n in range(5):
        make_learner(provider=provider, family_name=f"York{n}", site=york)

    sign_in(page, live_server.url, "pat", "a-long-test-password")
    page.get_by_role("link", name="Learners", exact=True).first.click()
    expect(page.get_by_text("35 learners", exact=True)).to_be_visible()

    page.get_by_label("Site").select_option(label="Leeds Campus")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("30 learners", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="York0, Jane")).to_have_count(0)

    # The header tick box ticks the page; "select all matching" then covers all 30.
    page.get_by_label("Select every learner on this page").check()
    expect(page.get_by_text("25 selected on this page")).to_be_visible()
    page.get_by_label("Select all 30 learners matching").check()
    expect(page.get_by_text("All 30 matching learners are selected")).to_be_visible()
    page.get_by_role("button", name="Download selected as CSV").click()

    expect(page.get_by_role("heading", name="Download learners as CSV")).to_be_visible()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Succeeded")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download learners-").click()
    download = download_info.value
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][4] == "Family name"
    assert [row[4] for row in rows[1:]] == [f"Leeds{n:02d}" for n in range(30)]
    assert {row[rows[0].index("Site")] for row in rows[1:]} == {"Leeds Campus"}
    (email,) = celery_worker.wait_for_email()
    assert email["Subject"] == "Finished: Download learners as CSV"
