"""What the learner, aim and employer records themselves say about the ILR's fields
(issue 18): the completion fields, EPAOrgID, prior attainment, FAM codes, EmpId."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from learners import identifiers
from learners.models import LearnerFAM, LearnerLLDD, LearningDelivery
from tests.factories import make_aim, make_episode, make_learner, make_organisation


def aim(personas, **fields):
    learner = make_learner(provider=personas.provider)
    episode = make_episode(learner=learner, start_date=date(2025, 9, 1))
    return make_aim(episode=episode, **fields)


def errors(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def test_it_checks_the_emp_id_check_digit():
    assert identifiers.emp_id_check_digit_ok("123456789")
    assert not identifiers.emp_id_check_digit_ok("123456780")
    assert identifiers.emp_id_problem("123456780") == (
        "The employer number 123456780 fails its check digit."
    )
    assert identifiers.emp_id_problem("999999999") is None  # the temporary EmpId
    assert identifiers.emp_id_problem("12345678") == "An employer number (EDRS) is 9 digits."
    made = identifiers.emp_id_with_check_digit("10000000")
    assert made is not None and identifiers.emp_id_check_digit_ok(made)


def test_it_refuses_an_employer_number_with_a_bad_check_digit(personas):
    employer = make_organisation(provider=personas.provider, ern="123456780")
    assert errors(employer)["ern"] == ["The employer number 123456780 fails its check digit."]
    employer.ern = "123456789"
    employer.full_clean()


def test_a_withdrawn_aim_needs_its_end_date_and_reason(personas):
    withdrawn = aim(personas, completion_status=LearningDelivery.CompStatus.WITHDRAWN)
    found = errors(withdrawn)
    assert found["actual_end_date"] == ["A withdrawn aim needs its actual end date."]
    assert found["withdraw_reason"] == ["Give the reason the learner withdrew."]
    withdrawn.actual_end_date = date(2025, 10, 1)
    withdrawn.withdraw_reason = LearningDelivery.WithdrawReason.FINANCIAL
    withdrawn.full_clean()


def test_a_continuing_aim_has_no_end_date_outcome_or_reason(personas):
    continuing = aim(
        personas,
        actual_end_date=date(2025, 10, 1),
        withdraw_reason=LearningDelivery.WithdrawReason.FINANCIAL,
    )
    found = errors(continuing)
    assert found["actual_end_date"] == ["A continuing aim has no actual end date."]
    assert found["withdraw_reason"] == ["Only a withdrawn aim has a withdrawal reason."]


def test_an_achievement_date_needs_an_achieved_outcome_on_or_after_the_end(personas):
    completed = aim(
        personas,
        completion_status=LearningDelivery.CompStatus.COMPLETED,
        actual_end_date=date(2025, 10, 1),
        outcome=LearningDelivery.Outcome.NOT_KNOWN,
        achievement_date=date(2025, 10, 5),
    )
    assert errors(completed)["achievement_date"] == [
        "Only an achieved aim has an achievement date."
    ]
    completed.outcome = LearningDelivery.Outcome.ACHIEVED
    completed.achievement_date = date(2025, 9, 30)
    assert errors(completed)["achievement_date"] == [
        "The achievement date is before the actual end date."
    ]
    completed.achievement_date = date(2025, 10, 5)
    completed.full_clean()


def test_the_epa_organisation_is_epa_and_four_digits_on_the_programme_aim(personas):
    programme = aim(personas, epa_org_id="EPA12")
    assert errors(programme)["epa_org_id"] == [
        "An EPA organisation ID is EPA and 4 digits, like EPA0001."
    ]
    component = aim(personas, aim_type=LearningDelivery.AimType.COMPONENT, epa_org_id="EPA0001")
    assert errors(component)["epa_org_id"] == [
        "The EPA organisation goes on the programme aim only."
    ]


def test_prior_attainment_needs_its_level_and_date_together(personas):
    learner = make_learner(provider=personas.provider, prior_level=4, prior_level_date=None)
    assert errors(learner)["prior_level_date"] == [
        "Give the prior attainment level and the date it applies from together."
    ]
    learner.prior_level_date = date(2025, 9, 1)
    learner.full_clean()


def test_a_learner_fam_code_belongs_to_its_type(personas):
    learner = make_learner(provider=personas.provider)
    fam = LearnerFAM(learner=learner, fam_type="FME", fam_code=58)
    assert errors(fam)["fam_code"] == ["58 is not a FME code: use 1, 2."]
    fam.fam_code = 2
    fam.full_clean()


def test_a_learner_has_one_primary_lldd_category(personas):
    learner = make_learner(provider=personas.provider)
    LearnerLLDD.objects.create(learner=learner, category=4, primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        LearnerLLDD.objects.create(learner=learner, category=5, primary=True)
    LearnerLLDD.objects.create(learner=learner, category=5)


def test_the_admin_edits_lldd_and_fams_on_the_learner_page(personas, client):
    learner = make_learner(provider=personas.provider)
    client.force_login(personas.provider_admin)
    page = client.get(f"/admin/learners/learner/{learner.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "LLDD and health problems" in body and "Learner FAMs" in body
    assert "Prior attainment level" in body


def test_the_episode_page_shows_an_aims_fault_on_a_field_it_does_not_list(personas, client):
    """The episode's aim rows do not show every aim field: LearningDelivery.clean's error on
    one of those is shown, naming the field, never a server error."""
    withdrawn = aim(
        personas,
        completion_status=LearningDelivery.CompStatus.WITHDRAWN,
        actual_end_date=date(2025, 10, 1),
        achievement_date=date(2025, 10, 2),  # not shown on the episode page's rows
        withdraw_reason=LearningDelivery.WithdrawReason.FINANCIAL,
    )
    episode = withdrawn.episode
    client.force_login(personas.provider_admin)
    url = f"/admin/learners/episode/{episode.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["learner"] = episode.learner_id
    data["start_date"] = "2025-09-01"
    formset = page.context["inline_admin_formsets"][0].formset
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": "1",
            f"{formset.prefix}-INITIAL_FORMS": "1",
            f"{formset.prefix}-MIN_NUM_FORMS": "0",
            f"{formset.prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    row = formset.forms[0]
    for name in row.fields:
        value = row[name].value()
        if value is not None:
            data[f"{row.prefix}-{name}"] = value
    response = client.post(url, data)
    assert response.status_code == 200  # the page again, with the message
    assert (
        "Achievement date: Only an achieved aim has an achievement date."
        in response.content.decode()
    )
