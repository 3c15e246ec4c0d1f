"""Reminder delivery: from what the apps' scans declare due (notifications.reminders) to exactly
one message per (recipient, kind, object, occurrence). See docs/decisions/005-reminders.md.

- `record_due(reminder, now)` runs one scan and inserts its deliveries in bulk with
  ON CONFLICT DO NOTHING on the unique key; only the rows this call inserted come back, so a
  scan run twice, or by two beats at once, yields each delivery once.
- `deliver(delivery_id, token, now)` claims the row with a conditional UPDATE (a lease, as the
  e-mails have), asks the reminder whether it is still due, applies quiet hours and the weekend,
  the person's preference, and goes through `notify()` in the same transaction that marks the
  row sent: the in-app notification and the row's state commit together or not at all.
- `due_for_sweep(now)` finds rows whose message was lost (enqueue failed, worker died with the
  lease) and deferred rows whose time has come."""

import datetime
import json
import logging
import zoneinfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import kinds, reminders
from .models import Delivery, Preference
from .services import effective_mode, notify

logger = logging.getLogger(__name__)

# Longer than the delivery task's hard time limit: an expired lease means its holder is gone.
DELIVERY_LEASE = 90
DELIVERY_TIME_LIMIT = 60
# A queued row this old whose message has not claimed it lost its message.
DELIVERY_GRACE = 60
INSERT_BATCH = 2000
SWEEP_BATCH = 1000

QUIET_START = datetime.time(22, 0)
QUIET_END = datetime.time(8, 0)


def local_zone():
    return zoneinfo.ZoneInfo(getattr(settings, "NOTIFICATIONS_TIME_ZONE", "Asia/Baghdad"))


def weekend_days() -> tuple[int, ...]:
    """Python weekdays (Monday 0 … Sunday 6); Friday by default."""
    return tuple(getattr(settings, "NOTIFICATIONS_WEEKEND_DAYS", (4,)))


def send_window(kind: kinds.Kind, now: datetime.datetime) -> datetime.datetime | None:
    """None when the reminder may go now, else the time it is deferred to.

    Nothing goes out between 22:00 and 08:00 Baghdad time: it waits for 08:00. On a weekend day
    (settings.NOTIFICATIONS_WEEKEND_DAYS) a reminder waits for 08:00 of the next working day,
    unless it is safety-critical (a kind that cannot be turned off), which goes on the weekend
    too, though still not at night."""
    if not getattr(settings, "NOTIFICATIONS_QUIET_HOURS", True):
        return None
    zone = local_zone()
    local = now.astimezone(zone)
    day = local.date()
    if local.time() >= QUIET_START:
        day += datetime.timedelta(days=1)
    elif local.time() >= QUIET_END and (
        kind.can_turn_off is False or day.weekday() not in weekend_days()
    ):
        return None
    if kind.can_turn_off:
        for _ in range(7):
            if day.weekday() not in weekend_days():
                break
            day += datetime.timedelta(days=1)
    target = datetime.datetime.combine(day, QUIET_END, tzinfo=zone)
    return None if target <= now else target


def record_due(reminder: reminders.Reminder, now: datetime.datetime) -> list[int]:
    """Run one scan and insert its new deliveries; the ids inserted by this call. A bounded
    number of statements: one INSERT per INSERT_BATCH deliveries, whatever the scan returns."""
    seen = set()
    rows = []
    for due in reminder.scan(now):
        if due.key in seen:
            continue
        seen.add(due.key)
        rows.append(due)
    ids: list[int] = []
    table = Delivery._meta.db_table
    user_table = Delivery._meta.get_field("recipient").related_model._meta.db_table
    if connection.vendor != "postgresql":
        return _insert_portable(reminder, rows, now)
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        # Only people who still exist and are active; the unique key drops what is already there.
        sql = f"""
            INSERT INTO {table} (recipient_id, kind, object_key, occurrence, params, url, status,
                                 detail, created_at, not_before, claimed_by)
            SELECT d.recipient_id, %s, d.object_key, d.occurrence, d.params::jsonb, d.url,
                   'queued', '', %s, %s, ''
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
                 AS d(recipient_id, object_key, occurrence, params, url)
            JOIN {user_table} u ON u.id = d.recipient_id AND u.is_active
            ON CONFLICT (recipient_id, kind, object_key, occurrence) DO NOTHING
            RETURNING id"""  # noqa: S608 - table names from the models, values as parameters
        params = [
            reminder.kind,
            now,
            now,
            [d.recipient_id for d in batch],
            [d.object_key for d in batch],
            [d.occurrence for d in batch],
            [json.dumps(d.params or {}, cls=DjangoJSONEncoder) for d in batch],
            [d.url or "" for d in batch],
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


# SQLite (the embedded default of the run command) has no unnest(): the same insert with a
# VALUES list, the active recipients read once per batch. ON CONFLICT ... RETURNING keeps the
# exactly-once rule of the unique key.
PORTABLE_BATCH = 200


def _insert_portable(reminder: reminders.Reminder, rows: list, now: datetime.datetime) -> list[int]:
    table = Delivery._meta.db_table
    user_model = Delivery._meta.get_field("recipient").related_model
    created = Delivery._meta.get_field("created_at").get_db_prep_value(now, connection)
    ids: list[int] = []
    for start in range(0, len(rows), PORTABLE_BATCH):
        batch = rows[start : start + PORTABLE_BATCH]
        active = set(
            user_model.objects.filter(
                pk__in={d.recipient_id for d in batch}, is_active=True
            ).values_list("pk", flat=True)
        )
        batch = [d for d in batch if d.recipient_id in active]
        if not batch:
            continue
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, 'queued', '', %s, %s, '')"] * len(batch))
        sql = f"""
            INSERT INTO {table} (recipient_id, kind, object_key, occurrence, params, url, status,
                                 detail, created_at, not_before, claimed_by)
            VALUES {values}
            ON CONFLICT (recipient_id, kind, object_key, occurrence) DO NOTHING
            RETURNING id"""  # noqa: S608 - table name from the model, values as parameters
        params = []
        for d in batch:
            params += [
                d.recipient_id,
                reminder.kind,
                d.object_key,
                d.occurrence,
                json.dumps(d.params or {}, cls=DjangoJSONEncoder),
                d.url or "",
                created,
                created,
            ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def claim(delivery_id: int, token: str, now: datetime.datetime) -> bool:
    Status = Delivery.Status
    return bool(
        Delivery.objects.filter(
            Q(status=Status.QUEUED, not_before__lte=now)
            | Q(status=Status.SENDING, claimed_until__lt=now)
            | Q(status=Status.SENDING, claimed_by=token),
            pk=delivery_id,
        ).update(
            status=Status.SENDING,
            claimed_by=token,
            claimed_until=now + datetime.timedelta(seconds=DELIVERY_LEASE),
        )
    )


def _finish(delivery_id, token, status, detail="", **more):
    return Delivery.objects.filter(
        pk=delivery_id, claimed_by=token, status=Delivery.Status.SENDING
    ).update(
        status=status,
        detail=detail[:200],
        finished_at=timezone.now(),
        claimed_until=None,
        **more,
    )


def deliver(delivery_id: int, token: str, now: datetime.datetime | None = None) -> str:
    """Send one claimed delivery; returns its status afterwards ("" when another task holds it
    or it is finished)."""
    now = now or timezone.now()
    if not claim(delivery_id, token, now):
        return ""
    delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
    Status = Delivery.Status
    try:
        reminder = reminders.get(delivery.kind)
        kind = kinds.get(delivery.kind)
    except KeyError:
        _finish(delivery_id, token, Status.FAILED, "unknown kind")
        return Status.FAILED
    due = reminders.Due(
        recipient_id=delivery.recipient_id,
        object_key=delivery.object_key,
        occurrence=delivery.occurrence,
        params=delivery.params,
        url=delivery.url,
    )
    if not delivery.recipient.is_active:
        _finish(delivery_id, token, Status.SKIPPED, "recipient inactive")
        return Status.SKIPPED
    try:
        still = reminder.still_due(due, now)
    except Exception:
        # A broken check is recorded once, never retried in a loop.
        logger.exception("still_due failed for delivery %s", delivery_id)
        _finish(delivery_id, token, Status.FAILED, "the reminder's check failed")
        return Status.FAILED
    if not still:
        _finish(delivery_id, token, Status.SKIPPED, "no longer due")
        return Status.SKIPPED
    later = send_window(kind, now)
    if later is not None:
        Delivery.objects.filter(pk=delivery_id, claimed_by=token).update(
            status=Status.DEFERRED,
            not_before=later,
            claimed_by="",
            claimed_until=None,
            detail="quiet hours or weekend",
        )
        return Status.DEFERRED
    mode = (
        Preference.objects.filter(user_id=delivery.recipient_id, kind=delivery.kind)
        .values_list("mode", flat=True)
        .first()
        or Preference.Mode.IMMEDIATE
    )
    mode = effective_mode(kind, mode)
    if mode == Preference.Mode.OFF:
        _finish(delivery_id, token, Status.OFF, "turned off")
        return Status.OFF
    with transaction.atomic():
        # The row lock makes the check and the send one step: a duplicate that took the row
        # over after an expired lease waits here, then finds it sent.
        locked = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id, claimed_by=token, status=Status.SENDING)
            .exists()
        )
        if not locked:
            return ""
        notification = notify(
            recipient=delivery.recipient,
            kind=delivery.kind,
            params=delivery.params,
            url=delivery.url,
            mode=mode,
        )
        detail = "" if delivery.recipient.email else "no e-mail address: in-app only"
        if mode == Preference.Mode.DIGEST:
            detail = "e-mail held for the daily digest"
        _finish(delivery_id, token, Status.SENT, detail, notification=notification)
    return Status.SENT


def due_for_sweep(now: datetime.datetime) -> list[int]:
    """Rows to enqueue again, locked by this transaction (two sweeps never take the same row)
    and left alone for one lease while their new message is on its way."""
    Status = Delivery.Status
    due = (
        Q(status=Status.SENDING, claimed_until__lt=now)
        | Q(status=Status.DEFERRED, not_before__lte=now)
        | Q(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            status=Status.QUEUED,
            not_before__lte=now - datetime.timedelta(seconds=DELIVERY_GRACE),
        )
    )
    ids = list(
        Delivery.objects.filter(due)
        .order_by("not_before", "pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    Delivery.objects.filter(pk__in=ids).update(
        status=Status.QUEUED,
        claimed_by="",
        claimed_until=now + datetime.timedelta(seconds=DELIVERY_LEASE),
        not_before=now,
    )
    return ids
