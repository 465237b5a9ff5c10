"""Business rules of the learner records: the staff list, its choice lists and the CSV
download of learners."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files import File
from django.core.paginator import Page, Paginator
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value

from learners.columns import COLUMNS, EMPLOYMENT_COLUMNS, LEARNER_COLUMNS, READ_ONLY_COLUMNS
from learners.models import (
    Contract,
    EmploymentStatus,
    Learner,
    Officer,
    Organisation,
    Provider,
    Site,
    Tag,
)
from picsweb.spreadsheets import safe_csv_file

Choices = list[tuple[int, str]]


@dataclass
class ChoiceLists:
    """A provider's lists, for the filter drop-downs."""

    site: Choices = field(default_factory=list)
    employer: Choices = field(default_factory=list)
    subcontractor: Choices = field(default_factory=list)
    contract: Choices = field(default_factory=list)
    tag: Choices = field(default_factory=list)
    officer: Choices = field(default_factory=list)

    def as_filter_choices(self) -> dict[str, Choices]:
        return dict(self.__dict__)


def provider_choice_lists(*, provider: Provider) -> ChoiceLists:
    """Every list the learner filters offer, read in one UNION query."""

    def part(
        model: type[Site | Organisation | Contract | Tag | Officer],
        kind: str,
        label: str,
        **f: object,
    ) -> QuerySet[Site]:
        return (
            model.objects.filter(provider=provider, **f)  # type: ignore[return-value]
            .annotate(kind=Value(kind, output_field=CharField()))
            .values_list("kind", "id", label)
            .order_by()
        )

    union = part(Site, "site", "name").union(
        part(Organisation, "employer", "name", is_employer=True),
        part(Organisation, "subcontractor", "name", is_subcontractor=True),
        part(Contract, "contract", "reference"),
        part(Tag, "tag", "name"),
        part(Officer, "officer", "name"),
        all=True,
    )
    rows: list[tuple[str, int, str]] = list(union)  # type: ignore[arg-type]
    lists = ChoiceLists()
    for kind, pk, label in sorted(rows, key=lambda row: (row[0], row[2].lower())):
        getattr(lists, kind).append((pk, label))
    return lists


# Up to this many matches, a page's learners are found first and then sorted (see below).
COLLECT_FIRST_BELOW = 500
_NO_LIMIT = 1_000_000_000  # a LIMIT that limits nothing: it only plans the subquery alone


def learner_list_page(
    *, learners: QuerySet[Learner], ordering: list[str], per_page: int, number: str | None
) -> Page[Learner]:
    """One page of the staff list. The page's IDs are found first and only those rows are
    then read with their site, officer and latest employer, so a deep page costs no more
    than the first (the employer subquery runs for 25 rows, not for every skipped row).

    A page in the second half of the list is read from the other end, in the reverse order,
    and turned round: the last page skips nothing rather than every learner before it. Every
    sort ends in a unique column, so both orders are the same list.

    When the filters match few learners (the count says so) they are all found first and
    only they are sorted: a subquery with a LIMIT is planned on its own. Otherwise PostgreSQL
    may walk the whole provider in sort order, testing each learner, to fill page 1 of a
    rare standard (44 ms for 170 matches at 100,000 learners, against 3 ms so). Not for many
    more: PostgreSQL then reads the whole table to sort them, where the walk in sort order
    stops early (a filter matching 5,000: 64 ms against 1 ms).

    (Reading the IDs and the total in one query with COUNT(*) OVER () was measured slower:
    PostgreSQL then sorts every match even for page 1, where the index order stops at 25.)
    """
    paginator = Paginator(learners.order_by(*ordering).values_list("id", flat=True), per_page)
    page = paginator.get_page(number)
    count = paginator.count
    start = (page.number - 1) * per_page
    end = min(start + per_page, count)
    if count <= COLLECT_FIRST_BELOW:
        learners = Learner.objects.filter(id__in=learners.order_by().values("id")[:_NO_LIMIT])
    if start > count - end:
        reverse = [c[1:] if c.startswith("-") else f"-{c}" for c in ordering]
        ids = list(
            learners.order_by(*reverse).values_list("id", flat=True)[count - end : count - start]
        )
        ids.reverse()
    else:
        ids = list(learners.order_by(*ordering).values_list("id", flat=True)[start:end])
    latest_employer = (
        EmploymentStatus.objects.filter(learner=OuterRef("pk"))
        .order_by("-date_applies", "-id")
        .values("employer__name")[:1]
    )
    rows = (
        Learner.objects.filter(id__in=ids)
        .select_related("site", "main_officer")
        .annotate(employer_name=Subquery(latest_employer))
    )
    by_id = {learner.id: learner for learner in rows} if ids else {}
    learners_page: Page[Learner] = page  # type: ignore[assignment]
    learners_page.object_list = [by_id[i] for i in ids if i in by_id]
    return learners_page


_STATE_LABELS = dict(Learner.State.choices)
_AS_LABELS = dict(Learner.ASStatus.choices)
_READ_ONLY_LABELS = {"state": _STATE_LABELS, "as_status": _AS_LABELS}


def learner_csv_rows(*, learners: QuerySet[Learner]) -> Iterator[list[Any]]:
    """The header, then each learner, streaming from the database: the Learner Import's
    columns (learners/columns.py, in its formats: dates dd/mm/yyyy, ILR codes, the latest
    employment status with its employer's PICS Organisation Identifier), then the columns the
    import does not change. So the file re-imports unchanged."""
    yield [*COLUMNS, *READ_ONLY_COLUMNS]
    fields = list(LEARNER_COLUMNS.values())
    read_only = list(READ_ONLY_COLUMNS.values())
    latest = EmploymentStatus.objects.filter(learner=OuterRef("pk")).order_by(
        "-date_applies", "-id"
    )
    rows = (
        learners.order_by("family_name", "given_names", "id")
        .annotate(latest_status=Subquery(latest.values("id")[:1]))
        .values_list(*fields, *read_only, "latest_status")
    )
    chunk: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=2000):
        chunk.append(row)
        if len(chunk) == 2000:
            yield from _csv_chunk(chunk, len(fields), read_only)
            chunk = []
    yield from _csv_chunk(chunk, len(fields), read_only)


# The employment status columns as read for the download (the employer by its PICS ID).
_STATUS_PATHS = [
    "employer__pics_id" if name == "employer" else name for name in EMPLOYMENT_COLUMNS.values()
]


def _csv_chunk(
    chunk: list[tuple[Any, ...]], width: int, read_only: list[str]
) -> Iterator[list[Any]]:
    ids = [row[-1] for row in chunk if row[-1] is not None]
    found = EmploymentStatus.objects.filter(id__in=ids).values_list("id", *_STATUS_PATHS)
    statuses = {s[0]: list(s[1:]) for s in found} if ids else {}
    blank = [""] * len(_STATUS_PATHS)
    for row in chunk:
        labelled = [
            _READ_ONLY_LABELS[path].get(value, value) if path in _READ_ONLY_LABELS else value
            for path, value in zip(read_only, row[width:-1], strict=True)
        ]
        yield [*row[:width], *statuses.get(row[-1], blank), *labelled]


def learners_csv_file(
    *, learners: QuerySet[Learner], progress: Callable[[int], None] | None = None
) -> File[bytes]:
    """The learners as a CSV file, safe from formula injection."""
    return safe_csv_file(learner_csv_rows(learners=learners), progress)
