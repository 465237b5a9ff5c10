"""The staff learner list: filters, sort, paging, access."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.models import Learner, LearningDelivery, Role
from tests.factories import (
    make_aim,
    make_contract,
    make_employment,
    make_episode,
    make_learner,
    make_officer,
    make_organisation,
    make_site,
    make_tag,
)


@pytest.fixture
def viewer(personas):
    return personas.client_for(personas.by_role[Role.LEARNER_LIST])


def names(response):
    return [f"{learner.family_name}" for learner in response.context["page"].object_list]


def test_it_lists_only_live_learners_of_the_users_provider_by_default(personas, viewer):
    make_learner(provider=personas.provider, family_name="Alive")
    make_learner(provider=personas.provider, family_name="Archived", state=Learner.State.ARCHIVED)
    make_learner(provider=personas.other_provider, family_name="Elsewhere")
    response = viewer.get("/learners/")
    assert response.status_code == 200
    assert names(response) == ["Alive"]
    assert names(viewer.get("/learners/?state=any")) == ["Alive", "Archived"]
    assert names(viewer.get("/learners/?state=archived")) == ["Archived"]


def test_it_searches_by_name_lrn_and_uln(personas, viewer):
    make_learner(provider=personas.provider, family_name="Okafor", given_names="Chidi", lrn="A1")
    make_learner(provider=personas.provider, family_name="Nowak", lrn="B2", uln="2000000028")
    assert names(viewer.get("/learners/?q=oka")) == ["Okafor"]
    assert names(viewer.get("/learners/?q=chidi+ok")) == ["Okafor"]
    assert names(viewer.get("/learners/?q=b2")) == ["Nowak"]
    assert names(viewer.get("/learners/?q=2000000028")) == ["Nowak"]
    assert names(viewer.get("/learners/?q=zzz")) == []


def _set(field):
    def attach(learner, item):
        setattr(learner, field, item)
        learner.save()

    return attach


def _aim_with(field):
    return lambda learner, item: make_aim(episode=make_episode(learner=learner), **{field: item})


def _employ(learner, organisation):
    make_employment(learner=learner, employer=organisation)


def _make_subcontractor(provider):
    return make_organisation(provider=provider, is_subcontractor=True)


# filter name -> (make one of the provider's list items, attach it to a learner)
LISTS: dict[str, tuple[Any, Any]] = {
    "site": (make_site, _set("site")),
    "officer": (make_officer, _set("main_officer")),
    "tag": (make_tag, lambda learner, tag: learner.tags.add(tag)),
    "employer": (make_organisation, _employ),
    "subcontractor": (_make_subcontractor, _aim_with("subcontractor")),
    "contract": (make_contract, _aim_with("contract")),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_it_filters_by_each_list(personas, viewer, name):
    make, attach = LISTS[name]
    wanted_item, other_item = make(provider=personas.provider), make(provider=personas.provider)
    attach(make_learner(provider=personas.provider, family_name="Wanted"), wanted_item)
    attach(make_learner(provider=personas.provider, family_name="Other"), other_item)
    make_learner(provider=personas.provider, family_name="Neither")

    assert names(viewer.get(f"/learners/?{name}={wanted_item.pk}")) == ["Wanted"]


def test_it_refuses_a_list_item_of_another_provider(personas, viewer):
    theirs = make_site(provider=personas.other_provider)
    response = viewer.get(f"/learners/?site={theirs.pk}")
    assert response.status_code == 200
    message = "Site must be one of the choices in the list"
    assert response.context["form"].errors == {"site": [message]}
    assert names(response) == []


def test_it_filters_by_standard_and_the_more_filters(personas, viewer):
    wanted = make_learner(provider=personas.provider, family_name="Wanted", as_cohort_code="VLLXJ7")
    other = make_learner(provider=personas.provider, family_name="Other")
    make_aim(episode=make_episode(learner=wanted), standard_id=25)
    make_aim(episode=make_episode(learner=other), standard_id=1)
    make_employment(learner=wanted, as_agreement_id="XEGE5X")
    make_employment(learner=other, as_agreement_id="ABC123")

    assert names(viewer.get("/learners/?standard=25")) == ["Wanted"]
    assert names(viewer.get("/learners/?as_agreement_id=xege5x")) == ["Wanted"]
    assert names(viewer.get("/learners/?as_cohort=vllxj7")) == ["Wanted"]


def test_it_shows_the_more_filters_only_when_chosen_or_in_use(personas, viewer):
    page = viewer.get("/learners/").content.decode()
    assert 'name="as_agreement_id"' not in page
    assert "show=as_agreement_id" in page  # offered under More
    chosen = viewer.get("/learners/?show=as_agreement_id").content.decode()
    assert 'name="as_agreement_id"' in chosen
    assert 'name="as_cohort"' not in chosen
    in_use = viewer.get("/learners/?as_cohort=X1").content.decode()
    assert 'name="as_cohort"' in in_use


def test_it_filters_by_as_status(personas, viewer):
    make_learner(provider=personas.provider, family_name="Sent", as_status="sent")
    make_learner(provider=personas.provider, family_name="Unsent")
    assert names(viewer.get("/learners/?as_status=sent")) == ["Sent"]
    assert names(viewer.get("/learners/?as_status=none")) == ["Unsent"]


def test_it_sorts_by_each_column_both_ways(personas, viewer):
    make_learner(
        provider=personas.provider,
        family_name="B",
        lrn="L1",
        uln="2000000028",
        date_of_birth=date(2001, 1, 1),
    )
    make_learner(
        provider=personas.provider,
        family_name="A",
        lrn="L2",
        uln="1748529632",
        date_of_birth=date(2003, 1, 1),
    )
    assert names(viewer.get("/learners/")) == ["A", "B"]
    assert names(viewer.get("/learners/?sort=-name")) == ["B", "A"]
    assert names(viewer.get("/learners/?sort=lrn")) == ["B", "A"]
    assert names(viewer.get("/learners/?sort=uln")) == ["A", "B"]
    assert names(viewer.get("/learners/?sort=-dob")) == ["A", "B"]
    assert names(viewer.get("/learners/?sort=nonsense")) == ["A", "B"]


def test_it_pages_with_a_choice_of_page_size(personas, viewer):
    for n in range(60):
        make_learner(provider=personas.provider, family_name=f"N{n:02d}")
    first = viewer.get("/learners/")
    assert len(names(first)) == 25
    assert first.context["page"].paginator.count == 60
    third = viewer.get("/learners/?page=3")
    assert names(third) == [f"N{n:02d}" for n in range(50, 60)]
    assert len(names(viewer.get("/learners/?per_page=50"))) == 50
    assert len(names(viewer.get("/learners/?per_page=7"))) == 25  # not an offered size
    assert names(viewer.get("/learners/?page=99")) == names(third)  # past the end: last page


def test_it_keeps_the_filter_in_the_sort_and_page_links(personas, viewer):
    for n in range(30):
        make_learner(provider=personas.provider, family_name=f"Smith{n:02d}")
    page = viewer.get("/learners/?q=smith").content.decode()
    assert "?q=smith&amp;sort=-name" in page or "q=smith&amp;sort=" in page
    assert "q=smith&amp;page=2" in page


def test_it_lists_a_large_page_in_few_queries(personas, viewer):
    site = make_site(provider=personas.provider)
    for _ in range(60):
        learner = make_learner(provider=personas.provider, site=site)
        make_employment(learner=learner, employer=make_organisation(provider=personas.provider))
    viewer.get("/learners/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = viewer.get(f"/learners/?per_page=50&site={site.pk}&sort=-dob")
    assert len(names(response)) == 50
    assert len(queries) <= 10


def test_it_refuses_people_without_the_learner_list_role(personas):
    for role, user in personas.by_role.items():
        if role is not Role.LEARNER_LIST:
            assert personas.client_for(user).get("/learners/").status_code == 403, role
    assert personas.client_for(personas.nobody).get("/learners/").status_code == 403


def test_it_never_shows_an_outsider_this_providers_learners(personas):
    make_learner(provider=personas.provider, family_name="Ours")
    client = personas.client_for(personas.outsider)
    assert "Ours" not in client.get("/learners/").content.decode()
    crafted = client.get(f"/learners/?provider={personas.provider.code}")
    assert crafted.status_code == 404


class TestLearnerPage:
    def test_it_shows_the_record_with_episodes_aims_and_employment(self, personas, viewer):
        learner = make_learner(provider=personas.provider, family_name="Mensah")
        episode = make_episode(learner=learner, ident="00042")
        make_aim(episode=episode, standard_id=25)
        make_aim(
            episode=episode,
            aim_ref="60012345",
            aim_type=3,
            standard_id=None,
            qualification_name="Level 3 Diploma in Testing",
        )
        make_employment(
            learner=learner,
            employer=make_organisation(provider=personas.provider, name="Acme Digital Ltd"),
        )
        page = viewer.get(f"/learners/{learner.code}/")
        assert page.status_code == 200 and "Mensah" in page.content.decode()
        # The record's tabs: aims and employment statuses each on its own.
        body = "".join(
            viewer.get(f"/learners/{learner.code}/{tab}/").content.decode()
            for tab in ("aims", "employment")
        )
        for text in (
            "Mensah",
            "Episode 00042",
            "ZPROG001",
            "Level 3 Diploma in Testing",
            "Acme Digital Ltd",
            "XEGE5X",
            "Digital and technology solutions",
        ):
            assert text in body, text
        assert LearningDelivery.objects.filter(learner=learner).count() == 2

    def test_it_is_a_404_for_another_providers_learner(self, personas):
        learner = make_learner(provider=personas.provider)
        outsider = personas.client_for(personas.outsider)
        assert outsider.get(f"/learners/{learner.code}/").status_code == 404

    def test_it_is_a_403_without_the_role(self, personas):
        learner = make_learner(provider=personas.provider)
        client = personas.client_for(personas.by_role[Role.ILR_EXPORT])
        assert client.get(f"/learners/{learner.code}/").status_code == 403
