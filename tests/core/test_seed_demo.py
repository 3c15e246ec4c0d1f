import pytest
from django.core.management import call_command

from accounts.models import User
from certificates import services as certificates
from certificates.models import Certificate
from cohorts.models import Cohort, Membership


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_spans_governorates(capsys):
    call_command("seed_demo")
    counts = {role: User.objects.filter(role=role).count() for role in User.Role.values}
    call_command("seed_demo")
    assert {role: User.objects.filter(role=role).count() for role in User.Role.values} == counts
    assert counts["trainee"] >= 30
    assert counts["mentor"] >= 2
    assert counts["manager"] >= 1
    assert User.objects.filter(role="trainee").values("governorate").distinct().count() >= 5
    manager = User.objects.get(email="manager@ishtar.example")
    assert manager.check_password("ishtar-demo-2026")
    assert "ishtar-demo-2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_on_a_production_server(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--allow-production")
    assert User.objects.filter(email="manager@ishtar.example").exists()


@pytest.mark.django_db
def test_seed_demo_leaves_certificates_to_issue_and_one_to_show(
    django_capture_on_commit_callbacks,
):
    """The Najaf cohort's first six trainees finished its courses with enough attendance: the
    first holds a rendered certificate; the others are eligible, left for the manager."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    call_command("seed_demo")
    cohort = Cohort.objects.get(name_en="Young Leaders 2027 — Najaf")
    trainees = [
        m.user
        for m in Membership.objects.active().trainees().filter(cohort=cohort).select_related("user")
    ]
    eligible = {t.email for t in trainees if certificates.eligibility(cohort, t).eligible}
    assert eligible == {f"trainee{n}@ishtar.example" for n in range(1, 7)}
    issued = Certificate.objects.filter(cohort=cohort)
    assert [c.trainee.email for c in issued] == ["trainee1@ishtar.example"]
    assert issued[0].status == Certificate.Status.VALID and issued[0].sha256
