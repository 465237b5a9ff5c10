"""picsweb.db.read_ahead: a long export's chunks read in a thread on its own connection, one
or two ahead, with the same items in the same order as reading them in place."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from django.db import connection, transaction

from ilr_exports import services
from ilr_exports.years import CURRENT_YEAR
from learners.models import Learner
from picsweb.db import read_ahead
from tests.factories import make_learner, make_provider
from tests.ilr_exports.test_ilr import export, ilr_learner


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _lrns_and_pids() -> Iterator[tuple[str, int]]:
    for lrn in Learner.objects.order_by("lrn").values_list("lrn", flat=True).iterator():
        yield lrn, _backend_pid()


def _read_ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "read-ahead"]


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads in place: there is no server to answer while we work")


def test_committed_rows_are_read_on_another_connection_in_their_order(
    transactional_db, on_postgresql
):
    provider = make_provider()
    for lrn in ("C3", "A1", "B2"):
        make_learner(provider=provider, lrn=lrn)

    read = list(read_ahead(_lrns_and_pids))

    assert [lrn for lrn, _ in read] == ["A1", "B2", "C3"]
    assert {pid for _, pid in read} != {_backend_pid()}
    assert not _read_ahead_threads()


def test_inside_a_transaction_the_rows_are_read_in_place(transactional_db, on_postgresql):
    with transaction.atomic():
        make_learner(provider=make_provider(), lrn="UNCOMMITTED")
        read = list(read_ahead(_lrns_and_pids))
        assert read == [("UNCOMMITTED", _backend_pid())]


def test_an_error_while_reading_ahead_reaches_the_caller(transactional_db, on_postgresql):
    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("the third chunk could not be read")

    got = []
    with pytest.raises(ValueError, match="third chunk"):
        for item in read_ahead(failing):
            got.append(item)
    assert got == [1]
    assert not _read_ahead_threads()


def test_a_caller_that_stops_early_stops_the_thread_and_closes_its_connection(
    transactional_db, on_postgresql
):
    provider = make_provider()
    for n in range(10):
        make_learner(provider=provider, lrn=f"L{n:02d}")

    def open_connections() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            return int(cursor.fetchone()[0])

    before = open_connections()
    items = read_ahead(_lrns_and_pids, depth=1)
    assert next(items)[0] == "L00"
    items.close()

    assert not _read_ahead_threads()
    assert open_connections() == before


def test_an_ilr_file_read_ahead_is_the_file_read_in_place(
    transactional_db, standards, on_postgresql, monkeypatch
):
    """Several chunks (three learners each), read ahead over committed rows and in place
    inside a transaction, give the same file byte for byte."""
    monkeypatch.setattr(services, "ROWS_CHUNK", 3)
    provider = make_provider(name="Northgate Training", ukprn="10012345")
    for n in range(8):
        ilr_learner(provider, f"LRN{n}")
    record = export(provider)
    at = datetime(2025, 10, 6, 9, 30)

    def write() -> tuple[bytes, int]:
        handle = io.BytesIO()
        written = services.ilr_write(export=record, year=CURRENT_YEAR, at=at, handle=handle)
        return handle.getvalue(), written.learners

    ahead = write()
    with transaction.atomic():
        in_place = write()
    assert ahead == in_place
    assert ahead[1] == 8
