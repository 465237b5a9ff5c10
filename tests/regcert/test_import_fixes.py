"""Registration & Certification import: header names in any case, the temporary ULN, the
command line's notes (issue 12, items 4-6)."""

import io
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from picsweb.imports.pipeline import validate_file
from picsweb.imports.reading import ImportFileError
from regcert.columns import COLUMNS
from regcert.importing import REGCERT
from regcert.models import Registration
from tests.factories import make_aim, make_episode, make_learner

QUAL = "60312345"


@pytest.fixture
def learner(personas):
    learner = make_learner(provider=personas.provider, uln="1748529632", lrn="LRN1")
    episode = make_episode(learner=learner, start_date=date(2025, 9, 1))
    make_aim(episode=episode, aim_ref=QUAL, aim_type=3, standard_id=None)
    return learner


def check(provider, header, *rows):
    text = "\n".join([header, *rows]) + "\n"
    summary, _, _ = validate_file(spec=REGCERT, provider=provider, handle=io.BytesIO(text.encode()))
    return summary


def test_it_matches_header_names_ignoring_case_and_surrounding_spaces(personas, learner):
    header = ",".join(
        f"  {name.upper()} " if n % 2 else name.lower() for n, name in enumerate(COLUMNS)
    )
    summary = check(personas.provider, header, f"{QUAL},1748529632,Exempt,,,,,,,")
    assert (summary.accepted, summary.new) == (1, 1)


def test_it_still_refuses_a_header_out_of_order_naming_the_column(personas):
    names = list(COLUMNS)
    swapped = ",".join([names[0], names[1], names[3].upper(), names[2], *names[4:]])
    with pytest.raises(
        ImportFileError,
        match="Column 3 of the header row is 'REGISTRATION NUMBER'; it must be 'Status'",
    ):
        check(personas.provider, swapped)


def test_it_says_the_temporary_uln_cannot_identify_a_learner(personas, learner):
    for _ in range(2):
        make_learner(provider=personas.provider, uln="9999999999")
    summary = check(personas.provider, ",".join(COLUMNS), f"{QUAL},9999999999,Exempt,,,,,,,")
    assert summary.accepted == 0
    [problem] = summary.problems
    assert problem.column == "ULN"
    assert "temporary ULN" in problem.message
    assert "Give the learner's real ULN." in problem.message
    assert "merge" not in problem.message


def test_it_finds_the_learner_by_a_uln_with_spaces_around_it(personas, learner):
    summary = check(personas.provider, ",".join(COLUMNS), f" {QUAL} , 1748529632 ,Exempt,,,,,,,")
    assert (summary.accepted, summary.problems) == (1, [])
    summary = check(personas.provider, ",".join(COLUMNS), f"{QUAL}, 9999999999,Exempt,,,,,,,")
    assert "temporary ULN" in summary.problems[0].message


def test_the_command_prints_the_status_revert_notes(personas, learner, tmp_path):
    path = tmp_path / "regs.csv"
    path.write_text(",".join(COLUMNS) + f"\n{QUAL},1748529632,Achieved,,,,,,,\n")
    out = StringIO()
    call_command(
        "import_regcert", str(path), provider=personas.provider.ukprn, confirm=True, stdout=out
    )
    assert (
        "Row 2: Status Achieved needs a registration number, which this record has not got: "
        "it stays Not registered." in out.getvalue()
    )
    assert Registration.objects.get().status == "Not registered"
