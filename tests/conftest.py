"""Persona fixtures shared by every test: a trainee, a mentor, a manager, staff and an outsider
(a second trainee who must not see the first one's things)."""

import uuid

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    PASSWORD,
    ManagerFactory,
    MentorFactory,
    StaffFactory,
    TraineeFactory,
)


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Rate-limit counters live in the cache: give every test an empty one of its own. With
    Redis configured that is the real Redis under a fresh key prefix, so the limits are tested
    against the store production uses."""
    prefix = f"test-{uuid.uuid4().hex}"
    if settings.REDIS_URL:
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.RedisCache",
                "LOCATION": settings.REDIS_URL,
                "KEY_PREFIX": prefix,
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": prefix,
            }
        }


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request in an earlier test may have
    activated another one in this thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def trainee(db):
    return TraineeFactory(email="trainee@example.org")


@pytest.fixture
def outsider(db):
    return TraineeFactory(email="outsider@example.org")


@pytest.fixture
def mentor(db):
    return MentorFactory(email="mentor@example.org")


@pytest.fixture
def manager(db):
    return ManagerFactory(email="manager@example.org")


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@example.org")


@pytest.fixture
def personas(trainee, mentor, manager, staff, outsider):
    return {
        "anonymous": None,
        "trainee": trainee,
        "mentor": mentor,
        "manager": manager,
        "staff": staff,
        "outsider": outsider,
    }


def _logged_in_client(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def login(client):
    """login(user) -> the test client signed in as that user (None leaves it anonymous)."""
    return lambda user: _logged_in_client(client, user)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_login(api_client):
    def _login(user):
        if user is not None:
            api_client.force_authenticate(user)
        return api_client

    return _login
