"""A filter the list cannot use says so instead of "No learners match" (issue 19 §9)."""

from learners.models import Role
from tests.factories import make_learner


def test_an_invalid_standard_code_asks_to_fix_the_filter(personas):
    make_learner(provider=personas.provider)
    client = personas.client_for(personas.by_role[Role.LEARNER_LIST])
    page = client.get(
        "/learners/", {"provider": personas.provider.code, "standard": "abc"}
    ).content.decode()
    assert "Fix the filters marked above to see learners." in page
    assert "No learners match these filters." not in page
