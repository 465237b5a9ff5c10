from django.urls import reverse

from tests.factories import make_learner, make_site


def test_it_keeps_staff_without_provider_admin_out_of_the_admin(personas):
    for role, user in personas.by_role.items():
        response = personas.client_for(user).get("/admin/")
        assert response.status_code == 302, role
        assert "/admin/login/" in response["Location"]


def test_it_shows_a_provider_admin_only_their_providers_learners(personas):
    mine = make_learner(provider=personas.provider, family_name="Mineworthy")
    theirs = make_learner(provider=personas.other_provider, family_name="Theirsby")
    client = personas.client_for(personas.provider_admin)

    listing = client.get(reverse("admin:learners_learner_changelist"))
    assert listing.status_code == 200
    assert b"Mineworthy" in listing.content
    assert b"Theirsby" not in listing.content

    assert client.get(reverse("admin:learners_learner_change", args=[mine.pk])).status_code == 200
    other = client.get(reverse("admin:learners_learner_change", args=[theirs.pk]))
    assert other.status_code == 302  # Django's admin redirects a missing object to the index
    assert client.get(other["Location"]).status_code == 200


def test_it_offers_a_provider_admin_only_their_own_sites_and_providers(personas):
    make_site(provider=personas.provider, name="Our Campus")
    make_site(provider=personas.other_provider, name="Their Campus")
    page = personas.client_for(personas.provider_admin).get(reverse("admin:learners_learner_add"))
    body = page.content.decode()
    assert "Our Campus" in body
    assert "Their Campus" not in body
    assert "Elsewhere College" not in body


def test_it_refuses_a_provider_admin_saving_a_learner_at_another_provider(personas):
    client = personas.client_for(personas.provider_admin)
    response = client.post(
        reverse("admin:learners_learner_add"),
        {
            "provider": personas.other_provider.pk,
            "lrn": "HACK1",
            "given_names": "A",
            "family_name": "B",
            "ethnicity": 99,
            "lldd_health_problem": 9,
            "state": "live",
            "episodes-TOTAL_FORMS": 0,
            "episodes-INITIAL_FORMS": 0,
            "employment_statuses-TOTAL_FORMS": 0,
            "employment_statuses-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not personas.other_provider.learner_set.exists()


def test_it_lets_a_superuser_see_every_provider(personas):
    make_learner(provider=personas.other_provider, family_name="Theirsby")
    listing = personas.client_for(personas.superuser).get(
        reverse("admin:learners_learner_changelist")
    )
    assert b"Theirsby" in listing.content


def test_it_lets_only_superusers_manage_users(personas):
    url = reverse("admin:auth_user_changelist")
    assert personas.client_for(personas.provider_admin).get(url).status_code == 403
    assert personas.client_for(personas.superuser).get(url).status_code == 200
    # Provider admins manage the memberships of their own provider instead.
    memberships = personas.client_for(personas.provider_admin).get(
        reverse("admin:picsweb_membership_changelist")
    )
    assert memberships.status_code == 200
    assert b"outsider" not in memberships.content
