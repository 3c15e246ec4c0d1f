"""What every cohorts model shares: Baghdad time, the alphabet of check-in codes, secret tokens,
the two checks every `visible_to(user)` starts with, and those checks as flags (`access_key`)."""

import secrets
from zoneinfo import ZoneInfo

BAGHDAD = ZoneInfo("Asia/Baghdad")

# Check-in codes are read off a screen or a QR code and typed on phones: no 0/O, 1/I/L, 2/Z,
# 5/S or 8/B that could be mistaken for one another.
CHECK_IN_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CHECK_IN_CODE_LENGTH = 6


def new_check_in_code() -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def is_staff(user) -> bool:
    return bool(user.is_active and (user.is_staff or user.is_superuser))


def signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def access_key(user) -> dict:
    """What the `visible_to_person` rules read of a person besides their id, as keyword flags
    (a compiled shape's key): signed in (and active), and staff."""
    signed = signed_in(user)
    return {"signed_in": signed, "staff": signed and is_staff(user)}


def person_id(user) -> int:
    """The id the `visible_to_person` rules take: 0 for someone signed out (never in the SQL)."""
    return user.pk if signed_in(user) else 0
