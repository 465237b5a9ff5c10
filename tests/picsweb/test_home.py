from django.urls import reverse

from learners.models import Role


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_lists_the_users_providers_and_roles(personas):
    response = personas.client_for(personas.by_role[Role.ILR_EXPORT]).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Northgate Training (10012345)" in body
    assert "ILR Export" in body
    assert "Elsewhere College" not in body


def test_it_offers_administration_only_to_admins(personas):
    staff_page = personas.client_for(personas.by_role[Role.BULK_ACTIONS]).get("/").content
    admin_page = personas.client_for(personas.provider_admin).get("/").content
    assert b"Administration" not in staff_page
    assert b"Administration" in admin_page


def test_it_tells_a_user_without_roles_whom_to_ask(personas):
    response = personas.client_for(personas.nobody).get("/")
    assert b"has no roles yet" in response.content
