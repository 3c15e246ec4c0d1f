"""The reminders registry: what each app declares is due, and the check repeated at send time.

An app declares its reminders in its own `reminders.py`, registered from `AppConfig.ready()`:

    reminders.register(Reminder(kind="cohorts.session_soon", scan=scan, still_due=still_due))

- `scan(now)` returns every `Due` delivery at `now`, from the database state alone, so a scan run
  late (beat down for an hour) catches up, and a scan run twice returns the same keys. It runs a
  bounded number of queries whatever the number of recipients.
- `still_due(due, now)` is asked again just before sending: a reminder whose reason is gone (the
  assignment was handed in, the session cancelled) is skipped.

The key of a delivery is (recipient, kind, object, occurrence): the notifications app claims it
with a database unique key before anything is sent, so it is sent exactly once."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Due:
    recipient_id: int
    # The object the reminder is about, as "<app_label>.<model>:<pk>" (e.g. "cohorts.session:12").
    object_key: str
    # Which occurrence of the reminder for that object: "24h", "2h", "overdue", a date...
    occurrence: str
    # Plain JSON parameters of the notification kind, rendered in the reader's language.
    params: dict = field(default_factory=dict, hash=False, compare=False)
    url: str = field(default="", hash=False, compare=False)

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.recipient_id, self.object_key, self.occurrence)


@dataclass(frozen=True)
class Reminder:
    kind: str
    scan: Callable[[datetime.datetime], Iterable[Due]]
    still_due: Callable[[Due, datetime.datetime], bool] = lambda due, now: True  # noqa: E731


_REGISTRY: dict[str, Reminder] = {}


def register(reminder: Reminder) -> Reminder:
    _REGISTRY[reminder.kind] = reminder
    return reminder


def get(kind: str) -> Reminder:
    return _REGISTRY[kind]


def registered() -> dict[str, Reminder]:
    return dict(_REGISTRY)


def object_key(instance) -> str:
    """The `Due.object_key` of a model instance."""
    return f"{instance._meta.label_lower}:{instance.pk}"
