"""Every offline rule of the AS bulk-upload spec (/work/shared/specs/as_bulk_upload.md), one
test per rule, named after it. Seed-000 inclusion rules are in test_as_cohort.py."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from learners.as_cohort import (
    HEADER,
    MAX_ROWS_PER_FILE,
    _check,
    as_cohort_build,
    as_cohort_csv,
    as_cohort_files,
)
from learners.models import EmploymentStatus, Learner
from tests.learners.test_as_cohort import TODAY, reasons_for, sendable


def rejected(personas, reason, **overrides):
    found = reasons_for(sendable(personas.provider, **overrides))
    assert any(reason in r for r in found), found


def accepted(personas, **overrides):
    assert reasons_for(sendable(personas.provider, **overrides)) == []


def checked(person=None, aim=None):
    """The reasons for values the database columns cannot even hold (checked all the same:
    the AS limits are the rule, not our column sizes)."""
    base_person = {
        "state": Learner.State.LIVE,
        "uln": "1748529632",
        "family_name": "Smith",
        "given_names": "Jane",
        "date_of_birth": date(2004, 3, 15),
        "email": "jane.smith@example.com",
        "as_cohort_code": "",
        "lrn": "LRN0001",
    }
    base_aim = {
        "standard_id": 91,
        "standard__level": 4,
        "start_date": date(2025, 9, 1),
        "planned_end_date": date(2027, 3, 31),
        "training_price": Decimal("8000"),
        "epa_price": Decimal("1000"),
        "epa_org_id": "EPA0001",
        "rpl": False,
        "rpl_training_total_hours": None,
        "rpl_training_hours_reduction": None,
        "rpl_price_reduced_by": None,
    }
    job = {"status": EmploymentStatus.Status.EMPLOYED, "as_agreement_id": "XEGE5X"}
    reasons, _ = _check(base_person | (person or {}), base_aim | (aim or {}), job, TODAY)
    return reasons


def row(personas, **overrides):
    sendable(personas.provider, **overrides)
    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    ((_, cells),) = export.rows
    return dict(zip(HEADER, cells, strict=True))


# File-level rules


def test_file_name_ends_csv_and_header_is_the_19_template_columns_in_order(personas):
    sendable(personas.provider)
    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    name, content = as_cohort_files(export=export, ukprn="10012345", at=datetime(2025, 11, 23))
    assert name.endswith(".csv")
    assert content.decode("utf-8").split("\r\n")[0] == (
        "CohortRef,AgreementID,ULN,FamilyName,GivenNames,DateOfBirth,EmailAddress,StdCode,"
        "StartDate,EndDate,TotalPrice,EPAOrgID,ProviderRef,RecognisePriorLearning,"
        "TrainingTotalHours,TrainingHoursReduction,IsDurationReducedByRPL,DurationReducedBy,"
        "PriceReducedBy"
    )


def test_every_line_has_19_pieces_split_on_commas_without_quotes(personas):
    rejected(personas, "FamilyName holds a comma", family_name="Smith, Jr")
    sendable(personas.provider, lrn="OK1", uln="2000000028", email="ok@example.com")
    export = as_cohort_build(learners=Learner.objects.filter(lrn="OK1"), today=TODAY)
    lines = as_cohort_csv([cells for _, cells in export.rows]).decode().split("\r\n")
    assert [len(line.split(",")) for line in lines if line] == [19, 19]


def test_no_quote_inside_a_value(personas):
    rejected(personas, "GivenNames holds a comma, a quote", given_names='Jo "JJ"')


def test_no_line_break_inside_a_value(personas):
    rejected(personas, "FamilyName holds a comma, a quote or a line break", family_name="Sm\nith")


def test_no_blank_lines_between_rows_and_one_final_line_ending(personas):
    content = as_cohort_csv([["a"] * 19, ["b"] * 19])
    assert b"\r\n\r\n" not in content and content.endswith(b"\r\n")


def test_at_least_one_apprentice_row(personas):
    export = as_cohort_build(learners=Learner.objects.none(), today=TODAY)
    assert export.included == 0  # the job refuses to make a file with no rows (test_as_cohort)


def test_at_most_99_apprentice_rows_per_file(personas):
    export = as_cohort_build(learners=Learner.objects.none(), today=TODAY)
    export.rows = [(n, ["x"] * 19) for n in range(MAX_ROWS_PER_FILE + 1)]
    name, content = as_cohort_files(export=export, ukprn="10012345", at=datetime(2025, 11, 23))
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert name.endswith(".zip")
    assert [len(archive.read(n).splitlines()) - 1 for n in sorted(archive.namelist())] == [99, 1]


def test_utf_8(personas):
    cells = row(personas, family_name="Ōkami")
    assert cells["FamilyName"] == "Ōkami"
    assert "Ōkami".encode() in as_cohort_csv([list(cells.values())])


# Column rules


def test_cohort_ref_at_most_20_characters(personas):
    assert checked({"as_cohort_code": "C" * 21}) == [
        "The AS cohort code is longer than 20 characters."
    ]


def test_agreement_id_letters_and_digits_at_most_6(personas):
    rejected(
        personas, "AS Agreement ID must be 1 to 6 letters", employment={"as_agreement_id": "AB-12"}
    )


def test_uln_ten_digits_first_not_zero_and_mod_11(personas):
    rejected(personas, "fails its check digit", uln="1748529631")


def test_uln_not_the_temporary_9999999999(personas):
    rejected(personas, "9999999999 is the temporary ULN", uln="9999999999")


def test_uln_unique_within_the_file(personas):
    sendable(personas.provider, lrn="A1", family_name="Able")
    sendable(personas.provider, lrn="B1", family_name="Baker", email="b@example.com")
    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    assert export.exclusions[0].reasons == ["Learner A1 in this export has the same ULN."]


def test_family_name_1_to_100_characters(personas):
    assert checked({"family_name": "S" * 101}) == [
        "Family name and given names must each be 1 to 100 characters."
    ]


def test_given_names_1_to_100_characters(personas):
    assert checked({"given_names": ""}) == [
        "Family name and given names must each be 1 to 100 characters."
    ]


def test_date_of_birth_given_as_yyyy_mm_dd(personas):
    rejected(personas, "No date of birth.", date_of_birth=None)
    assert row(personas, lrn="L2")["DateOfBirth"] == "2004-03-15"


def test_age_at_least_15_on_the_first_of_the_start_month(personas):
    rejected(personas, "Aged 14 at the start", date_of_birth=date(2010, 9, 2))
    accepted(personas, lrn="L2", date_of_birth=date(2010, 9, 1))


def test_age_under_115_on_the_first_of_the_start_month(personas):
    rejected(personas, "Aged 115 at the start", date_of_birth=date(1910, 9, 1))


def test_level_7_starting_from_2026_01_01_needs_under_25(personas):
    level_7 = {"standard_id": 43, "start_date": date(2026, 1, 1)}
    rejected(
        personas,
        "a level 7 apprenticeship starting from 1 January 2026 needs a learner under 25",
        date_of_birth=date(2001, 1, 1),  # 25 on 1 January 2026
        aim=level_7,
    )


def test_level_7_under_25_or_starting_before_2026_is_accepted(personas):
    accepted(
        personas,
        lrn="YOUNG",
        date_of_birth=date(2001, 1, 2),
        aim={"standard_id": 43, "start_date": date(2026, 1, 1)},
    )
    Learner.objects.all().delete()
    accepted(
        personas,
        lrn="BEFORE",
        date_of_birth=date(1990, 1, 1),
        aim={"standard_id": 43, "start_date": date(2025, 12, 1)},
    )


def test_email_address_valid(personas):
    rejected(personas, "not one the Apprenticeship Service accepts", email="jane@localhost")


def test_email_address_at_most_200_characters(personas):
    rejected(
        personas, "not one the Apprenticeship Service accepts", email="j" * 190 + "@example.com"
    )


def test_email_address_unique_within_the_file(personas):
    sendable(personas.provider, lrn="A1", family_name="Able")
    sendable(personas.provider, lrn="B1", family_name="Baker", uln="2000000028")
    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    assert export.exclusions[0].reasons == ["Learner A1 in this export has the same email address."]


def test_email_addresses_differing_in_case_are_not_the_same(personas):
    """The format: unique within the file by exact match."""
    sendable(personas.provider, lrn="A1", family_name="Able")
    sendable(
        personas.provider,
        lrn="B1",
        family_name="Baker",
        uln="2000000028",
        email="Jane.Smith@example.com",
    )
    export = as_cohort_build(learners=Learner.objects.all(), today=TODAY)
    assert export.exclusions == []


def test_std_code_digits_at_most_5(personas):
    assert row(personas)["StdCode"] == "91"
    Learner.objects.all().delete()
    rejected(personas, "The programme aim has no standard code.", aim={"standard_id": None})


def test_start_date_not_before_may_2017(personas):
    rejected(personas, "starts before May 2017", aim={"start_date": date(2017, 4, 30)})


def test_start_date_at_most_a_year_after_this_academic_year_ends(personas):
    rejected(
        personas,
        "more than a year after this academic year ends",
        aim={"start_date": date(2027, 8, 1), "planned_end_date": date(2029, 1, 31)},
    )


def test_end_date_as_yyyy_mm_after_the_start_month(personas):
    assert row(personas)["EndDate"] == "2027-03"
    Learner.objects.all().delete()
    rejected(
        personas, "end month must be after the start", aim={"planned_end_date": date(2025, 9, 30)}
    )


def test_total_price_whole_pounds(personas):
    rejected(personas, "has pence", aim={"training_price": Decimal("8000.50")})


def test_total_price_from_1_to_100000(personas):
    rejected(personas, "must be from £1 to £100,000", aim={"training_price": Decimal("99500")})
    Learner.objects.all().delete()
    rejected(personas, "No agreed price", aim={"training_price": None, "epa_price": None})


def test_epa_org_id_at_most_7_characters(personas):
    assert checked(aim={"epa_org_id": "EPA00001"}) == [
        "The EPA organisation ID is longer than 7 characters."
    ]


def test_provider_ref_at_most_20_characters(personas):
    assert checked({"lrn": "L" * 21}) == [
        "The learner reference number is longer than 20 characters."
    ]


def test_recognise_prior_learning_required_from_2022_08_01(personas):
    rejected(personas, "Recognition of prior learning is not recorded", aim={"rpl": None})


def test_recognise_prior_learning_blank_before_2022_08_01(personas):
    cells = row(
        personas,
        aim={"start_date": date(2022, 7, 1), "planned_end_date": date(2024, 7, 1), "rpl": True},
    )
    assert cells["RecognisePriorLearning"] == ""


def test_training_total_hours_only_when_rpl_and_187_to_9999(personas):
    assert (
        row(personas, aim={"rpl": False, "rpl_training_total_hours": 600})["TrainingTotalHours"]
        == ""
    )
    Learner.objects.all().delete()
    rejected(
        personas,
        "Off-the-job hours before RPL must be from 187",
        aim={"rpl": True, "rpl_training_total_hours": 186},
    )


def test_training_hours_reduction_only_when_rpl_1_to_999_leaving_187(personas):
    rejected(
        personas,
        "leave at least 187 off-the-job hours",
        aim={"rpl": True, "rpl_training_total_hours": 200, "rpl_training_hours_reduction": 50},
    )


def test_is_duration_reduced_by_rpl_and_duration_reduced_by_left_blank(personas):
    cells = row(personas, aim={"rpl": True, "rpl_training_total_hours": 600})
    assert (cells["IsDurationReducedByRPL"], cells["DurationReducedBy"]) == ("", "")


def test_price_reduced_by_only_when_rpl_and_100_to_18000(personas):
    rejected(
        personas,
        "Price reduced by RPL must be from £100",
        aim={"rpl": True, "rpl_price_reduced_by": 99},
    )
