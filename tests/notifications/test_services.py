import datetime

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from notifications import kinds, tasks, unread
from notifications.models import Notification
from notifications.services import mark_read, notify
from notifications.tasks import (
    purge_old_notifications,
    send_notification_email,
    sweep_notification_emails,
)


@pytest.mark.django_db
def test_notify_enqueues_the_email_only_after_commit(trainee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(
            recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"}
        )
    assert notification.email_status == Notification.EmailStatus.PENDING
    # The e-mail's enqueue, and the unread badge's count moved on once more (notifications.unread)
    assert len(callbacks) == 2
    assert not mail.outbox  # nothing sent before the commit
    for callback in callbacks:
        callback()
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_send_task_is_idempotent(trainee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = notify(
            recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"}
        )
    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_email_is_rendered_in_the_recipients_language(trainee, django_capture_on_commit_callbacks):
    trainee.preferred_language = "en"
    trainee.save()
    with translation.override("ar"), django_capture_on_commit_callbacks(execute=True):
        notify(recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"})
    assert "Your role has changed" in mail.outbox[0].subject
    assert "Mentor" in mail.outbox[0].body
    # Greeted by the Latin spelling of their first name (the factory's "Trainee Number n").
    assert mail.outbox[0].body.splitlines()[0] == "Hello Trainee,"
    assert "<p>Hello Trainee,</p>" in mail.outbox[0].alternatives[0][0]


@pytest.mark.django_db
def test_unknown_kind_fails_before_writing(trainee):
    with pytest.raises(KeyError):
        notify(recipient=trainee, kind="no.such.kind")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_no_email_for_inactive_people(trainee, django_capture_on_commit_callbacks):
    trainee.is_active = False
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        n = notify(recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"})
    assert n.email_status == Notification.EmailStatus.NOT_WANTED
    assert len(callbacks) == 1  # the unread badge's count moved on after commit; no e-mail
    assert not mail.outbox


def _run_as_message(notification_id, *, task_id, retries=0):
    """Runs the send task as the worker would for one broker message (its id is the lease
    token), stopping at a retry request instead of running the retry eagerly."""
    send_notification_email.push_request(id=task_id, retries=retries)
    try:
        return send_notification_email.run(notification_id)
    finally:
        send_notification_email.pop_request()


@pytest.fixture
def broken_smtp(monkeypatch):
    def broken(self, messages):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    countdowns = []

    def retry(**kwargs):
        countdowns.append(kwargs["countdown"])
        return Retry(when=kwargs["countdown"])

    monkeypatch.setattr(send_notification_email, "retry", retry)
    return countdowns


@pytest.mark.django_db
def test_smtp_error_keeps_the_lease_for_the_retry_and_nobody_else_sends_meanwhile(
    trainee, django_capture_on_commit_callbacks, broken_smtp, monkeypatch, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=False):
        n = notify(recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"})
    with pytest.raises(Retry):
        _run_as_message(n.pk, task_id="first")
    (countdown,) = broken_smtp
    assert tasks.EMAIL_RETRY_BASE / 2 <= countdown <= tasks.EMAIL_RETRY_BASE
    n.refresh_from_db()
    assert (n.email_status, n.claimed_by) == (Notification.EmailStatus.SENDING, "first")
    assert n.claimed_until == timezone.now() + datetime.timedelta(
        seconds=countdown + tasks.EMAIL_LEASE
    )
    # A duplicate message and the sweep leave the row to the retry.
    assert _run_as_message(n.pk, task_id="duplicate") is False
    assert sweep_notification_emails() == 0

    monkeypatch.undo()
    time_machine.shift(countdown)
    assert _run_as_message(n.pk, task_id="first", retries=1) is True
    n.refresh_from_db()
    assert n.email_status == Notification.EmailStatus.SENT
    assert n.claimed_until is None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_last_retry_marks_the_email_failed(
    trainee, django_capture_on_commit_callbacks, broken_smtp
):
    with django_capture_on_commit_callbacks(execute=False):
        n = notify(recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"})
    assert _run_as_message(n.pk, task_id="t", retries=tasks.EMAIL_MAX_RETRIES) is False
    n.refresh_from_db()
    assert (n.email_status, n.claimed_until) == (Notification.EmailStatus.FAILED, None)
    assert sweep_notification_emails() == 0
    assert not broken_smtp and not mail.outbox


def test_retry_backoff_grows_with_jitter_and_stays_below_the_visibility_timeout():
    waits = [tasks._retry_countdown(n) for n in range(tasks.EMAIL_MAX_RETRIES) for _ in range(50)]
    assert max(waits) <= tasks.EMAIL_RETRY_CEILING
    assert len(set(waits)) > tasks.EMAIL_MAX_RETRIES  # jitter: retries do not move in step
    assert tasks._retry_countdown(0) <= tasks.EMAIL_RETRY_BASE < tasks._retry_countdown(3)
    # An expired lease means the holder is gone: the task is killed before its lease ends.
    assert send_notification_email.time_limit < tasks.EMAIL_LEASE
    assert send_notification_email.acks_late and send_notification_email.reject_on_worker_lost
    if settings.REDIS_URL:
        # A retry waits in the worker unacknowledged: it must be done before Redis hands the
        # message out again.
        timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert timeout > tasks.EMAIL_RETRY_CEILING + tasks.EMAIL_LEASE
        assert timeout > 30 * 60  # the longest task (nightly snapshot refresh) fits in it
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-notification-emails"]
    assert schedule == {"task": "notifications.tasks.sweep_notification_emails", "schedule": 60}


@pytest.mark.django_db
def test_sweep_re_enqueues_expired_claims_and_old_pending_rows_once(
    trainee, outsider, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    status = Notification.EmailStatus
    now = timezone.now()

    def row(email_status, **fields):
        return Notification.objects.create(
            recipient=trainee, kind="accounts.role_changed", email_status=email_status, **fields
        )

    dead = row(status.SENDING, claimed_by="dead", claimed_until=now - datetime.timedelta(seconds=1))
    alive = row(
        status.SENDING, claimed_by="alive", claimed_until=now + datetime.timedelta(seconds=90)
    )
    lost = row(status.PENDING)
    sent = row(status.SENT)
    time_machine.shift(30)
    fresh = row(status.PENDING)  # its message is probably still on its way
    time_machine.shift(31)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sweep_notification_emails() == 2
    swept = {dead.pk, lost.pk}
    rows = {n.pk: n for n in Notification.objects.all()}
    for pk in swept:
        assert (rows[pk].email_status, rows[pk].claimed_by) == (status.PENDING, "")
    assert rows[alive.pk].email_status == status.SENDING
    assert rows[fresh.pk].email_status == status.PENDING
    assert rows[sent.pk].email_status == status.SENT
    # Until the new messages had their chance, the sweep does not send them again.
    assert sweep_notification_emails() == 0
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [trainee.email, trainee.email]
    assert set(
        Notification.objects.filter(email_status=status.SENT).values_list("pk", flat=True)
    ) == {sent.pk, *swept}
    assert outsider.email not in {m.to[0] for m in mail.outbox}


@pytest.mark.django_db
def test_a_failed_enqueue_loses_nothing_the_sweep_sends_it(
    trainee, django_capture_on_commit_callbacks, monkeypatch, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC), tick=False)

    def unreachable(*args, **kwargs):
        raise OperationalError("broker unreachable")

    monkeypatch.setattr(send_notification_email, "delay", unreachable)
    # The caller's work is committed and its request does not fail.
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"})
    n.refresh_from_db()
    assert n.email_status == Notification.EmailStatus.PENDING
    assert not mail.outbox
    monkeypatch.undo()

    time_machine.shift(tasks.EMAIL_PENDING_GRACE - 1)
    assert sweep_notification_emails() == 0
    time_machine.shift(2)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_notification_emails() == 1
    n.refresh_from_db()
    assert n.email_status == Notification.EmailStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_text_part_is_not_html_escaped_and_the_html_part_is(
    trainee, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setitem(
        kinds._REGISTRY, "tests.echo", kinds.Kind(key="tests.echo", title="%(t)s", body="%(b)s")
    )
    hostile = "<b>&'x'"
    trainee.full_name = f"{hostile} Sara"  # the greeting says the first name: the hostile part
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=trainee, kind="tests.echo", params={"t": hostile, "b": hostile})
    (message,) = mail.outbox
    assert hostile in message.subject
    assert message.body.count(hostile) == 3  # greeting, title, body
    assert "&lt;" not in message.body and "&amp;" not in message.body
    assert "&#x27;" not in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert hostile not in html
    assert html.count("&lt;b&gt;&amp;&#x27;x&#x27;") >= 3
    assert 'dir="rtl"' in html  # an Arabic reader's e-mail reads right to left


@pytest.mark.django_db
def test_mark_read_touches_only_the_readers_rows(trainee, outsider):
    a = Notification.objects.create(recipient=trainee, kind="accounts.role_changed")
    b = Notification.objects.create(recipient=outsider, kind="accounts.role_changed")
    assert mark_read(user=trainee, notification_ids=[a.pk, b.pk]) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.read_at is not None
    assert b.read_at is None


@pytest.mark.django_db
def test_inbox_page_shows_only_own_and_query_count_is_constant(
    login, trainee, outsider, django_assert_num_queries
):
    Notification.objects.create(
        recipient=outsider, kind="accounts.role_changed", params={"role": "mentor"}
    )
    Notification.objects.create(
        recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"}
    )
    client = login(trainee)
    # session, user, unread badge, page (which holds them all: no count, core.paging)
    with django_assert_num_queries(4) as first:
        response = client.get(reverse("notifications:inbox"))
    assert len(response.context["page"]) == 1
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=trainee, kind="accounts.role_changed", params={"role": "trainee"}
            )
            for _ in range(40)
        ]
    )
    unread.changed(trainee.pk)  # bulk_create sends no post_save: a bulk writer says so itself
    # More than a page: the pager's count too.
    with django_assert_num_queries(len(first.captured_queries) + 1):
        response = client.get(reverse("notifications:inbox"))
    assert len(response.context["page"]) == 30
    assert response.context["unread_notifications"]() == 41
    # The unread badge's count is now in the cache: session, user, paginator count, page.
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("notifications:inbox"))
    assert len(response.context["page"]) == 30


@pytest.mark.django_db
def test_purge_deletes_only_old_read_notifications(trainee, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    old_read = Notification.objects.create(
        recipient=trainee, kind="accounts.role_changed", read_at=timezone.now()
    )
    old_unread = Notification.objects.create(recipient=trainee, kind="accounts.role_changed")
    time_machine.move_to(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    recent = Notification.objects.create(
        recipient=trainee, kind="accounts.role_changed", read_at=timezone.now()
    )
    assert purge_old_notifications() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, recent.pk}
    assert not Notification.objects.filter(pk=old_read.pk).exists()


def test_kind_render_survives_missing_parameters():
    kind = kinds.Kind(key="x", title="Hello %(name)s", body="")
    assert kind.render({}) == ("Hello ", "")


@pytest.mark.django_db
def test_title_and_body_are_rendered_once_per_language(trainee, monkeypatch):
    calls = []
    original = kinds.Kind.render

    def counting(self, params):
        calls.append(dict(params))
        return original(self, params)

    monkeypatch.setattr(kinds.Kind, "render", counting)
    n = Notification.objects.create(
        recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"}
    )
    with translation.override("en"):
        assert (n.title, n.body) == (
            "Your role has changed",
            "Your role on the Ishtar youth leadership platform is now: Mentor.",
        )
        assert n.title == "Your role has changed"
    assert len(calls) == 1
    with translation.override("ar"):
        n.title  # noqa: B018 - reading renders
        n.body  # noqa: B018
    assert len(calls) == 2
    # Changed parameters (even in place) are rendered again.
    n.params["role"] = "manager"
    with translation.override("en"):
        assert n.body.endswith("is now: Program manager.")
    assert len(calls) == 3
    n.kind = "no.longer.registered"
    assert (n.title, n.body) == ("no.longer.registered", "")


@pytest.mark.django_db
def test_inbox_row_shows_title_body_link_and_machine_readable_time(login, trainee):
    n = Notification.objects.create(
        recipient=trainee,
        kind="accounts.role_changed",
        params={"role": "mentor"},
        url="/accounts/profile/",
    )
    client = login(trainee)
    client.cookies["lang"] = "en"
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert '<a href="/accounts/profile/">Your role has changed</a>' in html
    assert "<p>Your role on the Ishtar youth leadership platform is now: Mentor.</p>" in html
    assert f'<time datetime="{n.created_at.isoformat()}">' in html
