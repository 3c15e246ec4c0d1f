import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse
from django.utils import translation

from notifications import kinds
from notifications.models import Notification
from notifications.services import mark_read, notify
from notifications.tasks import purge_old_notifications, send_notification_email


@pytest.mark.django_db
def test_notify_enqueues_the_email_only_after_commit(trainee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(
            recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"}
        )
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert len(callbacks) == 1
    assert not mail.outbox  # nothing sent before the commit
    callbacks[0]()
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
    assert not callbacks
    assert not mail.outbox


@pytest.mark.django_db
def test_failed_send_goes_back_to_pending_for_a_retry(
    trainee, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        n = notify(recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"})

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("notifications.tasks.send_mail", broken)
    # Stop at the retry request instead of letting eager mode re-run the task at once.
    monkeypatch.setattr(
        send_notification_email, "retry", lambda **kwargs: Retry(when=kwargs["countdown"])
    )
    with pytest.raises(Retry):
        send_notification_email(n.pk)
    n.refresh_from_db()
    assert n.email_status == Notification.EmailStatus.PENDING
    assert n.emailed_at is None
    monkeypatch.undo()
    assert send_notification_email(n.pk) is True
    n.refresh_from_db()
    assert n.email_status == Notification.EmailStatus.SENT
    assert len(mail.outbox) == 1


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
    # session, user, unread badge, paginator count, page
    with django_assert_num_queries(5) as first:
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
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("notifications:inbox"))
    assert len(response.context["page"]) == 30


@pytest.mark.django_db
def test_purge_deletes_only_old_read_notifications(trainee, time_machine):
    import datetime

    from django.utils import timezone

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
