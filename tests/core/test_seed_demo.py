import pytest
from django.core.management import call_command

from accounts.models import User


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
