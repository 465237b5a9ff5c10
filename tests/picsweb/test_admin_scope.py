"""Every admin page a provider admin can open shows nothing of another provider: raw-ID labels,
choices and change forms all go through the provider-scoped querysets. The registry is walked,
so a newly registered admin is covered without touching this file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from payments.models import UserDefinedField
from picsweb.models import ImportBatch
from regcert.models import Registration
from tests.factories import (
    make_aim,
    make_contract,
    make_employment,
    make_episode,
    make_learner,
    make_officer,
    make_organisation,
    make_payment,
    make_payment_item,
    make_site,
    make_tag,
)


def _objects_of(provider: Any, outsider: Any) -> list[models.Model]:
    learner = make_learner(provider=provider, given_names="Zoltan", family_name="Quixby")
    episode = make_episode(learner=learner)
    return [
        provider,
        outsider,
        *outsider.memberships.all(),
        make_site(provider=provider, name="Quixby Campus"),
        make_organisation(provider=provider, name="Quixby Employer"),
        make_contract(provider=provider, name="Quixby Contract"),
        make_tag(provider=provider, name="Quixby Tag"),
        make_officer(provider=provider, name="Quixby Officer"),
        learner,
        episode,
        make_aim(episode=episode, aim_ref="ZQX00001"),
        make_employment(learner=learner, date_applies=date(2019, 2, 3)),
        make_payment_item(provider=provider, code="ZQXITEM", name="Quixby item"),
        make_payment(episode=episode),
        UserDefinedField.objects.create(provider=provider, name="Quixby field"),
        Registration.objects.create(learner=learner, qualification_number="ZQX60312345"),
        ImportBatch.objects.create(
            provider=provider, kind="payments", file_sha256="0" * 64, file_name="Quixby.csv"
        ),
    ]


def _leaks(body: str, theirs: list[models.Model]) -> list[str]:
    return [str(obj) for obj in theirs if escape(str(obj)) in body]


def _relation_fields(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.get_fields()
        if (f.many_to_one or f.many_to_many or f.one_to_one) and f.concrete
    ]


@pytest.fixture
def theirs(personas) -> list[models.Model]:
    return _objects_of(personas.other_provider, personas.outsider)


def test_it_labels_no_other_providers_object_on_any_add_form(personas, theirs):
    client = personas.client_for(personas.provider_admin)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in theirs:
        by_model.setdefault(type(obj), []).append(obj)
    tried = 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        for field in _relation_fields(model):
            for target in by_model.get(field.related_model, []):
                response = client.get(url, {field.name: target.pk})
                if response.status_code == 403:
                    continue  # this admin is closed to provider admins altogether
                assert response.status_code == 200, (url, field.name)
                tried += 1
                assert _leaks(response.content.decode(), theirs) == [], (url, field.name)
    # The walk reached the raw-ID fields the attack used (learner, episode, user, ...).
    assert tried >= 8


def test_it_opens_no_change_form_of_another_providers_object(personas, theirs):
    client = personas.client_for(personas.provider_admin)
    for obj in theirs:
        opts = obj._meta
        if type(obj) not in admin.site._registry:
            continue
        for view in ("change", "history", "delete"):
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
            except NoReverseMatch:
                continue
            response = client.get(url, follow=True)
            assert response.status_code in (200, 403, 404), url
            assert _leaks(response.content.decode(), theirs) == [], url


def test_it_still_labels_a_provider_admins_own_learner(personas):
    mine = make_learner(provider=personas.provider, given_names="Own", family_name="Learnerson")
    client = personas.client_for(personas.provider_admin)
    page = client.get(reverse("admin:learners_employmentstatus_add"), {"learner": mine.pk})
    assert escape(str(mine)) in page.content.decode()


def test_it_offers_a_provider_admin_only_members_of_their_providers_as_users(personas, theirs):
    client = personas.client_for(personas.provider_admin)
    response = client.post(
        reverse("admin:picsweb_membership_add"),
        {"user": personas.outsider.pk, "provider": personas.provider.pk, "role": "learner_list"},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not personas.outsider.memberships.filter(provider=personas.provider).exists()
