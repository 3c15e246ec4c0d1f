"""A mentor's home: a panel leading to the trainees they mentor (with how many, and matches
awaiting an answer), and course links instead of a trainee's progress bars; trainees and
managers see no mentoring panel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import Mentorship
from tests.cohorts.factories import cohort_with
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def home(client):
    return client.get(reverse("core:home")).content.decode()


def test_a_mentor_sees_their_trainees_and_no_progress_bars(login, mentor, manager, trainee):
    other = TraineeFactory()
    cohort = cohort_with(manager=manager, trainees=[trainee, other], mentors=[mentor])
    Mentorship.objects.create(
        cohort=cohort, mentor=mentor, trainee=trainee, status=Mentorship.Status.ACTIVE
    )
    Mentorship.objects.create(
        cohort=cohort, mentor=mentor, trainee=other, status=Mentorship.Status.PROPOSED
    )
    html = home(login(mentor))
    assert 'id="mentoring-panel"' in html
    assert reverse("mentoring:my_mentees") in html
    assert "ترشد متدربًا واحدًا." in html
    assert "مطابقة واحدة تنتظر ردك." in html
    assert "<progress" not in html and 'class="card resume"' not in html
    assert reverse("courses:review_queue") in html


@pytest.mark.parametrize("who", ["trainee", "manager"])
def test_no_mentoring_panel_for_others(login, who, trainee, manager):
    person = {"trainee": trainee, "manager": manager}[who]
    assert 'id="mentoring-panel"' not in home(login(person))


def test_the_panel_costs_one_query_whatever_the_mentees(login, mentor, manager):
    client = login(mentor)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as none:
        client.get(reverse("core:home"))
    cohort = cohort_with(manager=manager, mentors=[mentor])
    for person in TraineeFactory.create_batch(3):
        Mentorship.objects.create(
            cohort=cohort, mentor=mentor, trainee=person, status=Mentorship.Status.ACTIVE
        )
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("core:home"))
    # The cohorts panel lists the new cohort in its one query; the mentoring panel adds none.
    assert len(three.captured_queries) == len(none.captured_queries)
