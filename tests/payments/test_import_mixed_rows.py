"""Issue 12 item 1: rows that find the episode by LEARNER REFERENCE NUMBER, in a file that also
names that episode by IDENT (the seed's advice: start from the downloaded report, add rows)."""

import io
from datetime import date

import pytest

from payments.models import PaymentRecord
from payments.services import payment_report_write
from tests.factories import make_episode, make_learner, make_payment
from tests.payments.conftest import check, problems


@pytest.fixture
def episode(personas):
    learner = make_learner(provider=personas.provider, lrn="L3450000003")
    return make_episode(learner=learner, ident="00003", start_date=date(2025, 9, 1))


def report_plus_lrn_rows(personas, episode, new_rows):
    make_payment(episode=episode, notes="from the report")
    handle = io.BytesIO()
    payment_report_write(
        provider=personas.provider,
        records=PaymentRecord.objects.all(),
        file_format="csv",
        handle=handle,
    )
    header = handle.getvalue().decode("utf-8-sig").splitlines()[0].split(",")
    blank = dict.fromkeys(header, "")
    lines = []
    for n in range(new_rows):
        cells = blank | {
            "LEARNER REFERENCE NUMBER": "L3450000003",
            "EXPECTED PAYMENT DATE": "30/10/2025",
            "EXPECTED PAYMENT AMOUNT": f"{n + 1}.00",
            "CREDIT/DEBIT": "C",
        }
        lines.append(",".join(cells.values()))
    return handle.getvalue() + ("\r\n".join(lines) + "\r\n").encode()


def test_it_finds_the_episode_by_lrn_when_another_row_names_it_by_ident(personas, episode):
    summary = check(personas.provider, report_plus_lrn_rows(personas, episode, 1))
    assert problems(summary) == []
    assert (summary.unchanged, summary.new) == (1, 1)


def test_it_does_so_in_a_big_file_too_where_the_whole_provider_is_read(personas, episode):
    summary = check(personas.provider, report_plus_lrn_rows(personas, episode, 2100))
    assert problems(summary) == []
    assert (summary.unchanged, summary.new) == (1, 2100)


def test_it_finds_it_with_episode_start_too(personas, episode):
    data = (
        "IDENT,LEARNER REFERENCE NUMBER,EPISODE START,EXPECTED PAYMENT DATE,"
        "EXPECTED PAYMENT AMOUNT,CREDIT/DEBIT\n"
        "00003,,,30/10/2025,1.00,C\n"
        ",L3450000003,01/09/2025,30/10/2025,2.00,C\n"
    )
    summary = check(personas.provider, data.encode())
    assert problems(summary) == []
    assert summary.new == 2
