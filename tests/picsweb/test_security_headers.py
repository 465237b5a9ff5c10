"""Headers every response carries, oversize bodies refused unread, and templates that the
Content-Security-Policy does not break."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

from learners.models import Role

ROOT = Path(__file__).resolve().parents[2]


def test_it_sends_the_csp_and_permissions_policy_to_anyone(client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert "geolocation=()" in page["Permissions-Policy"]


def test_it_keeps_pages_and_downloads_with_personal_data_out_of_caches(personas):
    staff = personas.client_for(personas.by_role[Role.PAYMENTS_IMPORT])
    for url in ("/", "/payments/"):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    download = staff.post("/payments/download/", {"format": "csv"})
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"


def test_it_refuses_an_oversize_body_before_reading_it(personas, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1000
    staff = personas.client_for(personas.by_role[Role.PAYMENTS_IMPORT])
    # The Content-Length claims more than the limit; the body itself is never read.
    response = staff.generic(
        "POST",
        "/payments/import/",
        data=b"x" * 10,
        content_type="application/octet-stream",
        CONTENT_LENGTH="500000000",
    )
    assert response.status_code == 413
    assert b"The file is too large" in response.content
    assert b"50 MB" in response.content


def test_it_ends_a_sign_in_after_a_working_day(personas):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "provadmin", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_it_has_no_inline_script_or_style_that_the_csp_would_block():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if template.parts[-2] == "emails":
            continue  # emails are not web pages
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"<style\b|\sstyle=|\son[a-z]+=|javascript:", text):
            offenders.append(f"{template}: inline style or handler")
    assert offenders == []
