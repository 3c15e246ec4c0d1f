"""The one notification path every app calls: `notify(...)`, and the reader's preferences."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.compiled import Shape

from . import channels, kinds, unread
from .models import Notification, Preference
from .preferences import effective_mode, preference_of  # noqa: F401 - part of this API

Mode = Preference.Mode


def notify(
    *,
    recipient,
    kind: str,
    params: dict | None = None,
    url: str = "",
    email: bool = True,
    mode: str | None = None,
):
    """Create an in-app notification for `recipient` and hand it to the kind's other channels
    (e-mail after commit), as the person's preference for the kind says: immediately, held for
    the daily digest, or in-app only when they turned the kind off (the centre keeps the record).
    The e-mail task applies the preference at send time when `mode` is not given.

    The text is rendered when shown or sent, in the reader's language, so the same row reads in
    Arabic on one phone and in English on another. `mode` is the preference when the caller
    already read it (the reminder delivery task)."""
    declared = kinds.get(kind)  # an unknown kind is a programming error: fail before writing
    # Without a mode from the caller, the channels read the preference when they send (the
    # e-mail task does), so notify() itself adds no query to the caller's work.
    mode = Mode.IMMEDIATE if mode is None else effective_mode(declared, mode)
    notification = Notification(
        recipient=recipient,
        kind=kind,
        params=params or {},
        url=url,
        email_status=Notification.EmailStatus.NOT_WANTED,
    )
    used = [
        channels.get(key)
        for key in declared.channels
        if key in channels.registered()
        and (key == "inapp" or (mode != Mode.OFF and (email or key != "email")))
    ]
    for channel in used:
        channel.prepare(notification, mode)
    notification.save(force_insert=True)
    for channel in used:
        channel.deliver(notification, mode)
    return notification


def mark_read(*, user, notification_ids=None) -> int:
    """Mark the reader's own notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.for_recipient(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    marked = qs.update(read_at=timezone.now())
    if marked:
        unread.changed(user.pk)  # the badge's count (an update sends no post_save)
    return marked


# --- Preferences -------------------------------------------------------------------------------


def choosable_kinds() -> list[kinds.Kind]:
    return sorted(kinds.registered().values(), key=lambda k: k.key)


def allowed_modes(kind: kinds.Kind) -> list[str]:
    modes = [Mode.IMMEDIATE]
    if kind.digestible:
        modes.append(Mode.DIGEST)
    if kind.can_turn_off:
        modes.append(Mode.OFF)
    return modes


def set_preference(*, user, kind: str, mode: str) -> Preference:
    """Save one preference; an unknown kind or a mode the kind does not allow is a clear error."""
    try:
        declared = kinds.get(kind)
    except KeyError:
        raise ValidationError(
            {"kind": [_("There is no kind of notification called “%(kind)s”.") % {"kind": kind}]}
        ) from None
    if mode not in Mode.values:
        raise ValidationError({"mode": [_("Choose immediately, a daily digest or off.")]})
    if mode == Mode.OFF and not declared.can_turn_off:
        raise ValidationError(
            {"mode": [_("This notification is about your safety and cannot be turned off.")]}
        )
    if mode == Mode.DIGEST and not declared.digestible:
        raise ValidationError({"mode": [_("This notification cannot wait for a daily digest.")]})
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"mode": mode}
    )
    return preference


# Built and compiled once per connection (core.compiled): run as stored SQL with the person's id.
_PREFERENCES = Shape(
    lambda user_id: Preference.objects.filter(user=user_id).values_list("kind", "mode")
)


def preferences_of(user) -> dict[str, str]:
    """The kinds the person chose a mode for, and the mode."""
    return dict(_PREFERENCES.list(user.pk))


def unsubscribe(*, user, kind: str) -> bool:
    """Turn a kind off for the person (the e-mail link). False when it already was."""
    if Preference.objects.filter(user=user, kind=kind, mode=Mode.OFF).exists():
        return False
    set_preference(user=user, kind=kind, mode=Mode.OFF)
    return True
