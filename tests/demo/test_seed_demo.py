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
    client.logout()
    assert (
        client.post(
            "/accounts/login/", {"username": "learner", "password": "picsweb-demo"}
        ).status_code
        == 302
    )
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/apply/home/"
