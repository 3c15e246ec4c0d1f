"""The trainee's home shows the latest announcement of each of their cohorts, in the same one
query as the cohorts panel; a cohort they left shows nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts import services
from cohorts.models import Membership
from tests.cohorts.factories import cohort_with

pytestmark = pytest.mark.django_db


def test_the_latest_announcement_is_on_home(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    services.post_announcement(actor=manager, cohort=cohort, title="موعد قديم", body="نص")
    services.post_announcement(actor=manager, cohort=cohort, title="تغيير القاعة", body="نص")
    html = login(trainee).get(reverse("core:home")).content.decode()
    assert "تغيير القاعة" in html and "موعد قديم" not in html
    assert f"{reverse('cohorts:detail', args=[cohort.pk])}#news" in html


def test_a_removed_member_sees_no_announcement_of_the_cohort(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    services.post_announcement(actor=manager, cohort=cohort, title="تغيير القاعة", body="نص")
    Membership.objects.filter(cohort=cohort, user=trainee).update(
        status=Membership.Status.WITHDRAWN
    )
    assert "تغيير القاعة" not in login(trainee).get(reverse("core:home")).content.decode()


def test_announcements_cost_no_extra_query(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    client = login(trainee)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("core:home"))
    services.post_announcement(actor=manager, cohort=cohort, title="تغيير القاعة", body="نص")
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("core:home"))
    assert len(after.captured_queries) == len(before.captured_queries)
