from datetime import date
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from learners import identifiers
from learners.models import EmploymentStatus, Learner, LearningDelivery, Provider


def test_it_makes_valid_learners_and_some_that_fail_each_as_rule(db):
    call_command("seed_demo", learners=1200, stdout=StringIO())

    assert Learner.objects.count() == 1200
    assert Provider.objects.count() == 3
    for learner in Learner.objects.order_by("?")[:60]:
        learner.full_clean()  # every stored value passes the model's own validation
        assert learner.episodes.count() == 1
    ni_numbers = Learner.objects.values_list("ni_number", flat=True)
    assert all(identifiers.ni_number_problem(n) is None for n in ni_numbers)
    real_ulns = Learner.objects.exclude(uln__in=["", identifiers.TEMPORARY_ULN])
    assert all(identifiers.uln_problem(u) is None for u in real_ulns.values_list("uln", flat=True))
    # Some learners fail each AS cohort export rule.
    assert Learner.objects.filter(uln=identifiers.TEMPORARY_ULN).exists()
    assert Learner.objects.filter(email="").exists()
    assert Learner.objects.exclude(state=Learner.State.LIVE).exists()
    assert Learner.objects.exclude(episodes__aims__aim_type=1).exists()
    assert LearningDelivery.objects.filter(aim_type=1, standard__isnull=True).exists()
    assert EmploymentStatus.objects.filter(status=10, as_agreement_id="").exists()
    # ...and most pass them all.
    assert LearningDelivery.objects.filter(aim_type=1, standard__isnull=False).count() > 1000


def test_it_makes_the_demo_logins_once(db):
    out = StringIO()
    call_command("seed_demo", learners=30, stdout=out)
    call_command("seed_demo", learners=30, if_empty=True, stdout=out)

    assert "loaded already" in out.getvalue()
    assert Learner.objects.count() == 30
    staff = get_user_model().objects.get(username="staff")
    assert staff.check_password("picsweb-demo")
    assert staff.memberships.count() >= 7


def test_it_adds_learners_with_new_idents_when_run_again(db):
    call_command("seed_demo", learners=30, stdout=StringIO())
    call_command("seed_demo", learners=30, stdout=StringIO())
    assert Learner.objects.count() == 60
    idents = list(Learner.objects.values_list("episodes__ident", "provider"))
    assert len(set(idents)) == 60


def test_it_makes_portal_managers_and_learners(db, client):
    from picsweb.models import Role
    from progress_apply.models import PortalLearner

    call_command("seed_demo", learners=300, stdout=StringIO())
    learners = PortalLearner.objects.all()
    assert learners.count() == 301  # and the "learner" login
    assert set(learners.values_list("year_group", flat=True)) <= {10, 11, 12, 13}
    assert learners.never_logged_in().exists() and learners.locked().exists()
    assert learners.filter(user__last_login__isnull=False, locked_at__isnull=True).exists()
    for provider in Provider.objects.all():
        for role in (Role.LEARNER_MANAGER, Role.PROVIDER_MANAGER, Role.USER_MANAGER):
            assert provider.memberships.filter(role=role).exists()
    assert (
        client.post(
            "/accounts/login/", {"username": "lm-northgate", "password": "picsweb-demo"}
        ).status_code
        == 302
    )
    assert client.get("/apply/").status_code == 200
    # Every demo course can still be started, whatever the day the demo is made.
    from progress_apply.models import Course

    assert Course.objects.exists()
    assert not Course.objects.filter(start_date__lte=date.today()).exists()
    client.logout()
    assert (
        client.post(
            "/accounts/login/", {"username": "learner", "password": "picsweb-demo"}
        ).status_code
        == 302
    )
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/apply/home/"


def test_its_ilr_return_data_is_realistic_and_the_file_passes_the_schema(db, tmp_path):
    """Issue 18: a mix of levy and non-levy, completed aims with outcomes, withdrawals with
    reasons, valid EmpIds, LLDD, prior attainment and FAMs; the file passes the XSD; about
    1 % of learners each break one named ESFA rule on purpose (docs/ilr.md)."""
    from datetime import datetime

    from lxml import etree

    from ilr_exports.models import IlrExport
    from ilr_exports.services import ilr_write_validated
    from ilr_exports.years import CURRENT_YEAR
    from learners.models import LearnerFAM, LearnerLLDD, Organisation

    call_command("seed_demo", learners=3000, stdout=StringIO())
    aims = LearningDelivery.objects.all()
    assert set(aims.values_list("contract__contract_type", flat=True)) >= {1, 2}
    completed = aims.filter(completion_status=2, aim_type=1)
    assert completed.filter(outcome=1, achievement_date__isnull=False).exists()
    assert completed.filter(outcome=8, achievement_date__isnull=True).exists()
    withdrawn = aims.filter(completion_status=3)
    assert withdrawn.filter(withdraw_reason__isnull=False, outcome=3).count() > 50
    assert Learner.objects.filter(prior_level__isnull=False).count() > 2500
    assert LearnerLLDD.objects.filter(primary=True).count() > 300
    assert LearnerFAM.objects.filter(fam_type="EHC").exists()
    # On purpose, and only about 1 %: each rule broken by a handful of learners.
    bad_emp = Organisation.objects.filter(pics_id="EMP099")
    assert all(identifiers.emp_id_problem(o.ern) for o in bad_emp)
    good_emp = Organisation.objects.filter(is_employer=True).exclude(pics_id="EMP099")
    assert not any(
        identifiers.emp_id_problem(ern) for ern in good_emp.values_list("ern", flat=True)
    )
    broken = {
        "ULN_12": aims.filter(learner__uln=identifiers.TEMPORARY_ULN, contract__contract_type=1)
        .values("learner")
        .distinct()
        .count(),
        "EmpId_02": EmploymentStatus.objects.filter(employer__in=bad_emp).count(),
        "WithdrawReason_03": withdrawn.filter(withdraw_reason__isnull=True)
        .values("learner")
        .distinct()
        .count(),
        "LLDDHealthProb_06": Learner.objects.filter(
            lldd_health_problem=1, lldd__isnull=True
        ).count(),
        "Outcome_01": aims.exclude(outcome__in=[1, 2, 3, 8]).exclude(outcome=None).count(),
    }
    assert all(1 <= count <= 20 for count in broken.values()), broken
    assert 10 <= sum(broken.values()) <= 60, broken  # about 1 % of 3,000

    provider = Provider.objects.get(ukprn="10012345")
    record = IlrExport.objects.create(
        provider=provider, year_code="2526", serial=1, filters={}, monitoring=["as_entered"] * 4
    )
    with open(tmp_path / "demo.xml", "w+b") as handle:
        written, problem = ilr_write_validated(
            export=record, year=CURRENT_YEAR, at=datetime(2026, 7, 1), handle=handle
        )
        handle.seek(0)
        doc = etree.parse(handle)
    assert problem is None, problem
    assert written.learners > 500
    ns = {"i": CURRENT_YEAR.namespace}
    acts = doc.xpath(
        "//i:LearningDeliveryFAM[i:LearnDelFAMType='ACT']/i:LearnDelFAMCode/text()", namespaces=ns
    )
    assert {"1", "2"} <= set(acts)
    assert doc.xpath("//i:AchDate", namespaces=ns) and doc.xpath(
        "//i:WithdrawReason", namespaces=ns
    )
    assert doc.xpath("//i:LLDDandHealthProblem", namespaces=ns) and doc.xpath(
        "//i:PriorAttain", namespaces=ns
    )
    components = doc.xpath("//i:LearningDelivery[i:AimType='3']", namespaces=ns)
    with_standard = [c for c in components if c.find("i:StdCode", namespaces=ns) is not None]
    assert len(with_standard) > len(components) * 0.9
