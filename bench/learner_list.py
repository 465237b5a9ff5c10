"""The staff learner list on 200,000 learners: p95 time and queries per page, for filtered,
sorted and deep pages, against a baseline measured in the same run (the plain way: one
Paginator over the select_related + annotated queryset).

Target (issues 4 and 19): every page p95 <= 150 ms and <= 10 queries, deep pages included.
The pages are served in this process as gunicorn serves them: after picsweb/wsgi.py's
ready_to_serve(), so a full garbage collection does not walk Django's startup objects.
Run: .venv/bin/python bench/learner_list.py [--learners 200000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import setup

# Each filter's first page and its deepest (`page=last` is replaced by the case's last page,
# counted before it is timed), then the searches users type first: one and two letters.
CASES = [
    "",
    "sort=-name",
    "page=last",
    "q=s",
    "q=sm",
    "q=smi",
    "q=s&page=last",
    "q=olivia+smi",
    "q={lrn}",
    "site={site}",
    "site={site}&sort=-dob&page=40",
    "site={site}&page=last",
    "employer={employer}&sort=uln",
    "employer={employer}&page=last",
    "subcontractor={subcontractor}",
    "subcontractor={subcontractor}&page=last",
    "contract={contract}&page=300",
    "contract={contract}&page=last",
    "tag={tag}&state=any&per_page=200",
    "tag={tag}&page=last",
    "officer={officer}&sort=lrn",
    "officer={officer}&page=last",
    "standard={standard}",
    "standard={standard}&page=last",
    "as_agreement_id={agreement}",
    "as_cohort=VLLXJ7&sort=-uln",
    "as_status=none&page=2000",
    "as_status=none&page=last",
    "state=archived&per_page=100",
    "state=archived&page=last",
]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup(args.learners)

    from django.contrib.auth.models import User
    from django.core.paginator import Paginator
    from django.db import connection, reset_queries
    from django.db.models import Count, OuterRef, Subquery
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from learners.filters import LearnerFilter
    from learners.models import EmploymentStatus, Learner, LearningDelivery, Provider
    from learners.services import learner_list_page, provider_choice_lists

    provider = Provider.objects.get(ukprn="10012345")
    count = Learner.objects.filter(provider=provider).count()
    values = {
        "lrn": Learner.objects.filter(provider=provider).values_list("lrn", flat=True)[500],
        "site": provider.site_set.values_list("pk", flat=True)[0],
        "employer": provider.organisation_set.filter(is_employer=True).values_list("pk", flat=True)[
            0
        ],
        "subcontractor": provider.organisation_set.filter(is_subcontractor=True).values_list(
            "pk", flat=True
        )[0],
        # The contract most learners are on (page 300 exists there).
        "contract": LearningDelivery.objects.filter(learner__provider=provider)
        .exclude(contract=None)
        .values("contract_id")
        .annotate(n=Count("learner_id", distinct=True))
        .order_by("-n")
        .values_list("contract_id", flat=True)
        .first(),
        "tag": provider.tag_set.values_list("pk", flat=True)[0],
        "officer": provider.officer_set.values_list("pk", flat=True)[0],
        # The most common standard (its last page is a deep one).
        "standard": LearningDelivery.objects.filter(learner__provider=provider)
        .exclude(standard=None)
        .values("standard_id")
        .annotate(n=Count("learner_id", distinct=True))
        .order_by("-n")
        .values_list("standard_id", flat=True)
        .first(),
        "agreement": EmploymentStatus.objects.filter(learner__provider=provider)
        .exclude(as_agreement_id="")
        .values_list("as_agreement_id", flat=True)
        .first(),
    }

    choices = provider_choice_lists(provider=provider)

    def last_page(query: str) -> int:
        data = QueryDict(query, mutable=True)
        per_page = int(data.pop("per_page", ["25"])[0])
        data.pop("page", None)
        data.pop("sort", None)
        learners = LearnerFilter(
            data,
            Learner.objects.filter(provider=provider),
            choices,
        )
        assert learners.is_valid(), learners.errors
        return max(1, -(-learners.qs.count() // per_page))

    from picsweb.serving import ready_to_serve

    client = Client()
    client.force_login(User.objects.get(username="staff"))
    client.get("/learners/")
    ready_to_serve()  # as picsweb/wsgi.py does before the server's first request

    print(f"{Learner.objects.count():,} learners in all, {count:,} at {provider.name}")
    print(
        f"{'page':44} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'rows':>5}"
        f" | {'baseline p95':>12} {'ratio':>6}"
    )
    worst_p95, worst_queries, ratios = 0.0, 0, []
    for case in CASES:
        query = case.format(**values)
        if "page=last" in query:
            query = query.replace("page=last", f"page={last_page(query)}")
        times, queries, rows = [], 0, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(f"/learners/?{query}")
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, query
            queries, rows = len(captured), response.content.count(b"data-learner-tick")

        # Baseline: the same page's data read the plain way (count + one OFFSET query that
        # computes the employer subquery for every row it skips), plus our own data read, so
        # the ratio compares like with like (data only, no template).
        params = dict(p.split("=") for p in query.split("&") if p) if query else {}
        data = QueryDict(mutable=True)
        data.update(params)
        sort = data.pop("sort", ["name"])[0]
        page_no = data.pop("page", ["1"])[0]
        per_page = int(data.pop("per_page", ["25"])[0])
        from learners.filters import SORTS

        ordering = [f"-{c}" if sort.startswith("-") else c for c in SORTS[sort.lstrip("-")]]
        choices = provider_choice_lists(provider=provider)
        latest = (
            EmploymentStatus.objects.filter(learner=OuterRef("pk"))
            .order_by("-date_applies", "-id")
            .values("employer__name")[:1]
        )
        base_times, ours_times = [], []
        for _ in range(max(3, args.repeat // 3)):
            plain = LearnerFilter(
                data,
                Learner.objects.filter(provider=provider)
                .select_related("site", "main_officer")
                .annotate(employer_name=Subquery(latest)),
                choices,
            ).qs.order_by(*ordering)
            started = time.perf_counter()
            page = Paginator(plain, per_page).get_page(page_no)
            list(page.object_list)
            base_times.append((time.perf_counter() - started) * 1000)
            ours = LearnerFilter(data, Learner.objects.filter(provider=provider), choices).qs
            started = time.perf_counter()
            learner_list_page(learners=ours, ordering=ordering, per_page=per_page, number=page_no)
            ours_times.append((time.perf_counter() - started) * 1000)
            reset_queries()
        ratio = p95(base_times) / p95(ours_times)
        ratios.append(ratio)
        worst_p95, worst_queries = max(worst_p95, p95(times)), max(worst_queries, queries)
        print(
            f"{query[:44]:44} {statistics.median(times):7.1f} {p95(times):7.1f} {queries:7d}"
            f" {rows:5d} | {p95(base_times):12.1f} {ratio:5.1f}x"
        )
    print(
        f"\nworst page p95 {worst_p95:.1f} ms (target <= 150), most queries {worst_queries} "
        f"(target <= 10); data read vs baseline: median {statistics.median(ratios):.1f}x, "
        f"worst {min(ratios):.1f}x, best {max(ratios):.1f}x faster"
    )


if __name__ == "__main__":
    main()
