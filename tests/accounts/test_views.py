import pytest
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from notifications.models import Notification
from tests.factories import TraineeFactory


@pytest.mark.django_db
def test_profile_saves_own_data_only(login, trainee):
    client = login(trainee)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "حسن الخفاجي",
            "full_name_latin": "Hassan Al-Khafaji",
            "phone": "+9647801234567",
            "governorate": "karbala",
            "gender": "male",
            "birth_year": "2004",
            "preferred_language": "en",
            # Fields outside the form are ignored, not applied.
            "role": "manager",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert (trainee.full_name, trainee.governorate, trainee.birth_year) == (
        "حسن الخفاجي",
        "karbala",
        2004,
    )
    assert trainee.preferred_language == "en"
    assert trainee.role == User.Role.TRAINEE
    assert trainee.is_staff is False


@pytest.mark.django_db
def test_profile_bad_input_is_a_400_and_changes_nothing(login, trainee):
    client = login(trainee)
    before = User.objects.values().get(pk=trainee.pk)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "x",
            "phone": "0123",
            "governorate": "mars",
            "birth_year": "3000",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {
        "full_name",
        "phone",
        "governorate",
        "birth_year",
        "preferred_language",
    }
    assert User.objects.values().get(pk=trainee.pk) == before


@pytest.mark.django_db
def test_people_directory_is_paginated_with_a_constant_query_count(
    login, manager, django_assert_num_queries
):
    client = login(manager)
    TraineeFactory.create_batch(3)
    with django_assert_num_queries(5) as small:
        assert client.get(reverse("accounts:people")).status_code == 200
    TraineeFactory.create_batch(60)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("accounts:people"))
    assert len(response.context["page"]) == 50


@pytest.mark.django_db
def test_people_filters(login, manager):
    TraineeFactory(full_name="زهراء البديري", governorate="basra")
    TraineeFactory(full_name="علي التميمي", governorate="najaf")
    response = login(manager).get(
        reverse("accounts:people"), {"q": "زهراء", "governorate": "basra", "role": "trainee"}
    )
    assert [p.full_name for p in response.context["page"]] == ["زهراء البديري"]


@pytest.mark.django_db
def test_manager_changes_a_role_audited_and_notified(login, manager, trainee):
    response = login(manager).post(
        reverse("accounts:set_role", args=[trainee.pk]), {"role": "mentor"}
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.role == User.Role.MENTOR
    event = AuditEvent.objects.about(trainee).get()
    assert (event.actor, event.action, event.data) == (
        manager,
        "accounts.set_role",
        {"previous": "trainee", "role": "mentor"},
    )
    assert Notification.objects.filter(recipient=trainee, kind="accounts.role_changed").count() == 1


@pytest.mark.django_db
def test_invalid_role_changes_nothing(login, manager, trainee):
    login(manager).post(reverse("accounts:set_role", args=[trainee.pk]), {"role": "emperor"})
    trainee.refresh_from_db()
    assert trainee.role == User.Role.TRAINEE
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_visible_to_three_personas(trainee, outsider, manager, staff):
    assert set(User.objects.visible_to(manager)) == {trainee, outsider, manager, staff}
    assert set(User.objects.visible_to(staff)) == {trainee, outsider, manager, staff}
    assert list(User.objects.visible_to(trainee)) == [trainee]
    from django.contrib.auth.models import AnonymousUser

    assert not User.objects.visible_to(AnonymousUser()).exists()
    trainee.is_active = False
    assert not User.objects.visible_to(trainee).exists()
