"""The personal calendar feed (parsed back with icalendar), the check-in QR code, and the
announcement task (after commit, idempotent)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from cohorts import services, tasks
from cohorts.calendar import build_calendar
from cohorts.models import Announcement, Cohort
from cohorts.qr import qr_svg
from notifications.models import Notification
from tests.cohorts.factories import SessionFactory, at, cohort_with, today
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def test_feed_lists_the_persons_sessions_and_parses_back(client, manager, trainee, mentor):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    first = SessionFactory(
        cohort=cohort, title="ورشة القيادة", starts_at=at(today(), 17), ends_at=at(today(), 19)
    )
    online = SessionFactory(
        cohort=cohort,
        mode="online",
        online_url="https://meet.example.org/ishtar",
        starts_at=at(today() + datetime.timedelta(days=2), 20),
        ends_at=at(today() + datetime.timedelta(days=2), 21),
    )
    SessionFactory(cohort=cohort_with(manager=manager))  # another cohort: not listed
    draft = cohort_with(manager=manager, trainees=[], status=Cohort.Status.DRAFT)
    SessionFactory(cohort=draft, facilitator=trainee)  # draft cohorts stay off calendars
    feed = services.calendar_feed_for(trainee)
    response = client.get(reverse("calendar:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"session-{first.pk}@127.0.0.1", f"session-{online.pk}@127.0.0.1"}
    event = events[f"session-{first.pk}@127.0.0.1"]
    assert event.decoded("dtstart") == first.starts_at
    assert "ورشة القيادة" in str(event["summary"])
    assert str(event["location"]) == cohort.venue
    assert str(events[f"session-{online.pk}@127.0.0.1"]["url"]) == online.online_url
    # Each event links back to the session on its cohort's page, at the site's address.
    page = f"http://127.0.0.1:8000/cohorts/{cohort.pk}/#session-{first.pk}"
    assert str(event["url"]) == page
    assert page in str(event["description"])
    online_text = str(events[f"session-{online.pk}@127.0.0.1"]["description"])
    assert online.online_url in online_text and f"#session-{online.pk}" in online_text


def test_a_rotated_token_stops_working(client, trainee):
    old = services.calendar_feed_for(trainee).token
    new = services.rotate_calendar_token(user=trainee).token
    assert client.get(reverse("calendar:feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[new])).status_code == 200


def test_calendar_builder_is_pure_and_english_when_asked(manager):
    session = SessionFactory.build(
        pk=7,
        title="ورشة",
        title_en="Workshop",
        cohort=cohort_with(manager=manager),
        starts_at=at(today(), 10),
        ends_at=at(today(), 12),
    )
    body = build_calendar([session], name="x", domain="ishtar.example", language="en")
    event = next(iter(Calendar.from_ical(body).walk("VEVENT")))
    assert str(event["summary"]).startswith("Workshop — ")


def test_qr_is_an_svg_of_the_address():
    svg = qr_svg("https://lms.ishtar.example/cohorts/sessions/7/check-in/?code=ACD347")
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag.endswith("svg")
    assert svg.count("<path") == 1
    assert qr_svg("a") != qr_svg("b")


def test_announcement_task_runs_after_commit_and_twice_is_harmless(
    manager, django_capture_on_commit_callbacks
):
    people = TraineeFactory.create_batch(3)
    cohort = cohort_with(manager=manager, trainees=people)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announcement = services.post_announcement(
            actor=manager, cohort=cohort, title="تذكير", body="لا تنسوا الورشة"
        )
    assert len(callbacks) == 1
    assert not Notification.objects.exists()  # nothing before commit
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_announcement(announcement.pk) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_announcement(announcement.pk) == 0
    assert Notification.objects.filter(kind="cohorts.announcement").count() == 3
    assert len(mail.outbox) == 3
    assert "تذكير" in mail.outbox[0].subject
    assert Announcement.objects.get().recipient_count == 3


def test_announcement_task_for_a_missing_row_does_nothing():
    assert tasks.send_announcement(999999) == 0
