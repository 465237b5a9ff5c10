"""Issue 11 item 15: a message names at most ten things from the file, then "and N more",
so a header of 10,000 columns does not make a page or an email of 300 KB."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from learners.models import Role
from picsweb.imports.reading import ImportFileError
from picsweb.models import Job
from tests.payments.conftest import check


def test_a_header_of_10000_columns_gets_a_short_answer_on_the_upload_page(world, personas):
    owner = personas.by_role[Role.PAYMENTS_IMPORT]
    owner.email = "owner@example.com"
    owner.save()
    client = personas.client_for(owner)
    header = ",".join(f"UNKNOWN COLUMN NUMBER {n:05d}" for n in range(10_000))
    response = client.post(
        "/payments/import/",
        {
            "provider": world.provider.code,
            "separator": ",",
            "file": SimpleUploadedFile("wide.csv", f"IDENT,{header}\n00001\n".encode()),
        },
    )
    # Refused on the upload page, with a short message: no job, no email.
    assert response.status_code == 400
    page = response.content.decode()
    assert "10,001 columns" in page and len(page) < 20_000
    assert not Job.objects.exists() and not mail.outbox


def test_it_names_ten_unknown_columns_then_how_many_more(world):
    names = [f"{'A LONG UNKNOWN COLUMN NAME ' * 4}{n}" for n in range(150)]
    with pytest.raises(ImportFileError) as caught:
        check(world.provider, ("IDENT," + ",".join(names) + "\n00001\n").encode())
    message = caught.value.message
    assert message.count("'A LONG UNKNOWN") == 10
    assert "and 140 more." in message
    assert len(message) < 1_500
