"""ILR export in chromium on the real worker: Create, the background message, Generated,
download with the exact file name."""

import re

from lxml import etree
from playwright.sync_api import expect

from ilr_exports.models import IlrExport
from ilr_exports.years import CURRENT_YEAR, schema_for
from learners.models import Membership, Role
from tests.browser.conftest import sign_in
from tests.factories import (
    make_provider,
    make_site,
    make_user,
)
from tests.ilr_exports.test_ilr import ilr_learner


def test_it_creates_an_export_that_becomes_generated_and_downloads(
    page, live_server, celery_worker, standards
):
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_user(provider=provider, roles=[Role.ILR_EXPORT], username="pat", email="pat@example.com")
    leeds = make_site(provider=provider, name="Leeds Campus", code="LEEDS")
    make_site(provider=provider, name="York Campus", code="YORK")
    for lrn, site in (("LEEDS1", leeds), ("OTHER1", None)):
        # A complete apprentice, whom ESFA's rules let into the file.
        ilr_learner(provider, lrn, site=site)

    sign_in(page, live_server.url, "pat", "a-long-test-password")
    page.get_by_role("link", name="ILR Exports").first.click()
    page.get_by_role("link", name="Create").click()
    page.get_by_label("Search sites").fill("lee")
    expect(page.get_by_label("York Campus (YORK)")).to_be_hidden()
    page.get_by_label("Leeds Campus (LEEDS)").check()
    page.get_by_label("Learner A and Learning Delivery A").select_option(label="Site Code")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("has started in the background")).to_be_visible()

    expect(page.get_by_text("Sites: Leeds Campus (LEEDS)")).to_be_visible()
    # The export's page follows the job by itself: no reload by hand.
    page.locator("table a.govuk-link").first.click()
    detail_path = page.url.removeprefix(live_server.url)
    expect(page.locator("[data-job-status]")).to_have_text("Generated", timeout=30_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download")).click()
    download = download_info.value
    assert re.fullmatch(r"ILR-10012345-2526-\d{8}-\d{6}-01\.XML", download.suggested_filename)
    doc = etree.parse(str(download.path()))
    assert schema_for(CURRENT_YEAR).validate(doc)
    ns = {"i": "ESFA/ILR/2025-26"}
    assert doc.xpath("//i:LearnRefNumber/text()", namespaces=ns) == ["LEEDS1"]
    assert doc.xpath("//i:ProvSpecLearnMon/text()", namespaces=ns) == ["LEEDS"]
    (email,) = celery_worker.wait_for_email()
    assert email["Subject"] == "Finished: ILR export"
    text = next(part for part in email.walk() if part.get_content_type() == "text/plain")
    # The email leads to the export's page, where the download is.
    assert detail_path in text.get_payload(decode=True).decode()


def test_it_never_submits_the_form_when_enter_is_pressed_in_a_search_box(page, live_server):
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    make_user(provider=provider, roles=[Role.ILR_EXPORT], username="pat")
    make_site(provider=provider, name="Online Academy", code="ONLINE")
    make_site(provider=provider, name="York Campus", code="YORK")
    sign_in(page, live_server.url, "pat", "a-long-test-password")
    page.goto(f"{live_server.url}/ilr/create/")
    search = page.get_by_label("Search sites")
    search.fill("Online")
    search.press("Enter")
    page.wait_for_timeout(500)
    expect(page.get_by_label("York Campus (YORK)")).to_be_hidden()
    expect(page.get_by_role("heading", name="Create an ILR export")).to_be_visible()
    assert not IlrExport.objects.exists()
    page.get_by_label("Online Academy (ONLINE)").check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("has started in the background")).to_be_visible()
    (record,) = IlrExport.objects.all()
    assert record.filters["labels"] == {"sites": ["Online Academy (ONLINE)"]}


def test_it_exports_the_ukprn_the_drop_down_shows(page, live_server):
    first = make_provider(name="Northgate Training", ukprn="10012345")
    second = make_provider(name="Southgate Skills", ukprn="10054321")
    user = make_user(provider=first, roles=[Role.ILR_EXPORT], username="pat")
    Membership.objects.create(user=user, provider=second, role=Role.ILR_EXPORT)
    sign_in(page, live_server.url, "pat", "a-long-test-password")
    page.goto(f"{live_server.url}/ilr/create/")
    page.get_by_label("UKPRN").select_option(label="10054321 — Southgate Skills")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("has started in the background")).to_be_visible()
    (record,) = IlrExport.objects.all()
    assert record.provider == second
