"""A cohort's application deadline: shown on the open list and the cohort page, enforced by the
service (a day in Baghdad, inclusive), set on the manager's form and through the API; and what a
visitor deciding to apply sees: the curriculum's courses and the schedule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import BAGHDAD, Application, Cohort
from core.errors import Conflict
from tests.cohorts.factories import (
    CohortFactory,
    CurriculumItemFactory,
    SessionFactory,
    cohort_with,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate(timezone=BAGHDAD)


def recruiting(**kwargs):
    return CohortFactory(status=Cohort.Status.RECRUITING, **kwargs)


def apply(cohort, person):
    return services.apply_to_cohort(
        applicant=person,
        cohort=cohort,
        motivation="أريد أن أخدم مدينتي.",
        availability="مساءً",
        consent=True,
    )


def test_the_deadline_day_itself_still_takes_applications():
    cohort = recruiting(applications_close_on=today())
    assert cohort.taking_applications()
    apply(cohort, TraineeFactory())
    assert Application.objects.filter(cohort=cohort).count() == 1


def test_after_the_deadline_an_application_is_refused_and_nothing_is_saved():
    cohort = recruiting(applications_close_on=today() - datetime.timedelta(days=1))
    with pytest.raises(Conflict) as refused:
        apply(cohort, TraineeFactory())
    assert refused.value.code == "applications_closed"
    assert not Application.objects.filter(cohort=cohort).exists()


def test_the_open_list_shows_the_deadline_and_leaves_out_closed_cohorts(client):
    open_one = recruiting(applications_close_on=today() + datetime.timedelta(days=3))
    no_deadline = recruiting()
    closed = recruiting(applications_close_on=today() - datetime.timedelta(days=1))
    page = client.get(reverse("cohorts:list")).content.decode()
    assert open_one.name in page and no_deadline.name in page
    assert closed.name not in page
    assert "آخر موعد للتقديم" in page


def test_a_closed_cohort_page_says_so_and_offers_no_form(client, login):
    closed = recruiting(applications_close_on=today() - datetime.timedelta(days=1))
    page = client.get(reverse("cohorts:detail", args=[closed.pk])).content.decode()
    assert "انتهى التقديم" in page
    assert 'id="apply"' not in page
    trainee = TraineeFactory()
    posted = login(trainee).post(
        reverse("cohorts:apply", args=[closed.pk]),
        {"motivation": "أريد", "availability": "مساءً", "consent": "on"},
    )
    assert posted.status_code in (400, 409)
    assert not Application.objects.filter(cohort=closed).exists()


def test_a_visitor_sees_the_curriculum_and_the_schedule_but_no_online_link(client):
    cohort = recruiting(applications_close_on=today() + datetime.timedelta(days=5))
    item = CurriculumItemFactory(cohort=cohort)
    start = timezone.now() + datetime.timedelta(days=10)
    online = SessionFactory(
        cohort=cohort,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        mode="online",
        online_url="https://meet.example.org/secret-room",
    )
    page = client.get(reverse("cohorts:detail", args=[cohort.pk])).content.decode()
    assert item.course.title in page
    assert online.title in page
    assert "secret-room" not in page
    assert "آخر موعد للتقديم" in page


def test_managers_set_the_deadline_on_the_form_and_it_cannot_be_after_the_end(login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    client = login(manager)
    url = reverse("cohorts:edit", args=[cohort.pk])
    fields = {
        "name": cohort.name,
        "name_en": cohort.name_en,
        "track": cohort.track,
        "governorate": cohort.governorate,
        "venue": cohort.venue,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "capacity": cohort.capacity,
        "min_attendance_percent": 75,
    }
    late = (cohort.ends_on + datetime.timedelta(days=1)).isoformat()
    refused = client.post(url, {**fields, "applications_close_on": late})
    assert refused.status_code == 400
    cohort.refresh_from_db()
    assert cohort.applications_close_on is None
    good = (today() + datetime.timedelta(days=7)).isoformat()
    assert client.post(url, {**fields, "applications_close_on": good}).status_code == 302
    cohort.refresh_from_db()
    assert cohort.applications_close_on.isoformat() == good


def test_the_api_reads_and_writes_the_deadline(api_login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    api = api_login(manager)
    day = (today() + datetime.timedelta(days=4)).isoformat()
    changed = api.patch(
        f"/api/v1/cohorts/{cohort.pk}/", {"applications_close_on": day}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["applications_close_on"] == day
    cohort.refresh_from_db()
    assert cohort.applications_close_on.isoformat() == day


def test_the_api_refuses_a_deadline_after_the_end(api_login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    late = (cohort.ends_on + datetime.timedelta(days=1)).isoformat()
    refused = api_login(manager).patch(
        f"/api/v1/cohorts/{cohort.pk}/", {"applications_close_on": late}, format="json"
    )
    assert refused.status_code == 400
    assert "applications_close_on" in str(refused.json())
    cohort.refresh_from_db()
    assert cohort.applications_close_on is None
