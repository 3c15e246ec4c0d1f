"""The signed-in person is read by precompiled SQL (accounts.backends): the same person, the
same rule for who may sign in, one query, nothing kept between requests."""

import datetime

import pytest
from django.contrib.auth import get_backends
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import AuthenticationBackend, ModelBackend
from accounts.models import User
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

BACKENDS = [ModelBackend, AuthenticationBackend]


def _fields(user):
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


@pytest.mark.parametrize("backend", BACKENDS)
def test_reads_the_same_person_as_the_orm(backend):
    person = TraineeFactory(
        full_name="زينب علي",
        full_name_latin="",
        phone="07701234567",
        gender=User.Gender.FEMALE,
        birth_year=None,
        preferred_language="en",
    )
    User.objects.filter(pk=person.pk).update(
        last_login=datetime.datetime(2026, 5, 1, 9, 30, tzinfo=datetime.UTC)
    )
    expected = User.objects.get(pk=person.pk)

    read = backend().get_user(person.pk)

    assert type(read) is User
    assert _fields(read) == _fields(expected)
    assert read.last_login.tzinfo is not None
    assert read._state.adding is False and read._state.db == "default"


def test_a_person_read_so_saves_as_an_update():
    person = TraineeFactory()
    read = ModelBackend().get_user(person.pk)
    read.full_name = "اسم جديد"
    read.save()
    assert User.objects.count() == 1
    assert User.objects.get(pk=person.pk).full_name == "اسم جديد"


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_person_for_unknown_inactive_or_impossible_ids(backend, django_assert_num_queries):
    active = TraineeFactory()
    inactive = TraineeFactory(is_active=False)
    with django_assert_num_queries(2):
        assert backend().get_user(active.pk + inactive.pk + 1000) is None
        assert backend().get_user(inactive.pk) is None
    with django_assert_num_queries(0):
        assert backend().get_user(2**63) is None
        assert backend().get_user(-(2**63) - 1) is None
        assert backend().get_user("1") is None
        assert backend().get_user(None) is None


def test_a_signed_in_request_reads_the_person_once_and_never_from_a_copy(client, trainee):
    client.force_login(trainee)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:profile")).status_code == 200
    person_reads = [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(person_reads) == 1

    # Deactivated in the database: the very next request is anonymous.
    User.objects.filter(pk=trainee.pk).update(is_active=False)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signing_in_through_the_form_uses_the_backend(client, trainee, password):
    response = client.post(reverse("account_login"), {"login": trainee.email, "password": password})
    assert response.status_code == 302
    # The first backend that knows the password signs the person in (Django's, by e-mail).
    assert client.session["_auth_user_backend"] == "accounts.backends.ModelBackend"
    assert [type(b) for b in get_backends()] == BACKENDS
    assert client.get(reverse("accounts:profile")).context["user"] == trainee
