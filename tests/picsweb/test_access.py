"""The access rule, written once in picsweb.access.Access, and a walk over every URL of the site
as an outsider: another provider's objects are 403/404 and nothing of them shows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

import tests.worker_jobs  # noqa: F401  (registers the test job kinds)
from ilr_exports.models import IlrExport
from learners.models import Learner
from picsweb.access import Access
from picsweb.jobs import job_start
from picsweb.models import Role
from progress_apply.models import Application, Course
from regcert.models import Registration
from tests.factories import make_aim, make_employment, make_episode, make_learner, make_user
from tests.progress_apply.helpers import make_portal_learner


def test_it_gives_an_anonymous_or_inactive_user_nothing(personas):
    assert Access(AnonymousUser()).providers(Role.LEARNER_LIST) == []
    inactive = personas.by_role[Role.LEARNER_LIST]
    inactive.is_active = False
    access = Access(inactive)
    assert access.providers(Role.LEARNER_LIST) == [] and access.roles() == set()
    make_learner(provider=personas.provider)
    assert not access.scoped(Learner.objects.all(), Role.LEARNER_LIST).exists()


def test_it_gives_a_superuser_every_role_everywhere(personas):
    access = Access(personas.superuser)
    assert set(access.providers(Role.ILR_EXPORT)) == {personas.provider, personas.other_provider}
    assert access.roles_at(personas.other_provider) == set(Role)
    assert access.may_enter_admin


def test_provider_admin_implies_every_role_at_its_provider_only(personas):
    access = Access(personas.provider_admin)
    assert access.roles_at(personas.provider) == set(Role)
    assert access.roles_at(personas.other_provider) == set()
    assert access.providers(Role.DATA_EXPORT) == [personas.provider]
    assert access.may_enter_admin


def test_a_role_reaches_only_the_providers_where_it_is_held(personas):
    viewer = personas.by_role[Role.LEARNER_LIST]
    mine = make_learner(provider=personas.provider)
    theirs = make_learner(provider=personas.other_provider)
    access = Access(viewer)
    assert list(access.scoped(Learner.objects.all(), Role.LEARNER_LIST)) == [mine]
    assert list(access.scoped(Learner.objects.all(), Role.ILR_EXPORT)) == []
    assert access.get(Learner.objects.all(), Role.LEARNER_LIST, code=mine.code) == mine
    with pytest.raises(Http404):
        access.get(Learner.objects.all(), Role.LEARNER_LIST, code=theirs.code)
    with pytest.raises(Http404):
        access.provider(Role.LEARNER_LIST, str(personas.other_provider.code))
    assert not access.may_enter_admin


def test_a_registered_narrowing_limits_what_a_role_sees_below_its_providers(personas):
    """How learner groups will narrow a learner manager: the narrowing applies to its model
    and role only, after the provider scope, and not to a superuser."""
    from picsweb import access as access_module

    mine = make_learner(provider=personas.provider, family_name="Grouped")
    other = make_learner(provider=personas.provider, family_name="Elsewhere")
    theirs = make_learner(provider=personas.other_provider, family_name="Grouped")
    key = (Learner, Role.LEARNER_LIST)
    access_module.register_narrowing(
        Learner, Role.LEARNER_LIST, lambda access, qs: qs.filter(family_name="Grouped")
    )
    try:
        access = Access(personas.by_role[Role.LEARNER_LIST])
        assert list(access.scoped(Learner.objects.all(), Role.LEARNER_LIST)) == [mine]
        with pytest.raises(Http404):
            access.get(Learner.objects.all(), Role.LEARNER_LIST, pk=other.pk)
        admin = Access(personas.provider_admin)
        assert set(admin.scoped(Learner.objects.all(), Role.BULK_ACTIONS)) == {mine, other}
        everyone = Access(personas.superuser)
        assert set(everyone.scoped(Learner.objects.all(), Role.LEARNER_LIST)) == {
            mine,
            other,
            theirs,
        }
    finally:
        del access_module._NARROWINGS[key]


def test_it_follows_a_models_provider_path(personas):
    theirs = make_learner(provider=personas.other_provider)
    registration = Registration.objects.create(learner=theirs)
    access = Access(personas.by_role[Role.MANAGE_REGCERT])
    assert not access.scoped(Registration.objects.all(), Role.MANAGE_REGCERT).exists()
    assert Access(personas.outsider).get(
        Registration.objects.all(), Role.MANAGE_REGCERT, code=registration.code
    )


def _patterns(resolvers: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            route = str(entry.pattern)
            if route.startswith(("admin/", "accounts/")):
                continue  # the admin has its own walk (test_admin); sign-in pages are public
            found += _patterns(entry.url_patterns, prefix + route)
        elif not (prefix + str(entry.pattern)).startswith("accounts/"):
            found.append((prefix + str(entry.pattern), entry))
    return found


# Second parts of a record's URL (an employment status or aim of the learner), filled with the
# other provider's own, and a rule's field name.
PARTS = {"<uuid:status>": "employment status", "<uuid:aim>": "aim"}


def _url(route: str, code: str, objects: dict[str, str] | None = None) -> str:
    url = route.replace("<uuid:code>", code).replace("<str:field>", "learner.email")
    for part, what in PARTS.items():
        url = url.replace(part, (objects or {}).get(what, part))
    return "/" + url


@pytest.fixture
def their_objects(personas) -> dict[str, str]:
    """One of each provider-owned object at the provider the outsider does not belong to."""
    provider = personas.provider
    owner = make_user(provider=provider, roles=list(Role), username="their-owner")
    learner = make_learner(provider=provider, given_names="Secretia", family_name="Hidden")
    status = make_employment(learner=learner, as_agreement_id="SECRT1")
    aim = make_aim(episode=make_episode(learner=learner), epa_org_id="EPA0999")
    registration = Registration.objects.create(learner=learner, registration_number="SECRET-REG")
    job = job_start(kind="tests.sleep", owner=owner, provider=provider, params={"seconds": 0})
    export = IlrExport.objects.create(
        provider=provider, created_by=owner, year_code="2526", serial=1, monitoring=[]
    )
    portal_learner = make_portal_learner(
        provider=provider, username="secretia-portal", first_name="Secretia", password="SECRET-REG1"
    )
    course = Course.objects.create(
        provider=provider,
        title="Secretia's course",
        start_date=date(2027, 9, 1),
        duration_months=12,
        venue_postcode="LS6 2AB",
    )
    application = Application.objects.create(
        learner=portal_learner,
        course=course,
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return {
        "portal learner": str(portal_learner.code),
        "application": str(application.code),
        "course": str(course.code),
        "learner": str(learner.code),
        "employment status": str(status.code),
        "aim": str(aim.code),
        "registration": str(registration.code),
        "job": str(job.code),
        "ilr export": str(export.code),
        "provider": str(provider.code),
    }


def test_every_page_refuses_another_providers_objects(personas, their_objects, django_db_blocker):
    outsider = personas.client_for(personas.outsider)
    insider = personas.client_for(personas.superuser)
    reached_by_insider: set[str] = set()
    routes = _patterns(get_resolver().url_patterns)
    assert len(routes) >= 20
    for route, _ in routes:
        if "<" in route:
            assert "<uuid:code>" in route, f"{route}: only UUIDs belong in URLs"
            for what, code in their_objects.items():
                url = _url(route, code, their_objects)
                for method in (outsider.get, outsider.post):
                    response = method(url)
                    assert response.status_code in (403, 404, 405), (url, what)
                if insider.get(url).status_code in (200, 302):
                    reached_by_insider.add(route)
        else:
            url = _url(route, "") + f"?provider={their_objects['provider']}"
            for method in (outsider.get, outsider.post):
                response = method(url, {"provider": their_objects["provider"]})
                raw = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                body = raw.decode(errors="replace")
                assert "Secretia" not in body and "SECRET-REG" not in body, url
                assert "SECRT1" not in body, url
                assert response.status_code != 500, url
    # The codes above are real: the provider's own side reaches their pages.
    assert {
        "learners/<uuid:code>/",
        "learners/<uuid:code>/edit/",
        "learners/<uuid:code>/employment/<uuid:status>/edit/",
        "learners/<uuid:code>/aims/<uuid:aim>/edit/",
        "learners/<uuid:code>/history/",
        "regcert/<uuid:code>/edit/",
        "ilr/<uuid:code>/",
        "apply/learners/<uuid:code>/",
        "apply/learners/<uuid:code>/profile/",
        "apply/admissions/<uuid:code>/",
    } <= reached_by_insider


def test_the_learner_import_refuses_outsiders_and_members_without_edit_learners(personas):
    """The walk above covers /learners/import/ with another provider's code; here also a
    member of the provider without Edit Learners, on the page, its POST and the template."""
    theirs = f"?provider={personas.provider.code}"
    outsider = personas.client_for(personas.outsider)
    assert outsider.get(f"/learners/import/{theirs}").status_code == 404
    assert (
        outsider.post("/learners/import/", {"provider": personas.provider.code}).status_code == 404
    )
    for role in (Role.LEARNER_LIST, Role.BULK_UPLOAD):
        member = personas.client_for(personas.by_role[role])
        assert member.get(f"/learners/import/{theirs}").status_code == 403
        assert (
            member.post("/learners/import/", {"provider": personas.provider.code}).status_code
            == 403
        )
        assert member.get("/learners/import/template.csv").status_code == 403
    editor = personas.client_for(personas.by_role[Role.EDIT_LEARNERS])
    assert editor.get(f"/learners/import/{theirs}").status_code == 200
    assert personas.client_for(personas.provider_admin).get("/learners/import/").status_code == 200
