"""The collection year (issue 18 item 4): Create offers the installed years, newest first,
and says plainly when today is past the newest one, and what to install."""

from datetime import date

import pytest
import time_machine

from ilr_exports.models import IlrExport
from ilr_exports.years import INSTALLED, missing_year
from learners.models import Role


@pytest.fixture
def staff(personas):
    return personas.client_for(personas.by_role[Role.ILR_EXPORT])


def test_it_knows_the_year_a_day_falls_in_when_no_schema_is_installed_for_it():
    assert missing_year(date(2026, 7, 31)) is None  # the last day of 2025-26
    missing = missing_year(date(2026, 12, 7))
    assert missing is not None
    assert (missing.label, missing.code, missing.namespace, missing.schema_file) == (
        "2026-27",
        "2627",
        "ESFA/ILR/2026-27",
        "schemafile26.xsd",
    )
    assert (missing.starts, missing.ends) == (date(2026, 8, 1), date(2027, 7, 31))


def test_the_installed_years_are_newest_first():
    assert [year.starts for year in INSTALLED] == sorted(
        (year.starts for year in INSTALLED), reverse=True
    )


@time_machine.travel("2026-12-07 10:00", tick=False)
def test_create_warns_when_today_is_past_the_newest_installed_year(personas, staff):
    page = staff.get("/ilr/create/").content.decode()
    assert 'class="govuk-warning-text"' in page
    assert "Today is in the 2026-27 collection year" in page
    assert "only up to 2025-26" in page and "A file made here is a 2025-26 file" in page
    assert "ilr_exports/schemas/schemafile26.xsd" in page and "ilr_exports/years.py" in page


@time_machine.travel("2025-10-06 10:00", tick=False)
def test_create_says_nothing_while_today_is_in_an_installed_year(personas, staff):
    page = staff.get("/ilr/create/").content.decode()
    assert "govuk-warning-text" not in page
    assert 'name="year" type="radio" value="2526" checked' in page


@time_machine.travel("2026-12-07 10:00", tick=False)
def test_create_offers_the_installed_years_and_records_the_one_chosen(personas, staff):
    page = staff.get("/ilr/create/").content.decode()
    offered = [year.code for year in INSTALLED]
    positions = [page.index(f'value="{code}"') for code in offered]
    assert positions == sorted(positions)  # newest first
    response = staff.post(
        "/ilr/create/",
        {
            "provider": personas.provider.code,
            "year": "2526",
            **{f"monitoring_{n}": "as_entered" for n in range(4)},
        },
    )
    assert response.status_code == 302
    assert IlrExport.objects.latest("id").year_code == "2526"


def test_create_refuses_a_year_picsweb_has_no_schema_for(personas, staff):
    response = staff.post(
        "/ilr/create/",
        {
            "provider": personas.provider.code,
            "year": "2627",
            **{f"monitoring_{n}": "as_entered" for n in range(4)},
        },
    )
    assert response.status_code == 400
    assert "picsweb holds no ILR schema for that year" in response.content.decode()
    assert not IlrExport.objects.exists()


@time_machine.travel("2026-12-07 10:00", tick=False)
def test_the_command_warns_when_today_is_past_the_newest_installed_year(personas, tmp_path):
    import io

    from django.core.management import call_command

    from tests.ilr_exports.test_ilr import ilr_learner

    ilr_learner(personas.provider, "LRN1")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "ilr_export",
        ukprn="10012345",
        year="2526",
        output_dir=str(tmp_path),
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().startswith("ILR-10012345-2526-20261207-")
    assert "Today is in 2026-27" in err.getvalue()
    assert "ilr_exports/schemas/schemafile26.xsd" in err.getvalue()
