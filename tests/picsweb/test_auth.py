import re

from django.core import mail


def test_it_signs_in_with_the_right_password_and_not_the_wrong_one(client, personas):
    bad = client.post("/accounts/login/", {"username": "provadmin", "password": "nope"})
    assert bad.status_code == 200
    assert b"There is a problem" in bad.content
    good = client.post(
        "/accounts/login/", {"username": "provadmin", "password": "a-long-test-password"}
    )
    assert good.status_code == 302
    assert client.get("/").status_code == 200


def test_it_signs_out_with_a_post(client, personas):
    client.force_login(personas.provider_admin)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_it_resets_a_password_through_the_emailed_link(client, personas):
    response = client.post("/accounts/password_reset/", {"email": "user@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []  # no such account: nothing sent, and the page says the same

    personas.provider_admin.email = "pa@example.com"
    personas.provider_admin.save()
    client.post("/accounts/password_reset/", {"email": "pa@example.com"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your picsweb password"
    found = re.search(r"http://testserver(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert found, mail.outbox[0].body
    link = found.group(1)

    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-pass-9", "new_password2": "another-pass-9"},
    )
    assert done.status_code == 302
    personas.provider_admin.refresh_from_db()
    assert personas.provider_admin.check_password("another-pass-9")
