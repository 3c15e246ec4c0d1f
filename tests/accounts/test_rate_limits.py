"""Failed sign-ins are limited per account tightly and per IP generously: trainees sign in
together behind one venue's Wi-Fi address, and one person's typos must not lock out another."""

import pytest
from django.urls import reverse

from tests.factories import TraineeFactory

VENUE = "203.0.113.7"


def _sign_in(client, user, password):
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": password},
        REMOTE_ADDR=VENUE,
    )


@pytest.mark.django_db
def test_five_wrong_passwords_block_that_account_not_another_on_the_same_ip(client, password):
    first, second = TraineeFactory(), TraineeFactory()
    for _ in range(5):
        assert _sign_in(client, first, "wrong-password").status_code == 400
    # The sixth try for the same account is refused even with the right password.
    blocked = _sign_in(client, first, password)
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another trainee at the same venue signs in at once.
    other = _sign_in(client, second, password)
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(second.pk)


@pytest.mark.django_db
def test_one_address_is_eventually_limited_across_accounts(client, password):
    trainees = [TraineeFactory() for _ in range(16)]
    statuses = []
    for trainee in trainees:
        for _ in range(4):  # below each account's own limit
            statuses.append(_sign_in(client, trainee, "wrong-password").status_code)
    assert statuses.index(429) == 60, statuses.index(429)
    assert statuses[60:] == [429] * 4
