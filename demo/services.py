"""Realistic, valid demo data: providers, their lists, users with each role, and learners with
episodes, aims and employment. Some learners are made to fail each AS cohort export rule.

Fast enough for 200,000 learners: rows are built in memory in chunks and written with
bulk_create (rows whose IDs are needed next) or COPY (picsweb.bulk), one transaction per chunk.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from learners import identifiers
from learners.models import (
    Contract,
    ContractType,
    EmploymentStatus,
    Episode,
    FundModel,
    Learner,
    LearnerFAM,
    LearnerLLDD,
    LearningDelivery,
    LLDDCategory,
    Membership,
    Officer,
    Organisation,
    Provider,
    Role,
    Site,
    Standard,
    Tag,
    ident_for,
    ident_number,
)
from learners.reference_data import english_outcodes, outcode_centroids
from picsweb.bulk import insert_objects

PORTAL_ROLES = (Role.LEARNER_MANAGER, Role.PROVIDER_MANAGER, Role.USER_MANAGER, Role.ADMISSIONS)
DEMO_PASSWORD = "picsweb-demo"  # noqa: S105 - printed by `make run`; demo data only
DEMO_PROVIDERS = [
    ("10012345", "Northgate Training"),
    ("10034567", "Riverside College"),
    ("10056789", "Summit Apprenticeships"),
]
# username, provider index (None = superuser), roles, description
DEMO_USERS: list[tuple[str, int | None, list[Role], str]] = [
    ("admin", None, [], "superuser: everything, every provider"),
    ("provadmin", 0, [Role.PROVIDER_ADMIN], "Provider Admin at Northgate Training"),
    (
        "staff",
        0,
        [r for r in Role if r not in (Role.PROVIDER_ADMIN, *PORTAL_ROLES)],
        "every staff role at Northgate Training",
    ),
    ("viewer", 0, [Role.LEARNER_LIST], "Learner List only, Northgate Training"),
    ("riverside", 1, [Role.PROVIDER_ADMIN], "Provider Admin at Riverside College"),
    # The portal (progress_apply): a learner, provider and user manager per provider, and a
    # portal learner who has logged in before.
    *[
        (f"{who}-{slug}", index, [role], f"{role.label} at {name}")
        for index, (slug, name) in enumerate(
            [
                ("northgate", "Northgate Training"),
                ("riverside", "Riverside College"),
                ("summit", "Summit Apprenticeships"),
            ]
        )
        for who, role in (
            ("lm", Role.LEARNER_MANAGER),
            ("pm", Role.PROVIDER_MANAGER),
            ("um", Role.USER_MANAGER),
            ("admissions", Role.ADMISSIONS),
        )
    ],
    ("learner", 0, [], "portal learner at Northgate Training (Year 11)"),
]

GIVEN = (
    """Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Willow Emily Ella Poppy
    Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Jack Charlie
    Jacob Thomas Aisha Priya Zara Kwame Chidi Tomasz Agnieszka Siobhan Niamh Rhys Cerys Ravi"""
).split()
FAMILY = (
    """Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson
    Evans Walker White Roberts Green Hall Wood Jackson Clarke Khan Ahmed Hussain Begum Nowak
    Kowalski Murphy Kelly O'Brien Singh Okafor Mensah Lewis Harris Martin Cooper King Lee
    Baker Hughes Edwards Turner Hill Moore Scott Ward Morris Price Bennett Gray James"""
).split()
EMPLOYER_WORDS = (
    """Acme Apex Beacon Bridge Castle Cedar Crown Delta Eagle Forge Harbour Horizon Keystone
    Lighthouse Meridian Northern Oak Pennine Quay Summit Thames Vale Weston"""
).split()
EMPLOYER_KINDS = (
    """Engineering Logistics Care Homes Construction Digital Motors Foods Retail Energy"""
).split()
AWARDING_ORGS = ["City & Guilds", "Pearson", "NCFE", "Highfield", "AQA", "OCR"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


# About 1 % of learners each break one named ESFA validation rule on purpose, so the ILR
# rules have something to find (docs/ilr.md lists them); the rest pass them.
BROKEN_RULES = ("ULN_12", "EmpId_02", "WithdrawReason_03", "LLDDHealthProb_06", "Outcome_01")
BROKEN_SHARE = 0.01
WITHDRAW_REASONS = [
    LearningDelivery.WithdrawReason.TRANSFERRED,
    LearningDelivery.WithdrawReason.INJURY_ILLNESS,
    LearningDelivery.WithdrawReason.REDUNDANT,
    LearningDelivery.WithdrawReason.FINANCIAL,
    LearningDelivery.WithdrawReason.PERSONAL,
    LearningDelivery.WithdrawReason.PERSONAL,
    LearningDelivery.WithdrawReason.OTHER,
    LearningDelivery.WithdrawReason.NOT_KNOWN,
]
PRIOR_LEVELS = [
    Learner.PriorLevel.LEVEL_1,
    Learner.PriorLevel.FULL_LEVEL_2,
    Learner.PriorLevel.FULL_LEVEL_2,
    Learner.PriorLevel.FULL_LEVEL_3,
    Learner.PriorLevel.FULL_LEVEL_3,
    Learner.PriorLevel.FULL_LEVEL_3,
    Learner.PriorLevel.LEVEL_4,
    Learner.PriorLevel.LEVEL_6,
    Learner.PriorLevel.ENTRY,
    Learner.PriorLevel.NONE,
]
LLDD_CATEGORIES = [c for c in LLDDCategory if c not in (15, 98, 99)]


def make_emp_id(rng: random.Random) -> str:
    """A random employer number (EDRS, EmpId) that passes its check digit."""
    while True:
        made = identifiers.emp_id_with_check_digit(str(rng.randint(10000000, 99999999)))
        if made and made != identifiers.TEMPORARY_EMP_ID:
            return made


def make_bad_emp_id(rng: random.Random) -> str:
    """An employer number whose check digit is wrong (rule EmpId_02)."""
    good = make_emp_id(rng)
    return good[:8] + str((int(good[8]) + 1) % 10)


@dataclass
class DemoSummary:
    providers: int
    learners: int
    seconds: float


def make_uln(rng: random.Random) -> str:
    """A random ULN that passes the mod-11 check."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        remainder = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if remainder:
            return "".join(map(str, digits)) + str(10 - remainder)


_NI_FIRST = "ABCEGHJKLMNPRSTWXY"
_NI_SECOND = "ACEHJLMPRSWXY"  # no B, G, K, N, T or Z second: no prefix HMRC never issues


def make_ni_number(n: int) -> str:
    """The n-th demo learner's National Insurance number: valid in form, made from n alone
    (no draw from the demo's random sequence, so the rest of the data stays as it was)."""
    first, second = _NI_FIRST[n % 18], _NI_SECOND[(n // 18) % 13]
    return f"{first}{second}{(n * 7919) % 1_000_000:06d}{'ABCD'[n % 4]}"


def make_postcode(rng: random.Random, outcodes: tuple[str, ...]) -> str:
    return (
        f"{rng.choice(outcodes)} {rng.randint(0, 9)}"
        f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    )


def demo_users_exist() -> bool:
    return get_user_model().objects.filter(username="admin").exists()


def _make_users(providers: list[Provider]) -> None:
    User = get_user_model()
    for username, index, roles, _ in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@picsweb.localhost", "first_name": username.title()},
        )
        user.set_password(DEMO_PASSWORD)
        if index is None:
            user.is_superuser = True
            user.is_staff = True
        user.save()
        for role in roles:
            Membership.objects.get_or_create(user=user, provider=providers[index or 0], role=role)


@dataclass
class _ProviderLists:
    provider: Provider
    sites: list[Site]
    employers: list[Organisation]
    subcontractors: list[Organisation]
    contracts: list[Contract]
    bad_employer: Organisation
    tags: list[Tag]
    officers: list[Officer]
    next_ident: int


def _make_lists(
    rng: random.Random, ukprn: str, name: str, outcodes: tuple[str, ...]
) -> _ProviderLists:
    provider, _ = Provider.objects.get_or_create(ukprn=ukprn, defaults={"name": name})
    town = name.split()[0]
    sites = [
        Site.objects.get_or_create(
            provider=provider,
            code=f"S{i:02d}",
            defaults={"name": f"{town} {part}", "postcode": make_postcode(rng, outcodes)},
        )[0]
        for i, part in enumerate(["Main Campus", "City Centre", "Technology Park", "Online"], 1)
    ]
    employers = []
    for i in range(1, 41):
        org_name = f"{rng.choice(EMPLOYER_WORDS)} {rng.choice(EMPLOYER_KINDS)} Ltd"
        ern = make_emp_id(rng)
        employers.append(
            Organisation.objects.get_or_create(
                provider=provider,
                pics_id=f"EMP{i:03d}",
                defaults={"name": org_name, "ern": ern, "is_employer": True},
            )[0]
        )
    # Employs only the learners who break EmpId_02 on purpose.
    bad_employer = Organisation.objects.get_or_create(
        provider=provider,
        pics_id="EMP099",
        defaults={
            "name": "Mistyped Employer Ltd",
            "ern": make_bad_emp_id(rng),
            "is_employer": True,
        },
    )[0]
    subcontractors = [
        Organisation.objects.get_or_create(
            provider=provider,
            pics_id=f"SUB{i:03d}",
            defaults={
                "name": f"{rng.choice(EMPLOYER_WORDS)} Skills Partnership",
                "is_employer": False,
                "is_subcontractor": True,
                "ukprn": f"1{rng.randint(1000000, 9999999)}",
            },
        )[0]
        for i in range(1, 4)
    ]
    contracts = [
        Contract.objects.get_or_create(
            provider=provider,
            reference=ref,
            defaults={
                "name": cname,
                "include_in_ilr_exports": include,
                "fund_model": fund_model,
                "contract_type": act,
            },
        )[0]
        for ref, cname, include, fund_model, act in [
            ("LEVY-2526", "Apprenticeships (levy) 2025-26", True, 36, ContractType.LEVY),
            ("NONLEVY-2526", "Apprenticeships (non-levy) 2025-26", True, 36, ContractType.NON_LEVY),
            # No demo apprentice is on the adult skills contract: its aims are FundModel 35.
            ("AEB-2526", "Adult Education Budget 2025-26", True, 35, ContractType.LEVY),
            ("PRIVATE", "Commercial courses (not funded)", False, 36, ContractType.LEVY),
        ]
    ]
    tags = [
        Tag.objects.get_or_create(provider=provider, name=tag)[0]
        for tag in [
            "Cohort Sept",
            "Cohort Jan",
            "At risk",
            "Functional skills",
            "Gateway ready",
            "Break in learning",
            "Employer review due",
            "EPA booked",
        ]
    ]
    officers = [
        Officer.objects.get_or_create(
            provider=provider,
            code=f"OFF{i:02d}",
            defaults={"name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"},
        )[0]
        for i in range(1, 11)
    ]
    from payments.models import PaymentItem, UserDefinedField

    for code, name in [
        ("TRAIN", "Training"),
        ("EPA", "End-point assessment"),
        ("INC1619", "16-18 employer incentive"),
        ("KIT", "Equipment"),
    ]:
        PaymentItem.objects.get_or_create(provider=provider, code=code, defaults={"name": name})
    UserDefinedField.objects.get_or_create(provider=provider, name="PO NUMBER")
    last = Episode.objects.filter(provider=provider).order_by("-ident").first()
    return _ProviderLists(
        provider,
        sites,
        employers,
        subcontractors,
        contracts,
        bad_employer,
        tags,
        officers,
        next_ident=ident_number(last.ident) + 1 if last else 1,
    )


def seed_demo(
    *, learners: int, seed: int = 2026, progress: Callable[[int], None] | None = None
) -> DemoSummary:
    """Creates demo providers, users and `learners` learners spread over the providers."""
    import time

    started = time.perf_counter()
    rng = random.Random(seed)
    outcodes = english_outcodes()
    lists = [_make_lists(rng, ukprn, name, outcodes) for ukprn, name in DEMO_PROVIDERS]
    _make_users([pl.provider for pl in lists])
    standards = list(
        Standard.objects.filter(status__startswith="Approved").values_list("lars_code", "title")
    )
    _make_portal_learners(rng, [pl.provider for pl in lists], min(learners, 3000))
    _make_portal_settings(rng, [pl.provider for pl in lists])
    make_courses([pl.provider for pl in lists], min(max(learners, 500), 3000), seed=seed)
    _make_applications(rng)
    shares = [0.5, 0.3, 0.2]
    counts = [int(learners * share) for share in shares]
    counts[0] += learners - sum(counts)
    made = 0
    chunk = 5000
    for pl, count in zip(lists, counts, strict=True):
        lrn_start = Learner.objects.filter(provider=pl.provider).count() + 1
        for offset in range(0, count, chunk):
            size = min(chunk, count - offset)
            _make_learner_chunk(rng, pl, lrn_start + offset, size, standards, outcodes)
            made += size
            if progress:
                progress(made)
    return DemoSummary(len(lists), made, time.perf_counter() - started)


def _make_learner_chunk(
    rng: random.Random,
    pl: _ProviderLists,
    first_number: int,
    size: int,
    standards: list[tuple[int, str]],
    outcodes: tuple[str, ...],
) -> None:
    today = date.today()
    learner_rows: list[Learner] = []
    starts: list[date] = []
    breaks: list[str | None] = []  # the ESFA rule each learner breaks on purpose, if any
    for n in range(first_number, first_number + size):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        start = today - timedelta(days=rng.randint(0, 1000))
        broken = rng.choice(BROKEN_RULES) if rng.random() < BROKEN_SHARE else None
        roll = rng.random()
        uln = make_uln(rng)
        if roll < 0.02 or broken == "ULN_12":
            uln = identifiers.TEMPORARY_ULN  # fails the AS rule on the temporary ULN
            # ESFA allows it for 60 days after the start only (ULN_07): a recent starter.
            start = today - timedelta(days=rng.randint(0, 50))
        elif roll < 0.03:
            uln = ""
        state = Learner.State.LIVE
        state_roll = rng.random()
        if state_roll < 0.05:
            state = Learner.State.ARCHIVED
        elif state_roll < 0.07:
            state = Learner.State.DELETED
        email_local = f"{given}.{family}".lower().replace("'", "")
        # Over compulsory school age at the start (DateOfBirth_48).
        born = date(rng.randint(1975, start.year - 18), rng.randint(1, 12), rng.randint(1, 28))
        lldd = rng.choice([1, 2, 2, 2, 9])
        if broken == "LLDDHealthProb_06":
            # Under 25 at the start (older learners are exempt from the rule).
            born, lldd = date(start.year - 19, rng.randint(1, 12), rng.randint(1, 28)), 1
        prior = True  # PriorAttain_01: every funded learner has it
        learner_rows.append(
            Learner(
                provider=pl.provider,
                lrn=f"L{pl.provider.ukprn[-3:]}{n:07d}",
                uln=uln,
                pics_id=f"PICS{n:08d}",
                ni_number=make_ni_number(n),
                title=rng.choice(["Mr", "Ms", "Miss", "Mrs", "Mx", ""]),
                given_names=given,
                family_name=family,
                date_of_birth=born,
                sex=rng.choice("FM"),
                ethnicity=rng.choice(list(Learner.Ethnicity.values)),
                lldd_health_problem=lldd,
                prior_level=rng.choice(PRIOR_LEVELS) if prior else None,
                prior_level_date=start if prior else None,
                email="" if rng.random() < 0.03 else f"{email_local}{n}@example.com",
                phone=f"07700 900{rng.randint(0, 999):03d}",
                address_line_1=f"{rng.randint(1, 200)} {rng.choice(FAMILY)} Road",
                town=pl.sites[0].name.split()[0],
                postcode=make_postcode(rng, outcodes),
                postcode_prior=make_postcode(rng, outcodes),
                main_officer=rng.choice(pl.officers),
                site=rng.choice(pl.sites),
                provider_monitoring_a=rng.choice(["", "", "MONA1", "MONA2"]),
                provider_monitoring_b=rng.choice(["", "", "MONB1"]),
                as_cohort_code=rng.choice(["", "", "", "VLLXJ7", "KQ4P2M"]),
                qa_verified=rng.random() < 0.3,
                state=state,
            )
        )
        starts.append(start)
        breaks.append(broken)
    with transaction.atomic():
        Learner.objects.bulk_create(learner_rows, batch_size=2500)
        episodes: list[Episode] = []
        employment: list[EmploymentStatus] = []
        tag_links = []
        TagLink = Learner.tags.through
        for learner, start, broken in zip(learner_rows, starts, breaks, strict=True):
            episodes.append(
                Episode(
                    provider=pl.provider,
                    learner=learner,
                    ident=ident_for(pl.next_ident),
                    start_date=start,
                )
            )
            pl.next_ident += 1
            status_roll = rng.random()
            employer = pl.bad_employer if broken == "EmpId_02" else rng.choice(pl.employers)
            # Employed at the start, with the monitoring ESFA asks of it (ESMType_02, _09).
            employment.append(
                EmploymentStatus(
                    learner=learner,
                    date_applies=start - timedelta(days=rng.randint(1, 60)),
                    status=EmploymentStatus.Status.EMPLOYED,
                    employer=employer,
                    employment_intensity=rng.choice([6, 7, 8, 8, 8]),
                    length_of_employment=rng.choice([1, 2, 3, 4, 4]),
                    # Agreement IDs are per employer; a few records lack one (an AS rule).
                    as_agreement_id=""
                    if 0.03 <= status_roll < 0.06
                    else f"X{employer.pics_id[-3:]}{pl.provider.ukprn[-2:]}",
                )
            )
            if status_roll < 0.03 and not broken and start < today:
                # A few have since left their job: not Employed now (the AS export says so).
                employment.append(
                    EmploymentStatus(
                        learner=learner,
                        date_applies=start + timedelta(days=rng.randint(1, (today - start).days)),
                        status=EmploymentStatus.Status.NOT_EMPLOYED_NOT_LOOKING,
                    )
                )
            for tag in rng.sample(pl.tags, rng.randint(0, 2)):
                tag_links.append(TagLink(learner=learner, tag=tag))
        Episode.objects.bulk_create(episodes, batch_size=2500)
        insert_objects(employment)
        insert_objects(tag_links)
        insert_objects(_learner_fams(rng, learner_rows, starts))
        insert_objects(_lldd_records(rng, learner_rows, breaks))
        levy, non_levy, _, private = pl.contracts
        aims: list[LearningDelivery] = []
        for episode, broken in zip(episodes, breaks, strict=True):
            learner = episode.learner
            lars_code, title = rng.choice(standards)
            planned_end = episode.start_date + timedelta(days=rng.randint(400, 1100))
            contract = rng.choices([levy, non_levy, private], weights=[60, 30, 10])[0]
            if broken == "ULN_12":
                contract = levy  # ULN_12: the temporary ULN with ACT 1, on purpose
            elif learner.uln == identifiers.TEMPORARY_ULN:
                contract = non_levy  # ACT 2: a temporary ULN is allowed there
            subcontractor = rng.choice(pl.subcontractors) if rng.random() < 0.15 else None
            completion = _completion(rng, episode.start_date, planned_end, today, broken)
            common = {
                "episode": episode,
                "learner": learner,
                "start_date": episode.start_date,
                "planned_end_date": planned_end,
                "actual_end_date": completion["actual_end_date"],
                "completion_status": completion["completion_status"],
                "withdraw_reason": completion["withdraw_reason"],
                "fund_model": FundModel.APPRENTICESHIPS,
                "delivery_postcode": learner.site.postcode if learner.site else "",
                "contract": contract,
                "subcontractor": subcontractor,
                "qualification_plan_code": f"QP{lars_code:03d}",
                "delivery_monitoring_a": rng.choice(["", "DMA1"]),
            }
            aim_roll = rng.random()
            # ~1% have no programme aim and ~1% no standard (AS rules; ESFA's FundModel_06 and
            # ProgType_01 refuse both too).
            standard_id = None if aim_roll < 0.02 else lars_code
            if aim_roll >= 0.01:
                aims.append(
                    LearningDelivery(
                        aim_ref="ZPROG001",
                        aim_type=LearningDelivery.AimType.PROGRAMME,
                        standard_id=standard_id,
                        programme_name=title[:200],
                        training_price=Decimal(rng.randrange(3000, 18000, 500)),
                        epa_price=Decimal(rng.randrange(500, 2000, 100)),
                        epa_org_id=f"EPA{rng.randint(1, 999):04d}",
                        planned_hours=rng.randint(190, 900),  # PHours_01/_02
                        outcome=completion["outcome"],
                        achievement_date=completion["achievement_date"],
                        **common,
                        **_prior_learning(rng),
                    )
                )
            aims.append(
                LearningDelivery(
                    aim_ref=f"{rng.randint(50000000, 69999999)}",
                    aim_type=LearningDelivery.AimType.COMPONENT,
                    # ProgType/StdCode on every aim of a standard programme
                    standard_id=standard_id if aim_roll >= 0.01 else None,
                    qualification_name=f"Level {rng.randint(2, 5)} Diploma in {title[:120]}",
                    awarding_organisation=rng.choice(AWARDING_ORGS),
                    outcome=completion["component_outcome"],
                    **common,
                )
            )
        insert_objects(aims)
        _make_payments(rng, pl, episodes)
        _make_registrations(rng, aims)


def _completion(
    rng: random.Random, start: date, planned_end: date, today: date, broken: str | None
) -> dict[str, Any]:
    """How an episode's aims stand: most continuing; most of those past their planned end
    completed (the programme aim achieved after its end-point assessment, with its
    achievement date, or awaiting the result: Outcome 8); some withdrawn with a reason; a few
    on a break in learning. Each learner breaking a completion rule on purpose gets its
    one fault here."""
    done = {
        "actual_end_date": None,
        "completion_status": LearningDelivery.CompStatus.CONTINUING,
        "withdraw_reason": None,
        "outcome": None,
        "component_outcome": None,
        "achievement_date": None,
    }
    roll = rng.random()
    so_far = max((today - start).days, 1)
    if broken == "WithdrawReason_03" or (broken is None and roll < 0.08):
        ended = start + timedelta(days=rng.randint(min(30, so_far), so_far))
        reason = None if broken else rng.choice(WITHDRAW_REASONS)  # WithdrawReason_03
        outcome = LearningDelivery.Outcome.NO_ACHIEVEMENT
        return done | {
            "actual_end_date": ended,
            "completion_status": LearningDelivery.CompStatus.WITHDRAWN,
            "withdraw_reason": reason,
            "outcome": outcome,
            "component_outcome": outcome,
        }
    if broken is None and roll < 0.11:
        outcome = LearningDelivery.Outcome.NO_ACHIEVEMENT
        return done | {
            "actual_end_date": start + timedelta(days=rng.randint(min(30, so_far), so_far)),
            "completion_status": LearningDelivery.CompStatus.BREAK,
            "outcome": outcome,
            "component_outcome": outcome,
        }
    if broken == "Outcome_01" or (planned_end < today and rng.random() < 0.7):
        ended = min(planned_end, today)
        achieved = ended + timedelta(days=rng.randint(20, 90))
        result: int
        achieved_on: date | None = None
        if broken == "Outcome_01":
            result = 4  # not an Outcome code (Outcome_01), on purpose
        elif achieved <= today:
            result, achieved_on = LearningDelivery.Outcome.ACHIEVED, achieved
        else:
            result = LearningDelivery.Outcome.NOT_KNOWN  # the end-point assessment is pending
        return done | {
            "actual_end_date": ended,
            "completion_status": LearningDelivery.CompStatus.COMPLETED,
            "outcome": result,
            "component_outcome": LearningDelivery.Outcome.ACHIEVED,
            "achievement_date": achieved_on,
        }
    return done


def _learner_fams(
    rng: random.Random, learners: list[Learner], starts: list[date]
) -> list[LearnerFAM]:
    """A few learner FAMs: an EHC plan for some apprentices under 25, a few learners moved
    over in a provider merger."""
    fams = []
    for learner, start in zip(learners, starts, strict=True):
        young = learner.date_of_birth and (start - learner.date_of_birth).days < 25 * 365
        if young and rng.random() < 0.06:
            fams.append(LearnerFAM(learner=learner, fam_type="EHC", fam_code=1))
        if rng.random() < 0.01:
            fams.append(LearnerFAM(learner=learner, fam_type="NLM", fam_code=17))
    return fams


def _lldd_records(
    rng: random.Random, learners: list[Learner], breaks: list[str | None]
) -> list[LearnerLLDD]:
    """One to three LLDD categories, one of them primary, for each learner who has a
    learning difficulty, disability or health problem (but those breaking LLDDHealthProb_06
    on purpose, who have none)."""
    records = []
    for learner, broken in zip(learners, breaks, strict=True):
        if learner.lldd_health_problem != 1 or broken == "LLDDHealthProb_06":
            continue
        categories = rng.sample(LLDD_CATEGORIES, rng.randint(1, 3))
        for position, category in enumerate(categories):
            records.append(LearnerLLDD(learner=learner, category=category, primary=position == 0))
    return records


def _make_registrations(rng: random.Random, aims: list[LearningDelivery]) -> None:
    """A registration for most component aims, in every status."""
    from regcert.models import Registration

    statuses = list(Registration.Status)
    records = []
    for aim in aims:
        if aim.aim_type != LearningDelivery.AimType.COMPONENT or rng.random() < 0.3:
            continue
        status = rng.choice(statuses)
        numbered = status in Registration.NEEDS_REGISTRATION_NUMBER
        registered = aim.start_date + timedelta(days=rng.randint(10, 60))
        records.append(
            Registration(
                learner=aim.learner,
                qualification_number=aim.aim_ref,
                status=status,
                registration_number=f"R{rng.randint(100000, 999999)}" if numbered else "",
                registration_date=registered if numbered else None,
                achieved_date=registered + timedelta(days=300)
                if status not in (statuses[0], statuses[1], statuses[6], statuses[7])
                else None,
            )
        )
    insert_objects(records)


def _prior_learning(rng: random.Random) -> dict[str, object]:
    """Most programme aims record no prior learning, some do, a few record nothing (which
    the AS cohort export refuses for starts from August 2022)."""
    roll = rng.random()
    if roll < 0.02:
        return {"rpl": None}
    if roll < 0.12:
        return {
            "rpl": True,
            "rpl_training_total_hours": rng.randrange(400, 900, 10),
            "rpl_training_hours_reduction": rng.randrange(20, 150, 5),
            "rpl_price_reduced_by": rng.randrange(200, 1500, 50),
        }
    return {"rpl": False}


def _make_payments(rng: random.Random, pl: _ProviderLists, episodes: list[Episode]) -> None:
    """Two payment records per episode: a training payment (PMR1) and an item payment."""
    from payments.models import PaymentItem, PaymentRecord

    items = list(PaymentItem.objects.filter(provider=pl.provider))
    statuses = EmploymentStatus.objects.filter(learner__in=[e.learner for e in episodes])
    employers = dict(statuses.values_list("learner_id", "employer_id"))
    records = []
    for episode in episodes:
        due = episode.start_date + timedelta(days=rng.randint(30, 120))
        paid = rng.random() < 0.6
        amount = Decimal(rng.randrange(200, 3000, 50))
        records.append(
            PaymentRecord(
                provider=pl.provider,
                episode=episode,
                system_type="APTB_PMR1",
                credit_debit="C",
                expected_date=due,
                expected_amount=amount,
                actual_date=due + timedelta(days=rng.randint(0, 20)) if paid else None,
                actual_amount=amount if paid else None,
                organisation_id=employers.get(episode.learner_id),
                status="Paid" if paid else "Expected",
                user_fields={"PO NUMBER": f"PO{rng.randint(10000, 99999)}"},
            )
        )
        records.append(
            PaymentRecord(
                provider=pl.provider,
                episode=episode,
                credit_debit=rng.choice("CD"),
                expected_date=due + timedelta(days=90),
                expected_amount=Decimal(rng.randrange(50, 1000, 10)),
                payment_item=rng.choice(items),
                status=rng.choice(["Expected", "Approved", "Invoiced"]),
            )
        )
    insert_objects(records)


def _profile_progress(rng: random.Random, now: Any) -> dict[str, Any]:
    """How far a learner who logged in got with their profile: most started, about a third
    complete, some of those approved."""
    states = ["not_started", "in_progress", "complete"]
    statuses = {
        "personal_status": rng.choices(states, weights=[1, 2, 5])[0],
        "qualifications_status": rng.choices(states, weights=[2, 3, 4])[0],
        "statement_status": rng.choices(states, weights=[3, 3, 3])[0],
    }
    if statuses["statement_status"] != "not_started":
        statuses["personal_statement"] = rng.choice(STATEMENTS)
    if statuses["qualifications_status"] == "not_started":
        del statuses["qualifications_status"]
    if all(v == "complete" for k, v in statuses.items() if k.endswith("_status")) and (
        len(statuses) > 3 and rng.random() < 0.5
    ):
        statuses["approved_at"] = now
    return statuses


STATEMENTS = [
    "I enjoy solving problems and would like to study engineering at college.",
    "Working with children at my local club made me want to train in childcare.",
    "I have helped in my family's shop for years and want to learn business and accounting.",
    "I love cooking for my family and want to become a professional chef.",
]


def _make_portal_qualifications(rng: random.Random, user_ids: list[int]) -> None:
    """Two to five GCSEs (predicted grades) for learners who started their qualifications."""
    from progress_apply.models import PortalLearner, Qualification, QualificationType

    kind = QualificationType.objects.filter(name="GCSE (9-1)").first()
    if kind is None or not user_ids:
        return
    subjects = list(kind.subjects.filter(name__in=GCSE_SUBJECTS))
    grades = list(kind.grades.exclude(grade="U"))
    rows = []
    for learner_id in PortalLearner.objects.filter(user_id__in=user_ids).values_list(
        "id", flat=True
    ):
        for subject in rng.sample(subjects, rng.randint(2, min(5, len(subjects)))):
            rows.append(
                Qualification(
                    learner_id=learner_id,
                    type=kind,
                    subject=subject,
                    completed_on=date(date.today().year + 1, 6, 1),
                    predicted_grade=rng.choice(grades),
                )
            )
    Qualification.objects.bulk_create(rows, batch_size=5000)


GCSE_SUBJECTS = [
    "English Language",
    "English Literature",
    "Mathematics",
    "Biology",
    "Chemistry",
    "Physics",
    "History",
    "Geography",
    "Art and Design",
]


def _make_portal_settings(rng: random.Random, providers: list[Provider]) -> None:
    """The first provider signs off profiles and has a default referee; each provider has two
    learner groups (a tutor group of Year 11 and a gifted-and-talented group)."""
    from progress_apply.models import LearnerGroup, PortalLearner, PortalSettings

    PortalSettings.objects.get_or_create(
        provider=providers[0],
        defaults={
            "sign_off_profiles": True,
            "referee_name": "Miss Jane Smith",
            "referee_position": "Pastoral manager",
            "referee_telephone": "01245789632",
        },
    )
    for provider in providers:
        tutor, _ = LearnerGroup.objects.get_or_create(
            provider=provider, name="Tutor group 11A", defaults={"year_group": 11}
        )
        gifted, _ = LearnerGroup.objects.get_or_create(
            provider=provider, name="Gifted and talented"
        )
        learners = list(
            PortalLearner.objects.filter(provider=provider).values_list("id", "year_group")[:400]
        )
        tutor.learners.add(*[pk for pk, year in learners if year == 11][:30])
        gifted.learners.add(*[pk for pk, _ in rng.sample(learners, min(20, len(learners)))])


COURSE_SUBJECTS = [
    ("Mathematics", "A level", "3"),
    ("English Literature", "A level", "3"),
    ("Biology", "A level", "3"),
    ("Psychology", "A level", "3"),
    ("Business", "Level 3 diploma", "3"),
    ("Health and Social Care", "Level 3 diploma", "3"),
    ("Engineering", "Level 2 diploma", "2"),
    ("Hair and Beauty", "Level 2 certificate", "2"),
    ("Catering and Hospitality", "Level 1 certificate", "1"),
    ("Construction Skills", "Level 1 diploma", "1"),
    ("English", "Level 2 functional skills", "2"),
    ("Mathematics", "Level 2 functional skills", "2"),
    ("Computing", "Level 3 diploma", "3"),
    ("Art and Design", "Level 3 diploma", "3"),
]


def make_courses(providers: list[Provider], count: int, seed: int = 16) -> int:
    """`count` demo courses across England: courses of the subjects above, apprenticeships of
    the LARS standards, and short training; venues spread over English postcode districts."""
    from progress_apply.models import Course, QualificationType

    rng = random.Random(seed)
    centres = outcode_centroids()
    outcodes = [outcode for outcode in english_outcodes() if outcode in centres]
    types = {t.name: t for t in QualificationType.objects.all()}
    standards = list(Standard.objects.filter(status__startswith="Approved")[:400])
    today = date.today()
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    made = []
    for n in range(count):
        outcode = rng.choice(outcodes)
        kind = rng.choices(["course", "apprenticeship", "training"], weights=[6, 3, 1])[0]
        start = date(today.year + rng.randint(0, 1), rng.choice([1, 4, 9]), 1)
        if start <= today:  # a course a learner can still start (late in the year: next year)
            start = start.replace(year=start.year + 1)
        fields: dict[str, Any] = {}
        if kind == "apprenticeship" and standards:
            standard = rng.choice(standards)
            fields = {
                "title": f"{standard.title} apprenticeship"[:200],
                "standard": standard,
                "level": str(standard.level),
                "subject": standard.title[:150],
                "duration_months": standard.typical_duration_months or 18,
                "study_mode": "full_time",
            }
        elif kind == "training":
            subject = rng.choice(COURSE_SUBJECTS)[0]
            fields = {
                "title": f"{subject}: short course",
                "subject": subject,
                "duration_months": rng.randint(1, 3),
                "study_mode": rng.choice(["part_time", "flexible"]),
            }
        else:
            subject, type_name, level = rng.choice(COURSE_SUBJECTS)
            fields = {
                "title": f"{type_name} in {subject}",
                "subject": subject,
                "qualification_type": types.get(type_name),
                "level": level,
                "duration_months": 24 if type_name == "A level" else 12,
                "study_mode": rng.choice(["full_time", "full_time", "part_time"]),
            }
        latitude, longitude = centres[outcode]
        made.append(
            Course(
                provider=providers[n % len(providers)],
                kind=kind,
                start_date=start,
                venue_postcode=f"{outcode} {rng.randint(1, 9)}{rng.choice(letters)}"
                f"{rng.choice(letters)}",
                latitude=latitude,
                longitude=longitude,
                description="A demo course for the portal's search.",
                entry_requirements=rng.choice(
                    ["", "Five GCSEs at grade 4 or above, including English and Mathematics."]
                ),
                **fields,
            )
        )
    Course.objects.bulk_create(made, batch_size=2000)
    return len(made)


def _make_applications(rng: random.Random) -> None:
    """Applications of about a fifth of the portal learners whose profiles are complete, at
    every stage; the demo learner has one submitted and one offer to answer."""
    from django.utils import timezone

    from progress_apply.models import Application, Course, PortalLearner, SectionStatus

    complete = SectionStatus.COMPLETE
    ready = list(
        PortalLearner.objects.filter(
            personal_status=complete, statement_status=complete, qualifications_status=complete
        ).values_list("pk", flat=True)
    )
    courses = list(Course.objects.filter(is_open=True).values_list("pk", flat=True)[:500])
    if not courses:
        return
    now = timezone.now()
    stages = [
        Application.Status.SUBMITTED,
        Application.Status.SUBMITTED,
        Application.Status.OFFERED,
        Application.Status.UNSUCCESSFUL,
        Application.Status.ACCEPTED,
        Application.Status.WITHDRAWN,
    ]
    made = []
    for learner_id in rng.sample(ready, len(ready) // 5):
        for course_id in rng.sample(courses, rng.randint(1, 2)):
            made.append(_demo_application(learner_id, course_id, rng.choice(stages), now))
    demo = PortalLearner.objects.filter(user__username="learner").first()
    if demo is not None:
        made += [
            _demo_application(demo.pk, courses[0], Application.Status.SUBMITTED, now),
            _demo_application(demo.pk, courses[1], Application.Status.OFFERED, now),
        ]
    Application.objects.bulk_create(made, batch_size=2000, ignore_conflicts=True)
    # Applied the day before they were submitted (auto_now_add dated them today).
    from django.db.models import F

    Application.objects.filter(submitted_at__isnull=False).update(
        created_at=F("submitted_at") - timedelta(days=1)
    )


def _demo_application(learner_id: int, course_id: int, status: str, now: Any) -> Any:
    from progress_apply.models import Application

    offered = status in (Application.Status.OFFERED, Application.Status.ACCEPTED)
    decided = offered or status == Application.Status.UNSUCCESSFUL
    return Application(
        learner_id=learner_id,
        course_id=course_id,
        status=status,
        submitted_at=now - timedelta(days=10),
        decided_at=now - timedelta(days=3) if decided else None,
        offered_at=now - timedelta(days=3) if offered else None,
        offer_kind=Application.OfferKind.CONDITIONAL if offered else "",
        conditions="Grade 5 or above in GCSE English and maths" if offered else "",
        answered_at=now - timedelta(days=1) if status == Application.Status.ACCEPTED else None,
        withdrawn_at=now - timedelta(days=2) if status == Application.Status.WITHDRAWN else None,
    )


def make_portal_learners(providers: list[Provider], count: int, seed: int = 3) -> None:
    """`count` more demo portal learners at `providers` (the benchmarks fill a provider)."""
    _make_portal_learners(random.Random(seed), providers, count)


def _make_portal_learners(rng: random.Random, providers: list[Provider], count: int) -> None:
    """Portal learners (progress_apply) in year groups 10-13, spread over the providers: about
    a third never logged in (with issued passwords), a few locked out; plus the "learner"
    demo login. Passwords of those who logged in are DEMO_PASSWORD, hashed once."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from progress_apply.models import PortalLearner
    from progress_apply.rules import generated_password, username_base
    from progress_apply.services import issued_encrypt, unusable_password

    User = get_user_model()
    demo = User.objects.filter(username="learner").first()  # none in a bench database
    if demo is not None and not PortalLearner.objects.filter(user=demo).exists():
        demo.first_name, demo.last_name = "Lily", "Learner"
        demo.last_login = timezone.now()
        demo.save()
        PortalLearner.objects.create(
            user=demo,
            provider=providers[0],
            year_group=11,
            date_of_birth=date(2009, 10, 1),
            must_change_password=False,
        )
    start = PortalLearner.objects.count()
    hashed = make_password(DEMO_PASSWORD)
    now = timezone.now()
    today = date.today()
    with transaction.atomic():
        users = []
        profiles = []
        for n in range(start, start + count):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            never = rng.random() < 0.35
            year = rng.randint(10, 13)
            users.append(
                User(
                    username=f"{username_base(given, family)}{n}",
                    first_name=given,
                    last_name=family,
                    email=f"{given}.{family}{n}@pupils.example.org".lower().replace("'", ""),
                    password=unusable_password() if never else hashed,
                    last_login=None if never else now - timedelta(days=rng.randint(0, 60)),
                    date_joined=now,
                )
            )
            profiles.append(
                {
                    "provider_id": providers[n % len(providers)].pk,
                    "year_group": year,
                    "date_of_birth": today.replace(year=today.year - year - 5)
                    - timedelta(days=rng.randint(0, 364)),
                    "postcode": "LS6 2AB",
                    "issued_password": issued_encrypt(generated_password()) if never else "",
                    "must_change_password": never,
                    "locked_at": now if not never and rng.random() < 0.03 else None,
                    "created_at": now,
                    "updated_at": now,
                    **({} if never else _profile_progress(rng, now)),
                }
            )
        User.objects.bulk_create(users, batch_size=2000)
        insert_objects(
            [
                PortalLearner(user_id=user.pk, **profile)
                for user, profile in zip(users, profiles, strict=True)
            ]
        )
        _make_portal_qualifications(
            rng,
            [
                user.pk
                for user, p in zip(users, profiles, strict=True)
                if p.get("qualifications_status")
            ],
        )
        # Locked-out learners are locked where the log-in looks: django-axes' failure record.
        from axes.models import AccessAttempt

        AccessAttempt.objects.bulk_create(
            AccessAttempt(
                username=user.username.lower(),
                ip_address="127.0.0.1",
                user_agent="demo",
                http_accept="",
                path_info="/accounts/login/",
                get_data="",
                post_data="",
                failures_since_start=settings.AXES_FAILURE_LIMIT,
            )
            for user, profile in zip(users, profiles, strict=True)
            if profile["locked_at"]
        )
