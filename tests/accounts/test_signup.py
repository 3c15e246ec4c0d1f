"""Sign-up, verification, sign-in and their bad inputs, through allauth's real views."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def _signup_data(**overrides):
    data = {
        "email": "newcomer@example.org",
        "full_name": "مريم  الياسري",
        "full_name_latin": "Maryam Al-Yasiri",
        "governorate": "najaf",
        "phone": "0770 123 4567",
        "password1": "a-long-enough-pass-2026",
        "password2": "a-long-enough-pass-2026",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_creates_an_unverified_trainee_and_sends_a_confirmation(client):
    response = client.post(SIGNUP, _signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert user.role == User.Role.TRAINEE
    assert user.full_name == "مريم الياسري"  # whitespace collapsed
    assert user.phone == "07701234567"  # normalised
    assert user.governorate == "najaf"
    assert user.preferred_language == "ar"
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert "confirm-email" in mail.outbox[0].body


@pytest.mark.django_db
def test_unverified_user_cannot_sign_in_until_they_confirm(client):
    client.post(SIGNUP, _signup_data())
    client.logout()
    response = client.post(
        LOGIN, {"login": "newcomer@example.org", "password": "a-long-enough-pass-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    link = re.search(
        r"http://testserver(/accounts/confirm-email/[^\s]+)", mail.outbox[-1].body
    ).group(1)
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="newcomer@example.org").verified is True
    client.logout()
    response = client.post(
        LOGIN, {"login": "newcomer@example.org", "password": "a-long-enough-pass-2026"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="newcomer@example.org").pk


@pytest.mark.django_db
def test_duplicate_email_creates_nothing_and_does_not_reveal_the_account(client, trainee):
    count = User.objects.count()
    response = client.post(SIGNUP, _signup_data(email=trainee.email.upper()))
    # With enumeration prevention allauth answers as for a new address and e-mails the owner.
    assert response.status_code == 302
    assert User.objects.count() == count
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [trainee.email]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12345"),
        ("phone", "+96412345678"),
        ("governorate", "atlantis"),
        ("governorate", ""),
        ("full_name", "  "),
        ("birth_year", "1800"),
        ("password2", "something-else"),
    ],
)
def test_signup_bad_input_is_refused_with_a_field_error_and_saves_nothing(client, field, value):
    response = client.post(SIGNUP, _signup_data(**{field: value}), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400  # the form again, with errors
    form = response.context["form"]
    assert field in form.errors
    assert not User.objects.exists()
    assert not mail.outbox
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.django_db
def test_signup_accepts_arabic_indic_digits_in_the_phone(client):
    client.post(SIGNUP, _signup_data(phone="٠٧٨١٢٣٤٥٦٧٨"))
    assert User.objects.get().phone == "07812345678"


@pytest.mark.django_db
def test_wrong_password_beyond_the_limit_is_rate_limited(client, trainee):
    for _ in range(5):
        response = client.post(LOGIN, {"login": trainee.email, "password": "wrong"})
        assert response.status_code == 400
    response = client.post(
        LOGIN, {"login": trainee.email, "password": "correct-horse-battery-staple"}
    )
    # Even the right password is refused while the limit holds: the attacker learns nothing.
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_account_exists(client, trainee):
    known = client.post("/accounts/password/reset/", {"email": trainee.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
