import pytest

from learners import identifiers


@pytest.mark.parametrize("uln", ["1748529632", "1000000043", "2000000028"])
def test_it_accepts_ulns_that_pass_the_check_digit(uln):
    assert identifiers.uln_problem(uln) is None


@pytest.mark.parametrize(
    ("uln", "message"),
    [
        ("1748529631", "fails its check digit"),
        ("1000000063", "fails its check digit"),  # remainder 0 is never valid
        ("ABC4567890", "10 digits"),
        ("123456789", "10 digits"),
        ("0748529632", "10 digits"),
        ("9999999999", "temporary ULN"),
        ("", "missing"),
    ],
)
def test_it_says_what_is_wrong_with_a_bad_uln(uln, message):
    assert message in (identifiers.uln_problem(uln) or "")


def test_it_checks_upn_check_letters():
    assert identifiers.upn_problem("B801200005001") is None
    assert identifiers.upn_problem("M80120000500A") is None
    assert "check letter" in (identifiers.upn_problem("A801200005001") or "")
    assert "digits" in (identifiers.upn_problem("X80120000A001") or "")


@pytest.mark.parametrize(
    ("ukprn", "ok"), [("10012345", True), ("1234567", False), ("87654321", False)]
)
def test_it_checks_ukprns(ukprn, ok):
    assert identifiers.ukprn_ok(ukprn) is ok


def test_it_normalises_postcodes():
    assert identifiers.normalise_postcode(" sw1a2aa ") == "SW1A 2AA"
    assert identifiers.normalise_postcode("ec1a\u00a01bb") == "EC1A 1BB"


@pytest.mark.parametrize(
    ("postcode", "ok"),
    [
        ("SW1A 2AA", True),
        ("EC1A 1BB", True),
        ("BT1 1AA", True),
        ("ZZ99 9ZZ", True),  # the ILR's "unknown"
        ("QQ1 1AA", False),  # no QQ area
        ("SW1A 2CA", False),  # C is never an inward letter
        ("GIR 0AA", False),
    ],
)
def test_it_checks_postcodes(postcode, ok):
    assert (identifiers.postcode_problem(postcode) is None) is ok


@pytest.mark.parametrize(
    ("lrn", "ok"),
    [("LRN000123", True), ("AB 12", True), ("LRN-000123", False), ("ABCDEFGHIJKLM", False)],
)
def test_it_checks_learner_reference_numbers(lrn, ok):
    assert identifiers.lrn_ok(lrn) is ok
