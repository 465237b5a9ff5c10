"""Create learner (seed 003 §5.1): every field rule with the seed's message, at its boundaries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from picsweb.models import Role
from progress_apply import rules
from progress_apply.models import PortalLearner
from progress_apply.services import issued_decrypt
from tests.progress_apply.helpers import form_data, make_portal_learner

URL = "/apply/learners/new/"


@pytest.fixture
def manager(personas):
    return personas.client_for(personas.by_role[Role.LEARNER_MANAGER])


def _errors(response) -> str:
    assert response.status_code == 400, response.status_code
    return response.content.decode()


def test_it_creates_a_learner_who_must_change_the_issued_password(manager, personas):
    response = manager.post(URL, form_data(personas.provider, postcode="ls6 2ab"))
    assert response.status_code == 302
    learner = PortalLearner.objects.get(user__username="jsmith01")
    assert learner.provider == personas.provider
    assert learner.postcode == "LS6 2AB"
    assert learner.must_change_password
    # The issued password is kept encrypted, not in clear and not as the user's password.
    assert "Start123" not in learner.issued_password
    assert issued_decrypt(learner.issued_password) == "Start123"
    assert not learner.user.has_usable_password()


@pytest.mark.parametrize(
    ("username", "ok"),
    [
        ("a" * 5, False),
        ("a" * 6, True),
        ("a" * 127, True),
        ("a" * 128, False),
        ("jo smith", False),
        ("jo.smith@x_y-z", True),
        ("jo#smith", False),
        ("", False),
    ],
)
def test_the_username_rule_at_its_boundaries(manager, personas, username, ok):
    response = manager.post(URL, form_data(personas.provider, username=username))
    if ok:
        assert response.status_code == 302
        assert User.objects.filter(username=username).exists()
    else:
        assert rules.LEARNER_USERNAME in _errors(response)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("abc12", False),
        ("abc123", True),
        ("a" * 19 + "1", True),
        ("a" * 20 + "1", False),
        ("abcdefgh", False),
        ("12345678", False),
        ("abcdef!", True),
        ("", False),
    ],
)
def test_the_password_rule_at_its_boundaries(manager, personas, password, ok):
    response = manager.post(URL, form_data(personas.provider, password=password))
    if ok:
        assert response.status_code == 302
    else:
        assert rules.PASSWORD_MESSAGE in _errors(response)


def test_usernames_are_unique_ignoring_case_across_staff_and_learners(manager, personas):
    staff = personas.by_role[Role.LEARNER_LIST]
    response = manager.post(URL, form_data(personas.provider, username=staff.username.upper()))
    assert rules.USERNAME_TAKEN in _errors(response)
    make_portal_learner(provider=personas.provider, username="TakenName")
    response = manager.post(URL, form_data(personas.provider, username="takenname"))
    assert rules.USERNAME_TAKEN in _errors(response)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", rules.REQUIRED),
        ("first_name", "   ", rules.REQUIRED),
        ("last_name", "", rules.REQUIRED),
        ("dob_day", "", rules.REQUIRED),
        ("dob_month", "13", rules.DATE_OF_BIRTH),
        ("dob_day", "30", None),  # 30 March exists
        ("email", "jo@localhost", rules.EMAIL),
        ("email", "not-an-email", rules.EMAIL),
        ("year_group", "", rules.REQUIRED),
        ("year_group", "6", rules.REQUIRED),
        ("postcode", "QQ1 1AA", rules.POSTCODE),
        ("postcode", "LS6", rules.POSTCODE),
        ("telephone", "0113 496 0000", rules.TELEPHONE),
        ("telephone", "011349600", rules.TELEPHONE),
        ("telephone", "01134960000", None),
        ("uln", "123456789", rules.ULN),
        ("uln", "1748529631", rules.ULN),
        ("uln", "1748529632", None),
        ("upn", "B80120000500", rules.UPN),
        ("upn", "A801200005001", rules.UPN),
        ("upn", "B801200005001", None),
        ("ccis_id", "ABC", rules.CCIS),
        ("ccis_id", "ABC1234567", None),
        ("gender", "other", "Select a valid choice"),
        ("sign_off_profile", "", rules.REQUIRED),
    ],
)
def test_each_field_rule_gives_the_seeds_message(manager, personas, field, value, message):
    response = manager.post(URL, form_data(personas.provider, **{field: value}))
    if message is None:
        assert response.status_code == 302, response.content.decode()[:3000]
    else:
        assert message in _errors(response)


def test_the_date_of_birth_must_be_a_real_one_of_a_young_person(manager, personas):
    response = manager.post(URL, form_data(personas.provider, dob_day="30", dob_month="2"))
    assert rules.DATE_OF_BIRTH in _errors(response)
    response = manager.post(URL, form_data(personas.provider, dob_year="1960"))
    assert "between 11 and 25 years old" in _errors(response)


def test_the_ethnic_group_takes_the_seeds_19_values(manager, personas):
    page = manager.get(URL).content.decode()
    for label in (
        "English / Welsh / Scottish / Northern Irish / British",
        "Not provided",
        "Any other Black African / Caribbean background",
        "Any other ethnic group",
    ):
        assert label in page
    from progress_apply.models import Ethnicity

    assert len(Ethnicity.choices) == 19
    response = manager.post(URL, form_data(personas.provider, ethnicity="arab", gender="female"))
    assert response.status_code == 302
    assert PortalLearner.objects.get().get_ethnicity_display() == "Arab"


def test_create_and_add_another_keeps_provider_and_year_group(manager, personas):
    response = manager.post(
        URL, {**form_data(personas.provider, year_group="13"), "add_another": ""}
    )
    assert response.status_code == 302
    again = manager.get(response["Location"]).content.decode()
    assert f'value="{personas.provider.code}" selected' in again
    assert 'value="13" selected' in again
    assert 'name="username"' in again and "jsmith01" not in again


def test_a_manager_cannot_create_a_learner_at_another_provider(manager, personas):
    response = manager.post(URL, form_data(personas.other_provider))
    assert "Choose one of the providers in the list" in _errors(response)
    assert manager.get(URL + f"?provider={personas.other_provider.code}").status_code == 404
    assert not PortalLearner.objects.exists()


def test_only_learner_managers_reach_the_portal_pages(personas):
    viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    assert viewer.get(URL).status_code == 403
    assert viewer.get("/apply/").status_code == 403
