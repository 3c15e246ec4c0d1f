"""Arabic says a woman's role and state in the feminine: «متدربة» for a trainee, «غادرت» when she
leaves, «حاضرة» on her own attendance. English has one word for both. A label never costs a query
of its own: where the gender was not read with the person, the plain word is shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from cohorts.models import Membership
from tests.cohorts.factories import AttendanceFactory, SessionFactory, cohort_with
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def woman(**kwargs):
    return TraineeFactory(gender=User.Gender.FEMALE, **kwargs)


def man(**kwargs):
    return TraineeFactory(gender=User.Gender.MALE, **kwargs)


def test_a_womans_role_is_feminine_in_arabic_and_plain_in_english():
    with translation.override("ar"):
        assert woman().get_role_display() == "متدربة"
        assert man().get_role_display() == "متدرب"
        assert TraineeFactory(gender="").get_role_display() == "متدرب"
    with translation.override("en"):
        assert woman().get_role_display() == "Trainee"


def test_a_label_costs_no_query_when_the_gender_was_not_read():
    person = woman()
    lean = User.objects.only("id", "role").get(pk=person.pk)
    with CaptureQueriesContext(connection) as queries, translation.override("ar"):
        assert lean.get_role_display() == "متدرب"
    assert len(queries) == 0


def test_the_members_page_says_each_persons_role_and_state_in_their_gender(login, manager):
    zahraa, ali = woman(full_name="زهراء علي"), man(full_name="علي حسن")
    cohort = cohort_with(manager=manager, trainees=[zahraa, ali])
    Membership.objects.filter(user=zahraa).update(status=Membership.Status.WITHDRAWN)
    client = login(manager)

    active = client.get(reverse("cohorts:members", args=[cohort.pk])).content.decode()
    left = client.get(
        reverse("cohorts:members", args=[cohort.pk]) + "?status=withdrawn"
    ).content.decode()

    assert 'data-label="الدور">متدرب</td>' in active
    assert "متدربة · منسحبة" in left


def test_withdrawing_a_woman_says_she_left(login, manager):
    zahraa = woman(full_name="زهراء علي")
    cohort = cohort_with(manager=manager, trainees=[zahraa])
    membership = Membership.objects.get(cohort=cohort, user=zahraa)

    response = login(manager).post(
        reverse("cohorts:member_withdraw", args=[membership.pk]), {"confirmed": "1"}, follow=True
    )

    assert "غادرت زهراء علي الدفعة." in response.content.decode()


def test_her_own_attendance_reads_in_the_feminine(login, manager):
    zahraa = woman()
    cohort = cohort_with(manager=manager, trainees=[zahraa])
    AttendanceFactory(session=SessionFactory(cohort=cohort), user=zahraa)

    html = login(zahraa).get(reverse("cohorts:my_attendance", args=[cohort.pk])).content.decode()

    assert "حاضرة" in html


def test_the_people_list_gives_a_womans_role_in_the_feminine(login, manager):
    woman(full_name="نور الهدى")
    html = login(manager).get(reverse("accounts:people") + "?q=نور").content.decode()
    assert 'data-label="الدور">متدربة</td>' in html
