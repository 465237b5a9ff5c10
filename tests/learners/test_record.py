"""The learner's record (ILR Summary): tabs, the forms that change each part with the exports'
own rules, New Learner, the readiness panel and its links to the field, and the history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from learners.models import EmploymentStatus, Learner, LearningDelivery, Role
from tests.factories import make_organisation, make_user
from tests.learners.test_as_cohort import sendable

TODAY = date(2025, 11, 23)

pytestmark = pytest.mark.usefixtures("standards")


@pytest.fixture
def editor(personas):
    return make_user(
        provider=personas.provider,
        roles=[Role.LEARNER_LIST, Role.EDIT_LEARNERS, Role.BULK_ACTIONS],
        username="editor",
    )


def _date(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _learner_post(learner: Learner, **changes: str) -> dict[str, str]:
    data = {
        "lrn": learner.lrn,
        "uln": learner.uln,
        "upn": learner.upn,
        "ni_number": learner.ni_number,
        "title": learner.title,
        "given_names": learner.given_names,
        "family_name": learner.family_name,
        "sex": learner.sex,
        "ethnicity": str(learner.ethnicity),
        "lldd_health_problem": str(learner.lldd_health_problem),
        "email": learner.email,
        "phone": learner.phone,
        "postcode": learner.postcode,
        "postcode_prior": learner.postcode_prior,
        "as_cohort_code": learner.as_cohort_code,
        "state": learner.state,
        **_date("date_of_birth", learner.date_of_birth or date(2004, 3, 15)),
    }
    data.update(changes)
    return data


@time_machine.travel(TODAY, tick=False)
def test_every_tab_shows_its_part_and_a_viewer_gets_no_edit_links(personas):
    learner = sendable(personas.provider)
    viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    page = viewer.get(reverse("learners:detail", kwargs={"code": learner.code})).content.decode()
    assert "ILR learner" in page and learner.lrn in page and "1748529632" in page
    assert "National Insurance number" in page and learner.ni_number in page
    assert "Edit the learner" not in page and "Change<" not in page
    employment = viewer.get(reverse("learners:employment", kwargs={"code": learner.code}))
    assert "XEGE5X" in employment.content.decode()
    assert "Edit<span" not in employment.content.decode()
    aims = viewer.get(reverse("learners:aims", kwargs={"code": learner.code})).content.decode()
    assert "ZPROG001" in aims and "£8000" in aims and "EPA0001" in aims
    assert viewer.get(reverse("learners:edit", kwargs={"code": learner.code})).status_code == 403
    status = learner.employment_statuses.get()
    url = reverse("learners:employment-edit", kwargs={"code": learner.code, "status": status.code})
    assert viewer.post(url, {"status": "10"}).status_code == 403
    assert learner.employment_statuses.get().as_agreement_id == "XEGE5X"


@time_machine.travel(TODAY, tick=False)
def test_the_learner_form_applies_the_exports_rules_and_names_each_field(personas, editor):
    learner = sendable(personas.provider)
    sendable(personas.provider, lrn="TAKEN1", uln="1000000043", email="other@example.com")
    client = personas.client_for(editor)
    url = reverse("learners:edit", kwargs={"code": learner.code})
    response = client.post(
        url,
        _learner_post(
            learner,
            lrn="TAKEN1",
            uln="1748529633",
            family_name="Smith, Jr",
            email="jane@localhost",
            as_cohort_code="=HYPERLINK()",
            postcode="NOT A POSTCODE",
            planned_learning_hours="99999999999999",
            ni_number="TN 12 34 56 A",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in page
    assert "Planned learning hours must be 9,999 or fewer" in page
    assert "National Insurance numbers never start with TN" in page
    assert "9223372036854775807" not in page and "2147483647" not in page
    assert "Another learner at this provider has the LRN TAKEN1" in page
    assert "fails its check digit" in page
    assert "Family name holds a comma" in page
    assert "The email address is not one the Apprenticeship Service accepts" in page
    assert "AS cohort code starts with =" in page
    learner.refresh_from_db()
    assert learner.family_name == "Smith" and learner.lrn == "LRN0001"


@time_machine.travel(TODAY, tick=False)
def test_a_form_edit_is_in_the_history_with_who_and_before_and_after(personas, editor):
    learner = sendable(personas.provider)
    client = personas.client_for(editor)
    url = reverse("learners:edit", kwargs={"code": learner.code})
    response = client.post(url, _learner_post(learner, family_name="Smyth", postcode="ls6 2ab"))
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.family_name == "Smyth" and learner.postcode == "LS6 2AB"
    latest = learner.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Changed on the learner's record"
    page = client.get(reverse("learners:history", kwargs={"code": learner.code})).content.decode()
    assert "editor" in page and "Family name: Smith → Smyth" in page


@time_machine.travel(TODAY, tick=False)
def test_the_fix_loop_from_the_readiness_panel_to_the_agreement_id(personas, editor):
    learner = sendable(personas.provider, employment={"as_agreement_id": ""})
    client = personas.client_for(editor)
    record = client.get(reverse("learners:detail", kwargs={"code": learner.code})).content.decode()
    assert "Ready for AS cohort export: 1 thing to fix" in record
    fix = reverse(
        "learners:fix", kwargs={"code": learner.code, "field": "employment.as_agreement_id"}
    )
    assert fix in record
    status = learner.employment_statuses.get()
    edit = reverse("learners:employment-edit", kwargs={"code": learner.code, "status": status.code})
    assert client.get(fix)["Location"] == edit + "#id_as_agreement_id"
    data = {**_date("date_applies", status.date_applies), "status": "10", "as_agreement_id": "ab12"}
    assert client.post(edit, data).status_code == 302
    status.refresh_from_db()
    assert status.as_agreement_id == "AB12"
    record = client.get(reverse("learners:detail", kwargs={"code": learner.code})).content.decode()
    assert "Ready for AS cohort export: ready" in record
    # Without Edit Learners the same link opens the record, not a form.
    viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    assert viewer.get(fix)["Location"] == reverse("learners:detail", kwargs={"code": learner.code})


@time_machine.travel(TODAY, tick=False)
def test_the_employment_form_refuses_what_the_as_export_would(personas, editor):
    learner = sendable(personas.provider)
    client = personas.client_for(editor)
    add = reverse("learners:employment-add", kwargs={"code": learner.code})
    existing = learner.employment_statuses.get()
    page = client.post(
        add,
        {**_date("date_applies", existing.date_applies), "status": "11", "as_agreement_id": "X1"},
    ).content.decode()
    assert "Only an Employed status has an AS Agreement ID" in page
    assert "already has a status applying from 01/08/2025" in page
    page = client.post(
        add,
        {**_date("date_applies", date(2025, 10, 1)), "status": "10", "as_agreement_id": "AB-12"},
    ).content.decode()
    assert "The AS Agreement ID must be 1 to 6 letters and digits" in page
    assert learner.employment_statuses.count() == 1
    employer = make_organisation(provider=personas.provider, name="Acme", ern="123456789")
    response = client.post(
        add,
        {
            **_date("date_applies", date(2025, 10, 1)),
            "status": "10",
            "employer": str(employer.pk),
            "as_agreement_id": "NEW123",
        },
    )
    assert response.status_code == 302
    assert learner.employment_statuses.count() == 2
    assert "Acme (" in client.get(add).content.decode()  # employers told apart by id and ERN


@time_machine.travel(TODAY, tick=False)
def test_the_aim_form_applies_price_dates_outcome_and_prior_learning_rules(personas, editor):
    learner = sendable(personas.provider)
    aim = learner.aims.get()
    client = personas.client_for(editor)
    url = reverse("learners:aim-edit", kwargs={"code": learner.code, "aim": aim.code})
    base = {
        "standard": "91",
        **_date("start_date", aim.start_date),
        **_date("planned_end_date", aim.planned_end_date),
        "completion_status": "1",
        "training_price": "8000",
        "epa_price": "1000",
        "epa_org_id": "EPA0001",
        "rpl": "false",
    }
    page = client.post(url, {**base, "training_price": "8000.50"}).content.decode()
    assert "has pence: the AS takes whole pounds" in page
    page = client.post(url, {**base, "completion_status": "2"}).content.decode()
    assert "A completed aim needs its actual end date" in page
    page = client.post(url, {**base, "standard": "abc"}).content.decode()
    assert "Standard code must be a number" in page
    page = client.post(
        url, {**base, "rpl": "true", "rpl_training_total_hours": "100"}
    ).content.decode()
    assert "Off-the-job hours before RPL must be from 187 to 9,999" in page
    page = client.post(url, {**base, **_date("planned_end_date", date(2025, 9, 20))})
    assert "The planned end month must be after the start month" in page.content.decode()
    aim.refresh_from_db()
    assert aim.training_price == Decimal("8000.00") and aim.completion_status == 1
    done = {**base, "completion_status": "2", **_date("actual_end_date", date(2025, 11, 1))}
    assert client.post(url, done).status_code == 302
    aim.refresh_from_db()
    assert aim.completion_status == LearningDelivery.CompStatus.COMPLETED
    assert aim.actual_end_date == date(2025, 11, 1)


@time_machine.travel(TODAY, tick=False)
def test_new_learner_makes_the_learner_status_episode_and_aim_and_adds_another(personas, editor):
    client = personas.client_for(editor)
    url = reverse("learners:new") + f"?provider={personas.provider.code}"
    employer = make_organisation(provider=personas.provider, name="Acme")
    data = {
        "provider": str(personas.provider.code),
        "learner-lrn": "NEW0001",
        "learner-uln": "1000000043",
        "learner-given_names": "Ada",
        "learner-family_name": "Lovelace",
        **_date("learner-date_of_birth", date(2005, 12, 10)),
        "learner-ethnicity": "99",
        "learner-lldd_health_problem": "9",
        "learner-email": "ada@example.com",
        "learner-postcode": "LS6 2AB",
        **_date("employment-date_applies", date(2025, 9, 1)),
        "employment-status": "10",
        "employment-employer": str(employer.pk),
        "employment-as_agreement_id": "ADA001",
        "aim-standard": "91",
        **_date("aim-start_date", date(2025, 9, 1)),
        **_date("aim-planned_end_date", date(2027, 3, 31)),
        "aim-training_price": "8000",
        "aim-epa_price": "1000",
        "aim-epa_org_id": "EPA0001",
        "aim-rpl": "false",
        "add_another": "1",
    }
    missing = client.post(url, {**data, "learner-family_name": "", "aim-standard": "x"})
    page = missing.content.decode()
    assert "Enter the family name" in page and "Standard code must be a number" in page
    assert 'href="#id_learner-family_name"' in page
    assert not Learner.objects.filter(lrn="NEW0001").exists()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    ada = Learner.objects.get(provider=personas.provider, lrn="NEW0001")
    status = ada.employment_statuses.get()
    assert (status.status, status.employer, status.as_agreement_id) == (10, employer, "ADA001")
    aim = ada.aims.get()
    assert aim.aim_type == LearningDelivery.AimType.PROGRAMME and aim.aim_ref == "ZPROG001"
    assert aim.standard_id == 91 and aim.episode.ident
    assert ada.history.first().history_change_reason == "New Learner"
    # Ready for the AS cohort export at once.
    record = client.get(reverse("learners:detail", kwargs={"code": ada.code})).content.decode()
    assert "Ready for AS cohort export: ready" in record
    # The same LRN again is refused by name; nothing half-made.
    again = client.post(url, {**data, "learner-uln": "1748529632"}).content.decode()
    assert "Another learner at this provider has the LRN NEW0001" in again
    assert EmploymentStatus.objects.filter(learner__lrn="NEW0001").count() == 1


def test_new_learner_is_refused_without_edit_learners_and_at_another_provider(personas, editor):
    viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    assert viewer.get(reverse("learners:new")).status_code == 403
    client = personas.client_for(editor)
    other = reverse("learners:new") + f"?provider={personas.other_provider.code}"
    assert client.get(other).status_code == 404
    assert client.post(other, {"provider": str(personas.other_provider.code)}).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_an_admin_change_is_in_the_history_as_the_administrations(personas):
    learner = sendable(personas.provider)
    status = learner.employment_statuses.get()
    admin = personas.client_for(personas.provider_admin)
    response = admin.post(
        f"/admin/learners/employmentstatus/{status.pk}/change/",
        {
            "learner": str(learner.pk),
            "date_applies": "2025-08-01",
            "status": "10",
            "as_agreement_id": "ADM001",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = status.history.first()
    assert latest.history_user == personas.provider_admin
    assert latest.history_change_reason == "Changed in the administration"
    page = admin.get(reverse("learners:history", kwargs={"code": learner.code})).content.decode()
    assert "AS Agreement ID: XEGE5X → ADM001" in page and "provadmin" in page


def test_the_payments_and_registrations_tabs_show_to_their_roles_only(personas):
    from regcert.models import Registration
    from tests.factories import make_payment, make_payment_item

    learner = sendable(personas.provider)
    make_payment(
        episode=learner.episodes.get(),
        payment_item=make_payment_item(provider=personas.provider, name="Incentive"),
        expected_amount=Decimal("1000.00"),
    )
    Registration.objects.create(learner=learner, qualification_number="60312345")
    admin = personas.client_for(personas.provider_admin)
    payments = admin.get(reverse("payments:learner", kwargs={"code": learner.code}))
    assert "Incentive" in payments.content.decode() and "£1000.00" in payments.content.decode()
    registrations = admin.get(reverse("regcert:learner", kwargs={"code": learner.code}))
    assert "60312345" in registrations.content.decode()
    viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    record = viewer.get(reverse("learners:detail", kwargs={"code": learner.code})).content.decode()
    assert ">Payments<" not in record and ">Registrations<" not in record
    assert viewer.get(reverse("payments:learner", kwargs={"code": learner.code})).status_code == 403
