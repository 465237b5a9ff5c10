"""The `any_of` lookup (picsweb/db.py): a list of ids as one parameter, on both databases."""

from learners.models import EmploymentStatus, Learner
from picsweb.db import Ids
from tests.factories import make_employment, make_learner


def test_it_finds_exactly_the_rows_listed_by_id_and_by_foreign_key(personas):
    first, second, third = (make_learner(provider=personas.provider) for _ in range(3))
    for learner in (first, second, third):
        make_employment(learner=learner)
    listed = Learner.objects.filter(id__any_of=[first.id, third.id, 10**12])
    assert set(listed) == {first, third}
    statuses = EmploymentStatus.objects.filter(learner_id__any_of=(second.id,))
    assert [s.learner_id for s in statuses] == [second.id]


def test_an_empty_list_finds_nothing(personas):
    make_learner(provider=personas.provider)
    assert not Learner.objects.filter(id__any_of=[]).exists()


def test_ids_held_in_one_object_find_exactly_the_rows_named(personas):
    learners = [make_learner(provider=personas.provider) for _ in range(4)]
    for learner in learners:
        make_employment(learner=learner)
    chosen = [learners[3].id, learners[0].id, learners[0].id]
    statuses = EmploymentStatus.objects.filter(learner_id__any_of=Ids(iter(chosen)))
    assert sorted(s.learner_id for s in statuses) == sorted({learners[0].id, learners[3].id})
    assert not Learner.objects.filter(id__any_of=Ids([])).exists()
