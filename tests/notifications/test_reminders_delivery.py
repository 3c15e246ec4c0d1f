"""Reminder delivery (notifications.delivery) in process: the unique key, still-due, quiet hours
and the weekend, preferences, the digest, unsubscribe links, the channel registry, and the
per-cohort log's scope. The real-worker guarantees are in test_reminders_worker.py."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from notifications import channels, delivery, services, unsubscribe
from notifications.models import Delivery, Notification, Preference
from notifications.tasks import run_reminder_scans, send_daily_digests, sweep_reminder_deliveries
from tests.factories import TraineeFactory
from tests.notifications import fake_reminder

pytestmark = pytest.mark.django_db

BAGHDAD = zoneinfo.ZoneInfo("Asia/Baghdad")
WEDNESDAY = datetime.date(2030, 1, 2)
FRIDAY = datetime.date(2030, 1, 4)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BAGHDAD)


@pytest.fixture(autouse=True)
def _fake_reminder():
    fake_reminder.install()
    yield
    fake_reminder.uninstall()


def scan(capture):
    with capture(execute=True):
        return run_reminder_scans(kinds=[fake_reminder.KIND])


def test_a_scan_run_twice_sends_each_reminder_once(django_capture_on_commit_callbacks):
    people = [TraineeFactory(email=f"p{i}@remind.test", preferred_language="en") for i in range(3)]
    with time_machine.travel(at(WEDNESDAY, 10)):
        assert scan(django_capture_on_commit_callbacks) == 3
        assert scan(django_capture_on_commit_callbacks) == 0
    assert Delivery.objects.filter(status="sent").count() == 3
    assert Notification.objects.filter(kind=fake_reminder.KIND).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_the_insert_is_one_statement_whatever_the_number_of_people(django_assert_num_queries):
    for i in range(25):
        TraineeFactory(email=f"q{i}@remind.test")
    reminder = fake_reminder.reminders.get(fake_reminder.KIND)
    # The scan's query and one INSERT ... ON CONFLICT; elsewhere than PostgreSQL (the embedded
    # SQLite of the demo) the active recipients are read first, one more query.
    expected = 2 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(expected):
        ids = delivery.record_due(reminder, at(WEDNESDAY, 10))
    assert len(ids) == 25
    with django_assert_num_queries(expected):
        assert delivery.record_due(reminder, at(WEDNESDAY, 10)) == []


def test_a_reminder_no_longer_due_is_skipped_and_recorded(django_capture_on_commit_callbacks):
    TraineeFactory(email="gone@remind.test", full_name="done already")
    with time_machine.travel(at(WEDNESDAY, 10)):
        scan(django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    assert row.status == "skipped"
    assert row.notification is None
    assert mail.outbox == []


def test_quiet_hours_defer_to_eight_and_the_sweep_sends_then(django_capture_on_commit_callbacks):
    TraineeFactory(email="night@remind.test")
    with time_machine.travel(at(WEDNESDAY, 23, 30)):
        scan(django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    assert row.status == "deferred"
    assert row.not_before == at(WEDNESDAY + datetime.timedelta(days=1), 8)
    with (
        time_machine.travel(at(WEDNESDAY + datetime.timedelta(days=1), 7, 59)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_reminder_deliveries() == 0
    assert mail.outbox == []
    with (
        time_machine.travel(at(WEDNESDAY + datetime.timedelta(days=1), 8, 1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_reminder_deliveries() == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1


def test_send_window_rules(settings):
    ping = fake_reminder.kinds.get(fake_reminder.KIND)
    urgent = fake_reminder.kinds.get(fake_reminder.URGENT_KIND)
    assert delivery.send_window(ping, at(WEDNESDAY, 10)) is None
    assert delivery.send_window(ping, at(WEDNESDAY, 3)) == at(WEDNESDAY, 8)
    # Thursday night waits for Saturday 08:00: Friday is the weekend.
    thursday = WEDNESDAY + datetime.timedelta(days=1)
    assert delivery.send_window(ping, at(thursday, 22)) == at(
        FRIDAY + datetime.timedelta(days=1), 8
    )
    assert delivery.send_window(ping, at(FRIDAY, 12)) == at(FRIDAY + datetime.timedelta(days=1), 8)
    # Safety-critical kinds go on the weekend, never at night.
    assert delivery.send_window(urgent, at(FRIDAY, 12)) is None
    assert delivery.send_window(urgent, at(thursday, 23)) == at(FRIDAY, 8)
    settings.NOTIFICATIONS_WEEKEND_DAYS = (4, 5)
    assert delivery.send_window(ping, at(FRIDAY, 12)) == at(FRIDAY + datetime.timedelta(days=2), 8)


def test_a_person_without_an_address_gets_the_notice_in_app_only(
    django_capture_on_commit_callbacks,
):
    person = TraineeFactory(email="x@remind.test")
    type(person).objects.filter(pk=person.pk).update(email="")
    # Found by the scan through a second address-less path: insert the delivery directly.
    reminder = fake_reminder.reminders.get(fake_reminder.KIND)
    with time_machine.travel(at(WEDNESDAY, 10)):
        ids = delivery.record_due(
            fake_reminder.reminders.Reminder(
                kind=reminder.kind,
                scan=lambda now: [
                    fake_reminder.reminders.Due(person.pk, f"accounts.user:{person.pk}", "once")
                ],
            ),
            at(WEDNESDAY, 10),
        )
        assert delivery.deliver(ids[0], "t") == "sent"
    row = Delivery.objects.get()
    assert row.detail == "no e-mail address: in-app only"
    assert row.notification.email_status == "none"
    assert mail.outbox == []


def test_preference_off_and_digest(django_capture_on_commit_callbacks):
    off = TraineeFactory(email="off@remind.test")
    digest = TraineeFactory(email="digest@remind.test", preferred_language="ar")
    services.set_preference(user=off, kind=fake_reminder.KIND, mode="off")
    services.set_preference(user=digest, kind=fake_reminder.KIND, mode="digest")
    with time_machine.travel(at(WEDNESDAY, 10)):
        scan(django_capture_on_commit_callbacks)
    assert Delivery.objects.get(recipient=off).status == "off"
    held = Delivery.objects.get(recipient=digest)
    assert held.status == "sent"
    assert held.notification.email_status == "digest"
    assert mail.outbox == []
    assert send_daily_digests() == 1
    assert send_daily_digests() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["digest@remind.test"]
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html
    held.notification.refresh_from_db()
    assert held.notification.email_status == "sent"


def test_preference_errors_are_clear(trainee):
    with pytest.raises(ValidationError) as unknown:
        services.set_preference(user=trainee, kind="no.such_kind", mode="off")
    assert "no.such_kind" in str(unknown.value)
    with pytest.raises(ValidationError) as locked:
        services.set_preference(user=trainee, kind=fake_reminder.URGENT_KIND, mode="off")
    assert "لا يمكن إيقافه" in str(locked.value)  # Arabic, the default language
    with translation.override("en"), pytest.raises(ValidationError) as locked:
        services.set_preference(user=trainee, kind=fake_reminder.URGENT_KIND, mode="off")
    assert "cannot be turned off" in str(locked.value)
    assert not Preference.objects.exists()


def test_preferences_page_and_api(client, trainee, password):
    client.force_login(trainee)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    bad = client.post(reverse("notifications:preferences"), {"kind": "nope", "mode": "off"})
    assert bad.status_code == 400
    locked = client.post(
        reverse("notifications:preferences"), {"kind": fake_reminder.URGENT_KIND, "mode": "off"}
    )
    assert locked.status_code == 400
    ok = client.post(
        reverse("notifications:preferences"), {"kind": fake_reminder.KIND, "mode": "digest"}
    )
    assert ok.status_code == 302
    assert Preference.objects.get(user=trainee).mode == "digest"

    api = reverse("api:notification-preference-list")
    rows = client.get(api).json()
    assert {
        "kind": fake_reminder.KIND,
        "mode": "digest",
        "can_turn_off": True,
        "digestible": True,
    } in rows
    assert (
        client.post(
            api, {"kind": "nope", "mode": "off"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            api, {"kind": fake_reminder.URGENT_KIND, "mode": "off"}, content_type="application/json"
        ).status_code
        == 400
    )
    done = client.post(
        api, {"kind": fake_reminder.KIND, "mode": "off"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["mode"] == "off"


def test_unsubscribe_confirm_then_once_then_already(client, trainee):
    url = unsubscribe.url_for(trainee, fake_reminder.KIND)
    path = url.removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200
    assert not Preference.objects.exists()  # GET only asks
    # RFC 8058: the mail client's POST carries no CSRF token.
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert Preference.objects.get(user=trainee, kind=fake_reminder.KIND).mode == "off"
    again = client.post(path)
    assert again.status_code == 200
    assert "already" in again.content.decode() or "بالفعل" in again.content.decode()


def test_unsubscribe_tampered_link_is_a_clear_400(client, trainee):
    token = unsubscribe.token_for(trainee, fake_reminder.KIND)
    for bad in (token[:-2] + "xx", "nonsense", signing.dumps({"u": trainee.pk, "k": "x"})):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
    assert not Preference.objects.exists()


def test_kinds_that_cannot_be_turned_off_have_no_link(trainee):
    assert unsubscribe.url_for(trainee, fake_reminder.URGENT_KIND) == ""
    notification = services.notify(recipient=trainee, kind=fake_reminder.URGENT_KIND, email=False)
    from notifications.tasks import render_email

    message = render_email(notification)
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/unsubscribe/" not in message.body


def test_a_new_channel_plugs_in_without_touching_reminders(trainee):
    sent = []

    class Sms(channels.Channel):
        key = "sms"

        def deliver(self, notification, mode):
            sent.append((notification.recipient_id, mode))

    channels.register(Sms())
    fake_reminder.kinds.register("tests.sms_ping", title="t", body="b", channels=("inapp", "sms"))
    try:
        services.notify(recipient=trainee, kind="tests.sms_ping")
    finally:
        channels.unregister("sms")
        fake_reminder.kinds._REGISTRY.pop("tests.sms_ping")
    assert sent == [(trainee.pk, "immediate")]
    assert set(channels.registered()) == {"inapp", "email"}


def test_mark_one_read_only_ones_own(client, trainee, outsider):
    mine = services.notify(recipient=trainee, kind=fake_reminder.KIND, email=False)
    theirs = services.notify(recipient=outsider, kind=fake_reminder.KIND, email=False)
    client.force_login(trainee)
    assert client.post(reverse("notifications:mark_one_read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_one_read", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_cohort_log_is_its_managers_and_staffs_only(client, manager, staff):
    from tests.cohorts.factories import CohortFactory, MembershipFactory
    from tests.factories import ManagerFactory

    cohort = CohortFactory()
    MembershipFactory(cohort=cohort, user=manager, role="manager")
    elsewhere = ManagerFactory(email="elsewhere@example.org")
    MembershipFactory(cohort=CohortFactory(), user=elsewhere, role="manager")
    member = MembershipFactory(cohort=cohort).user
    stranger = TraineeFactory()
    for person, status in ((member, "sent"), (member, "skipped"), (stranger, "sent")):
        Delivery.objects.create(
            recipient=person,
            kind=fake_reminder.KIND,
            object_key=f"x:{Delivery.objects.count()}",
            occurrence="once",
            status=status,
        )
    url = reverse("cohorts:reminder_log", args=[cohort.pk])
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    client.force_login(manager)
    page = client.get(url)
    assert page.status_code == 200
    assert [d.recipient_id for d in page.context["page"]] == [member.pk, member.pk]
    skipped = client.get(url, {"status": "skipped", "kind": fake_reminder.KIND})
    assert [d.status for d in skipped.context["page"]] == ["skipped"]
    # Unknown filter values are ignored, never an error; a NUL byte is refused cleanly.
    assert client.get(url, {"status": "nope", "kind": "x" * 5000, "page": "٣"}).status_code == 200
    assert client.get(url, {"status": "\x00"}).status_code == 400


def test_direct_notifications_follow_the_preference_at_send_time(
    django_capture_on_commit_callbacks,
):
    person = TraineeFactory(email="direct@example.org")
    services.set_preference(user=person, kind=fake_reminder.KIND, mode="off")
    with django_capture_on_commit_callbacks(execute=True):
        off = services.notify(recipient=person, kind=fake_reminder.KIND)
    services.set_preference(user=person, kind=fake_reminder.KIND, mode="digest")
    with django_capture_on_commit_callbacks(execute=True):
        held = services.notify(recipient=person, kind=fake_reminder.KIND)
    off.refresh_from_db()
    held.refresh_from_db()
    # The centre keeps both; no e-mail for the one turned off, the other waits for the digest.
    assert (off.email_status, held.email_status) == ("none", "digest")
    assert mail.outbox == []
    assert send_daily_digests() == 1
    assert len(mail.outbox) == 1
