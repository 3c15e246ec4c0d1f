"""The channels a notification goes out on, as a registry: `notify()` creates the in-app row and
hands it to each channel the kind uses (`Kind.channels`) and the person's preference allows.

A channel is an object with a `key`, `prepare(notification, mode)` (called before the row is
saved: set its own fields, no query) and `deliver(notification, mode)` (after it is saved, inside
the caller's transaction); it must do its sending after commit (a Celery task), so a rolled-back
notification sends nothing. Adding SMS or WhatsApp is one class registered here (and its key in
the kinds that should use it): no reminder, scan or delivery code changes.

`mode` is the person's preference for the kind (`Preference.Mode`): "immediate", or "digest"
(held for the daily digest). "off" never reaches a channel other than in-app."""

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
# The e-mail channel is registered by notifications.tasks (imported from the app's ready()),
# next to the task that sends it.
