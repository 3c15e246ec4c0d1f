"""Managers and staff must enrol a second factor when production requires it."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "staff"])
def test_privileged_people_without_totp_are_sent_to_enrol(mfa_required, login, personas, persona):
    response = login(personas[persona]).get(reverse("accounts:people"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_enrolment_pages_stay_reachable(mfa_required, login, manager):
    client = login(manager)
    assert client.get(reverse("mfa_index")).status_code == 200


@pytest.mark.django_db
def test_trainees_are_not_forced(mfa_required, login, trainee):
    assert login(trainee).get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_manager_with_totp_passes(mfa_required, login, manager):
    Authenticator.objects.create(user=manager, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert login(manager).get(reverse("accounts:people")).status_code == 200
