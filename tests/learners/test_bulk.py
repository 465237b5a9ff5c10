"""Bulk selection on the learner list and the "Download selected as CSV" action."""

import csv
import io

import pytest
from django.contrib import messages
from django.http import HttpResponse

from learners import bulk
from learners.models import Role
from picsweb.models import Job, JobRow
from tests.factories import make_employment, make_learner


@pytest.fixture
def viewer(personas):
    return personas.client_for(personas.by_role[Role.LEARNER_LIST])


def post(client, provider, **data):
    return client.post(
        "/learners/bulk/",
        {"provider": provider.code, "action": "download_csv", "filters": "", **data},
    )


def rows_of(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def flash(response):
    return [str(m) for m in messages.get_messages(response.wsgi_request)]


def test_it_downloads_the_ticked_learners_as_csv(personas, viewer):
    ticked = make_learner(provider=personas.provider, family_name="Ticked", lrn="T1")
    make_learner(provider=personas.provider, family_name="Unticked")
    response = post(viewer, personas.provider, learner=[ticked.code])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="learners-')
    rows = rows_of(response)
    assert rows[0][:5] == ["LRN", "ULN", "Title", "Given names", "Family name"]
    assert [row[0] for row in rows[1:]] == ["T1"]
    assert rows[1][rows[0].index("State")] == "Live"


def test_it_makes_every_cell_safe_from_formula_injection(personas, viewer):
    learner = make_learner(
        provider=personas.provider,
        given_names="=cmd|' /C calc'!A0",
        family_name="+Plus",
        phone="-1",
    )
    rows = rows_of(post(viewer, personas.provider, learner=[learner.code]))
    assert rows[1][3] == "'=cmd|' /C calc'!A0"
    assert rows[1][4] == "'+Plus"
    assert rows[1][rows[0].index("Phone")] == "'-1"


def test_it_acts_on_all_learners_matching_the_filter(personas, viewer):
    for n in range(3):
        make_learner(provider=personas.provider, family_name=f"Smith{n}")
    make_learner(provider=personas.provider, family_name="Jones")
    response = post(viewer, personas.provider, filters="q=smith", select_all="3")
    assert [row[4] for row in rows_of(response)[1:]] == ["Smith0", "Smith1", "Smith2"]


def test_it_refuses_all_matching_when_the_count_changed_since_the_list_was_shown(personas, viewer):
    for n in range(3):
        make_learner(provider=personas.provider, family_name=f"Smith{n}")
    shown = viewer.get("/learners/?q=smith")
    assert 'value="3" data-select-all-matching' in shown.content.decode()
    make_learner(provider=personas.provider, family_name="Smithers")  # arrives meanwhile

    response = post(viewer, personas.provider, filters="q=smith", select_all="3")

    assert response.status_code == 302
    assert "q=smith" in response["Location"]
    assert flash(response) == [
        "The learners matching your filters changed from 3 to 4 since the list was shown. "
        "Nothing was started: check the list and choose again."
    ]
    assert not Job.objects.exists()


def test_it_applies_the_filter_to_ticked_learners_too(personas, viewer):
    smith = make_learner(provider=personas.provider, family_name="Smith")
    jones = make_learner(provider=personas.provider, family_name="Jones")
    response = post(viewer, personas.provider, filters="q=smith", learner=[smith.code, jones.code])
    assert response.status_code == 302
    assert "no longer in this list" in flash(response)[0]


def test_it_never_selects_another_providers_learner_from_a_crafted_request(personas, viewer):
    ours = make_learner(provider=personas.provider)
    theirs = make_learner(provider=personas.other_provider, family_name="Theirs")
    response = post(viewer, personas.provider, learner=[ours.code, theirs.code])
    assert response.status_code == 302
    assert b"Theirs" not in response.content
    assert "no longer in this list" in flash(response)[0]
    # Nor by naming the other provider: the viewer holds no role there.
    assert post(viewer, personas.other_provider, select_all="1").status_code == 404


def test_it_refuses_an_outsider_and_a_user_without_the_role(personas):
    make_learner(provider=personas.provider)
    outsider = personas.client_for(personas.outsider)
    assert post(outsider, personas.provider, select_all="1").status_code == 404
    no_role = personas.client_for(personas.by_role[Role.ILR_EXPORT])
    assert post(no_role, personas.provider, select_all="1").status_code == 403


def test_it_answers_a_malformed_selection_with_a_message_not_a_crash(personas, viewer):
    assert post(viewer, personas.provider, learner=["not-a-uuid"]).status_code == 404
    nothing = post(viewer, personas.provider)
    assert flash(nothing) == ["Tick at least one learner, or select all learners matching."]
    garbled = post(viewer, personas.provider, select_all="lots")
    assert "not understood" in flash(garbled)[-1]
    assert viewer.get("/learners/bulk/").status_code == 405


def test_it_runs_a_large_selection_as_a_job_with_the_learners_frozen(personas, viewer, settings):
    settings.DIRECT_DOWNLOAD_LIMIT = 2
    for _ in range(3):
        make_learner(provider=personas.provider)
    response = post(viewer, personas.provider, select_all="3")
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.code}/"
    assert job.kind == "learners.csv"
    assert job.params == {"filters": {}, "count": 3}
    assert JobRow.objects.filter(job=job).count() == 3
    assert job.provider == personas.provider


class TestActionsThatNeedFilters:
    @pytest.fixture(autouse=True)
    def as_like_action(self):
        action = bulk.register(
            bulk.BulkAction(
                name="test_needs_filter",
                label="Test needs filter",
                role=Role.BULK_ACTIONS,
                run=lambda selection: HttpResponse(f"ran on {selection.count}"),
                requires_any_filter=("as_agreement_id", "as_cohort"),
            )
        )
        yield action
        bulk._ACTIONS.pop(action.name)

    def test_it_offers_the_action_only_with_one_of_its_filters_and_the_role(self, personas):
        learner = make_learner(provider=personas.provider, as_cohort_code="C1")
        make_employment(learner=learner, as_agreement_id="AG1")
        admin = personas.client_for(personas.provider_admin)
        viewer = personas.client_for(personas.by_role[Role.LEARNER_LIST])
        labels = lambda r: [a.label for a in r.context["actions"]]  # noqa: E731
        assert "Test needs filter" not in labels(admin.get("/learners/"))
        assert "Test needs filter" in labels(admin.get("/learners/?as_cohort=C1"))
        assert "Test needs filter" in labels(admin.get("/learners/?as_agreement_id=AG1"))
        assert "Test needs filter" not in labels(viewer.get("/learners/?as_cohort=C1"))

    def test_it_refuses_the_action_posted_without_its_filter(self, personas):
        make_learner(provider=personas.provider, as_cohort_code="C1")
        admin = personas.client_for(personas.provider_admin)
        refused = admin.post(
            "/learners/bulk/",
            {"provider": personas.provider.code, "action": "test_needs_filter", "select_all": "1"},
        )
        assert refused.status_code == 302
        allowed = admin.post(
            "/learners/bulk/",
            {
                "provider": personas.provider.code,
                "action": "test_needs_filter",
                "filters": "as_cohort=C1",
                "select_all": "1",
            },
        )
        assert allowed.content == b"ran on 1"


def test_nothing_selected_comes_back_as_the_selection_s_error_not_a_banner(personas, viewer):
    make_learner(provider=personas.provider)
    page = post(viewer, personas.provider, learner=[]).url
    html = viewer.get(page).content.decode()
    assert "<title>Error: Learners – picsweb</title>" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#select-all-matching">Tick at least one learner' in html
    assert 'id="select-all-matching-error"' in html
    assert 'aria-describedby="select-all-matching-error"' in html
    assert "Important" not in html
    # Shown once: the next page is clean.
    assert "<title>Learners – picsweb</title>" in viewer.get(page).content.decode()
