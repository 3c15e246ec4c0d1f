"""One-click unsubscribe links (RFC 8058): a signed token naming the person and the kind. No
expiry: a link in an old e-mail keeps working, and using it twice only says it was done."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from . import kinds

SALT = "notifications.unsubscribe"


def token_for(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, str]:
    """(user id, kind); signing.BadSignature when the token was tampered with."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("malformed")
    return data["u"], str(data.get("k", ""))


def url_for(user, kind: str) -> str:
    """The absolute link, or "" for a kind that cannot be turned off (or is unknown)."""
    try:
        if not kinds.get(kind).can_turn_off:
            return ""
    except KeyError:
        return ""
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token_for(user, kind)])
