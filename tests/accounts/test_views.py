import pytest
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from notifications.models import Notification
from tests.factories import ManagerFactory, TraineeFactory


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
    # The first page holds everyone: no count query (core.paging).
    with django_assert_num_queries(4):
        assert client.get(reverse("accounts:people")).status_code == 200
    # Again, with the unread badge's count read from the cache: one query fewer.
    with django_assert_num_queries(3) as small:
        assert client.get(reverse("accounts:people")).status_code == 200
    TraineeFactory.create_batch(60)
    # More than a page: the pager's count, then the same queries whatever the number of people.
    with django_assert_num_queries(len(small.captured_queries) + 1):
        response = client.get(reverse("accounts:people"))
    assert len(response.context["page"]) == 50


@pytest.mark.django_db
def test_people_filters(login, manager):
    TraineeFactory(full_name="زهراء البديري", governorate="basra")
    TraineeFactory(full_name="علي التميمي", governorate="najaf")
    response = login(manager).get(
        reverse("accounts:people"), {"q": "زهراء", "governorate": "basra", "role": "trainee"}
    )
    assert [row["name"] for row in response.context["page"]] == ["زهراء البديري"]


@pytest.mark.django_db
def test_staff_change_a_role_audited_and_notified(login, staff, trainee):
    response = login(staff).post(
        reverse("accounts:set_role", args=[trainee.pk]), {"role": "mentor"}
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.role == User.Role.MENTOR
    event = AuditEvent.objects.about(trainee).get()
    assert (event.actor, event.action, event.data) == (
        staff,
        "accounts.set_role",
        {"previous": "trainee", "role": "mentor"},
    )
    assert Notification.objects.filter(recipient=trainee, kind="accounts.role_changed").count() == 1


@pytest.mark.django_db
def test_a_program_manager_cannot_change_global_roles(login, api_login, manager, trainee):
    other_manager = ManagerFactory()
    page = login(manager).post(reverse("accounts:set_role", args=[trainee.pk]), {"role": "manager"})
    assert page.status_code == 403
    api = api_login(manager).post(
        f"/api/v1/people/{other_manager.pk}/role/", {"role": "trainee"}, format="json"
    )
    assert api.status_code == 403
    trainee.refresh_from_db()
    other_manager.refresh_from_db()
    assert (trainee.role, other_manager.role) == (User.Role.TRAINEE, User.Role.MANAGER)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_invalid_role_changes_nothing(login, staff, trainee):
    response = login(staff).post(
        reverse("accounts:set_role", args=[trainee.pk]), {"role": "emperor"}
    )
    # The person's page again, with the form's error.
    assert response.status_code == 400
    assert response.context["person"] == trainee
    assert "role" in response.context["form"].errors
    trainee.refresh_from_db()
    assert trainee.role == User.Role.TRAINEE
    assert not AuditEvent.objects.exists()


def _in_english(client):
    client.cookies["lang"] = "en"
    return client


@pytest.mark.django_db
def test_people_rows_show_translated_labels_and_link_to_each_persons_page(login, manager):
    person = TraineeFactory(full_name="زهراء البديري", governorate="basra")
    nowhere = TraineeFactory(full_name="علي بلا محافظة", governorate="")
    response = _in_english(login(manager)).get(reverse("accounts:people"), {"q": "زهراء"})
    html = response.content.decode()
    row = html[html.index(f'href="{reverse("accounts:person", args=[person.pk])}"') :]
    row = row[: row.index("</tr>")]
    assert "زهراء البديري" in row
    assert '<td data-label="Governorate">Basra</td>' in row
    assert '<td data-label="Role">Trainee</td>' in row
    # Roles are changed on the person's page: no form (and no CSRF token) per row.
    assert 'method="post"' not in html[html.index("<table") : html.index("</table>")]
    response = _in_english(login(manager)).get(reverse("accounts:people"), {"q": "بلا"})
    assert [row["governorate"] for row in response.context["page"]] == [""]
    assert [row["id"] for row in response.context["page"]] == [nowhere.pk]


@pytest.mark.django_db
def test_person_page_shows_managers_no_role_form(login, manager):
    mentor = TraineeFactory(role=User.Role.MENTOR, governorate="basra")
    response = _in_english(login(manager)).get(reverse("accounts:person", args=[mentor.pk]))
    assert response.status_code == 200
    assert reverse("accounts:set_role", args=[mentor.pk]) not in response.content.decode()


@pytest.mark.django_db
def test_person_page_shows_staff_the_role_form_with_the_current_role(login, staff):
    mentor = TraineeFactory(role=User.Role.MENTOR, governorate="basra")
    response = _in_english(login(staff)).get(reverse("accounts:person", args=[mentor.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{reverse("accounts:set_role", args=[mentor.pk])}"' in html
    assert '<option value="mentor" selected>' in html
    assert mentor.email in html
    assert "Basra" in html


@pytest.mark.django_db
def test_person_page_is_for_managers_and_unknown_people_are_404(login, trainee, outsider, manager):
    assert login(trainee).get(reverse("accounts:person", args=[outsider.pk])).status_code == 403
    missing = User.objects.order_by("-pk").first().pk + 1
    assert login(manager).get(reverse("accounts:person", args=[missing])).status_code == 404


@pytest.mark.django_db
def test_visible_to_three_personas(trainee, outsider, manager, staff):
    assert set(User.objects.visible_to(manager)) == {trainee, outsider, manager, staff}
    assert set(User.objects.visible_to(staff)) == {trainee, outsider, manager, staff}
    assert list(User.objects.visible_to(trainee)) == [trainee]
    from django.contrib.auth.models import AnonymousUser

    assert not User.objects.visible_to(AnonymousUser()).exists()
    trainee.is_active = False
    assert not User.objects.visible_to(trainee).exists()
