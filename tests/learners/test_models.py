import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from learners.models import Learner, Provider, Role, ident_for, ident_number
from picsweb.access import Access
from tests.factories import make_episode, make_learner, make_user


def test_it_numbers_idents_as_staff_know_them_then_continues_with_letters():
    assert ident_for(1) == "00001"
    assert ident_for(99999) == "99999"
    assert ident_for(100000) == "A0000"
    assert ident_for(100001) == "A0001"
    idents = [ident_for(n) for n in (1, 99999, 100000, 100035, 100036, 2_000_000)]
    assert idents == sorted(idents)  # string order is creation order
    assert all(len(i) == 5 for i in idents)
    for n in (1, 500, 99999, 100000, 123456, 2_000_000):
        assert ident_number(ident_for(n)) == n


def test_it_refuses_an_ident_beyond_five_characters():
    with pytest.raises(ValueError, match="does not fit"):
        ident_for(100000 + 26 * 36**4)


def test_it_keeps_lrns_unique_per_provider(personas):
    make_learner(provider=personas.provider, lrn="LRN1")
    make_learner(provider=personas.other_provider, lrn="LRN1")  # another provider may reuse it
    with pytest.raises(IntegrityError):
        make_learner(provider=personas.provider, lrn="LRN1")


def test_it_keeps_episode_idents_unique_per_provider(personas):
    learner = make_learner(provider=personas.provider)
    make_episode(learner=learner, ident="00001")
    with pytest.raises(IntegrityError):
        make_episode(learner=learner, ident="00001")


def test_it_validates_uln_and_postcode_on_a_learner_form(personas):
    learner = make_learner(provider=personas.provider, uln="1748529631", postcode="QQ1 1AA")
    with pytest.raises(ValidationError) as caught:
        learner.full_clean()
    assert set(caught.value.message_dict) >= {"uln", "postcode"}


def test_it_scopes_learners_to_providers_where_the_user_holds_the_role(personas):
    mine = make_learner(provider=personas.provider)
    theirs = make_learner(provider=personas.other_provider)
    viewer = personas.by_role[Role.LEARNER_LIST]
    assert list(Access(viewer).scoped(Learner.objects.all(), Role.LEARNER_LIST)) == [mine]
    assert list(Access(viewer).scoped(Learner.objects.all(), Role.ILR_EXPORT)) == []
    assert list(Access(personas.provider_admin).scoped(Learner.objects.all(), Role.ILR_EXPORT)) == [
        mine
    ]
    assert set(Access(personas.superuser).scoped(Learner.objects.all(), Role.ILR_EXPORT)) == {
        mine,
        theirs,
    }
    assert list(Access(personas.outsider).scoped(Learner.objects.all(), Role.LEARNER_LIST)) == [
        theirs
    ]


def test_it_gives_an_inactive_member_no_provider(personas):
    user = make_user(provider=personas.provider, roles=[Role.LEARNER_LIST], is_active=False)
    assert not Access(user).scoped(Provider.objects.all(), Role.LEARNER_LIST).exists()


def test_it_loads_the_lars_standards(db):
    from learners.models import Standard

    assert Standard.objects.get(lars_code=1).title == "Network engineer"
    assert Standard.objects.count() == 811
