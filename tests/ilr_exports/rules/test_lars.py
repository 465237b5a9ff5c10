"""The LARS standards lookup read from picsweb's standards list."""

from __future__ import annotations

from datetime import date

from ilr_exports.rules.lars import standards_lookup


def test_it_finds_a_standard_and_when_it_closed_to_new_starts() -> None:
    lookup = standards_lookup()
    open_standard = lookup(1)
    assert open_standard is not None and open_standard.effective_from == date(2014, 11, 12)
    assert open_standard.last_date_starts is None
    retired = lookup(3)
    assert retired is not None and retired.last_date_starts == date(2017, 3, 31)
    assert lookup(999999) is None
