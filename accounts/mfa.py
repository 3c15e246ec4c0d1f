"""The second-factor rule for managers and staff, the same on every authentication path.

With MFA_REQUIRED_FOR_PRIVILEGED on, a program manager or staff member without a TOTP
authenticator may only enrol one: pages send them to the enrolment page (RequireMFAMiddleware),
and the API refuses them with 403 "mfa_required" whether they come with a session, a DRF token or
an app session token from the headless sign-in API."""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions


def second_factor_missing(user) -> bool:
    """True when the rule applies to this person and they have no TOTP authenticator yet."""
    if not settings.MFA_REQUIRED_FOR_PRIVILEGED:
        return False
    if user is None or not user.is_authenticated or not user.is_privileged:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


MFA_REQUIRED_MESSAGE = _(
    "Program managers and staff must set up two-factor authentication before using the API. "
    "Set it up on the website (Account → Two-factor authentication), then try again."
)


class MFARequired(exceptions.PermissionDenied):
    default_code = "mfa_required"
    default_detail = MFA_REQUIRED_MESSAGE


def _checked(result):
    if result is not None and second_factor_missing(result[0]):
        raise MFARequired()
    return result


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token ("Authorization: Token <key>"), with the second-factor rule."""

    def authenticate(self, request):
        return _checked(super().authenticate(request))


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """The app session token of the headless sign-in API ("X-Session-Token"), with the rule."""

    def authenticate(self, request):
        return _checked(super().authenticate(request))


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser session, with the rule (the page middleware redirects; the API answers 403)."""

    def authenticate(self, request):
        return _checked(super().authenticate(request))
