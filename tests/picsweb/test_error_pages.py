"""Error pages use the site's layout, with its navigation, and say why (issue 19 §7)."""

import uuid

from picsweb.models import Role


def test_a_page_not_found_keeps_the_layout_and_says_why(personas):
    client = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    response = client.get(f"/learners/{uuid.uuid4()}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and "Sign out" in page
    assert "belongs to a provider your account does not work for" in page


def test_a_page_refused_names_the_missing_role_as_the_reason(personas):
    client = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    response = client.get("/payments/import/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot open this page" in page and "Sign out" in page


def test_the_server_error_page_renders_without_a_request():
    from django.template.loader import get_template

    page = get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in page


def test_a_form_sent_without_its_security_check_gets_a_page_that_says_what_to_do(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Your form could not be sent" in page and "Nothing was changed" in page
    # The likely causes: a stale page, or plain http:// with Secure cookies.
    assert "https://" in page
    assert "DEBUG" not in page and "CSRF" not in page


def test_a_request_picsweb_cannot_read_keeps_the_layout(personas):
    from django.template.loader import get_template

    page = get_template("400.html").render()
    assert "picsweb could not read this request" in page and "Nothing was changed" in page


def test_a_refused_page_is_logged_as_one_line_without_a_traceback(personas, caplog):
    client = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    with caplog.at_level("WARNING", logger="django.request"):
        assert client.get("/payments/import/").status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden")
    assert record.exc_info is None and "Traceback" not in caplog.text
