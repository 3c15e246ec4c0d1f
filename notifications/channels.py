"""The channels a notification goes out on, as a registry: `notify()` creates the in-app row and
hands it to each channel the kind uses (`Kind.channels`) and the person's preference allows.

A channel is an object with a `key`, `prepare(notification, mode)` (called before the row is
saved: set its own fields, no query) and `deliver(notification, mode)` (after it is saved, inside
the caller's transaction); it must do its sending after commit (a Celery task), so a rolled-back
notification sends nothing. Adding SMS or WhatsApp is one class registered here (and its key in
the kinds that should use it): no reminder, scan or delivery code changes.

`mode` is the person's preference for the kind (`Preference.Mode`): "immediate", or "digest"
(held for the daily digest). "off" never reaches a channel other than in-app."""

from django.db import transaction

_REGISTRY: dict[str, "Channel"] = {}


class Channel:
    key = ""
    # Whether the channel can hold a notification for the daily digest.
    digestible = False

    def prepare(self, notification, mode: str) -> None:
        return None

    def deliver(self, notification, mode: str) -> None:
        return None


class InAppChannel(Channel):
    """The notification centre: the row notify() created is the delivery."""

    key = "inapp"


class EmailChannel(Channel):
    """One e-mail per notification, sent by the lease-based task (notifications.tasks), or held
    for the daily digest. A recipient without an address (or inactive) gets none."""

    key = "email"
    digestible = True

    def prepare(self, notification, mode):
        from .models import Notification

        recipient = notification.recipient
        if not recipient.email or not recipient.is_active:
            return
        notification.email_status = (
            Notification.EmailStatus.DIGEST
            if mode == "digest"
            else Notification.EmailStatus.PENDING
        )

    def deliver(self, notification, mode):
        from .models import Notification
        from .tasks import enqueue_email

        if notification.email_status == Notification.EmailStatus.PENDING:
            # After commit, so the worker finds the row; if the broker is unreachable the row
            # stays pending and the sweep sends it a minute later.
            transaction.on_commit(lambda: enqueue_email(notification.pk))


def register(channel: Channel) -> Channel:
    _REGISTRY[channel.key] = channel
    return channel


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def get(key: str) -> Channel:
    return _REGISTRY[key]


def registered() -> dict[str, Channel]:
    return dict(_REGISTRY)


register(InAppChannel())
register(EmailChannel())
